// All SQL of outgoing e-mail: the outbox.
import type { Executor } from '../platform/db/index.ts';
import type { NotificationOutboxTable } from '../platform/db/schema.ts';

export type OutboxRow = NotificationOutboxTable;

export async function insertOutbox(db: Executor, row: OutboxRow): Promise<void> {
  await db.insertInto('notification_outbox').values(row).execute();
}

export const getOutbox = (db: Executor, id: string) => db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirst();

export async function markSent(db: Executor, id: string, attempts: number, messageId: string, at: string): Promise<void> {
  await db
    .updateTable('notification_outbox')
    .set({ status: 'sent', attempts, message_id: messageId, sent_at: at, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markAttempt(db: Executor, id: string, attempts: number, error: string, final: boolean): Promise<void> {
  await db
    .updateTable('notification_outbox')
    .set({ attempts, last_error: error, ...(final ? { status: 'failed' } : {}) })
    .where('id', '=', id)
    .execute();
}

export function listOutbox(db: Executor, tenantId: string, limit: number) {
  return db
    .selectFrom('notification_outbox')
    .select(['id', 'kind', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
