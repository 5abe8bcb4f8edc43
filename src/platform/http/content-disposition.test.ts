import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition.ts';

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987)', () => {
    expect(attachmentDisposition('p06-hold.wav')).toBe(`attachment; filename="p06-hold.wav"; filename*=UTF-8''p06-hold.wav`);
    expect(attachmentDisposition('Réclamation facture.wav')).toBe(
      `attachment; filename="Reclamation facture.wav"; filename*=UTF-8''R%C3%A9clamation%20facture.wav`,
    );
    const cjk = attachmentDisposition('通話 «1».mp3');
    expect(cjk).toMatch(/^attachment; filename="__ _1_\.mp3"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cjk.split("UTF-8''")[1]!)).toBe('通話 «1».mp3');
  });

  it('is always a valid header value, whatever the name holds', () => {
    for (const name of [
      'a"b\\c.wav',
      'line\r\nSet-Cookie: x=1.wav',
      '../../etc/passwd',
      "it's (1) *.wav",
      '100%.wav',
      '',
      '\u0000\u0007.wav',
      '😀'.repeat(50),
    ]) {
      const value = attachmentDisposition(name);
      expect(() => validateHeaderValue('content-disposition', value), name).not.toThrow();
      expect(value).not.toMatch(/[\r\n]|filename="[^"]*["\\/%][^"]*";/);
      expect(value.split("UTF-8''")[1]).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    }
    expect(attachmentDisposition('')).toContain('filename="download"');
  });
});
