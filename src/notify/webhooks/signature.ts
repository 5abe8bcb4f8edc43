// The Earshot-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with the endpoint's
// secret (the whole `whsec_…` string as UTF-8). After a rotation the header carries one v1 per secret still valid, the
// new one first, so a receiver may switch secrets at its own pace. The timestamp lets receivers refuse replays.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Earshot-Signature';
/** How old a signed timestamp a receiver should accept (what verifySignature defaults to and the README suggests). */
export const SIGNATURE_TOLERANCE_S = 300;

export const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

export function signatureHeader(secrets: string[], body: string, t: number): string {
  return [`t=${t}`, ...secrets.map((s) => `v1=${hmac(s, t, body)}`)].join(',');
}

/** What a receiver does (the README's snippets do the same): true when one v1 matches and the timestamp is fresh. */
export function verifySignature(header: string, body: string, secret: string, now = Date.now(), toleranceS = SIGNATURE_TOLERANCE_S): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceS) return false;
  const want = Buffer.from(hmac(secret, t, body), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && v)
    .some(([, v]) => {
      const got = Buffer.from(v!, 'hex');
      return got.length === want.length && timingSafeEqual(got, want);
    });
}
