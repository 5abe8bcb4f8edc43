// SRTP: the TypeScript implementation against RFC 3711's key-derivation vectors, and both implementations against
// each other (either side protects, the other unprotects) across a sequence-number wrap (the rollover counter).
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { buildRtp } from '../rtp/packet.ts';
import { createSrtpSession, derive, parseKeyParams, srtpImplementation, type SrtpImpl, type SrtpSuite } from './srtp.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('SRTP', () => {
  it('derives the session keys of RFC 3711 appendix B.3', () => {
    const key = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
    const salt = hex('0EC675AD498AFEEBB6960B3AABE6');
    expect(derive(key, salt, 0, 16).toString('hex').toUpperCase()).toBe('C61E7A93744F39EE10734AFE3FF7A087');
    expect(derive(key, salt, 2, 14).toString('hex').toUpperCase()).toBe('30CBBC08863D8C85D49DB34A9AE1');
    expect(derive(key, salt, 1, 20).toString('hex').toUpperCase()).toBe('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4');
  });

  it('reads SDES key parameters with or without inline: and lifetime/MKI', () => {
    const raw = randomBytes(30);
    expect(parseKeyParams(`inline:${raw.toString('base64')}|2^20|1:32`).key).toEqual(raw.subarray(0, 16));
    expect(parseKeyParams(raw.toString('base64')).salt).toEqual(raw.subarray(16));
    expect(() => parseKeyParams('inline:AAAA')).toThrow(/30/);
  });

  const impls: SrtpImpl[] = srtpImplementation() === 'libsrtp' ? ['libsrtp', 'ts'] : ['ts'];
  const pairs = impls.flatMap((a) => impls.map((b) => [a, b] as const));
  const suites: SrtpSuite[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

  it.each(pairs.flatMap(([a, b]) => suites.map((s) => [a, b, s] as const)))('%s protects, %s unprotects (%s), across the sequence wrap', (a, b, suite) => {
    const keyParams = `inline:${randomBytes(30).toString('base64')}`;
    const tx = createSrtpSession(suite, keyParams, 'outbound', a);
    const rx = createSrtpSession(suite, keyParams, 'inbound', b);
    for (let i = 0; i < 300; i++) {
      const payload = randomBytes(160);
      const p = buildRtp({ pt: 0, seq: (65400 + i) & 0xffff, ts: i * 160, ssrc: 0xdeadbeef }, payload);
      const buf = Buffer.alloc(p.length + 16);
      p.copy(buf);
      const n = tx.protect(buf, p.length);
      expect(n).toBe(p.length + (suite.endsWith('80') ? 10 : 4));
      expect(buf.subarray(12, 12 + 160).equals(payload)).toBe(false);
      const m = rx.unprotect(buf, n);
      expect(m).toBe(p.length);
      expect(buf.subarray(12, m).equals(payload)).toBe(true);
    }
    // A tampered packet fails authentication.
    const p = buildRtp({ pt: 0, seq: 400, ts: 64000, ssrc: 0xdeadbeef }, randomBytes(160));
    const buf = Buffer.alloc(p.length + 16);
    p.copy(buf);
    const n = tx.protect(buf, p.length);
    buf[20]! ^= 1;
    expect(rx.unprotect(buf, n)).toBe(-1);
    tx.close();
    rx.close();
  });

  it('a packet under another key is refused', () => {
    const tx = createSrtpSession('AES_CM_128_HMAC_SHA1_80', randomBytes(30).toString('base64'), 'outbound', 'ts');
    const rx = createSrtpSession('AES_CM_128_HMAC_SHA1_80', randomBytes(30).toString('base64'), 'inbound', impls[0]);
    const p = buildRtp({ pt: 0, seq: 1, ts: 0, ssrc: 1 }, randomBytes(160));
    const buf = Buffer.alloc(p.length + 16);
    p.copy(buf);
    expect(rx.unprotect(buf, tx.protect(buf, p.length))).toBe(-1);
  });
});
