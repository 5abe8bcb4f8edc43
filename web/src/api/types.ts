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

/** What the list asks the server for; the search and filter bar will add its fields here. */
export interface ConversationListQuery {
  limit: number;
}

export interface ConversationPage {
  total: number;
  items: ConversationSummary[];
  nextCursor: string | null;
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
