// One ordered list of TypeScript migrations, run on both engines.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DialectAdapter } from './adapter.ts';
import * as m0001 from './migrations/0001_core.ts';
import * as m0002 from './migrations/0002_conversations.ts';
import * as m0003 from './migrations/0003_email_refs.ts';
import * as m0004 from './migrations/0004_saved_searches.ts';
import * as m0005 from './migrations/0005_conversation_local_time.ts';
import * as m0006 from './migrations/0006_search.ts';
import * as m0007 from './migrations/0007_media_pipeline.ts';
import * as m0008 from './migrations/0008_search_indexes.ts';
import * as m0009 from './migrations/0009_custom_value_trigrams.ts';
import * as m0010 from './migrations/0010_blob_reference_indexes.ts';
import * as m0011 from './migrations/0011_email_html.ts';
import * as m0012 from './migrations/0012_speech.ts';
import * as m0013 from './migrations/0013_speech_tags.ts';
import * as m0014 from './migrations/0014_search_speech.ts';
import * as m0015 from './migrations/0015_redaction.ts';
import * as m0016 from './migrations/0016_insights.ts';
import * as m0017 from './migrations/0017_indicators_topics.ts';
import * as m0018 from './migrations/0018_notify_subscriptions.ts';
import * as m0019 from './migrations/0019_field_values_started_at.ts';
import * as m0020 from './migrations/0020_conversation_doc_key.ts';
import * as m0021 from './migrations/0021_conversation_list_index.ts';
import * as m0022 from './migrations/0022_tag_kinds_archive.ts';
import * as m0023 from './migrations/0023_user_preferences.ts';
import * as m0024 from './migrations/0024_import_runs.ts';
import * as m0025 from './migrations/0025_segment_parties.ts';
import * as m0026 from './migrations/0026_quality.ts';
import * as m0030 from './migrations/0030_quality_moments.ts';
import * as m0033 from './migrations/0033_audit_action_index.ts';
import * as m0034 from './migrations/0034_compliance_states.ts';
import * as m0035 from './migrations/0035_anonymization.ts';
import * as m0036 from './migrations/0036_retention_holds_deletions.ts';
import * as m0037 from './migrations/0037_archive.ts';
import * as m0038 from './migrations/0038_recording_policies_vcon.ts';
import * as m0039 from './migrations/0039_recorder_calls.ts';
import * as m0041 from './migrations/0041_recorder_control_assurance.ts';
import * as m0042 from './migrations/0042_conversation_daily.ts';
import * as m0043 from './migrations/0043_sso_scim.ts';
import * as m0044 from './migrations/0044_webhooks.ts';
import * as m0045 from './migrations/0045_group_language.ts';
import * as m0046 from './migrations/0046_recorder_src_pause_nodes.ts';
import * as m0051 from './migrations/0051_conversation_daily_rollups.ts';
import * as m0047 from './migrations/0047_custom_values_covering.ts';
import * as m0052 from './migrations/0052_search_vectors.ts';
import * as m0053 from './migrations/0053_conversation_key_filters.ts';
import * as m0054 from './migrations/0054_conversation_id_filters.ts';
import * as m0055 from './migrations/0055_no_stat4_samples.ts';
import * as m0056 from './migrations/0056_custom_value_time_keys.ts';
import * as m0057 from './migrations/0057_custom_value_keys_before_1970.ts';
import * as m0058 from './migrations/0058_custom_value_row_filters.ts';

type Step = { up(db: Kysely<any>, a: DialectAdapter): Promise<void> };

/** Append new migrations at the end; never reorder or edit a released one. */
const MIGRATIONS: Array<[string, Step]> = [
  ['0001_core', m0001],
  ['0002_conversations', m0002],
  ['0003_email_refs', m0003],
  ['0004_saved_searches', m0004],
  ['0005_conversation_local_time', m0005],
  ['0006_search', m0006],
  ['0007_media_pipeline', m0007],
  ['0008_search_indexes', m0008],
  ['0009_custom_value_trigrams', m0009],
  ['0010_blob_reference_indexes', m0010],
  ['0011_email_html', m0011],
  ['0012_speech', m0012],
  ['0013_speech_tags', m0013],
  ['0014_search_speech', m0014],
  ['0015_redaction', m0015],
  ['0016_insights', m0016],
  ['0017_indicators_topics', m0017],
  ['0018_notify_subscriptions', m0018],
  ['0019_field_values_started_at', m0019],
  ['0020_conversation_doc_key', m0020],
  ['0021_conversation_list_index', m0021],
  ['0022_tag_kinds_archive', m0022],
  ['0023_user_preferences', m0023],
  ['0024_import_runs', m0024],
  ['0025_segment_parties', m0025],
  ['0026_quality', m0026],
  ['0030_quality_moments', m0030],
  ['0033_audit_action_index', m0033],
  ['0034_compliance_states', m0034],
  ['0035_anonymization', m0035],
  ['0036_retention_holds_deletions', m0036],
  ['0037_archive', m0037],
  ['0038_recording_policies_vcon', m0038],
  ['0039_recorder_calls', m0039],
  ['0041_recorder_control_assurance', m0041],
  ['0042_conversation_daily', m0042],
  ['0043_sso_scim', m0043],
  ['0044_webhooks', m0044],
  ['0045_group_language', m0045],
  ['0046_recorder_src_pause_nodes', m0046],
  ['0051_conversation_daily_rollups', m0051],
  ['0047_custom_values_covering', m0047],
  ['0052_search_vectors', m0052],
  ['0053_conversation_key_filters', m0053],
  ['0054_conversation_id_filters', m0054],
  ['0055_no_stat4_samples', m0055],
  ['0056_custom_value_time_keys', m0056],
  ['0057_custom_value_keys_before_1970', m0057],
  ['0058_custom_value_row_filters', m0058],
];

export async function migrate(db: Kysely<any>, adapter: DialectAdapter): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of MIGRATIONS) out[name] = { up: (d) => step.up(d, adapter) };
      return out;
    },
  };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
