import { createHash, randomBytes } from 'node:crypto';

/** A secret shown to its owner once; only its SHA-256 is stored. */
export function newSecret(prefix: string) {
  const secret = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: sha256(secret), display: secret.slice(0, prefix.length + 6) };
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const SESSION_COOKIE = 'earshot_session';
export const API_TOKEN_PREFIX = 'esk_';
