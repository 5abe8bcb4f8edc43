// The SQLite data set: migrated and set up through the application, then conversations bulk-loaded with
// better-sqlite3 prepared statements in large transactions, ANALYZE and an FTS5 optimize. Built into a .tmp file and
// renamed when complete, so an interrupted build is never reused.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { SQLITE_ANALYSIS_LIMIT } from '../../src/platform/db/adapter.ts';
import { preferredDocKey } from '../../src/search/index/document.ts';
import { ConversationGenerator, verifySample, type GenSetup } from './generate.ts';
import { generateBatches, progress } from './pipeline.ts';
import { benchContext, createSetup } from './setup.ts';

export interface BuildReport {
  seconds: number;
  loadSeconds: number;
  finishSeconds: number;
  rowsPerSecond: number;
  sizeMb: number;
  verified: number;
  /** Average transcript words per call. */
  spokenPerCall?: number;
}

export interface Meta {
  setup: GenSetup;
  build: BuildReport;
}

const rm = (f: string) => fs.rmSync(f, { force: true });

export async function buildSqlite(file: string, n: number, seed: number, now: number, workers: number, spokenWords: number): Promise<Meta> {
  const started = performance.now();
  const tmp = `${file}.tmp`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rm(f);
  const { ctx, close } = await benchContext(`sqlite:${tmp}`);
  const setup = await createSetup(ctx, n, seed, now, spokenWords);
  await close();
  const verified = verifySample(new ConversationGenerator(setup));

  const db = new BetterSqlite3(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -2000000');
  db.pragma('temp_store = MEMORY');
  const insConv = db.prepare(`INSERT INTO conversations (id, tenant_id, engagement_id, title, direction, started_at, ended_at, talk_time_ms, has_call, has_chat,
    has_email, has_screen, reviewable, agent_user_id, group_id, site_id, customer_phone, custom_data, created_at, updated_at, local_date, local_weekday, local_minute, doc_key)
    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insPart =
    db.prepare(`INSERT INTO conversation_participants (id, conversation_id, party_key, role, name, phone, email, extension, external_id, user_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`);
  const insValue = db.prepare(
    'INSERT INTO conversation_field_values (conversation_id, field_id, value, value_folded, value_number, started_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insTag = db.prepare(
    'INSERT INTO conversation_tags (id, conversation_id, tag_id, comment, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insDoc = db.prepare('INSERT INTO search_docs (conversation_id, tenant_id, doc_key, language, texts, indexed_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insFts = db.prepare('INSERT INTO search_fts (rowid, body, agent, customer) VALUES (?, ?, ?, ?)');
  const usedKeys = new Set<number>();
  const { tenantId, adminId } = setup;
  const p = progress(`SQLite, generating and loading ${n.toLocaleString('en')} conversations`, n);
  let done = 0;
  let spoken = 0;
  let calls = 0;
  for await (const docs of generateBatches(setup, { tsv: false, workers, batch: 5000 })) {
    db.transaction(() => {
      for (const c of docs) {
        let key = preferredDocKey(c.startedAt, c.id);
        while (usedKeys.has(key)) key++;
        usedKeys.add(key);
        insConv.run(
          c.id,
          tenantId,
          c.title,
          c.direction,
          c.startedAt,
          c.endedAt,
          c.talkTimeMs,
          c.channel === 'call' ? 1 : 0,
          c.channel === 'chat' ? 1 : 0,
          c.channel === 'email' ? 1 : 0,
          c.hasScreen,
          c.reviewable,
          c.agent?.id ?? null,
          c.agent?.groupId ?? null,
          c.siteId,
          c.customerPhone,
          JSON.stringify(c.customData),
          c.startedAt,
          c.endedAt,
          c.local.date,
          c.local.weekday,
          c.local.minute,
          key,
        );
        for (const x of c.participants) insPart.run(x.id, c.id, x.partyKey, x.role, x.name, x.phone, x.email, x.extension, x.userId, c.startedAt);
        for (const v of c.values) insValue.run(c.id, v.fieldId, v.value, v.folded, v.number, c.startedAt);
        for (const t of c.tags) insTag.run(t.id, c.id, t.tagId, t.comment, adminId, c.endedAt, c.endedAt);
        insDoc.run(c.id, tenantId, key, 'en', Buffer.from(c.texts.buffer, c.texts.byteOffset, c.texts.byteLength), c.endedAt);
        insFts.run(key, ...c.fts!);
        if (c.channel === 'call') calls++;
        spoken += c.spoken;
      }
    })();
    done += docs.length;
    p.update(done);
  }
  const loadSeconds = p.done();
  const t = performance.now();
  process.stdout.write('  SQLite: FTS5 optimize, ANALYZE … ');
  db.exec("INSERT INTO search_fts(search_fts) VALUES('optimize')");
  // As the product's statistics job does (adapter.ts refreshStatistics): a sample of each index and no per-value
  // samples, which would make every statement be planned again on each run (migration 0055).
  db.pragma(`analysis_limit = ${SQLITE_ANALYSIS_LIMIT}`);
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
  db.close();
  const finishSeconds = (performance.now() - t) / 1000;
  console.log(`${finishSeconds.toFixed(0)} s`);
  fs.renameSync(tmp, file);
  const build: BuildReport = {
    seconds: (performance.now() - started) / 1000,
    loadSeconds,
    finishSeconds,
    rowsPerSecond: n / loadSeconds,
    sizeMb: fs.statSync(file).size / 1e6,
    verified,
    spokenPerCall: spoken / Math.max(1, calls),
  };
  return { setup, build };
}
