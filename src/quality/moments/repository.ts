// SQL of moments (named clips of a conversation) and their external share links.
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { MomentSharesTable, MomentsTable } from '../../platform/db/schema.ts';

export const insertMoment = (db: Executor, row: MomentsTable) => db.insertInto('moments').values(row).execute();

export const getMoment = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('moments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const getMomentById = (db: Executor, id: string) => db.selectFrom('moments').selectAll().where('id', '=', id).executeTakeFirst();

export const updateMoment = (db: Executor, id: string, patch: Partial<MomentsTable>) =>
  db.updateTable('moments').set(patch).where('id', '=', id).executeTakeFirst();

export const deleteMoment = (db: Executor, id: string) => db.deleteFrom('moments').where('id', '=', id).execute();

/** Moments with their conversation's title and the creator's name, on conversations the actor sees. */
function visibleMoments(db: Executor, actor: Actor) {
  return db
    .selectFrom('moments as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .leftJoin('users as u', 'u.id', 'm.created_by')
    .selectAll('m')
    .select(['c.title as conversation_title', 'c.started_at as conversation_started_at', 'u.name as created_by_name'])
    .where('m.tenant_id', '=', actor.tenantId)
    .where(visibleTo(actor) as never);
}

export const momentsOfConversation = (db: Executor, actor: Actor, conversationId: string) =>
  visibleMoments(db, actor).where('m.conversation_id', '=', conversationId).orderBy('m.start_ms').orderBy('m.id').execute();

export const visibleMoment = (db: Executor, actor: Actor, id: string) => visibleMoments(db, actor).where('m.id', '=', id).executeTakeFirst();

/** The library: newest first, keyset-paged on (created_at, id), optionally by name. */
export function library(db: Executor, actor: Actor, f: { q: string | null; mine: boolean; limit: number; before: string | null }) {
  let q = visibleMoments(db, actor);
  if (f.q) q = q.where((eb) => eb(eb.fn('lower', ['m.name']), 'like', `%${f.q!.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.mine) q = q.where('m.created_by', '=', actor.userId);
  if (f.before) {
    const [at, id] = f.before.split('|');
    q = q.where((eb) => eb.or([eb('m.created_at', '<', at!), eb.and([eb('m.created_at', '=', at!), eb('m.id', '<', id!)])]));
  }
  return q
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export const sharesOf = (db: Executor, momentIds: string[]) =>
  momentIds.length
    ? db
        .selectFrom('moment_shares as s')
        .leftJoin('users as u', 'u.id', 's.created_by')
        .selectAll('s')
        .select('u.name as created_by_name')
        .where('s.moment_id', 'in', momentIds)
        .orderBy('s.created_at', 'desc')
        .execute()
    : Promise.resolve([]);

export const insertShare = (db: Executor, row: MomentSharesTable) => db.insertInto('moment_shares').values(row).execute();

export const getShare = (db: Executor, momentId: string, shareId: string) =>
  db.selectFrom('moment_shares').selectAll().where('moment_id', '=', momentId).where('id', '=', shareId).executeTakeFirst();

export const shareByTokenHash = (db: Executor, tokenHash: string) =>
  db.selectFrom('moment_shares').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const revokeShare = (db: Executor, id: string, at: string, by: string) =>
  db.updateTable('moment_shares').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();

export const revokeAllShares = (db: Executor, momentId: string, at: string, by: string) =>
  db.updateTable('moment_shares').set({ revoked_at: at, revoked_by: by }).where('moment_id', '=', momentId).where('revoked_at', 'is', null).execute();

export const deleteShares = (db: Executor, momentId: string) => db.deleteFrom('moment_shares').where('moment_id', '=', momentId).execute();

export const countPlay = (db: Executor, id: string, at: string) =>
  db
    .updateTable('moment_shares')
    .set((eb) => ({ plays: eb('plays', '+', 1), last_played_at: at }))
    .where('id', '=', id)
    .execute();

/** The conversation's call media state, for refusing a moment on a conversation without audio. */
export const mediaState = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'has_call', 'started_at', 'ended_at', 'media_status', 'title'])
    .where('id', '=', conversationId)
    .executeTakeFirst();

/** When the conversation's redacted audio was last written (a new transcript's redaction), and when a blob was. */
export const newestRedactedAudioAt = (db: Executor, conversationId: string) =>
  db
    .selectFrom('stream_renditions as r')
    .innerJoin('blobs as b', 'b.id', 'r.redacted_pcm_blob_id')
    .select((eb) => eb.fn.max('b.created_at').as('at'))
    .where('r.conversation_id', '=', conversationId)
    .executeTakeFirst();

export const blobCreatedAt = (db: Executor, blobId: string) => db.selectFrom('blobs').select('created_at').where('id', '=', blobId).executeTakeFirst();
