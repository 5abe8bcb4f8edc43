// Child process for crash.test.ts, SIGKILLed by the parent at a chosen point of a write.
// Input (env): CRASH_DB_URL, CRASH_MEDIA (JSON of Config['media']), CRASH_MASTER_KEY (base64), CRASH_TENANT,
// CRASH_MODE and CRASH_ANNOUNCE_BYTES.
// - CRASH_MODE=streaming (default): writes an endless blob slowly; prints "WRITING <bytes>" once that many plaintext
//   bytes went into the store.
// - CRASH_MODE=stored: stores a whole blob (object + row), prints "STORED <id>", then waits, as a caller would
//   before committing the row that references the blob (an ingest, an analysis).
// - CRASH_MODE=object-only: stores an object under a fresh storage key and no row, prints "STORED <key>", then
//   waits: what a kill between "object stored" and "row inserted" leaves.
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../db/index.ts';
import { Keyring } from '../crypto/keys.ts';
import { createBlobBackend } from './backend.ts';
import { BlobStore, storageKeyFor } from './service.ts';
import { newId, nowIso } from '../ids.ts';

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

const mode = process.env.CRASH_MODE ?? 'streaming';
if (mode === 'stored') {
  const info = await store.put(env('CRASH_TENANT'), piece, { contentType: 'audio/wav' });
  process.stdout.write(`STORED ${info.id}\n`);
  await sleep(60_000);
} else if (mode === 'object-only') {
  const key = storageKeyFor(env('CRASH_TENANT'), newId(), nowIso());
  await store.backend.put(
    key,
    (async function* () {
      yield piece;
    })(),
  );
  process.stdout.write(`STORED ${key}\n`);
  await sleep(60_000);
} else {
  await store.put(env('CRASH_TENANT'), slowly(), { contentType: 'audio/wav' });
}
process.stdout.write('FINISHED\n'); // never reached in the test
