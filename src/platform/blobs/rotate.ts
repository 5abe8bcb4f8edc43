// Master-key rotation: re-wraps every data key under the new master key; media bytes are never re-encrypted.
//
// Crash safety, in order:
//   1. the new key is written to `<keyFile>.next` (atomic, 0600);
//   2. one transaction registers the new signing key and re-wraps every row (kek_id updated);
//   3. `.next` is renamed over the key file.
// A crash before 2 commits leaves the old key in use (the `.next` is discarded at next start); a crash after 2 leaves
// rows under the new key, which `.next` holds, and start-up finishes the rename. The new signing key's row in
// `signing_keys` is what tells the two apart, even with no blobs at all.
//
// Run it with the other Earshot processes stopped (or restart them right after): a process that loaded the old key
// keeps wrapping new blobs under it.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../db/index.ts';
import type { DialectAdapter } from '../db/adapter.ts';
import { DomainError } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { MASTER_KEY_BYTES, fsyncDir, loadOrCreateMasterKey, nextKeyFile, writeKeyFile, type Keyring } from '../crypto/keys.ts';
import * as repo from './repository.ts';

export interface RotateResult {
  rotated: number;
  oldKekId: string;
  newKekId: string;
}

export interface RotateOptions {
  db: Db;
  adapter: DialectAdapter;
  config: Pick<Config, 'masterKey' | 'masterKeyFile'>;
  /** The running process's keyring, if any; it is switched to the new key in place. Loaded from config otherwise. */
  keyring?: Keyring;
  /** For tests; a random key otherwise. */
  newMasterKey?: Buffer;
  batchSize?: number;
  /** Test hook: runs after the transaction committed, before the key file is replaced (simulate a crash there). */
  afterCommit?: () => void | Promise<void>;
}

export async function rotateMasterKey(opts: RotateOptions): Promise<RotateResult> {
  const { db, config } = opts;
  if (config.masterKey !== undefined) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The master key comes from EARSHOT_MASTER_KEY, so Earshot cannot replace it safely. Put the key in a file ' +
        '(printf %s "$EARSHOT_MASTER_KEY" > data/master.key && chmod 600 data/master.key), point ' +
        'EARSHOT_MASTER_KEY_FILE at it, unset EARSHOT_MASTER_KEY, then rotate again.',
    );
  }
  const keyring = opts.keyring ?? loadOrCreateMasterKey(config);
  await recoverPendingRotation({ db, keyring });

  const newKey = opts.newMasterKey ?? randomBytes(MASTER_KEY_BYTES);
  const oldKekId = keyring.kekId;
  if (keyring.masterKey().equals(newKey)) {
    throw new DomainError('VALIDATION_FAILED', 'the new master key is the current one');
  }
  const newKekId = keyring.add(newKey);
  const keyFile = config.masterKeyFile;
  const next = nextKeyFile(keyFile);
  writeKeyFile(next, newKey, { replace: true });

  let rotated: number;
  try {
    rotated = await db.transaction().execute(async (trx) => {
      const sk = keyring.signingKey(newKekId);
      await repo.insertSigningKey(trx, { id: sk.id, publicKeyPem: sk.publicKeyPem, createdAt: nowIso() });
      return rewrapAll(trx, keyring, newKekId, opts.batchSize ?? 500);
    });
  } catch (err) {
    fs.rmSync(next, { force: true });
    keyring.remove(newKekId);
    throw err;
  }
  await opts.afterCommit?.();
  keyring.use(newKekId);
  installKeyFile(next, keyFile, newKey);
  // Rows this process inserted under the old key while the transaction ran (the old key stays loaded here).
  rotated += await rewrapAll(db, keyring, newKekId, opts.batchSize ?? 500);
  return { rotated, oldKekId, newKekId };
}

/**
 * Settles a rotation interrupted between writing `.next` and renaming it (see the file comment). Called by
 * BlobStore before its first write; call it at start-up too if you want it settled eagerly.
 */
export async function recoverPendingRotation(opts: { db: Db; keyring: Keyring }): Promise<'none' | 'completed' | 'discarded'> {
  const { db, keyring } = opts;
  const pending = keyring.pendingRotation;
  if (!pending) return 'none';
  const sk = keyring.signingKey(pending.nextKekId);
  const committed = (await repo.findSigningKey(db, sk.id)) !== undefined || (await repo.anyBlobUnderKek(db, pending.nextKekId));
  if (committed) {
    keyring.use(pending.nextKekId);
    installKeyFile(pending.nextFile, pending.keyFile, keyring.masterKey(pending.nextKekId));
    await rewrapAll(db, keyring, pending.nextKekId, 500);
  } else {
    fs.rmSync(pending.nextFile, { force: true });
    keyring.remove(pending.nextKekId);
  }
  keyring.pendingRotation = undefined;
  return committed ? 'completed' : 'discarded';
}

/** Re-wraps every row not yet under `newKekId`; fails (rolling back the caller's transaction) on an unknown key. */
async function rewrapAll(ex: Executor, keyring: Keyring, newKekId: string, batchSize: number): Promise<number> {
  let n = 0;
  let after: string | null = null;
  for (;;) {
    const rows = await repo.listBlobsNotUnderKekAfter(ex, newKekId, after, batchSize);
    if (rows.length === 0) return n;
    for (const r of rows) {
      if (!keyring.has(r.kek_id)) {
        throw new DomainError(
          'INTEGRITY_FAILURE',
          `blob ${r.id} is wrapped by master key ${r.kek_id}, which is not loaded; rotation stopped and nothing was changed`,
          { blobId: r.id, kekId: r.kek_id },
        );
      }
      const dek = keyring.unwrapDek(r.tenant_id, r.id, r.wrapped_key, r.kek_id);
      const { wrappedKey } = keyring.wrapDek(r.tenant_id, r.id, dek, newKekId);
      dek.fill(0);
      await repo.updateWrappedKey(ex, r.id, wrappedKey, newKekId);
      n++;
    }
    after = rows[rows.length - 1]!.id;
  }
}

/** `.next` → key file; if `.next` vanished (another process settled it), write the key we hold. */
function installKeyFile(next: string, keyFile: string, key: Buffer): void {
  try {
    fs.renameSync(next, keyFile);
    fsyncDir(path.dirname(keyFile));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    writeKeyFile(keyFile, key, { replace: true });
  }
}
