import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';
import { newId } from '../../ids.ts';

// Frozen copies of foldCase and numericValue (src/search/filters/custom-data.ts) as they were when this migration was
// written: a migration imports no live feature code, so it backfills the same values however that code changes later.
const foldCase = (s: string) => s.normalize('NFC').toLowerCase();
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
function numericValue(s: string): number | null {
  const t = s.trim();
  if (!NUMBER.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * The search index and what the search filters need beside the conversation model:
 * - `search_docs`: one row per indexed conversation. `doc_key` orders documents by start time (epoch seconds × 10⁵ +
 *   a per-second suffix), so a time period becomes a key range inside the full-text index and "newest first" is the
 *   index's own order. `texts` holds the searched fields (deflated JSON) for highlights.
 *   SQLite: the terms live in the contentless FTS5 table `search_fts` (rowid = doc_key), kept in step by a trigger on
 *   delete. PostgreSQL: the terms are the `tsv` column (a tsvector we build from our analyzer's terms) with GIN.
 * - speech tags (definitions and hits with a confidence), filled by analytics later.
 * - custom field values get their folded and numeric forms (computed in JS; SQLite's lower() folds ASCII only).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  const float = 'double precision' as const;
  let docs = db.schema
    .createTable('search_docs')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('doc_key', a.types.bigint, (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('texts', a.name === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('indexed_at', ts, (c) => c.notNull());
  if (a.name === 'postgres') docs = docs.addColumn('tsv', sql`tsvector`, (c) => c.notNull());
  await docs.execute();
  await db.schema.createIndex('search_docs_key_uq').unique().on('search_docs').column('doc_key').execute();
  await db.schema.createIndex('search_docs_tenant_key_idx').on('search_docs').columns(['tenant_id', 'doc_key']).execute();
  if (a.name === 'postgres') {
    await sql`CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv)`.execute(db);
  } else {
    // Terms are our analyzer's output separated by spaces; the ascii tokenizer with every ASCII punctuation mark as
    // a token character (except ") splits on whitespace only, so `=helped`, `john@example.com`, `cx-1042` stay whole.
    await sql
      .raw(
        `CREATE VIRTUAL TABLE search_fts USING fts5(body, content='', contentless_delete=1, detail=full,
      tokenize="ascii tokenchars '!#$%&''()*+,-./:;<=>?@[\\]^_\`{|}~'")`,
      )
      .execute(db);
    await sql`CREATE TRIGGER search_docs_fts_delete AFTER DELETE ON search_docs BEGIN DELETE FROM search_fts WHERE rowid = old.doc_key; END`.execute(db);
  }

  await db.schema
    .createTable('speech_tag_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('speech_tag_defs_name_uq').unique().on('speech_tag_definitions').columns(['tenant_id', 'name']).execute();
  await db.schema
    .createTable('speech_tag_hits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('tag_id', 'text', (c) => c.notNull().references('speech_tag_definitions.id').onDelete('cascade'))
    .addColumn('segment_id', 'text')
    .addColumn('offset_ms', 'integer')
    .addColumn('confidence', float, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('speech_tag_hits_conv_idx').on('speech_tag_hits').columns(['conversation_id', 'tag_id', 'confidence']).execute();

  await db.schema.alterTable('conversation_field_values').addColumn('value_folded', 'text').execute();
  await db.schema.alterTable('conversation_field_values').addColumn('value_number', float).execute();
  const rows = await db.selectFrom('conversation_field_values').select(['conversation_id', 'field_id', 'value']).execute();
  for (const r of rows as Array<{ conversation_id: string; field_id: string; value: string }>) {
    await db
      .updateTable('conversation_field_values')
      .set({ value_folded: foldCase(r.value.trim()), value_number: numericValue(r.value) })
      .where('conversation_id', '=', r.conversation_id)
      .where('field_id', '=', r.field_id)
      .execute();
  }
  await db.schema.createIndex('conv_field_values_folded_idx').on('conversation_field_values').columns(['field_id', 'value_folded']).execute();
  await db.schema.createIndex('participants_phone_idx').on('conversation_participants').columns(['phone']).execute();

  // Conversations stored before this migration get indexed by one background reindex per tenant (progress in Jobs).
  const tenants = await db.selectFrom('conversations').select('tenant_id').distinct().execute();
  const now = new Date().toISOString();
  for (const { tenant_id } of tenants as Array<{ tenant_id: string }>) {
    await db
      .insertInto('jobs')
      .values({
        id: newId(),
        type: 'search.reindex',
        tenant_id,
        payload: a.json({ tenantId: tenant_id }),
        status: 'queued',
        priority: 0,
        attempts: 0,
        max_attempts: 3,
        run_at: now,
        progress: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}
