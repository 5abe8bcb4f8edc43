import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { ConfigError } from '../../config.ts';
import { DomainError } from '../errors.ts';
import {
  Keyring,
  canonicalIdentity,
  deriveSigningKey,
  deriveTenantKey,
  kekIdOf,
  loadOrCreateMasterKey,
  nextKeyFile,
  signIdentity,
  unwrapKey,
  verifyIdentity,
  wrapKey,
  writeKeyFile,
} from './keys.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-keys-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('loadOrCreateMasterKey', () => {
  it('creates a 32-byte key file with mode 0600 (and its folder), then reuses it', () => {
    const file = path.join(tempDir(), 'nested', 'data', 'master.key');
    const ring = loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file });
    const st = fs.statSync(file);
    expect(st.mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64').length).toBe(32);
    const again = loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file });
    expect(again.kekId).toBe(ring.kekId);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['master.key']); // no temp file left
  });

  it('keeps 0600 under a permissive umask', () => {
    const old = process.umask(0);
    try {
      const file = path.join(tempDir(), 'master.key');
      loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('prefers EARSHOT_MASTER_KEY and never touches the file then', () => {
    const key = randomBytes(32);
    const file = path.join(tempDir(), 'master.key');
    const ring = loadOrCreateMasterKey({ masterKey: key.toString('base64'), masterKeyFile: file });
    expect(ring.kekId).toBe(kekIdOf(key));
    expect(fs.existsSync(file)).toBe(false);
  });

  it('rejects a key file that is not 32 bytes of base64', () => {
    const file = path.join(tempDir(), 'master.key');
    fs.writeFileSync(file, randomBytes(16).toString('base64'));
    expect(() => loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file })).toThrow(ConfigError);
    fs.writeFileSync(file, 'not base64 at all!');
    expect(() => loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file })).toThrow(/base64/);
  });

  it('holds both keys and flags a pending rotation when <file>.next exists', () => {
    const file = path.join(tempDir(), 'master.key');
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    writeKeyFile(file, oldKey, { replace: false });
    writeKeyFile(nextKeyFile(file), newKey, { replace: true });
    const ring = loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file });
    expect(ring.kekId).toBe(kekIdOf(oldKey));
    expect(ring.has(kekIdOf(newKey))).toBe(true);
    expect(ring.pendingRotation).toEqual({ keyFile: file, nextFile: nextKeyFile(file), nextKekId: kekIdOf(newKey) });
  });

  it('finishes the rename when only <file>.next is left', () => {
    const file = path.join(tempDir(), 'master.key');
    const newKey = randomBytes(32);
    writeKeyFile(nextKeyFile(file), newKey, { replace: true });
    const ring = loadOrCreateMasterKey({ masterKey: undefined, masterKeyFile: file });
    expect(ring.kekId).toBe(kekIdOf(newKey));
    expect(fs.existsSync(nextKeyFile(file))).toBe(false);
    expect(ring.pendingRotation).toBeUndefined();
  });
});

describe('key derivation', () => {
  const master = randomBytes(32);

  it('derives distinct, stable tenant keys', () => {
    const a = deriveTenantKey(master, 'tenant-a');
    expect(a.length).toBe(32);
    expect(deriveTenantKey(master, 'tenant-a').equals(a)).toBe(true);
    expect(deriveTenantKey(master, 'tenant-b').equals(a)).toBe(false);
    expect(deriveTenantKey(randomBytes(32), 'tenant-a').equals(a)).toBe(false);
    const ring = new Keyring(master);
    expect(ring.tenantKey('tenant-a').equals(a)).toBe(true);
  });

  it('derives a deterministic Ed25519 key whose id fingerprints the public key', () => {
    const k1 = deriveSigningKey(master);
    const k2 = deriveSigningKey(master);
    expect(k1.id).toMatch(/^[0-9a-f]{16}$/);
    expect(k2.id).toBe(k1.id);
    expect(k2.publicKeyPem).toBe(k1.publicKeyPem);
    expect(k1.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(deriveSigningKey(randomBytes(32)).id).not.toBe(k1.id);
    expect(kekIdOf(master)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('signs the canonical identity and detects any change to it', () => {
    const key = deriveSigningKey(master);
    const ident = { id: 'b1', tenantId: 't1', size: 42, sha256: 'ab'.repeat(32) };
    const sig = signIdentity(key, ident);
    expect(verify(null, canonicalIdentity(ident), createPublicKey(key.publicKeyPem), Buffer.from(sig, 'base64'))).toBe(true);
    expect(verifyIdentity(key.publicKeyPem, ident, sig)).toBe(true);
    expect(verifyIdentity(key.publicKeyPem, { ...ident, size: 43 }, sig)).toBe(false);
    expect(verifyIdentity(key.publicKeyPem, { ...ident, tenantId: 't2' }, sig)).toBe(false);
    expect(verifyIdentity(key.publicKeyPem, { ...ident, sha256: 'cd'.repeat(32) }, sig)).toBe(false);
    expect(verifyIdentity(deriveSigningKey(randomBytes(32)).publicKeyPem, ident, sig)).toBe(false);
  });

  it('wraps data keys bound to tenant and blob', () => {
    const kek = deriveTenantKey(master, 't1');
    const dek = randomBytes(32);
    const w = wrapKey(kek, dek, 't1', 'b1');
    expect(w).not.toBe(wrapKey(kek, dek, 't1', 'b1')); // random nonce
    expect(unwrapKey(kek, w, 't1', 'b1').equals(dek)).toBe(true);
    expect(() => unwrapKey(kek, w, 't1', 'b2')).toThrow(DomainError);
    expect(() => unwrapKey(deriveTenantKey(master, 't2'), w, 't2', 'b1')).toThrow(/failed to unwrap/);
    expect(() => unwrapKey(kek, 'k1.AAAA', 't1', 'b1')).toThrow(/malformed/);
  });

  it('keyring holds old and new keys by kek id', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const ring = new Keyring(oldKey);
    const dek = randomBytes(32);
    const w = ring.wrapDek('t', 'b', dek);
    expect(w.kekId).toBe(kekIdOf(oldKey));
    const newId = ring.add(newKey);
    ring.use(newId);
    expect(ring.kekId).toBe(newId);
    expect(ring.unwrapDek('t', 'b', w.wrappedKey, w.kekId).equals(dek)).toBe(true);
    expect(ring.signingKey().id).toBe(deriveSigningKey(newKey).id);
    ring.remove(kekIdOf(oldKey));
    expect(() => ring.unwrapDek('t', 'b', w.wrappedKey, w.kekId)).toThrow(/not loaded/);
    expect(() => ring.remove(newId)).toThrow(DomainError);
  });
});
