import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * The recorder's control, assurance and quality (issue 13, R3). Kept in tables of their own rather than columns of
 * `recorder_calls` (0039, the signalling's live state), so control and assurance never race the signalling's writes:
 * - `recording_modes`: on-demand recording per agent or number ("always", "always with pause/resume", "on demand").
 * - `recorder_call_control`: per recorded call, the mode and the recording-policy decision taken at call start, and
 *   when the ended call was assessed (the assurance job's progress marker).
 * - `recorder_control_requests`: start/stop/pause/resume asked through the API. The API writes a row (and wakes an
 *   in-process listener); the recorder process owning the call applies it and stamps `applied_at` — how control
 *   reaches a recorder running in another process or on another host.
 * - `recording_assurance_events`: one row per flag raised on a call (not recorded, one-sided, empty, clipped, long
 *   gaps…), with the conversation when there is one: the conversation's flags and the Recording health counts.
 * - `recording_quality`: per leg of a recorded conversation, the network quality the media pool measured; `poor` is
 *   what the "Poor quality" search filter reads.
 * - `recorder_source_probes`: the periodic OPTIONS to each configured SRC, so one that stopped answering is reported.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('recording_modes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('recording_modes_target', ['tenant_id', 'kind', 'value'])
    .execute();

  await db.schema
    .createTable('recorder_call_control')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('call_ref', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('mode_source', 'text')
    .addColumn('policy_record', 'integer', (c) => c.notNull())
    .addColumn('policy_rule_id', 'text')
    .addColumn('policy_rule_name', 'text')
    .addColumn('policy_reason', 'text')
    .addColumn('assessed_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recorder_call_control_ref').on('recorder_call_control').columns(['tenant_id', 'call_ref']).execute();
  await db.schema.createIndex('recorder_call_control_assessed').on('recorder_call_control').columns(['assessed_at']).execute();

  await db.schema
    .createTable('recorder_control_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', ts, (c) => c.notNull())
    .addColumn('applied_at', ts)
    .addColumn('result', 'text')
    .execute();
  await db.schema.createIndex('recorder_control_requests_pending').on('recorder_control_requests').columns(['applied_at', 'call_id']).execute();

  await db.schema
    .createTable('recording_assurance_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('call_id', 'text')
    .addColumn('call_ref', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('flag', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('call_started_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('notified_at', ts)
    .execute();
  await db.schema.createIndex('recording_assurance_tenant').on('recording_assurance_events').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('recording_assurance_conversation').on('recording_assurance_events').columns(['conversation_id']).execute();

  await db.schema
    .createTable('recording_quality')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('participant', 'text')
    .addColumn('role', 'text')
    .addColumn('packets_expected', 'integer', (c) => c.notNull())
    .addColumn('packets_received', 'integer', (c) => c.notNull())
    .addColumn('packets_lost', 'integer', (c) => c.notNull())
    .addColumn('packets_late', 'integer', (c) => c.notNull())
    .addColumn('packets_duplicate', 'integer', (c) => c.notNull())
    .addColumn('jitter_ms', 'real', (c) => c.notNull())
    .addColumn('mos', 'real')
    .addColumn('longest_gap_ms', 'integer', (c) => c.notNull())
    .addColumn('intervals', a.types.json)
    .addColumn('poor', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('recording_quality_pk', ['conversation_id', 'call_id', 'label'])
    .execute();
  await db.schema.createIndex('recording_quality_poor').on('recording_quality').columns(['conversation_id', 'poor']).execute();
  await db.schema.createIndex('recording_quality_tenant').on('recording_quality').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('recorder_source_probes')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('last_probe_at', ts)
    .addColumn('last_ok_at', ts)
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('failing_since', ts)
    .addColumn('notified_at', ts)
    .addPrimaryKeyConstraint('recorder_source_probes_pk', ['tenant_id', 'target'])
    .execute();
}
