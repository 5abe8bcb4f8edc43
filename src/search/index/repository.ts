// SQL of the search index: reading a conversation's searched fields and writing its document; the full-text engine
// (src/search/fulltext/) stores the terms its own way.
import { sql } from 'kysely';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import { fullTextFor } from '../fulltext/index.ts';
import type { StoredUtterance } from '../../speech/repository.ts';
import type { IndexedTerms, SearchField, Speaker } from './document.ts';

const speakerOf = (role: string | null | undefined): Speaker | null => (role === 'agent' || role === 'customer' ? role : null);

/**
 * The searched fields of a conversation, in a stable order (ids; per segment its chat messages, email and the
 * transcript's utterances; addresses; tag comments). Chat messages, emails and utterances carry their author's or
 * speaker's role ("said by"). Utterances are given by the caller (the current transcript, src/speech/repository.ts):
 * their redacted text only, so a user without "play unredacted" can never find a conversation by a hidden card number.
 */
export async function loadFields(db: Executor, conversationId: string, utterances: readonly StoredUtterance[] = []): Promise<SearchField[]> {
  const segments = await db
    .selectFrom('segments')
    .select(['id', 'kind', 'external_id', 'title'])
    .where('conversation_id', '=', conversationId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  const segIds = segments.map((s) => s.id);
  const [messages, emails, tags, participants] = await Promise.all([
    segIds.length
      ? db
          .selectFrom('chat_messages')
          .select(['segment_id', 'seq', 'text', 'sender_role'])
          .where('segment_id', 'in', segIds)
          .orderBy('segment_id')
          .orderBy('seq')
          .execute()
      : [],
    segIds.length
      ? db
          .selectFrom('email_messages')
          .select(['segment_id', 'subject', 'body_text', 'from_address', 'to_list', 'cc_list'])
          .where('segment_id', 'in', segIds)
          .execute()
      : [],
    db
      .selectFrom('conversation_tags')
      .select(['tag_id', 'comment'])
      .where('conversation_id', '=', conversationId)
      .where('comment', 'is not', null)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('conversation_participants').select(['email', 'role']).where('conversation_id', '=', conversationId).where('email', 'is not', null).execute(),
  ]);
  const roleOfAddress = new Map(participants.map((p) => [p.email!.toLowerCase(), speakerOf(p.role)]));
  const field = (where: SearchField['where'], text: string, at: Partial<SearchField> = {}): SearchField => ({
    where,
    segmentId: at.segmentId ?? null,
    seq: at.seq ?? null,
    tagId: at.tagId ?? null,
    text,
    ...(at.speaker ? { speaker: at.speaker } : {}),
    ...(at.speech ? { speech: at.speech } : {}),
  });
  const spoken = (u: StoredUtterance) =>
    field('transcript', u.redactedText, {
      segmentId: u.segmentId,
      seq: u.seq,
      speaker: speakerOf(u.role),
      speech: { utteranceId: u.id, startMs: u.startMs, endMs: u.endMs, role: u.role, words: u.words.length },
    });
  const segIdSet = new Set(segIds);
  const out: SearchField[] = [field('conversation_id', conversationId)];
  const addresses = new Set<string>(participants.map((p) => p.email!).filter(Boolean));
  for (const s of segments) {
    out.push(field('external_id', s.external_id, { segmentId: s.id }));
    if (s.kind === 'chat' && s.title) out.push(field('room_name', s.title, { segmentId: s.id }));
    for (const m of messages)
      if (m.segment_id === s.id) out.push(field('chat_message', m.text, { segmentId: s.id, seq: Number(m.seq), speaker: speakerOf(m.sender_role) }));
    const e = emails.find((x) => x.segment_id === s.id);
    if (e) {
      const speaker = roleOfAddress.get(e.from_address.toLowerCase()) ?? null;
      out.push(field('email_subject', e.subject, { segmentId: s.id, speaker }));
      out.push(field('email_body', e.body_text, { segmentId: s.id, speaker }));
      addresses.add(e.from_address);
      for (const list of [e.to_list, e.cc_list]) {
        const parsed = (typeof list === 'string' ? JSON.parse(list) : list) as Array<{ address: string }> | null;
        for (const a of parsed ?? []) if (a.address) addresses.add(a.address);
      }
    }
    for (const u of utterances) if (u.segmentId === s.id) out.push(spoken(u));
  }
  for (const u of utterances) if (!u.segmentId || !segIdSet.has(u.segmentId)) out.push(spoken(u));
  if (addresses.size) out.push(field('email_address', [...addresses].join(' ')));
  for (const t of tags) if (t.comment) out.push(field('tag_comment', t.comment, { tagId: t.tag_id }));
  return out;
}

export const conversationForIndex = (db: Executor, conversationId: string) =>
  db.selectFrom('conversations').select(['id', 'tenant_id', 'started_at']).where('id', '=', conversationId).executeTakeFirst();

export const docOf = (db: Executor, conversationId: string) =>
  db.selectFrom('search_docs').select(['doc_key', 'language']).where('conversation_id', '=', conversationId).executeTakeFirst();

/** The first key from `preferred` on that no other document holds. */
export async function freeDocKey(db: Executor, preferred: number, conversationId: string): Promise<number> {
  for (let key = preferred; ; key++) {
    const holder = await db.selectFrom('search_docs').select('conversation_id').where('doc_key', '=', key).executeTakeFirst();
    if (!holder || holder.conversation_id === conversationId) return key;
  }
}

export interface DocRow {
  conversationId: string;
  tenantId: string;
  docKey: number;
  language: string;
  texts: Buffer;
  terms: IndexedTerms;
}

/** Writes (or replaces) a document; `oldKey` is the key the document had, whose terms are dropped first. */
export async function writeDoc(db: Executor, adapter: DialectAdapter, doc: DocRow, oldKey: number | null) {
  const now = new Date().toISOString();
  const fullText = fullTextFor(adapter);
  const base = { doc_key: doc.docKey, language: doc.language, texts: doc.texts, indexed_at: now, ...fullText.docColumns(doc.terms) };
  if (oldKey === null) {
    await db
      .insertInto('search_docs')
      .values({ conversation_id: doc.conversationId, tenant_id: doc.tenantId, ...base } as never)
      .execute();
  } else {
    await db
      .updateTable('search_docs')
      .set(base as never)
      .where('conversation_id', '=', doc.conversationId)
      .execute();
  }
  await fullText.writeTerms(db, doc.docKey, oldKey, doc.terms);
  // The conversation's copy of its key: SQLite joins a match to the conversation on it (migration 0020).
  await db.updateTable('conversations').set({ doc_key: doc.docKey }).where('id', '=', doc.conversationId).execute();
}

/** Removes a conversation's document (the full-text engines follow the row's deletion). */
export async function deleteDoc(db: Executor, conversationId: string) {
  await db.updateTable('conversations').set({ doc_key: null }).where('id', '=', conversationId).execute();
  await db.deleteFrom('search_docs').where('conversation_id', '=', conversationId).execute();
}

/** Conversation ids of a tenant after `afterId`, in id order (the reindex walks them in batches). */
export const conversationIdsAfter = (db: Executor, tenantId: string, afterId: string | null, limit: number) => {
  let q = db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
};

export async function countConversations(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('conversations')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
