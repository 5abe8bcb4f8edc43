import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('engagement_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('ended_at', ts, (c) => c.notNull())
    .addColumn('talk_time_ms', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('has_call', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_chat', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_email', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_screen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reviewable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('group_id', 'text', (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
    .addColumn('customer_phone', 'text')
    .addColumn('custom_data', a.types.json, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conv_tenant_started_idx').on('conversations').columns(['tenant_id', 'started_at', 'id']).execute();
  await db.schema.createIndex('conv_tenant_group_idx').on('conversations').columns(['tenant_id', 'group_id', 'started_at']).execute();
  await db.schema.createIndex('conv_tenant_agent_idx').on('conversations').columns(['tenant_id', 'agent_user_id', 'started_at']).execute();
  await db.schema.createIndex('conv_tenant_engagement_idx').on('conversations').columns(['tenant_id', 'engagement_id']).execute();

  await db.schema
    .createTable('conversation_participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('party_key', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('extension', 'text')
    .addColumn('external_id', 'text')
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('participants_conv_idx').on('conversation_participants').column('conversation_id').execute();
  await db.schema.createIndex('participants_user_idx').on('conversation_participants').columns(['user_id', 'conversation_id']).execute();

  await db.schema
    .createTable('segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('parent_segment_id', 'text', (c) => c.references('segments.id').onDelete('cascade'))
    .addColumn('direction', 'text')
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('ended_at', ts, (c) => c.notNull())
    .addColumn('duration_ms', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('queue', 'text')
    .addColumn('agent_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('agent_party_key', 'text')
    .addColumn('title', 'text')
    .addColumn('monitor', 'integer')
    .addColumn('source_url', 'text')
    .addColumn('metadata', a.types.json, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('segments_external_uq').unique().on('segments').columns(['tenant_id', 'kind', 'external_id']).execute();
  await db.schema.createIndex('segments_conv_idx').on('segments').columns(['conversation_id', 'started_at']).execute();

  await db.schema
    .createTable('streams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('party_key', 'text')
    .addColumn('channel_index', 'integer')
    .addColumn('blob_id', 'text', (c) => c.references('blobs.id'))
    .addColumn('file_name', 'text')
    .addColumn('container', 'text')
    .addColumn('codec', 'text')
    .addColumn('sample_rate', 'integer')
    .addColumn('channels', 'integer')
    .addColumn('duration_ms', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('streams_segment_idx').on('streams').column('segment_id').execute();
  await db.schema.createIndex('streams_blob_idx').on('streams').column('blob_id').execute();

  await db.schema
    .createTable('segment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('data', a.types.json, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('segment_events_seg_idx').on('segment_events').columns(['segment_id', 'at']).execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sender_key', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text')
    .addColumn('sender_role', 'text', (c) => c.notNull())
    .addColumn('sent_at', ts, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_messages_seg_idx').on('chat_messages').columns(['segment_id', 'seq']).execute();

  await db.schema
    .createTable('email_messages')
    .addColumn('segment_id', 'text', (c) => c.primaryKey().references('segments.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('thread_key', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('refs', a.types.json, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('from_name', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_list', a.types.json, (c) => c.notNull())
    .addColumn('cc_list', a.types.json, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('attachments', a.types.json, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_msgid_uq').unique().on('email_messages').columns(['tenant_id', 'message_id']).execute();
  await db.schema.createIndex('email_thread_idx').on('email_messages').columns(['tenant_id', 'thread_key']).execute();

  await db.schema
    .createTable('tag_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('data_key', 'text')
    .addColumn('data_value', 'text')
    .addColumn('comment_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preset', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tag_defs_name_uq').unique().on('tag_definitions').columns(['tenant_id', 'name']).execute();

  await db.schema
    .createTable('conversation_tags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tag_definitions.id').onDelete('cascade'))
    .addColumn('comment', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conv_tags_uq').unique().on('conversation_tags').columns(['conversation_id', 'tag_id']).execute();
  await db.schema.createIndex('conv_tags_tag_idx').on('conversation_tags').columns(['tag_id', 'conversation_id']).execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('offset_ms', a.types.bigint)
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('mentions', a.types.json, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_conv_idx').on('comments').columns(['conversation_id', 'created_at']).execute();

  await db.schema
    .createTable('custom_field_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', a.types.json, (c) => c.notNull())
    .addColumn('show_in_list', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_fields_key_uq').unique().on('custom_field_definitions').columns(['tenant_id', 'key']).execute();

  await db.schema
    .createTable('conversation_field_values')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('field_id', 'text', (c) => c.notNull().references('custom_field_definitions.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conv_field_values_pk', ['conversation_id', 'field_id'])
    .execute();
  await db.schema.createIndex('conv_field_values_field_idx').on('conversation_field_values').columns(['field_id', 'value']).execute();
}
