import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDb, ENGINES, type TestDb } from '../../../test/db.ts';
import { DomainError } from '../errors.ts';
import { Keyring, deriveSigningKey, kekIdOf, loadOrCreateMasterKey, nextKeyFile, writeKeyFile } from '../crypto/keys.ts';
import { FsBackend } from './fs-backend.ts';
import { BlobStore, type BlobInfo } from './service.ts';
import { recoverPendingRotation, rotateMasterKey } from './rotate.ts';
import { createTenant } from './testing.ts';

const readKeyFile = (file: string) => Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');

describe.each(ENGINES)('master key rotation on %s', (engine) => {
  let tdb: TestDb;
  let dir: string;
  let config: { masterKey: string | undefined; masterKeyFile: string };
  let backend: FsBackend;
  const storeWith = (keyring: Keyring) => new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring, chunkSize: 1024 });

  beforeEach(async () => {
    tdb = await createTestDb(engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-rotate-'));
    config = { masterKey: undefined, masterKeyFile: path.join(dir, 'master.key') };
    backend = new FsBackend(path.join(dir, 'media'));
  });
  afterEach(async () => {
    await tdb.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function seed(store: BlobStore, n: number) {
    const tenants = [await createTenant(tdb.db, tdb.adapter), await createTenant(tdb.db, tdb.adapter)];
    const blobs: Array<{ info: BlobInfo; plain: Buffer }> = [];
    for (let i = 0; i < n; i++) {
      const plain = randomBytes(3000 + i);
      blobs.push({ info: await store.put(tenants[i % 2]!, plain, { contentType: 'audio/wav' }), plain });
    }
    return blobs;
  }

  async function storedFiles(): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for await (const o of backend.list()) out.set(o.key, fs.readFileSync(path.join(backend.root, o.key)));
    return out;
  }

  it('re-wraps every data key without touching media, and keeps old signatures verifiable', async () => {
    const keyring = loadOrCreateMasterKey(config);
    const store = storeWith(keyring);
    const blobs = await seed(store, 7);
    const oldKey = readKeyFile(config.masterKeyFile);
    const oldSigningId = keyring.signingKey().id;
    const mediaBefore = await storedFiles();

    const r = await rotateMasterKey({ db: tdb.db, adapter: tdb.adapter, config, keyring, batchSize: 3 });
    expect(r).toEqual({ rotated: 7, oldKekId: kekIdOf(oldKey), newKekId: keyring.kekId });
    expect(r.newKekId).not.toBe(r.oldKekId);

    // The key file now holds the new key, still 0600, and no .next is left.
    const newKey = readKeyFile(config.masterKeyFile);
    expect(kekIdOf(newKey)).toBe(r.newKekId);
    expect(fs.statSync(config.masterKeyFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(nextKeyFile(config.masterKeyFile))).toBe(false);

    const rows = await tdb.db.selectFrom('blobs').select(['kek_id', 'signing_key_id']).execute();
    expect(new Set(rows.map((x) => x.kek_id))).toEqual(new Set([r.newKekId]));
    expect(new Set(rows.map((x) => x.signing_key_id))).toEqual(new Set([oldSigningId]));
    expect(await storedFiles()).toEqual(mediaBefore); // not re-encrypted

    // A fresh process (key loaded from the file) reads and verifies everything.
    const fresh = storeWith(loadOrCreateMasterKey(config));
    for (const b of blobs) expect((await fresh.readAll(b.info.tenantId, b.info.id)).equals(b.plain)).toBe(true);
    expect(await fresh.verifyAll()).toEqual({ checked: 7, failed: [] });

    // New writes are signed with the new signing key; both public keys stay registered.
    const added = await fresh.put(blobs[0]!.info.tenantId, randomBytes(10), { contentType: 'audio/wav' });
    const row = await tdb.db.selectFrom('blobs').selectAll().where('id', '=', added.id).executeTakeFirstOrThrow();
    expect(row.signing_key_id).toBe(deriveSigningKey(newKey).id);
    expect(row.kek_id).toBe(r.newKekId);
    const keys = await tdb.db.selectFrom('signing_keys').select('id').execute();
    expect(keys.map((k) => k.id).sort()).toEqual([oldSigningId, deriveSigningKey(newKey).id].sort());
    expect((await fresh.verifyBlob(added.id)).ok).toBe(true);

    // The old key alone can no longer read anything.
    const stale = storeWith(new Keyring(oldKey));
    await expect(stale.readAll(blobs[0]!.info.tenantId, blobs[0]!.info.id)).rejects.toMatchObject({ code: 'INTEGRITY_FAILURE' });
  });

  it('the running keyring keeps working across the rotation', async () => {
    const keyring = loadOrCreateMasterKey(config);
    const store = storeWith(keyring);
    const blobs = await seed(store, 3);
    await rotateMasterKey({ db: tdb.db, adapter: tdb.adapter, config, keyring });
    for (const b of blobs) expect((await store.readAll(b.info.tenantId, b.info.id)).equals(b.plain)).toBe(true);
    const added = await store.put(blobs[0]!.info.tenantId, randomBytes(10), { contentType: 'audio/wav' });
    expect((await store.verifyBlob(added.id)).ok).toBe(true);
    expect((await tdb.db.selectFrom('blobs').select('kek_id').where('id', '=', added.id).executeTakeFirstOrThrow()).kek_id).toBe(keyring.kekId);
  });

  it('refuses when the master key comes from the environment', async () => {
    const envConfig = { masterKey: randomBytes(32).toString('base64'), masterKeyFile: config.masterKeyFile };
    const err = await rotateMasterKey({ db: tdb.db, adapter: tdb.adapter, config: envConfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION_FAILED');
    expect((err as DomainError).message).toMatch(/EARSHOT_MASTER_KEY_FILE/);
    expect(fs.existsSync(config.masterKeyFile)).toBe(false);
  });

  it('recovers from a crash after the commit: start-up finishes the rename', async () => {
    const keyring = loadOrCreateMasterKey(config);
    const blobs = await seed(storeWith(keyring), 4);
    const oldKekId = keyring.kekId;
    await expect(
      rotateMasterKey({
        db: tdb.db,
        adapter: tdb.adapter,
        config,
        afterCommit: () => {
          throw new Error('kill -9');
        },
      }),
    ).rejects.toThrow('kill -9');
    // The database moved to the new key but the key file still holds the old one; the new key is in .next.
    expect(kekIdOf(readKeyFile(config.masterKeyFile))).toBe(oldKekId);
    const newKekId = kekIdOf(readKeyFile(nextKeyFile(config.masterKeyFile)));
    const rows = await tdb.db.selectFrom('blobs').select('kek_id').execute();
    expect(new Set(rows.map((x) => x.kek_id))).toEqual(new Set([newKekId]));

    // Next start: both keys are held, so reads work even before the pending rotation is settled.
    const restarted = loadOrCreateMasterKey(config);
    expect(restarted.pendingRotation?.nextKekId).toBe(newKekId);
    const store = storeWith(restarted);
    for (const b of blobs) expect((await store.readAll(b.info.tenantId, b.info.id)).equals(b.plain)).toBe(true);
    // The first write settles it.
    const added = await store.put(blobs[0]!.info.tenantId, randomBytes(10), { contentType: 'audio/wav' });
    expect(restarted.kekId).toBe(newKekId);
    expect(restarted.pendingRotation).toBeUndefined();
    expect(kekIdOf(readKeyFile(config.masterKeyFile))).toBe(newKekId);
    expect(fs.existsSync(nextKeyFile(config.masterKeyFile))).toBe(false);
    const fresh = storeWith(loadOrCreateMasterKey(config));
    expect(await fresh.verifyAll()).toEqual({ checked: 5, failed: [] });
    expect((await fresh.readAll(added.tenantId, added.id)).length).toBe(10);
  });

  it('recovers from a crash before the commit: the unused .next is discarded', async () => {
    const keyring = loadOrCreateMasterKey(config);
    const blobs = await seed(storeWith(keyring), 2);
    const oldKekId = keyring.kekId;
    writeKeyFile(nextKeyFile(config.masterKeyFile), randomBytes(32), { replace: true });

    const restarted = loadOrCreateMasterKey(config);
    expect(restarted.pendingRotation).toBeDefined();
    expect(await recoverPendingRotation({ db: tdb.db, keyring: restarted })).toBe('discarded');
    expect(restarted.kekId).toBe(oldKekId);
    expect(restarted.kekIds()).toEqual([oldKekId]);
    expect(fs.existsSync(nextKeyFile(config.masterKeyFile))).toBe(false);
    expect(kekIdOf(readKeyFile(config.masterKeyFile))).toBe(oldKekId);
    const store = storeWith(restarted);
    for (const b of blobs) expect((await store.readAll(b.info.tenantId, b.info.id)).equals(b.plain)).toBe(true);
    expect(await recoverPendingRotation({ db: tdb.db, keyring: restarted })).toBe('none');
  });

  it('rolls back completely when a row is wrapped by a key it does not hold', async () => {
    const keyring = loadOrCreateMasterKey(config);
    const blobs = await seed(storeWith(keyring), 3);
    await tdb.db.updateTable('blobs').set({ kek_id: 'ffffffffffffffff' }).where('id', '=', blobs[2]!.info.id).execute();
    const before = await tdb.db.selectFrom('blobs').select(['id', 'wrapped_key', 'kek_id']).orderBy('id').execute();
    await expect(rotateMasterKey({ db: tdb.db, adapter: tdb.adapter, config, keyring })).rejects.toMatchObject({ code: 'INTEGRITY_FAILURE' });
    expect(await tdb.db.selectFrom('blobs').select(['id', 'wrapped_key', 'kek_id']).orderBy('id').execute()).toEqual(before);
    expect(fs.existsSync(nextKeyFile(config.masterKeyFile))).toBe(false);
    expect(keyring.kekIds()).toHaveLength(1);
    expect((await tdb.db.selectFrom('signing_keys').select('id').execute()).length).toBe(1);
  });
});
