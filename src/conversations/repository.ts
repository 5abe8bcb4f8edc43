// All SQL of the conversation model: conversations, participants, segments, streams, events, chat and email bodies.
import { CompiledQuery, type Expression, type InferResult } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import type { DialectAdapter } from '../platform/db/adapter.ts';
import type { Executor } from '../platform/db/index.ts';
import type {
  ChatMessagesTable,
  ConversationParticipantsTable,
  ConversationsTable,
  EmailMessagesTable,
  SegmentEventsTable,
  SegmentsTable,
  StreamsTable,
} from '../platform/db/schema.ts';
import { visibleTo } from './access.ts';
import { commentCountsOfConversation } from './comments/repository.ts';
import { valuesOfConversation } from './custom-fields/repository.ts';
import { tagsOfConversation } from './tags/repository.ts';
import { localDayAndMinute } from '../search/filters/zoned-time.ts';

export const findSegmentByExternalId = (db: Executor, tenantId: string, kind: string, externalId: string) =>
  db.selectFrom('segments').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).where('external_id', '=', externalId).executeTakeFirst();

export const findConversationByEngagement = (db: Executor, tenantId: string, engagementId: string) =>
  db
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('engagement_id', '=', engagementId)
    .orderBy('started_at')
    .executeTakeFirst();

export const getConversationRow = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const insertConversation = (db: Executor, row: ConversationsTable) => db.insertInto('conversations').values(row).execute();
export const updateConversation = (db: Executor, id: string, patch: Partial<ConversationsTable>) =>
  db.updateTable('conversations').set(patch).where('id', '=', id).execute();
export const deleteConversation = (db: Executor, id: string) => db.deleteFrom('conversations').where('id', '=', id).execute();

export const insertParticipant = (db: Executor, row: ConversationParticipantsTable) => db.insertInto('conversation_participants').values(row).execute();
export const participantsOf = (db: Executor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('conversation_participants as p')
        .leftJoin('users as u', 'u.id', 'p.user_id')
        .selectAll('p')
        .select('u.name as user_name')
        .where('p.conversation_id', 'in', conversationIds)
        .orderBy('p.created_at')
        .orderBy('p.id')
        .execute();

/** What a list row shows of a participant (participantsOfConversation's elements). */
export interface ListParticipant {
  id: string;
  role: string;
  party_key: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  extension: string | null;
  user_id: string | null;
  user_name: string | null;
}

/**
 * A scalar subquery for a list statement: the participants of the conversation `conversationId` names (a column of
 * the outer statement) as a JSON array of ListParticipant, in the order of participantsOf.
 */
const participantsOfConversation = (db: Executor, adapter: DialectAdapter, conversationId: Expression<string>) =>
  db
    .selectFrom('conversation_participants as p')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select((eb) =>
      adapter
        .jsonArrayAgg(
          {
            id: eb.ref('p.id'),
            role: eb.ref('p.role'),
            party_key: eb.ref('p.party_key'),
            name: eb.ref('p.name'),
            phone: eb.ref('p.phone'),
            email: eb.ref('p.email'),
            extension: eb.ref('p.extension'),
            user_id: eb.ref('p.user_id'),
            user_name: eb.ref('u.name'),
          },
          [eb.ref('p.created_at'), eb.ref('p.id')],
        )
        .as('participants'),
    )
    .where('p.conversation_id', '=', conversationId);

export const insertSegment = (db: Executor, row: SegmentsTable) => db.insertInto('segments').values(row).execute();
export const updateSegment = (db: Executor, id: string, patch: Partial<SegmentsTable>) => db.updateTable('segments').set(patch).where('id', '=', id).execute();
export const segmentsOf = (db: Executor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([] as SegmentsTable[])
    : db.selectFrom('segments').selectAll().where('conversation_id', 'in', conversationIds).orderBy('started_at').orderBy('id').execute();
export const moveSegments = (db: Executor, fromConversationId: string, toConversationId: string) =>
  db.updateTable('segments').set({ conversation_id: toConversationId }).where('conversation_id', '=', fromConversationId).execute();

export async function insertStreams(db: Executor, rows: StreamsTable[]) {
  if (rows.length) await db.insertInto('streams').values(rows).execute();
}
export const streamsOf = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0
    ? Promise.resolve([] as StreamsTable[])
    : db.selectFrom('streams').selectAll().where('segment_id', 'in', segmentIds).orderBy('channel_index').orderBy('id').execute();
/** Which participant each party key of these segments is, as recorded at ingest (0025). */
export const segmentPartiesOf = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0
    ? Promise.resolve([])
    : db.selectFrom('segment_parties').select(['segment_id', 'party_key', 'participant_id']).where('segment_id', 'in', segmentIds).execute();
export const getStream = (db: Executor, segmentId: string, streamId: string) =>
  db.selectFrom('streams').selectAll().where('segment_id', '=', segmentId).where('id', '=', streamId).executeTakeFirst();

export async function insertEvents(db: Executor, rows: SegmentEventsTable[]) {
  if (rows.length) await db.insertInto('segment_events').values(rows).execute();
}
export const eventsOf = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0
    ? Promise.resolve([] as SegmentEventsTable[])
    : db.selectFrom('segment_events').selectAll().where('segment_id', 'in', segmentIds).orderBy('at').execute();

export async function insertChatMessages(db: Executor, rows: ChatMessagesTable[]) {
  // Chunked: SQLite limits the number of bound parameters per statement.
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('chat_messages')
      .values(rows.slice(i, i + 100))
      .execute();
}
export const chatMessagesOf = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0
    ? Promise.resolve([] as ChatMessagesTable[])
    : db.selectFrom('chat_messages').selectAll().where('segment_id', 'in', segmentIds).orderBy('segment_id').orderBy('seq').execute();

export const insertEmail = (db: Executor, row: EmailMessagesTable) => db.insertInto('email_messages').values(row).execute();
export const emailsOf = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0
    ? Promise.resolve([] as EmailMessagesTable[])
    : db.selectFrom('email_messages').selectAll().where('segment_id', 'in', segmentIds).execute();
export const emailByMessageId = (db: Executor, tenantId: string, messageIds: string[]) =>
  messageIds.length === 0
    ? Promise.resolve([] as Array<{ message_id: string; thread_key: string; conversation_id: string }>)
    : db
        .selectFrom('email_messages as e')
        .innerJoin('segments as s', 's.id', 'e.segment_id')
        .select(['e.message_id', 'e.thread_key', 's.conversation_id'])
        .where('e.tenant_id', '=', tenantId)
        .where('e.message_id', 'in', messageIds)
        .execute();
/** Emails already stored that name `messageId` as their parent or in their references (a reply that arrived first). */
export function emailsReferencing(db: Executor, tenantId: string, messageId: string) {
  return db
    .selectFrom('email_refs as r')
    .innerJoin('email_messages as e', 'e.segment_id', 'r.segment_id')
    .innerJoin('segments as s', 's.id', 'r.segment_id')
    .select(['e.message_id', 'e.thread_key', 's.conversation_id'])
    .where('r.tenant_id', '=', tenantId)
    .where('r.ref_message_id', '=', messageId)
    .execute();
}
export async function insertEmailRefs(db: Executor, tenantId: string, segmentId: string, refs: string[]) {
  const unique = [...new Set(refs)];
  if (unique.length)
    await db
      .insertInto('email_refs')
      .values(unique.map((ref_message_id) => ({ tenant_id: tenantId, ref_message_id, segment_id: segmentId })))
      .execute();
}
export const setThreadKey = (db: Executor, tenantId: string, from: string, to: string) =>
  db.updateTable('email_messages').set({ thread_key: to }).where('tenant_id', '=', tenantId).where('thread_key', '=', from).execute();

/**
 * Folds `others` into `target` (a late email that links two threads): segments, participants not already there,
 * tags, comments, custom field values and quality work (evaluations, calibrations, moments; the earliest reviewed_at)
 * move; the emptied conversations are deleted.
 */
export async function mergeConversations(db: Executor, target: string, others: string[]) {
  if (others.length === 0) return;
  const keyOf = (p: { role: string; user_id: string | null; email: string | null; phone: string | null; extension: string | null; name: string | null }) =>
    `${p.role}|${p.user_id ?? ''}|${p.email ?? ''}|${p.phone ?? ''}|${p.extension ?? ''}|${p.name ?? ''}`;
  const have = new Map((await participantsOf(db, [target])).map((p) => [keyOf(p), p.id]));
  for (const p of await participantsOf(db, others)) {
    const key = keyOf(p);
    const same = have.get(key);
    if (same) {
      // The person is already in the target: the moving segments' party keys now name that participant.
      await db.updateTable('segment_parties').set({ participant_id: same }).where('participant_id', '=', p.id).execute();
      continue;
    }
    have.set(key, p.id);
    await db.updateTable('conversation_participants').set({ conversation_id: target }).where('id', '=', p.id).execute();
  }
  const targetTags = new Set((await db.selectFrom('conversation_tags').select('tag_id').where('conversation_id', '=', target).execute()).map((r) => r.tag_id));
  for (const t of await db.selectFrom('conversation_tags').selectAll().where('conversation_id', 'in', others).execute()) {
    if (targetTags.has(t.tag_id)) continue;
    targetTags.add(t.tag_id);
    await db.updateTable('conversation_tags').set({ conversation_id: target }).where('id', '=', t.id).execute();
  }
  const targetFields = new Set(
    (await db.selectFrom('conversation_field_values').select('field_id').where('conversation_id', '=', target).execute()).map((r) => r.field_id),
  );
  for (const v of await db.selectFrom('conversation_field_values').selectAll().where('conversation_id', 'in', others).execute()) {
    if (targetFields.has(v.field_id)) continue;
    targetFields.add(v.field_id);
    await db
      .insertInto('conversation_field_values')
      .values({ ...v, conversation_id: target })
      .execute();
  }
  await db.updateTable('comments').set({ conversation_id: target }).where('conversation_id', 'in', others).execute();
  // Quality work done on a conversation stays with the contact it is now part of (the rows reference conversations).
  for (const table of ['evaluations', 'calibrations', 'moments'] as const) {
    await db.updateTable(table).set({ conversation_id: target }).where('conversation_id', 'in', others).execute();
  }
  const reviewed = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.min('reviewed_at').as('at'))
    .where('id', 'in', [target, ...others])
    .executeTakeFirst();
  if (reviewed?.at) await db.updateTable('conversations').set({ reviewed_at: reviewed.at }).where('id', '=', target).execute();
  await db.updateTable('segments').set({ conversation_id: target }).where('conversation_id', 'in', others).execute();
  await db.deleteFrom('conversations').where('id', 'in', others).execute();
}

/** Recomputes a conversation's summary columns from its segments. */
export async function refreshAggregates(db: Executor, conversationId: string) {
  const segs = await db.selectFrom('segments').selectAll().where('conversation_id', '=', conversationId).execute();
  if (segs.length === 0) return;
  const ids = segs.map((s) => s.id);
  const streams = await streamsOf(db, ids);
  const playable = new Set(streams.filter((s) => s.kind === 'audio' && s.status === 'ok').map((s) => s.segment_id));
  const calls = segs.filter((s) => s.kind === 'call');
  const startedAt = segs.reduce((m, s) => (s.started_at < m ? s.started_at : m), segs[0]!.started_at);
  const site = await db
    .selectFrom('conversations as c')
    .leftJoin('sites as s', 's.id', 'c.site_id')
    .select('s.time_zone')
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  const local = localDayAndMinute(new Date(startedAt), site?.time_zone ?? 'UTC');
  const endedAt = segs.reduce((m, s) => (s.ended_at > m ? s.ended_at : m), segs[0]!.ended_at);
  await updateConversation(db, conversationId, {
    started_at: startedAt,
    ended_at: endedAt,
    talk_time_ms: calls.reduce((sum, s) => sum + Number(s.duration_ms), 0),
    has_call: calls.length ? 1 : 0,
    has_chat: segs.some((s) => s.kind === 'chat') ? 1 : 0,
    has_email: segs.some((s) => s.kind === 'email') ? 1 : 0,
    has_screen: segs.some((s) => s.kind === 'screen') ? 1 : 0,
    // An anonymized segment is not reviewable (src/compliance/anonymize): the conversation is while one segment is not.
    reviewable: segs.some((s) => !s.anonymized_at && (playable.has(s.id) || s.kind === 'chat' || s.kind === 'email')) ? 1 : 0,
    local_date: local.isoDate,
    local_weekday: local.weekday,
    local_minute: local.minuteOfDay,
    updated_at: new Date().toISOString(),
  });
  // Custom-field values carry the start for the search's value index (migration 0019).
  await db
    .updateTable('conversation_field_values')
    .set({ started_at: startedAt })
    .where('conversation_id', '=', conversationId)
    .where((eb) => eb.or([eb('started_at', 'is', null), eb('started_at', '<>', startedAt)]))
    .execute();
}

// Reading, always through the actor's visibility

export const getVisible = (db: Executor, actor: Actor, id: string) =>
  db.selectFrom('conversations as c').selectAll('c').where(visibleTo(actor)).where('c.id', '=', id).executeTakeFirst();

/** What a list row shows of the conversation itself; the rest (custom data, pipeline state) stays unread. */
const LIST_COLUMNS = [
  'id',
  'title',
  'direction',
  'started_at',
  'ended_at',
  'updated_at',
  'talk_time_ms',
  'has_call',
  'has_chat',
  'has_email',
  'has_screen',
  'reviewable',
  'reviewed_at',
  'agent_user_id',
  'speech_status',
  'media_state',
  'anonymized_at',
] as const satisfies ReadonlyArray<keyof ConversationsTable>;

/**
 * The statement of listRows (`conversations c` with its agent and site; the rest in correlated subqueries, one index
 * lookup each per row), unordered. With `texts`, the search's texts of each row too (for the page's highlights).
 */
const listRowsQuery = (db: Executor, adapter: DialectAdapter, ids: string[], texts: boolean) => {
  const q = db
    .selectFrom('conversations as c')
    .leftJoin('users as u', 'u.id', 'c.agent_user_id')
    .leftJoin('sites as s', 's.id', 'c.site_id')
    .select(LIST_COLUMNS.map((c) => `c.${c}` as const))
    .select(['u.name as agent_name', 's.time_zone as site_time_zone'])
    .select((eb) => {
      const id = eb.ref('c.id');
      const comments = commentCountsOfConversation(db, adapter, id);
      return [
        participantsOfConversation(db, adapter, id).as('participants'),
        tagsOfConversation(db, adapter, id).as('tags'),
        valuesOfConversation(db, adapter, id).as('custom_fields'),
        comments.publicComments.as('public_comments'),
        comments.privateAuthors.as('private_comment_authors'),
      ];
    })
    .where('c.id', 'in', ids);
  return texts ? q.leftJoin('search_docs as d', 'd.conversation_id', 'c.id').select(['d.texts', 'd.language']) : q;
};

/**
 * A list row: the conversation's list columns with its agent's name and its site's time zone, and what the row shows
 * of its participants, tags, custom field values and comments, read in one statement. The JSON columns are read with
 * the adapter's fromJson: participants (ListParticipant[]), tags (ListTag[]), custom_fields (key → value); the
 * comments come as public_comments and private_comment_authors (string[]), for comments' visibleCount with the
 * viewer. With `texts`, also the search's texts of the row and their language (null when not indexed).
 */
export type ListRow = InferResult<ReturnType<typeof listRowsQuery>>[number] & { texts?: Buffer | null; language?: string | null };

/** List rows in the order of `ids` (absent ids are left out). The search's hot path: one statement per page. */
export async function listRows(db: Executor, adapter: DialectAdapter, ids: string[], opts: { texts?: boolean } = {}): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.executeQuery(listStatement(db, adapter, ids, opts.texts ?? false));
  return inOrderOf(ids, rows as ListRow[]);
}

const listStatements = new Map<string, { sql: string; parameters: readonly unknown[]; idAt: ReadonlyArray<number | undefined> }>();
const LIST_STATEMENTS_KEPT = 1_000;

/**
 * listRowsQuery for these ids, built and compiled once per dialect, shape and number of ids (a page of the list has
 * one of a few sizes): at 1 M conversations Kysely's building and compiling of the statement cost about a third of
 * what SQLite took to run it. The ids are bound where the statement compiled with placeholder ids had them.
 */
function listStatement(db: Executor, adapter: DialectAdapter, ids: string[], texts: boolean) {
  const key = `${adapter.name}:${texts}:${ids.length}`;
  let s = listStatements.get(key);
  if (!s) {
    const marks = ids.map((_, i) => `\u0000list id ${i}`);
    const compiled = listRowsQuery(db, adapter, marks, texts).compile();
    const slot = new Map<unknown, number>(marks.map((m, i) => [m, i]));
    s = { sql: compiled.sql, parameters: compiled.parameters, idAt: compiled.parameters.map((p) => slot.get(p)) };
    if (listStatements.size >= LIST_STATEMENTS_KEPT) listStatements.delete(listStatements.keys().next().value!);
    listStatements.set(key, s);
  }
  const { parameters, idAt } = s;
  return CompiledQuery.raw(
    s.sql,
    parameters.map((p, i) => (idAt[i] === undefined ? p : ids[idAt[i]!])),
  );
}

/** Rows in the order of `ids` (absent ids are left out). */
export function inOrderOf<R extends { id: string }>(ids: readonly string[], rows: readonly R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export const usersByIds = (db: Executor, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([] as Array<{ id: string; name: string }>)
    : db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();

/** The conversation's transcription is queued (speech.transcribe settles the state; src/speech/ reads and writes it too). */
export const markSpeechPending = (db: Executor, conversationId: string) =>
  db
    .updateTable('conversations')
    .set({ speech_status: 'pending', speech_reason: null })
    .where('id', '=', conversationId)
    .execute()
    .then(() => undefined);
