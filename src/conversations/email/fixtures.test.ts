import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import { buildEml, encodeQuotedPrintable, formatRfc5322Date } from './fixtures.ts';
import { parseEml } from './parse.ts';

describe('buildEml', () => {
  it('writes a message that parseEml reads back field by field', async () => {
    const longLine = `Détails : ${'la commande est arrivée abîmée, '.repeat(6)}fin.`;
    const raw = buildEml({
      messageId: 'reply-2@Acme-Support.example',
      inReplyTo: 'q1@exemple.fr',
      references: ['<q1@exemple.fr>', '<a1@acme-support.example>'],
      from: { name: 'Zoé Dupont', address: 'Zoe.Dupont@exemple.fr' },
      to: [{ name: 'Acme Support, Level 1', address: 'support@acme-support.example' }, 'billing@acme-support.example'],
      cc: 'marc@acme-support.example',
      replyTo: 'zoe.reply@exemple.fr',
      subject: 'Re: Réclamation facture n° 2025-0042 — suite et fin de notre échange téléphonique',
      date: new Date('2025-07-02T07:00:00Z'),
      text: `Bonjour,\n${longLine}\nMerci  \n`,
      html: '<p>Bonjour,</p><p>Merci&nbsp;!</p>',
      attachments: [{ filename: 'facture n°42.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') }],
      headers: { 'X-Mailer': 'Earshot demo', 'X-Source-Url': 'https://mail.example.com/m/2' },
    });

    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).toContain('Date: Wed, 02 Jul 2025 07:00:00 +0000');

    const m = await parseEml(Buffer.from(raw));
    expect(m.messageId).toBe('reply-2@acme-support.example');
    expect(m.inReplyTo).toBe('q1@exemple.fr');
    expect(m.references).toEqual(['q1@exemple.fr', 'a1@acme-support.example']);
    expect(m.from).toEqual({ name: 'Zoé Dupont', address: 'zoe.dupont@exemple.fr' });
    expect(m.to).toEqual([
      { name: 'Acme Support, Level 1', address: 'support@acme-support.example' },
      { name: '', address: 'billing@acme-support.example' },
    ]);
    expect(m.cc).toEqual([{ name: '', address: 'marc@acme-support.example' }]);
    expect(m.replyTo).toEqual([{ name: '', address: 'zoe.reply@exemple.fr' }]);
    expect(m.subject).toBe('Re: Réclamation facture n° 2025-0042 — suite et fin de notre échange téléphonique');
    expect(m.sentAt).toBe('2025-07-02T07:00:00.000Z');
    expect(m.text).toBe(`Bonjour,\n${longLine}\nMerci  \n`);
    expect(m.html).toBe('<p>Bonjour,</p><p>Merci&nbsp;!</p>');
    expect(m.attachments).toEqual([{ filename: 'facture n°42.pdf', contentType: 'application/pdf', size: 15, inline: false }]);
    expect(m.headers).toEqual({ 'x-mailer': 'Earshot demo', 'x-source-url': 'https://mail.example.com/m/2' });
    expect(m.sourceUrl).toBe('https://mail.example.com/m/2');
  });

  it('is deterministic and leaves out Message-ID and Date when asked', () => {
    const input = { messageId: null, from: 'a@x.example', to: 'b@x.example', subject: 'Hi', date: null, text: 'Hello' };
    expect(buildEml(input)).toBe(buildEml(input));
    expect(buildEml(input)).not.toMatch(/^(Message-ID|Date):/m);
    const withHtml = { ...input, html: '<p>Hello</p>' };
    expect(buildEml(withHtml)).toBe(buildEml(withHtml));
  });

  it('refuses header values with line breaks (header injection)', () => {
    expect(() => buildEml({ messageId: 'x@y', from: 'a@x.example', to: 'b@x.example', subject: 'Hi\r\nBcc: evil@x', date: null, text: '' })).toThrow(
      DomainError,
    );
  });

  it('encodes quoted-printable with soft breaks and escaped trailing space', () => {
    expect(encodeQuotedPrintable('reçu = ok ')).toBe('re=C3=A7u =3D ok=20');
    const lines = encodeQuotedPrintable('é'.repeat(40)).split('\r\n');
    expect(lines.every((l) => l.length <= 76)).toBe(true);
    expect(lines[0]!.endsWith('=')).toBe(true);
    expect(formatRfc5322Date(new Date('2025-01-05T03:04:05Z'))).toBe('Sun, 05 Jan 2025 03:04:05 +0000');
  });
});
