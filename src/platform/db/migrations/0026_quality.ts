import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Quality management (issue 11): scorecards with frozen versions, evaluations (planned, draft, submitted) with their
 * submitted revisions, timestamped evaluation comments, disputes, calibration sessions, offline interactions, moments
 * (clips) with their external share links, and per-user notification preferences.
 *
 * - A calibration's evaluators each own an evaluation row (kind `calibration`, calibration_id set), so the form,
 *   scoring and reports treat them like reviews; lists of reviews leave them out.
 * - An offline interaction is a conversation (so it is found, opened and evaluated like any other); its row here keeps
 *   what only it has (notes, the uploaded file).
 * - conversations.reviewed_at is set when a review of it is first submitted: the list's Reviewed column and filter read
 *   it, and retention must not delete a reviewed conversation (the compliance issue reads it).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;

  await db.schema
    .createTable('scorecards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('archived_at', ts)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scorecards_tenant').on('scorecards').columns(['tenant_id', 'name']).execute();

  await db.schema
    .createTable('scorecard_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('scorecard_id', 'text', (c) => c.notNull().references('scorecards.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', a.types.json, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('scorecard_versions_number', ['scorecard_id', 'version'])
    .execute();

  await db.schema
    .createTable('calibrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('agent_user_id', 'text', (c) => c.notNull())
    .addColumn('scorecard_id', 'text', (c) => c.notNull().references('scorecards.id'))
    .addColumn('scorecard_version_id', 'text', (c) => c.notNull().references('scorecard_versions.id'))
    .addColumn('reference_user_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('due_at', ts)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('closed_at', ts)
    .execute();
  await db.schema.createIndex('calibrations_tenant').on('calibrations').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('agent_user_id', 'text', (c) => c.notNull())
    .addColumn('scorecard_id', 'text', (c) => c.notNull().references('scorecards.id'))
    .addColumn('scorecard_version_id', 'text', (c) => c.notNull().references('scorecard_versions.id'))
    .addColumn('evaluator_user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('review'))
    .addColumn('calibration_id', 'text', (c) => c.references('calibrations.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('planned_by', 'text')
    .addColumn('planned_at', ts)
    .addColumn('due_at', ts)
    .addColumn('reminded_at', ts)
    .addColumn('started_at', ts)
    .addColumn('submitted_at', ts)
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answers', a.types.json)
    .addColumn('general_comment', 'text')
    .addColumn('score', 'real')
    .addColumn('max_score', 'real')
    .addColumn('percent', 'real')
    .addColumn('passed', 'integer')
    .addColumn('auto_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('auto_fail_reason', 'text')
    .addColumn('prefill', a.types.json)
    .addColumn('acknowledged_at', ts)
    .addColumn('auto_acknowledged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evaluations_conversation').on('evaluations').columns(['conversation_id']).execute();
  await db.schema.createIndex('evaluations_evaluator').on('evaluations').columns(['tenant_id', 'evaluator_user_id', 'status']).execute();
  await db.schema.createIndex('evaluations_agent').on('evaluations').columns(['tenant_id', 'agent_user_id', 'submitted_at']).execute();
  await db.schema.createIndex('evaluations_submitted').on('evaluations').columns(['tenant_id', 'submitted_at']).execute();
  await db.schema.createIndex('evaluations_calibration').on('evaluations').columns(['calibration_id']).execute();

  await db.schema
    .createTable('evaluation_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('evaluation_id', 'text', (c) => c.notNull().references('evaluations.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('evaluator_user_id', 'text', (c) => c.notNull())
    .addColumn('answers', a.types.json, (c) => c.notNull())
    .addColumn('general_comment', 'text')
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('max_score', 'real', (c) => c.notNull())
    .addColumn('percent', 'real', (c) => c.notNull())
    .addColumn('passed', 'integer')
    .addColumn('auto_failed', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', ts, (c) => c.notNull())
    .addUniqueConstraint('evaluation_revisions_number', ['evaluation_id', 'revision'])
    .execute();

  await db.schema
    .createTable('evaluation_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('evaluation_id', 'text', (c) => c.notNull().references('evaluations.id'))
    .addColumn('author_user_id', 'text', (c) => c.notNull())
    .addColumn('position_ms', 'integer')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evaluation_comments_evaluation').on('evaluation_comments').columns(['evaluation_id']).execute();

  await db.schema
    .createTable('evaluation_disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('evaluation_id', 'text', (c) => c.notNull().references('evaluations.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raised_at', ts, (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', ts)
    .addColumn('resolution_comment', 'text')
    .execute();
  await db.schema.createIndex('evaluation_disputes_evaluation').on('evaluation_disputes').columns(['evaluation_id']).execute();
  await db.schema.createIndex('evaluation_disputes_tenant').on('evaluation_disputes').columns(['tenant_id', 'raised_at']).execute();

  await db.schema
    .createTable('offline_interactions')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file_blob_id', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_content_type', 'text')
    .addColumn('file_bytes', a.types.bigint)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('moments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start_ms', 'integer', (c) => c.notNull())
    .addColumn('end_ms', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('reason', 'text')
    .addColumn('clip_blob_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moments_conversation').on('moments').columns(['conversation_id']).execute();
  await db.schema.createIndex('moments_tenant').on('moments').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('moment_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('moment_id', 'text', (c) => c.notNull().references('moments.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .addColumn('revoked_by', 'text')
    .addColumn('plays', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_played_at', ts)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moment_shares_moment').on('moment_shares').columns(['moment_id']).execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('email', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'event'])
    .execute();

  await db.schema.alterTable('conversations').addColumn('reviewed_at', ts).execute();
}
