// Helpers shared by the blob tests (and the crash-test child): no vitest imports here.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { DialectAdapter } from '../db/adapter.ts';
import { newId, nowIso } from '../ids.ts';

export async function createTenant(db: Db, adapter: DialectAdapter): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('tenants')
    .values({ id, name: `t-${randomBytes(6).toString('hex')}`, language: 'en', settings: adapter.json({}), created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of stream) parts.push(b as Buffer);
  return Buffer.concat(parts);
}

/** Cuts a buffer into random pieces, like a socket would. */
export async function* randomPieces(buf: Buffer, max: number): AsyncGenerator<Buffer> {
  let off = 0;
  while (off < buf.length) {
    const n = 1 + Math.floor(Math.random() * max);
    yield buf.subarray(off, off + n);
    off += n;
  }
}
