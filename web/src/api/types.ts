// Shapes of the API's JSON, as documented in the API contract.

export interface PublicConfig {
  demo: boolean;
  languages: string[];
  version: string;
}

export interface RoleRef {
  id: string;
  name: string;
}

export interface Me {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  name: string;
  language: string;
  permissions: string[];
  roles: RoleRef[];
  groupId: string | null;
  siteId: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface PermissionInfo {
  id: string;
  category: string;
  label: string;
  description: string;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  builtinKey: string | null;
  permissions: string[];
  userCount: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: RoleRef[];
  groupId: string | null;
  siteId: string | null;
  extension: string | null;
  externalId: string | null;
  language: string;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserInput {
  email: string;
  name: string;
  roleIds: string[];
  groupId?: string | null;
  siteId?: string | null;
  extension?: string | null;
  externalId?: string | null;
  language?: string;
  disabled?: boolean;
}

export interface Group {
  id: string;
  name: string;
  parentId: string | null;
  siteId: string | null;
}

export interface Site {
  id: string;
  name: string;
  timeZone: string;
}

export interface Settings {
  name: string;
  language: string;
  sessionTimeoutHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  passwordMinLength: number;
  silenceMinSeconds: number;
  crosstalkMinSeconds: number;
  [extra: string]: unknown;
}

export interface AuditChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface AuditEvent {
  id: string;
  seq: number;
  at: string;
  initiatorId: string | null;
  initiatorName: string | null;
  clientIp: string | null;
  application: string | null;
  resourceType: string;
  resourceId: string | null;
  action: string;
  details: unknown;
  changes: AuditChange[] | null;
}

export interface AuditFilters {
  from?: string;
  to?: string;
  initiator?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  q?: string;
}

export interface AuditVerify {
  intact: boolean;
  checked: number;
  firstBroken: { id: string; seq: number; reason: string } | null;
}

export interface Job {
  id: string;
  type: string;
  status: string;
  progress: number;
  progressNote: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Items<T> {
  items: T[];
}

export interface Page<T> {
  total: number;
  items: T[];
}

// Conversations (see src/conversations/schemas.ts).

export type Direction = 'inbound' | 'outbound' | 'internal';
export type Channel = 'call' | 'chat' | 'email';
export type PartyRole = 'customer' | 'agent' | 'other';
export type SegmentKind = 'call' | 'chat' | 'email' | 'screen';

export interface Participant {
  id: string;
  role: PartyRole;
  partyKey: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  extension: string | null;
  userId: string | null;
  userName: string | null;
}

export interface AppliedTag {
  tagId: string;
  name: string;
  color: string;
  dataKey: string | null;
  dataValue: string | null;
  comment: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  direction: Direction;
  startedAt: string;
  endedAt: string;
  updatedAt: string;
  talkTimeMs: number;
  channels: Channel[];
  hasScreen: boolean;
  reviewable: boolean;
  agent: { id: string; name: string } | null;
  participants: Participant[];
  tags: AppliedTag[];
  commentCount: number;
  customFields: Record<string, string>;
}

export interface MailAddress {
  name: string | null;
  address: string;
}

export interface MediaStream {
  id: string;
  kind: 'audio' | 'video';
  partyKey: string | null;
  channelIndex: number | null;
  fileName: string | null;
  container: string | null;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  durationMs: number;
  status: 'ok' | 'no_audio';
  statusReason: string | null;
}

export interface SegmentEvent {
  type: 'hold' | 'resume' | 'transfer' | 'consult' | 'mute' | 'unmute';
  at: string;
  data: Record<string, unknown>;
}

export interface ChatMessage {
  seq: number;
  senderKey: string;
  senderName: string | null;
  senderRole: PartyRole;
  sentAt: string;
  text: string;
}

export interface EmailMessage {
  messageId: string;
  inReplyTo: string | null;
  subject: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  sentAt: string | null;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

export interface Segment {
  id: string;
  kind: SegmentKind;
  externalId: string;
  parentSegmentId: string | null;
  direction: Direction | null;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  queue: string | null;
  agentUserId: string | null;
  agentPartyKey: string | null;
  title: string | null;
  monitor: number | null;
  sourceUrl: string | null;
  metadata: Record<string, string>;
  dataTags: { tagId: string; name: string; color: string; key: string; value: string }[];
  streams: MediaStream[];
  events: SegmentEvent[];
  messages: ChatMessage[];
  email: EmailMessage | null;
}

export type CommentVisibility = 'public' | 'private';

export interface ConversationComment {
  id: string;
  authorId: string | null;
  authorName: string;
  text: string;
  offsetMs: number | null;
  pinned: boolean;
  visibility: CommentVisibility;
  mentions: string[];
  createdAt: string;
  updatedAt: string;
}

export type CustomFieldType = 'text' | 'date' | 'option';

export interface CustomFieldValue {
  fieldId: string;
  key: string;
  label: string;
  type: CustomFieldType;
  value: string | null;
}

export interface ConversationDetail extends ConversationSummary {
  engagementId: string | null;
  customData: Record<string, string>;
  customFieldValues: CustomFieldValue[];
  segments: Segment[];
  comments: ConversationComment[];
}

/** What the list asks the server for: the page size and the search filter (the text query included). */
export interface ConversationListQuery {
  limit: number;
  filter: SearchFilterInput;
}

export interface ConversationPage {
  total: number;
  items: ConversationSummary[];
  nextCursor: string | null;
}

// Search (see src/search/filter.ts, src/search/filters/*.ts and src/search/saved/schemas.ts).

export type Period =
  | {
      kind:
        | 'all_time'
        | 'today'
        | 'yesterday'
        | 'this_week'
        | 'previous_week'
        | 'this_month'
        | 'previous_month'
        | 'this_quarter'
        | 'previous_quarter'
        | 'this_year'
        | 'previous_year';
    }
  | { kind: 'last_days'; days: number }
  | { kind: 'older_than_days'; days: number }
  | { kind: 'custom'; from: string; to: string };
export type PeriodKind = Period['kind'];

export type CustomDataOp =
  | { op: 'starts_with' | 'contains' | 'ends_with' | 'equals' | 'not_equals' | 'lt' | 'lte' | 'gte' | 'gt'; value: string }
  | { op: 'in'; values: string[] }
  | { op: 'is_empty' | 'not_empty' }
  | { op: 'pattern' | 'regex'; pattern: string }
  | { op: 'before' | 'after'; date: string }
  | { op: 'between'; from: string; to: string }
  | { op: 'older_than_days' | 'newer_than_days'; days: number };
export type CustomDataOpName = CustomDataOp['op'];

export type DurationBucket = 'very_short' | 'short' | 'normal' | 'long' | 'very_long';
export type FilterDirection = 'inbound_or_outbound' | 'inbound' | 'outbound' | 'internal';
export type Confidence = 'certainly' | 'probably' | 'maybe';
export interface SpeechTagCondition {
  tagId: string;
  confidence: Confidence;
}
export interface CustomDataCondition {
  fieldKey: string;
  op: CustomDataOp;
}
export type FilterView = 'all' | 'mine' | 'unassigned' | { userId: string } | { tagId: string };
export type SearchSort = 'relevance' | 'newest';

/** A search filter as the client sends it: every field optional; null = absent, except period (null = all time). */
export interface SearchFilterInput {
  version?: number;
  q?: string | null;
  period?: Period | null;
  daysOfWeek?: number[] | null;
  timeOfDay?: { from: string; to: string } | null;
  duration?: DurationBucket | { min: string; max: string } | null;
  phone?: string | null;
  channels?: Channel[] | null;
  screen?: 'with' | 'without' | null;
  direction?: FilterDirection | null;
  agentId?: string | null;
  tags?: string[] | null;
  speechTags?: { include: SpeechTagCondition[]; exclude: SpeechTagCondition[] } | null;
  reviewable?: 'reviewable' | 'all' | null;
  customData?: CustomDataCondition[] | null;
  view?: FilterView | null;
  sort?: SearchSort | null;
}

/** The fields a filter chip (and its editor) stands for. */
export type FilterField = Exclude<keyof SearchFilterInput, 'version' | 'q'>;

export interface FilterChip {
  field: string;
  /** For customData: which condition. */
  index?: number;
  label: string;
}

export type TextRange = [start: number, end: number];

export interface SearchHighlight {
  text: string;
  ranges: TextRange[];
  count: number;
}

export type SearchRow = ConversationSummary & { highlight?: SearchHighlight | null };

export interface SearchPage {
  total: number;
  totalExact: boolean;
  items: SearchRow[];
  nextCursor: string | null;
  /** The filter in canonical form (defaults filled). */
  filter: SearchFilterInput;
  chips: FilterChip[];
  /** Query words ignored as stop words. */
  ignored: string[];
}

export interface SearchOptions {
  tags: { id: string; name: string; color: string; dataKey: string | null; dataValue: string | null }[];
  speechTags: { id: string; name: string }[];
  customFields: { key: string; label: string; type: CustomFieldType; options: string[] }[];
  views: { unassigned: boolean };
}

export interface AgentSuggestion {
  id: string;
  name: string;
  email: string | null;
  extension: string | null;
}

export interface SavedSearch {
  id: string;
  name: string;
  filter: SearchFilterInput;
  chips: FilterChip[];
  protected: boolean;
  protectedAt: string | null;
  owner: { id: string; name: string } | null;
  mine: boolean;
  canEdit: boolean;
  canProtect: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SavedSearchDeleted {
  id: string;
  name: string;
  undoToken: string;
  undoExpiresAt: string;
}

export type HighlightPlace = 'chat_message' | 'email_subject' | 'email_body' | 'tag_comment' | 'room_name';

export interface ConversationHighlight {
  where: HighlightPlace;
  segmentId: string | null;
  seq: number | null;
  tagId: string | null;
  ranges: TextRange[];
}

export interface TagDefinition {
  id: string;
  name: string;
  color: string;
  dataKey: string | null;
  dataValue: string | null;
  commentRequired: boolean;
  /** 'flag' or 'comment' for the built-in presets, null for the tenant's own tags. */
  preset: string | null;
}

export interface CustomFieldDefinition {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  showInList: boolean;
  position: number;
}

export interface CommentInput {
  text: string;
  offsetMs?: number;
  pinned?: boolean;
  visibility: CommentVisibility;
  mentions?: string[];
}
