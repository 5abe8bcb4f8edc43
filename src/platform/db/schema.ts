// Table types for Kysely. Timestamps are ISO-8601 UTC strings on both engines (the adapter makes PostgreSQL return them so);
// flags are 0/1 integers; JSON columns hold text on SQLite and jsonb on PostgreSQL (read through adapter.fromJson).
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  language: string;
  settings: unknown;
  created_at: string;
  updated_at: string;
}

export interface SitesTable {
  id: string;
  tenant_id: string;
  name: string;
  time_zone: string;
  created_at: string;
  updated_at: string;
}

export interface GroupsTable {
  id: string;
  tenant_id: string;
  parent_id: string | null;
  site_id: string | null;
  name: string;
  /** The default UI language of its members and subgroups (0045); null = the parent group's, up to the tenant's. */
  language?: string | null;
  created_at: string;
  updated_at: string;
}

export interface RolesTable {
  id: string;
  tenant_id: string;
  /** Stable key for built-in roles (admin, cc_manager, evaluator, agent, compliance_analyst); null for custom roles. */
  builtin_key: string | null;
  name: string;
  description: string;
  permissions: unknown;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  group_id: string | null;
  site_id: string | null;
  extension: string | null;
  external_id: string | null;
  /** The user's own UI language; '' = none, follow the group's or the organisation's (0045). */
  language: string;
  /** 'site' or 'mine': the zone conversation times show in (0023; optional on insert, the column defaults to 'site'). */
  time_display?: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  password_changed_at: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface SessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  chain: string;
  seq: number;
  tenant_id: string | null;
  at: string;
  initiator_id: string | null;
  initiator_name: string;
  client_ip: string | null;
  application: string;
  resource_type: string;
  resource_id: string | null;
  action: string;
  details: string;
  changes: unknown;
  prev_hash: string;
  hash: string;
  /** 0035: AuditSeals (src/platform/audit/chain.ts) — the salts or, once redacted, digests the chain hashes; null: version 1. */
  seals?: unknown;
}

export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface JobsTable {
  id: string;
  type: string;
  tenant_id: string | null;
  payload: unknown;
  status: string;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  progress: number;
  progress_note: string | null;
  last_error: string | null;
  result: unknown;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface BlobsTable {
  id: string;
  tenant_id: string;
  storage_key: string;
  content_type: string;
  size: number;
  stored_size: number;
  chunk_size: number;
  sha256: string;
  wrapped_key: string;
  kek_id: string;
  signature: string;
  signing_key_id: string;
  created_at: string;
}

export interface SigningKeysTable {
  id: string;
  public_key: string;
  created_at: string;
}

export interface KysleyMigrationRow {
  name: string;
  timestamp: string;
}

export interface Database extends ConversationTables {
  tenants: TenantsTable;
  sites: SitesTable;
  groups: GroupsTable;
  roles: RolesTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  jobs: JobsTable;
  blobs: BlobsTable;
  signing_keys: SigningKeysTable;
  saved_searches: SavedSearchesTable;
  indicator_subscriptions: IndicatorSubscriptionsTable;
  subscription_deliveries: SubscriptionDeliveriesTable;
  notification_outbox: NotificationOutboxTable;
  conversation_insights: ConversationInsightsTable;
  indicator_categories: IndicatorCategoriesTable;
  indicators: IndicatorsTable;
  indicator_keywords: IndicatorKeywordsTable;
  indicator_mentions: IndicatorMentionsTable;
  topics: TopicsTable;
  topic_hits: TopicHitsTable;
  insight_defaults: InsightDefaultsTable;
  import_runs: ImportRunsTable;
  import_files: ImportFilesTable;
  scorecards: ScorecardsTable;
  scorecard_versions: ScorecardVersionsTable;
  evaluations: EvaluationsTable;
  evaluation_revisions: EvaluationRevisionsTable;
  evaluation_comments: EvaluationCommentsTable;
  evaluation_disputes: EvaluationDisputesTable;
  calibrations: CalibrationsTable;
  offline_interactions: OfflineInteractionsTable;
  moments: MomentsTable;
  moment_shares: MomentSharesTable;
  notification_preferences: NotificationPreferencesTable;
  retention_policies: RetentionPoliciesTable;
  legal_holds: LegalHoldsTable;
  legal_hold_conversations: LegalHoldConversationsTable;
  deletions: DeletionsTable;
  anonymization_runs: AnonymizationRunsTable;
  anonymization_items: AnonymizationItemsTable;
  deleted_blobs: DeletedBlobsTable;
  archive_configs: ArchiveConfigsTable;
  archive_targets: ArchiveTargetsTable;
  archive_items: ArchiveItemsTable;
  recording_policies: RecordingPoliciesTable;
  vcon_exports: VconExportsTable;
  sso_settings: SsoSettingsTable;
  sso_providers: SsoProvidersTable;
  sso_identities: SsoIdentitiesTable;
  sso_requests: SsoRequestsTable;
  saml_assertions_seen: SamlAssertionsSeenTable;
  scim_tokens: ScimTokensTable;
  scim_users: ScimUsersTable;
  directory_groups: DirectoryGroupsTable;
  directory_group_members: DirectoryGroupMembersTable;
  recorder_calls: RecorderCallsTable;
  recorder_nodes: RecorderNodesTable;
  recorder_sources: RecorderSourcesTable;
  recorder_refusals: RecorderRefusalsTable;
  recorder_party_rules: RecorderPartyRulesTable;
  recording_modes: RecordingModesTable;
  recorder_call_control: RecorderCallControlTable;
  recorder_control_requests: RecorderControlRequestsTable;
  recording_assurance_events: RecordingAssuranceEventsTable;
  recording_quality: RecordingQualityTable;
  recorder_source_probes: RecorderSourceProbesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  conversation_daily: ConversationDailyTable;
  conversation_daily_tags: ConversationDailyTagsTable;
  conversation_daily_members: ConversationDailyMembersTable;
  report_schedules: ReportSchedulesTable;
}

export type { Generated };

// Conversations (0002)

export interface ConversationsTable {
  id: string;
  tenant_id: string;
  engagement_id: string | null;
  title: string;
  direction: string;
  started_at: string;
  ended_at: string;
  talk_time_ms: number;
  has_call: number;
  has_chat: number;
  has_email: number;
  has_screen: number;
  reviewable: number;
  agent_user_id: string | null;
  group_id: string | null;
  site_id: string | null;
  customer_phone: string | null;
  custom_data: unknown;
  /** Start on the agent's site calendar and clock (0005): YYYY-MM-DD, ISO weekday 1–7, minutes since midnight. */
  local_date?: string | null;
  local_weekday?: number | null;
  local_minute?: number | null;
  /** Media pipeline (0007). */
  hold_count?: number;
  media_status?: string | null;
  media_analyzed_at?: string | null;
  /** Speech (0012): pending | ready | no_speech | no_engine | failed; the reason shown beside it. */
  speech_status?: string | null;
  speech_reason?: string | null;
  transcribed_at?: string | null;
  /** Its search document's key (search_docs.doc_key), written by the indexer (0020): SQLite joins text matches on it. */
  doc_key?: number | null;
  /** Quality (0026): when a review of it was first submitted; reviewed conversations are kept from retention. */
  reviewed_at?: string | null;
  /** Compliance (0034): null = media present | planned_for_deletion | deleted; who/what asked (user id, policy id, "anonymization"). */
  media_state?: string | null;
  media_state_at?: string | null;
  media_state_reason?: string | null;
  /** Compliance (0034): when it was anonymized; JSON array of the data classes overwritten. */
  anonymized_at?: string | null;
  anonymized_parts?: string | null;
  created_at: string;
  updated_at: string;
}

export interface StreamRenditionsTable {
  stream_id: string;
  conversation_id: string;
  status: string;
  reason: string | null;
  pcm_blob_id: string | null;
  pcm_bytes: number;
  sample_rate: number;
  peaks_blob_id: string | null;
  /** The PCM with PII spans silenced (0012), served to users without "play unredacted"; null until redacted. */
  redacted_pcm_blob_id: string | null;
  speech: unknown;
  talk_ms: number;
  analyzed_at: string;
}

export interface SpeechEventsTable {
  id: string;
  conversation_id: string;
  segment_id: string | null;
  type: string;
  start_ms: number;
  end_ms: number;
  parties: unknown;
  source: string;
  created_at: string;
}

export interface ConversationParticipantsTable {
  id: string;
  conversation_id: string;
  party_key: string;
  role: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  extension: string | null;
  external_id: string | null;
  user_id: string | null;
  created_at: string;
}

export interface SegmentsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  kind: string;
  external_id: string;
  parent_segment_id: string | null;
  direction: string | null;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  queue: string | null;
  agent_user_id: string | null;
  agent_party_key: string | null;
  title: string | null;
  monitor: number | null;
  source_url: string | null;
  metadata: unknown;
  /** Recording policy (0038): recorded | not_recorded, the rule that decided (null = none matched) and why; null = before policies. */
  recording_decision?: string | null;
  recording_rule_id?: string | null;
  recording_rule_name?: string | null;
  recording_reason?: string | null;
  /** Anonymization (0035): when this segment's personal data was overwritten; the conversation is reviewable while one is not. */
  anonymized_at?: string | null;
  created_at: string;
  updated_at: string;
}

export interface StreamsTable {
  id: string;
  segment_id: string;
  kind: string;
  party_key: string | null;
  channel_index: number | null;
  blob_id: string | null;
  file_name: string | null;
  container: string | null;
  codec: string | null;
  sample_rate: number | null;
  channels: number | null;
  duration_ms: number;
  status: string;
  status_reason: string | null;
  created_at: string;
}

/** Which participant a segment's party key is (0025): the legs of a transfer use one key for two people. */
export interface SegmentPartiesTable {
  segment_id: string;
  party_key: string;
  participant_id: string;
}

export interface SegmentEventsTable {
  id: string;
  segment_id: string;
  type: string;
  at: string;
  data: unknown;
}

export interface ChatMessagesTable {
  id: string;
  segment_id: string;
  seq: number;
  sender_key: string;
  sender_name: string | null;
  sender_role: string;
  sent_at: string;
  text: string;
}

export interface EmailMessagesTable {
  segment_id: string;
  tenant_id: string;
  message_id: string;
  thread_key: string;
  in_reply_to: string | null;
  refs: unknown;
  subject: string;
  from_name: string | null;
  from_address: string;
  to_list: unknown;
  cc_list: unknown;
  sent_at: string | null;
  body_text: string;
  /** Sanitised HTML for display (0011); null for plain-text messages. */
  body_html: string | null;
  attachments: unknown;
}

export interface TagDefinitionsTable {
  id: string;
  tenant_id: string;
  name: string;
  color: string;
  data_key: string | null;
  data_value: string | null;
  comment_required: number;
  preset: string | null;
  /** 0022: tag | category. */
  kind?: string;
  /** 0022: archived tags are not offered for new tagging. */
  archived_at?: string | null;
  /** 0034: a protection tag keeps its conversations from anonymization and deletion. */
  protects?: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationTagsTable {
  id: string;
  conversation_id: string;
  tag_id: string;
  comment: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommentsTable {
  id: string;
  conversation_id: string;
  author_id: string | null;
  author_name: string;
  text: string;
  offset_ms: number | null;
  pinned: number;
  visibility: string;
  mentions: unknown;
  created_at: string;
  updated_at: string;
}

export interface CustomFieldDefinitionsTable {
  id: string;
  tenant_id: string;
  key: string;
  label: string;
  type: string;
  options: unknown;
  show_in_list: number;
  /** 0022: offered by "Add new filter". */
  show_in_filters?: number;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationFieldValuesTable {
  conversation_id: string;
  field_id: string;
  value: string;
  /** foldCase(value.trim()) and numericValue(value), written with the value (0006). */
  value_folded?: string | null;
  value_number?: number | null;
  /** The conversation's started_at, kept with it (0019): custom-data filters narrow to the period in the index. */
  started_at?: string | null;
}

export interface SearchDocsTable {
  conversation_id: string;
  tenant_id: string;
  doc_key: number;
  language: string;
  texts: Buffer;
  indexed_at: string;
}

/** PostgreSQL only (migration 0052): a document's terms, in a narrow row of their own. */
export interface SearchVectorsTable {
  conversation_id: string;
  tenant_id: string;
  doc_key: number;
  tsv: unknown;
}

export interface SpeechTagDefinitionsTable {
  id: string;
  tenant_id: string;
  name: string;
  color: string;
  /** What is spotted (0012); language null = any, party null = anyone, else agent | customer. */
  phrase?: string;
  language?: string | null;
  party?: string | null;
  /** 0013: the job spotting the tag over stored transcripts. */
  spot_job_id?: string | null;
  created_at: string;
  updated_at: string;
}

export interface SpeechTagHitsTable {
  id: string;
  conversation_id: string;
  tag_id: string;
  segment_id: string | null;
  offset_ms: number | null;
  confidence: number;
  /** 0012: where the phrase ends, the utterance it was found in, and whether it came from a transcript or audio. */
  end_ms?: number | null;
  utterance_id?: string | null;
  source?: string;
  created_at: string;
}

// Speech (0012)

export interface TranscriptsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  engine: string;
  language: string;
  is_current: number;
  word_count: number;
  audio_ms: number;
  cpu_ms: number;
  created_at: string;
}

export interface TranscriptUtterancesTable {
  id: string;
  transcript_id: string;
  conversation_id: string;
  segment_id: string | null;
  stream_id: string | null;
  party_key: string | null;
  /** agent | customer | unknown (a mono mix: the speaker is not guessed). */
  role: string;
  seq: number;
  start_ms: number;
  end_ms: number;
  text: string;
  display_text: string;
  redacted_text: string;
  confidence: number | null;
  /** TranscriptWord[] (src/speech/model.ts). */
  words: unknown;
  /** PiiSpan[] (src/speech/model.ts). */
  pii: unknown;
}

export interface EmailRefsTable {
  tenant_id: string;
  ref_message_id: string;
  segment_id: string;
}

export interface ConversationTables {
  stream_renditions: StreamRenditionsTable;
  speech_events: SpeechEventsTable;
  search_docs: SearchDocsTable;
  search_vectors: SearchVectorsTable;
  speech_tag_definitions: SpeechTagDefinitionsTable;
  speech_tag_hits: SpeechTagHitsTable;
  transcripts: TranscriptsTable;
  transcript_utterances: TranscriptUtterancesTable;
  email_refs: EmailRefsTable;
  conversations: ConversationsTable;
  conversation_participants: ConversationParticipantsTable;
  segments: SegmentsTable;
  streams: StreamsTable;
  segment_events: SegmentEventsTable;
  segment_parties: SegmentPartiesTable;
  chat_messages: ChatMessagesTable;
  email_messages: EmailMessagesTable;
  tag_definitions: TagDefinitionsTable;
  conversation_tags: ConversationTagsTable;
  comments: CommentsTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  conversation_field_values: ConversationFieldValuesTable;
}

// Saved searches (0004)

export interface SavedSearchesTable {
  id: string;
  tenant_id: string;
  /** Null once the owner is deleted (a protected search outlives its author). */
  owner_id: string | null;
  name: string;
  /** The name folded for case-insensitive uniqueness per owner. */
  name_key: string;
  /** The canonical search filter (search/filter.ts). */
  filter: unknown;
  protected: number;
  protected_by: string | null;
  protected_at: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  undo_token_hash: string | null;
  created_at: string;
  updated_at: string;
}

// Conversation insights (0016)

export interface ConversationInsightsTable {
  conversation_id: string;
  tenant_id: string;
  /** done | failed */
  status: string;
  error: string | null;
  /** The language the text was analysed as (the transcript's, else the tenant's); null when there was no text. */
  language: string | null;
  /** 0–100, 50 neutral; null when the conversation has no text or its language is not supported. */
  sentiment_score: number | null;
  /** negative | neutral | positive */
  sentiment_label: string | null;
  engagement_score: number | null;
  talk_listen_ratio: number | null;
  words_per_minute: number | null;
  fillers_per_minute: number | null;
  longest_monologue_ms: number | null;
  avg_response_ms: number | null;
  /** InsightDetails (src/analytics/insights/model.ts). */
  details: unknown;
  computed_at: string;
  analyser_version: number;
}

// Indicators and topics (0017)

export interface IndicatorCategoriesTable {
  id: string;
  tenant_id: string;
  name: string;
  position: number;
  /** Which default category this row was seeded from (editable all the same); null for the tenant's own. */
  builtin_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface IndicatorsTable {
  id: string;
  tenant_id: string;
  category_id: string;
  name: string;
  /** agent | customer | both: whose lines the keywords are looked for in. */
  speaker: string;
  builtin_key: string | null;
  /** The job re-analysing history after the indicator changed (progress on the administration screen). */
  analysis_job_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface IndicatorKeywordsTable {
  id: string;
  tenant_id: string;
  indicator_id: string;
  /** A word or phrase as the administrator typed it (matched with the tenant's search analyzer). */
  text: string;
}

export interface IndicatorMentionsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  indicator_id: string;
  keyword_id: string;
  /** InsightLine.id: the utterance or message the keyword was found in. */
  line_id: string;
  /** agent | customer | unknown */
  role: string;
  start_ms: number | null;
  /** [range_start, range_end) into the line's text. */
  range_start: number;
  range_end: number;
  /** The conversation's started_at, copied for the reports. */
  started_at: string;
  created_at: string;
}

export interface TopicsTable {
  id: string;
  tenant_id: string;
  name: string;
  builtin_key: string | null;
  /** string[]: the guiding sentences (at least 3). */
  sentences: unknown;
  analysis_job_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TopicHitsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  topic_id: string;
  line_id: string;
  role: string;
  start_ms: number | null;
  /** Similarity to the topic's guiding sentences (docs/analytics.md), higher is closer. */
  score: number;
  started_at: string;
  created_at: string;
}

export interface InsightDefaultsTable {
  tenant_id: string;
  seeded_at: string;
}

// Indicator subscriptions and outgoing e-mail (0018)

export interface IndicatorSubscriptionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  indicator_id: string;
  /** string[] of indicator_keywords ids, or null for every keyword of the indicator. */
  keyword_ids: unknown;
  /** continuous | daily | weekly | monthly */
  frequency: string;
  /** Digests: the end of the period the last digest covered (the next one starts there). */
  period_end: string | null;
  /** Digests: when the next one is due; null when continuous. */
  next_due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionDeliveriesTable {
  subscription_id: string;
  conversation_id: string;
  sent_at: string;
}

export interface NotificationOutboxTable {
  id: string;
  tenant_id: string;
  user_id: string | null;
  /** subscription_alert | subscription_digest | test */
  kind: string;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  /** Extra headers (List-Unsubscribe), a JSON object or null. */
  headers: unknown;
  /** pending | sent | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

// Uploaded imports (0024)

export interface ImportRunsTable {
  id: string;
  tenant_id: string;
  created_by: string | null;
  created_by_name: string;
  /** queued | running | done | failed */
  status: string;
  /** auto | files | connect as asked; the detected one is in the summary */
  format: string;
  dry_run: number;
  file_count: number;
  total_bytes: number;
  job_id: string | null;
  total: number | null;
  done: number;
  current_label: string | null;
  /** The ImportSummary (JSON) once done. */
  summary: unknown;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface ImportFilesTable {
  run_id: string;
  /** "/"-separated, relative to the upload's root. */
  path: string;
  blob_id: string;
  size: number;
}

// Quality management (0026). Definitions, answers and prefill are JSON (src/quality/model.ts has their shapes).

export interface ScorecardsTable {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  latest_version: number;
  archived_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScorecardVersionsTable {
  id: string;
  tenant_id: string;
  scorecard_id: string;
  version: number;
  definition: unknown;
  created_by: string | null;
  created_at: string;
}

export interface EvaluationsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  agent_user_id: string;
  scorecard_id: string;
  scorecard_version_id: string;
  evaluator_user_id: string;
  /** review | calibration (src/quality/model.ts EvaluationKind). */
  kind: string;
  calibration_id: string | null;
  /** planned | draft | submitted. */
  status: string;
  /** none | acknowledged | disputed | reaffirmed | reevaluated. */
  response_status: string;
  planned_by: string | null;
  planned_at: string | null;
  due_at: string | null;
  reminded_at: string | null;
  started_at: string | null;
  submitted_at: string | null;
  /** 0 until first submitted; each submission (a re-evaluation too) adds one and writes evaluation_revisions. */
  revision: number;
  answers: unknown;
  general_comment: string | null;
  score: number | null;
  max_score: number | null;
  percent: number | null;
  passed: number | null;
  auto_failed: number;
  auto_fail_reason: string | null;
  prefill: unknown;
  acknowledged_at: string | null;
  auto_acknowledged: number;
  created_at: string;
  updated_at: string;
}

export interface EvaluationRevisionsTable {
  id: string;
  tenant_id: string;
  evaluation_id: string;
  revision: number;
  evaluator_user_id: string;
  answers: unknown;
  general_comment: string | null;
  score: number;
  max_score: number;
  percent: number;
  passed: number | null;
  auto_failed: number;
  submitted_at: string;
}

export interface EvaluationCommentsTable {
  id: string;
  tenant_id: string;
  evaluation_id: string;
  author_user_id: string;
  /** The player position the comment points at, or null for a comment on the whole evaluation. */
  position_ms: number | null;
  body: string;
  created_at: string;
}

export interface EvaluationDisputesTable {
  id: string;
  tenant_id: string;
  evaluation_id: string;
  /** The revision disputed. */
  revision: number;
  raised_by: string;
  reason: string;
  raised_at: string;
  /** null while open; reaffirmed | reevaluated. */
  outcome: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_comment: string | null;
}

export interface CalibrationsTable {
  id: string;
  tenant_id: string;
  name: string;
  conversation_id: string;
  agent_user_id: string;
  scorecard_id: string;
  scorecard_version_id: string;
  reference_user_id: string | null;
  /** open | closed. */
  status: string;
  due_at: string | null;
  created_by: string;
  created_at: string;
  closed_at: string | null;
}

export interface OfflineInteractionsTable {
  conversation_id: string;
  tenant_id: string;
  channel: string;
  notes: string;
  file_blob_id: string | null;
  file_name: string | null;
  file_content_type: string | null;
  file_bytes: number | null;
  created_by: string;
  created_at: string;
}

export interface MomentsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  name: string;
  start_ms: number;
  end_ms: number;
  /** pending | ready | failed (reason says why). */
  status: string;
  reason: string | null;
  clip_blob_id: string | null;
  /** 0030: the clip from the redacted PCM (null when the conversation had no PII), its size, whether PII was known. */
  redacted_clip_blob_id?: string | null;
  clip_bytes?: number | null;
  clip_pii?: number | null;
  /** 0030: why the moment was saved (optional, shown with it). */
  note?: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface MomentSharesTable {
  id: string;
  tenant_id: string;
  moment_id: string;
  /** SHA-256 of the link's token; the token itself is shown once. */
  token_hash: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  plays: number;
  last_played_at: string | null;
  created_by: string;
  created_at: string;
}

export interface NotificationPreferencesTable {
  user_id: string;
  /** A notification kind (evaluation_assigned, evaluation_reminder, evaluation_submitted, dispute_raised, …). */
  event: string;
  tenant_id: string;
  email: number;
}

// Recorder control, assurance and quality (0041, issue 13)

export interface RecordingModesTable {
  id: string;
  tenant_id: string;
  /** agent (value = user id) | number (value = digits and +, a prefix) | default (value = '') */
  kind: string;
  value: string;
  /** always | pause_resume | on_demand */
  mode: string;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecorderCallControlTable {
  /** recorder_calls.id */
  call_id: string;
  tenant_id: string;
  call_ref: string;
  mode: string;
  /** What chose the mode: "agent:<id>", "number:<prefix>", "default". */
  mode_source: string | null;
  policy_record: number;
  policy_rule_id: string | null;
  policy_rule_name: string | null;
  policy_reason: string | null;
  assessed_at: string | null;
  created_at: string;
}

export interface RecorderControlRequestsTable {
  id: string;
  tenant_id: string;
  call_id: string;
  /** start | stop | pause | resume */
  action: string;
  requested_by: string | null;
  requested_at: string;
  applied_at: string | null;
  /** applied | ended (the call was gone) | error: … */
  result: string | null;
}

export interface RecordingAssuranceEventsTable {
  id: string;
  tenant_id: string;
  call_id: string | null;
  call_ref: string;
  conversation_id: string | null;
  /** An AssuranceFlag (src/recorder/model.ts) or src_stopped. */
  flag: string;
  detail: string;
  call_started_at: string;
  created_at: string;
  notified_at: string | null;
}

export interface RecordingQualityTable {
  conversation_id: string;
  call_id: string;
  label: string;
  tenant_id: string;
  participant: string | null;
  role: string | null;
  packets_expected: number;
  packets_received: number;
  packets_lost: number;
  packets_late: number;
  packets_duplicate: number;
  jitter_ms: number;
  mos: number | null;
  longest_gap_ms: number;
  /** JSON QualityInterval[] when the media pool measured per interval; null otherwise. */
  intervals: unknown;
  poor: number;
  created_at: string;
}

export interface RecorderSourceProbesTable {
  tenant_id: string;
  /** host:port (or sip: URI) of the SRC probed with OPTIONS. */
  target: string;
  name: string | null;
  last_probe_at: string | null;
  last_ok_at: string | null;
  last_status: string | null;
  last_error: string | null;
  failing_since: string | null;
  notified_at: string | null;
}

// The recorder's signalling state (0039)

export interface RecorderCallsTable {
  id: string;
  tenant_id: string;
  /** The recorded call's own reference (the SRC's Call-ID / UCID): the handle of /api/recordings/{callRef}. */
  call_ref: string;
  /** RFC 7866 recording session id (or the dialog's Call-ID without metadata). */
  session_id: string;
  /** The recording dialog's Call-ID. */
  sip_call_id: string;
  /** The recorder_sources row that let the call in (null: admitted by a rule that is gone). */
  source: string | null;
  remote_address: string | null;
  /** udp | tcp | tls */
  transport: string | null;
  vendor: string;
  /** The recorder process that holds the dialog and the media. */
  node: string;
  /** RecordingState */
  state: string;
  direction: string;
  /** JSON SiprecParticipant[] */
  participants: unknown;
  /** JSON StreamAnswer[] */
  streams: unknown;
  /** JSON SiprecMetadata (the latest snapshot) */
  metadata: unknown;
  agent_user_id: string | null;
  group_id: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  /** bye | cancel | timeout | error | shutdown | recovered */
  end_reason: string | null;
  paused_ms: number;
  pause_started_at: string | null;
  /** 1 while the SRC holds the call paused by re-INVITE (a=inactive); the API's hold is its last control request (0046). */
  src_paused: number;
  /** always | always_pause | on_demand */
  control_mode: string;
  /** JSON StreamQuality[] */
  quality: unknown;
  /** JSON AssuranceFlag[] */
  flags: unknown;
  conversation_id: string | null;
  updated_at: string;
}

/** A recorder process and its internal listen-in address (0046): how an API process reaches the node owning a call. */
export interface RecorderNodesTable {
  node: string;
  /** ws(s)://host:port of the recorder's internal listen endpoint; null when it serves none. */
  listen_url: string | null;
  pid: number | null;
  started_at: string;
  seen_at: string;
}

export interface RecorderSourcesTable {
  id: string;
  tenant_id: string;
  name: string;
  /** An IPv4/IPv6 address or CIDR the SRC sends from. */
  address: string | null;
  /** A TLS client certificate identity (subject CN or a SAN DNS/URI) for TLS sources. */
  tls_identity: string | null;
  vendor: string;
  /** Where to send OPTIONS keep-alives (null: none). */
  ping_uri: string | null;
  enabled: number;
  calls: number;
  last_seen_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecorderRefusalsTable {
  address: string;
  reason: string;
  transport: string;
  count: number;
  first_at: string;
  last_at: string;
}

export interface RecorderPartyRulesTable {
  id: string;
  tenant_id: string;
  position: number;
  /** number (explicit number or AOR) | extension_range | domain */
  kind: string;
  value: string;
  value_to: string | null;
  /** agent | customer */
  role: string;
  user_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

// Recording policies and vCon exports (0038)

export interface RecordingPoliciesTable {
  id: string;
  tenant_id: string;
  name: string;
  /** Evaluation order, 0 first; the first enabled rule that matches decides. */
  position: number;
  enabled: number;
  /** call | screen | all */
  applies_to: string;
  /** record | sample | skip */
  action: string;
  sample_percent: number | null;
  /** JSON text arrays; empty = any. Numbers may end with * (prefix). */
  numbers: string;
  agent_user_ids: string;
  queues: string;
  directions: string;
  /** Matches only calls known to be shorter than this many seconds. */
  shorter_than_s: number | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface VconExportsTable {
  id: string;
  tenant_id: string;
  /** queued | running | done | failed */
  status: string;
  /** JSON text: { conversationIds } or { query, filters } */
  scope: string;
  inline_media: number;
  total: number;
  done: number;
  skipped: number;
  blob_id: string | null;
  file_name: string | null;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

// Archiving (0037): the tenant's archive settings, its targets (primary, secondary) and one row per copied object.
export interface ArchiveConfigsTable {
  tenant_id: string;
  enabled: number;
  name_template: string;
  time_zone: string;
  /** none (the decrypted original) | pgp (encrypted to public_key). */
  encryption: string;
  public_key: string | null;
  public_key_fingerprint: string | null;
  include_older: number;
  enabled_at: string | null;
  updated_at: string;
}

export interface ArchiveTargetsTable {
  id: string;
  tenant_id: string;
  /** primary | secondary */
  role: string;
  /** folder | sftp | s3 | ftp */
  kind: string;
  settings: unknown;
  /** The secrets as sealed JSON (src/notify/secrets.ts); never sent to a browser. */
  secret: string | null;
  /** SFTP: the server's host key fingerprint (SHA256:…), pinned on first contact. */
  host_key: string | null;
  last_test_at: string | null;
  last_test_ok: number | null;
  last_test_message: string | null;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
}

export interface ArchiveItemsTable {
  id: string;
  tenant_id: string;
  target_id: string;
  role: string;
  conversation_id: string;
  segment_id: string;
  blob_id: string;
  path: string;
  /** pending | uploading | done | failed */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  size: number | null;
  sha256: string | null;
  sidecar_sha256: string | null;
  encrypted: number;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

// Retention, legal hold, deletion (0036)

export interface RetentionPoliciesTable {
  id: string;
  tenant_id: string;
  /** default (one per tenant) | rule */
  kind: string;
  name: string;
  /** Rules are tried in this order; the first enabled one that matches decides. */
  position: number;
  enabled: number;
  /** Null: keep forever. */
  period_days: number | null;
  /** media | conversation */
  scope: string;
  /** JSON RetentionConditions (src/compliance/retention/schemas.ts); null on the default. */
  conditions: unknown;
  confirmed_all_at: string | null;
  confirmed_all_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface LegalHoldsTable {
  id: string;
  tenant_id: string;
  name: string;
  reason: string;
  owner_id: string | null;
  /** rule | list */
  kind: string;
  /** The canonical search filter of a rule hold; null for a list. */
  filter: unknown;
  /** active | released */
  status: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  released_at: string | null;
  released_by: string | null;
  release_reason: string | null;
}

export interface LegalHoldConversationsTable {
  hold_id: string;
  conversation_id: string;
  tenant_id: string;
  added_at: string;
  added_by: string | null;
}

export interface DeletionsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  /** media | conversation */
  scope: string;
  /** planned | done */
  status: string;
  /** person | policy | anonymization */
  origin: string;
  policy_id: string | null;
  reason: string;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: string;
  finished_at: string | null;
  bytes: number;
}

export interface DeletedBlobsTable {
  blob_id: string;
  tenant_id: string;
  deletion_id: string;
  /** What the object was (audio, pcm, peaks, redacted_pcm, clip, attachment, …). */
  kind: string;
  sha256: string;
  size: number;
  storage_key: string;
  shredded_at: string | null;
  removed_at: string | null;
}

// Anonymization (0035)

export interface AnonymizationRunsTable {
  id: string;
  tenant_id: string;
  requested_by: string | null;
  requested_by_name: string;
  /** JSON { conversationIds } or { filter } as confirmed. */
  scope: unknown;
  /** JSON { parts, customFieldIds }: what the tenant's setup said when the run was confirmed. */
  parts: unknown;
  /** delete | redact | keep: what happens to the media files. */
  audio: string;
  /** queued | running | done | failed */
  status: string;
  total: number;
  done: number;
  anonymized: number;
  skipped: number;
  job_id: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface AnonymizationItemsTable {
  run_id: string;
  conversation_id: string;
  /** pending | anonymized | skipped */
  status: string;
  /** Why it was skipped (its protections, gone, redaction not ready). */
  reason: string | null;
}

// Single sign-on and SCIM (0043)

export interface SsoSettingsTable {
  tenant_id: string;
  /** 1: passwords sign in; 0: only the break-glass user may use a password. */
  password_login: number;
  break_glass_user_id: string | null;
  jit: number;
  /** JSON string[] */
  default_role_ids: unknown;
  /** JSON MappingRule[] (src/auth/sso/mapping.ts) */
  mapping_rules: unknown;
  updated_at: string;
}

export interface SsoProvidersTable {
  id: string;
  tenant_id: string;
  /** oidc | saml */
  kind: string;
  name: string;
  enabled: number;
  /** JSON OidcConfig | SamlConfig (src/auth/sso/model.ts) */
  config: unknown;
  created_at: string;
  updated_at: string;
}

export interface SsoIdentitiesTable {
  provider_id: string;
  subject: string;
  tenant_id: string;
  user_id: string;
  created_at: string;
  last_login_at: string | null;
}

export interface SsoRequestsTable {
  id: string;
  tenant_id: string;
  provider_id: string;
  code_verifier: string | null;
  nonce: string | null;
  binding_hash: string | null;
  return_to: string | null;
  created_at: string;
  expires_at: string;
}

export interface SamlAssertionsSeenTable {
  provider_id: string;
  assertion_id: string;
  expires_at: string;
}

export interface ScimTokensTable {
  tenant_id: string;
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface ScimUsersTable {
  user_id: string;
  tenant_id: string;
  external_id: string | null;
  given_name: string | null;
  family_name: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DirectoryGroupsTable {
  id: string;
  tenant_id: string;
  display_name: string;
  external_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DirectoryGroupMembersTable {
  group_id: string;
  user_id: string;
}

/** Daily counts for the dashboard and call reports (0042): one row per day, channel, direction, group and agent ('' = none). */
export interface ConversationDailyTable {
  tenant_id: string;
  day: string;
  channel: string;
  direction: string;
  group_key: string;
  agent_key: string;
  conversations: number;
  duration_ms: number | string;
  longest_ms: number | string;
  talk_ms: number | string;
  sentiment_sum: number;
  sentiment_n: number;
}

export interface ConversationDailyTagsTable {
  tenant_id: string;
  day: string;
  group_key: string;
  tag_id: string;
  conversations: number;
}

/** The day and cell each conversation was last counted in (0042), so a refresh also corrects the cell it left. */
export interface ConversationDailyMembersTable {
  conversation_id: string;
  tenant_id: string;
  day: string;
  channel: string;
  direction: string;
  group_key: string;
  agent_key: string;
}

/** A scheduled report e-mail (0042): a user receives a report daily, weekly or monthly. */
export interface ReportSchedulesTable {
  id: string;
  tenant_id: string;
  user_id: string;
  report: string;
  frequency: string;
  group_id: string | null;
  /** The last period sent (YYYY-MM-DD of its first day), so a period is sent once. */
  last_period: string | null;
  created_at: string;
}

// Webhooks (0044)

export interface WebhookEndpointsTable {
  id: string;
  tenant_id: string;
  name: string;
  url: string;
  /** JSON array of event types (src/platform/events). */
  events: unknown;
  /** The signing secret, sealed under the tenant key. */
  secret: string;
  /** The secret before the last rotation, still signed with until previous_secret_until. */
  previous_secret: string | null;
  previous_secret_until: string | null;
  enabled: number;
  disabled_reason: string | null;
  disabled_at: string | null;
  /** Failed attempts in a row since the last success, and when that streak began. */
  failure_streak: number;
  failing_since: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The exact JSON body sent (and re-sent on redelivery). */
  body: string;
  /** pending | succeeded | failed */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  last_response: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  manual: number;
  ok: number;
  status_code: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
  at: string;
}
