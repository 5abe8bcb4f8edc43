// Master key, tenant key-encryption keys, data-key wrapping and the Ed25519 watermark key.
//
// Everything derives from one 32-byte master key with HKDF-SHA256, so the only secret to back up is the key file.
// A Keyring may hold several master keys by kek id: the current one wraps and signs, the others only unwrap. That is
// what lets an interrupted rotation recover (see rotate.ts and recoverPendingRotation).
import fs from 'node:fs';
import path from 'node:path';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { ConfigError, type Config } from '../../config.ts';
import { DomainError } from '../errors.ts';

export const MASTER_KEY_BYTES = 32;
const HKDF_SALT = Buffer.from('earshot/hkdf-salt/v1');
const WRAP_VERSION = 'k1';
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  /** Short fingerprint of the public key; blobs.signing_key_id and signing_keys.id. */
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

function hkdf(master: Buffer, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, HKDF_SALT, Buffer.from(info, 'utf8'), length));
}

/** Fingerprint of a master key (blobs.kek_id). Derived, so it reveals nothing about the key. */
export function kekIdOf(master: Buffer): string {
  return hkdf(master, 'earshot/kek-id/v1', 8).toString('hex');
}

export function deriveTenantKey(master: Buffer, tenantId: string): Buffer {
  if (!tenantId) throw new DomainError('VALIDATION_FAILED', 'tenant id is required');
  return Buffer.from(hkdfSync('sha256', master, Buffer.concat([HKDF_SALT, Buffer.from(`|${tenantId}`)]), `earshot/tenant-kek/v1|${tenantId}`, 32));
}

export function deriveSigningKey(master: Buffer): SigningKey {
  const seed = hkdf(master, 'earshot/blob-signing-key/ed25519/v1', 32);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  seed.fill(0);
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    id: createHash('sha256').update(spki).digest('hex').slice(0, 16),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

// ---- data-key wrapping ----------------------------------------------------------------------------------------

function wrapAad(tenantId: string, blobId: string): Buffer {
  return Buffer.from(`earshot/dek/v1|${tenantId}|${blobId}`, 'utf8');
}

/** AES-256-GCM with a random 12-byte nonce; the AAD ties the wrapped key to its tenant and blob. */
export function wrapKey(kek: Buffer, dek: Buffer, tenantId: string, blobId: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, nonce);
  c.setAAD(wrapAad(tenantId, blobId));
  const ct = Buffer.concat([c.update(dek), c.final()]);
  return `${WRAP_VERSION}.${Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64')}`;
}

export function unwrapKey(kek: Buffer, wrapped: string, tenantId: string, blobId: string): Buffer {
  const [version, body] = wrapped.split('.');
  const raw = Buffer.from(body ?? '', 'base64');
  if (version !== WRAP_VERSION || raw.length !== 12 + 32 + 16) {
    throw new DomainError('INTEGRITY_FAILURE', `wrapped data key of blob ${blobId} is malformed`);
  }
  const d = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12));
  d.setAAD(wrapAad(tenantId, blobId));
  d.setAuthTag(raw.subarray(44));
  try {
    return Buffer.concat([d.update(raw.subarray(12, 44)), d.final()]);
  } catch {
    throw new DomainError('INTEGRITY_FAILURE', `data key of blob ${blobId} failed to unwrap`);
  }
}

// ---- watermark (Ed25519 over the blob identity) ---------------------------------------------------------------

export interface BlobIdentity {
  id: string;
  tenantId: string;
  size: number;
  sha256: string;
}

/** The exact bytes that are signed. Never change for v1; add a v2 line instead. */
export function canonicalIdentity(b: BlobIdentity): Buffer {
  return Buffer.from(`earshot-blob-v1\nid:${b.id}\ntenant:${b.tenantId}\nsize:${b.size}\nsha256:${b.sha256}\n`, 'utf8');
}

export function signIdentity(key: SigningKey, b: BlobIdentity): string {
  return sign(null, canonicalIdentity(b), key.privateKey).toString('base64');
}

export function verifyIdentity(publicKeyPem: string, b: BlobIdentity, signature: string): boolean {
  try {
    return verify(null, canonicalIdentity(b), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

// ---- keyring --------------------------------------------------------------------------------------------------

interface Entry {
  master: Buffer;
  tenantKeys: Map<string, Buffer>;
  signing?: SigningKey;
}

export interface PendingRotation {
  keyFile: string;
  nextFile: string;
  nextKekId: string;
}

export class Keyring {
  private readonly entries = new Map<string, Entry>();
  private current: string;
  /** Set when a `<keyFile>.next` was found at start-up: settle it with recoverPendingRotation() before writing. */
  pendingRotation: PendingRotation | undefined;

  constructor(current: Buffer, others: Buffer[] = []) {
    this.current = this.add(current);
    for (const k of others) this.add(k);
  }

  /** Fingerprint of the master key that wraps new data keys. */
  get kekId(): string {
    return this.current;
  }

  kekIds(): string[] {
    return [...this.entries.keys()];
  }

  has(kekId: string): boolean {
    return this.entries.has(kekId);
  }

  /** Adds a master key (unwrap only until use()); returns its kek id. */
  add(master: Buffer): string {
    if (master.length !== MASTER_KEY_BYTES) throw new DomainError('VALIDATION_FAILED', `master key must be ${MASTER_KEY_BYTES} bytes`);
    const id = kekIdOf(master);
    if (!this.entries.has(id)) this.entries.set(id, { master: Buffer.from(master), tenantKeys: new Map() });
    return id;
  }

  /** Makes a held key the one that wraps and signs from now on. */
  use(kekId: string): void {
    this.entry(kekId);
    this.current = kekId;
  }

  remove(kekId: string): void {
    if (kekId === this.current) throw new DomainError('CONFLICT', 'cannot remove the current master key');
    const e = this.entries.get(kekId);
    if (!e) return;
    e.master.fill(0);
    for (const k of e.tenantKeys.values()) k.fill(0);
    this.entries.delete(kekId);
  }

  /** The raw master key; only rotation and key-file writing need it. */
  masterKey(kekId = this.current): Buffer {
    return this.entry(kekId).master;
  }

  tenantKey(tenantId: string, kekId = this.current): Buffer {
    const e = this.entry(kekId);
    let k = e.tenantKeys.get(tenantId);
    if (!k) {
      k = deriveTenantKey(e.master, tenantId);
      e.tenantKeys.set(tenantId, k);
    }
    return k;
  }

  signingKey(kekId = this.current): SigningKey {
    const e = this.entry(kekId);
    return (e.signing ??= deriveSigningKey(e.master));
  }

  wrapDek(tenantId: string, blobId: string, dek: Buffer, kekId = this.current): { wrappedKey: string; kekId: string } {
    return { wrappedKey: wrapKey(this.tenantKey(tenantId, kekId), dek, tenantId, blobId), kekId };
  }

  unwrapDek(tenantId: string, blobId: string, wrappedKey: string, kekId: string): Buffer {
    return unwrapKey(this.tenantKey(tenantId, kekId), wrappedKey, tenantId, blobId);
  }

  private entry(kekId: string): Entry {
    const e = this.entries.get(kekId);
    if (!e) {
      throw new DomainError('INTEGRITY_FAILURE', `master key ${kekId} is not loaded (was the key file replaced without a rotation?)`);
    }
    return e;
  }
}

// ---- key files ------------------------------------------------------------------------------------------------

export function parseMasterKey(text: string, source: string): Buffer {
  const t = text.trim();
  const key = Buffer.from(t, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || key.length !== MASTER_KEY_BYTES) {
    throw new ConfigError(source, `expected ${MASTER_KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
  }
  return key;
}

function readKeyFile(file: string, variable: string): Buffer {
  return parseMasterKey(fs.readFileSync(file, 'utf8'), `${variable} (${file})`);
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes a key file atomically with mode 0600: temp file, fsync, then rename (or link when it must not replace an
 * existing file, so two processes starting at once cannot both create a key).
 */
export function writeKeyFile(file: string, key: Buffer, opts: { replace: boolean }): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600); // umask cannot loosen it
    fs.writeSync(fd, key.toString('base64') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (opts.replace) fs.renameSync(tmp, file);
    else fs.linkSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fsyncDir(dir);
}

export const nextKeyFile = (keyFile: string) => `${keyFile}.next`;

/**
 * The keyring for this process. EARSHOT_MASTER_KEY wins; else the key file is read, or created (32 random bytes,
 * base64, mode 0600) on first start. If a rotation was interrupted (`<keyFile>.next` exists) both keys are loaded
 * and `pendingRotation` is set: BlobStore settles it against the database before its first write.
 */
export function loadOrCreateMasterKey(config: Pick<Config, 'masterKey' | 'masterKeyFile'>): Keyring {
  if (config.masterKey !== undefined) return new Keyring(parseMasterKey(config.masterKey, 'EARSHOT_MASTER_KEY'));
  const file = config.masterKeyFile;
  const next = nextKeyFile(file);
  const hasFile = fs.existsSync(file);
  const hasNext = fs.existsSync(next);
  if (!hasFile && hasNext) {
    // The rename was the last step and the old key file is gone: only the new key can be in use.
    fs.renameSync(next, file);
    fsyncDir(path.dirname(file));
  } else if (!hasFile) {
    try {
      writeKeyFile(file, randomBytes(MASTER_KEY_BYTES), { replace: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process created it first
    }
  }
  const keyring = new Keyring(readKeyFile(file, 'EARSHOT_MASTER_KEY_FILE'));
  if (hasFile && hasNext) {
    const nextKekId = keyring.add(readKeyFile(next, 'EARSHOT_MASTER_KEY_FILE.next'));
    if (nextKekId !== keyring.kekId) keyring.pendingRotation = { keyFile: file, nextFile: next, nextKekId };
    else fs.rmSync(next, { force: true });
  }
  return keyring;
}
