import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * The recorder's signalling state (issue 13).
 * - `recorder_calls`: one row per SIPREC recording session, written by the recorder process that holds the dialog
 *   (`node`) and read by every other process: the Live screen, the recording control API (which may run in another
 *   process), the media pool at close (quality, flags) and the restart recovery (rows of this node never ended).
 *   `call_ref` is the recorded call's own reference (the SRC's Call-ID/UCID), the handle of /api/recordings/{callRef};
 *   `sip_call_id` is the recording dialog's Call-ID. JSON columns hold the shapes of src/recorder/model.ts.
 * - `recorder_sources`: the allow-list of Session Recording Clients per tenant (an address or CIDR, or a TLS identity);
 *   a request from anything else is refused with 403 and counted in `recorder_refusals` (not per tenant: an unknown
 *   source belongs to none).
 * - `recorder_party_rules`: how a tenant maps metadata participants to Earshot parties (agent or customer): explicit
 *   numbers/AORs (optionally to a user), extension ranges and domains.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;

  await db.schema
    .createTable('recorder_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('call_ref', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('sip_call_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('remote_address', 'text')
    .addColumn('transport', 'text')
    .addColumn('vendor', 'text', (c) => c.notNull().defaultTo('generic'))
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('participants', a.types.json, (c) => c.notNull())
    .addColumn('streams', a.types.json, (c) => c.notNull())
    .addColumn('metadata', a.types.json)
    .addColumn('agent_user_id', 'text')
    .addColumn('group_id', 'text')
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('answered_at', ts)
    .addColumn('ended_at', ts)
    .addColumn('end_reason', 'text')
    .addColumn('paused_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pause_started_at', ts)
    .addColumn('control_mode', 'text', (c) => c.notNull().defaultTo('always'))
    .addColumn('quality', a.types.json)
    .addColumn('flags', a.types.json)
    .addColumn('conversation_id', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recorder_calls_live').on('recorder_calls').columns(['tenant_id', 'ended_at', 'started_at']).execute();
  await db.schema.createIndex('recorder_calls_ref').on('recorder_calls').columns(['tenant_id', 'call_ref']).execute();
  await db.schema.createIndex('recorder_calls_dialog').on('recorder_calls').columns(['sip_call_id']).execute();
  await db.schema.createIndex('recorder_calls_node').on('recorder_calls').columns(['node', 'ended_at']).execute();

  await db.schema
    .createTable('recorder_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('tls_identity', 'text')
    .addColumn('vendor', 'text', (c) => c.notNull().defaultTo('generic'))
    .addColumn('ping_uri', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', ts)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recorder_sources_tenant').on('recorder_sources').columns(['tenant_id', 'name']).execute();

  await db.schema
    .createTable('recorder_refusals')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_at', ts, (c) => c.notNull())
    .addColumn('last_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('recorder_refusals_pk', ['address', 'reason'])
    .execute();

  await db.schema
    .createTable('recorder_party_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('value_to', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recorder_party_rules_tenant').on('recorder_party_rules').columns(['tenant_id', 'position']).execute();
}
