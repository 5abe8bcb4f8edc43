// The tenant's Ed25519 export key: derived from the tenant's key-encryption key (itself from the master key), so each
// organisation signs its exports with its own key, nothing new is stored, and the key follows a master key rotation
// (packages signed before keep verifying with the public key they carry; pin it with `verify-export --public-key`).
import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Keyring } from '../../platform/crypto/keys.ts';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface ExportKey {
  keyId: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

const cache = new WeakMap<Keyring, Map<string, ExportKey>>();

export function exportKey(keyring: Keyring, tenantId: string): ExportKey {
  const kek = keyring.tenantKey(tenantId);
  const byTenant = cache.get(keyring) ?? new Map<string, ExportKey>();
  cache.set(keyring, byTenant);
  const memo = `${keyring.kekId}|${tenantId}`;
  const hit = byTenant.get(memo);
  if (hit) return hit;
  const seed = Buffer.from(hkdfSync('sha256', kek, Buffer.from('earshot/vcon-export'), Buffer.from(`earshot/export-signing/ed25519/v1|${tenantId}`), 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  seed.fill(0);
  const key = {
    keyId: keyIdOf(createPublicKey(privateKey)),
    privateKey,
    publicKeyPem: createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(),
  };
  byTenant.set(memo, key);
  return key;
}

/** Fingerprint of a public key: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const k = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(k.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

export function signBytes(key: ExportKey, data: Buffer): string {
  return sign(null, data, key.privateKey).toString('base64');
}

export function verifyBytes(publicKeyPem: string, data: Buffer, signature: string): boolean {
  try {
    const k = createPublicKey(publicKeyPem);
    if (k.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, k, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
