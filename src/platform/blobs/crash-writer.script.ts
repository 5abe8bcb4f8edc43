// Child process for crash.test.ts: writes an endless blob slowly so the parent can SIGKILL it mid-write.
// Input (env): CRASH_DB_URL, CRASH_MEDIA (JSON of Config['media']), CRASH_MASTER_KEY (base64), CRASH_TENANT,
// CRASH_ANNOUNCE_BYTES. Prints "WRITING <bytes>" once that many plaintext bytes went into the store.
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../db/index.ts';
import { Keyring } from '../crypto/keys.ts';
import { createBlobBackend } from './backend.ts';
import { BlobStore } from './service.ts';

const CRASH_MARKER = 'PLAINTEXT-MARKER-do-not-store-me!';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const { db, adapter } = openDatabase(env('CRASH_DB_URL'), { poolSize: 2 });
const store = new BlobStore({
  db,
  adapter,
  backend: createBlobBackend(JSON.parse(env('CRASH_MEDIA'))),
  keyring: new Keyring(Buffer.from(env('CRASH_MASTER_KEY'), 'base64')),
});
const announceAt = Number(env('CRASH_ANNOUNCE_BYTES'));
const piece = Buffer.from(CRASH_MARKER.repeat(Math.ceil(65536 / CRASH_MARKER.length)));

async function* slowly(): AsyncGenerator<Buffer> {
  let sent = 0;
  let announced = false;
  for (let i = 0; i < 100_000; i++) {
    yield piece;
    sent += piece.length;
    if (!announced && sent >= announceAt) {
      announced = true;
      process.stdout.write(`WRITING ${sent}\n`);
    }
    await sleep(announced ? 20 : 1);
  }
}

await store.put(env('CRASH_TENANT'), slowly(), { contentType: 'audio/wav' });
process.stdout.write('FINISHED\n'); // never reached in the test
