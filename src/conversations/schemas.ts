// Request and response schemas of the conversations API (validation, types and OpenAPI from one definition).
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../platform/http/schemas.ts';

const Key = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const ExternalId = Type.String({ minLength: 1, maxLength: 200 });
const StringMap = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 2000 }), { maxProperties: 200 });
/** A link back to the source system: http(s) only, since it is rendered as a link. */
export const HttpUrl = Type.String({
  format: 'uri',
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  maxLength: 2000,
  description: 'Link back to the message in the source system (http or https)',
});
export const Direction = Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('internal')]);
export const Role = Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('other')]);

export const PartyInput = Type.Object(
  {
    key: Key,
    role: Role,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    extension: Type.Optional(Type.String({ maxLength: 40 })),
    externalId: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const CallEventInput = Type.Object(
  {
    type: Type.Union([
      Type.Literal('hold'),
      Type.Literal('resume'),
      Type.Literal('transfer'),
      Type.Literal('consult'),
      Type.Literal('mute'),
      Type.Literal('unmute'),
    ]),
    at: Type.Optional(Timestamp),
    offsetMs: Type.Optional(Type.Integer({ minimum: 0 })),
    party: Type.Optional(Key),
    to: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const AudioInput = Type.Object(
  {
    file: Type.String({ minLength: 1, maxLength: 255, description: 'The multipart file name (or field name) of this audio file' }),
    party: Type.Optional(Key),
    channelMap: Type.Optional(Type.Record(Type.String({ pattern: '^[0-7]$' }), Key, { description: 'Channel index → party key, for stereo files' })),
  },
  { additionalProperties: false },
);

export const CallMetadata = Type.Object(
  {
    callId: ExternalId,
    engagementId: Type.Optional(ExternalId),
    previousCallId: Type.Optional(Type.String({ maxLength: 200, description: 'The call this one was transferred from' })),
    consultOfCallId: Type.Optional(Type.String({ maxLength: 200, description: 'The call on hold this consultation is about' })),
    startTime: Timestamp,
    direction: Direction,
    queue: Type.Optional(Type.String({ maxLength: 200 })),
    agent: Type.Optional(Key),
    parties: Type.Array(PartyInput, { minItems: 1, maxItems: 20 }),
    audio: Type.Optional(Type.Array(AudioInput, { maxItems: 20 })),
    events: Type.Optional(Type.Array(CallEventInput, { maxItems: 1000 })),
    customData: Type.Optional(StringMap),
    metadata: Type.Optional(StringMap),
  },
  { additionalProperties: false },
);
export type CallMetadata = Static<typeof CallMetadata>;

export const ChatInput = Type.Object(
  {
    chatId: ExternalId,
    engagementId: Type.Optional(ExternalId),
    roomName: Type.String({ minLength: 1, maxLength: 300 }),
    direction: Type.Optional(Direction),
    queue: Type.Optional(Type.String({ maxLength: 200 })),
    participants: Type.Array(PartyInput, { minItems: 1, maxItems: 50 }),
    messages: Type.Array(Type.Object({ sender: Key, at: Timestamp, text: Type.String({ maxLength: 20000 }) }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 10000,
    }),
    customData: Type.Optional(StringMap),
    metadata: Type.Optional(StringMap),
  },
  { additionalProperties: false },
);
export type ChatInput = Static<typeof ChatInput>;

export const ScreenMetadata = Type.Object(
  {
    callId: ExternalId,
    recordingId: Type.Optional(ExternalId),
    startTime: Type.Optional(Timestamp),
    monitor: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 })),
  },
  { additionalProperties: false },
);
export type ScreenMetadata = Static<typeof ScreenMetadata>;

export const IngestResult = Type.Object({
  conversationId: Id,
  segmentId: Id,
  duplicate: Type.Boolean({ description: 'True when this external id was already ingested: nothing new was stored' }),
});
export type IngestResult = Static<typeof IngestResult>;

export const ParticipantView = Type.Object({
  id: Id,
  role: Type.String(),
  partyKey: Type.String(),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  extension: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  userName: Nullable(Type.String()),
});
export const TagView = Type.Object({
  tagId: Id,
  name: Type.String(),
  color: Type.String(),
  kind: Type.String({ description: 'tag, or category (what the "By category" view files it under)' }),
  dataKey: Nullable(Type.String()),
  dataValue: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** The Reviewed column: whether it was reviewed, and the latest submitted review the caller may read (issue 11). */
export const ReviewSummary = Type.Object({
  reviewedAt: Nullable(Timestamp),
  latest: Nullable(
    Type.Object({
      evaluationId: Id,
      score: Type.Number(),
      maxScore: Type.Number(),
      percent: Type.Number(),
      passed: Nullable(Type.Boolean()),
      autoFailed: Type.Boolean(),
      submittedAt: Timestamp,
    }),
  ),
  reviews: Type.Integer({ description: 'Submitted reviews the caller may read' }),
});
export const ConversationSummary = Type.Object({
  id: Id,
  title: Type.String(),
  direction: Type.String(),
  startedAt: Timestamp,
  endedAt: Timestamp,
  updatedAt: Timestamp,
  timeZone: Type.String({ description: "The IANA zone its times show in: its site's (the agent's site), else UTC, as the time filters read them" }),
  talkTimeMs: Type.Integer(),
  channels: Type.Array(Type.String()),
  hasScreen: Type.Boolean(),
  reviewable: Type.Boolean(),
  agent: Nullable(Type.Object({ id: Id, name: Type.String() })),
  participants: Type.Array(ParticipantView),
  tags: Type.Array(TagView),
  commentCount: Type.Integer(),
  customFields: Type.Record(Type.String(), Type.String()),
  speechStatus: Type.String({ description: 'Transcription: none, pending, ready, no_speech, no_engine or failed (the detail says why)' }),
  review: ReviewSummary,
  mediaState: Type.Optional(
    Nullable(Type.String({ description: 'Compliance: null while the media is there, planned_for_deletion (still playable) or deleted' })),
  ),
  anonymizedAt: Type.Optional(Nullable(Timestamp)),
});

const Address = Type.Object({ name: Nullable(Type.String()), address: Type.String() });
export const CommentView = Type.Object({
  id: Id,
  authorId: Nullable(Type.String()),
  authorName: Type.String(),
  text: Type.String(),
  offsetMs: Nullable(Type.Integer()),
  pinned: Type.Boolean(),
  visibility: Type.String(),
  mentions: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  edited: Type.Boolean({ description: 'The text, offset, visibility or mentions changed after posting (pinning is not an edit)' }),
});
export const SegmentView = Type.Object({
  id: Id,
  kind: Type.String(),
  externalId: Type.String(),
  parentSegmentId: Nullable(Type.String()),
  direction: Nullable(Type.String()),
  startedAt: Timestamp,
  endedAt: Timestamp,
  durationMs: Type.Integer(),
  queue: Nullable(Type.String()),
  agentUserId: Nullable(Type.String()),
  agentPartyKey: Nullable(Type.String()),
  title: Nullable(Type.String()),
  monitor: Nullable(Type.Integer()),
  sourceUrl: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.String()),
  dataTags: Type.Array(Type.Object({ tagId: Id, name: Type.String(), color: Type.String(), key: Type.String(), value: Type.String() })),
  parties: Type.Array(Type.Object({ partyKey: Type.String(), participantId: Id }), {
    description: 'Who each of this segment\'s party keys is (the legs of a transfer both say "agent" for two different people)',
  }),
  recording: Type.Optional(
    Nullable(
      Type.Object(
        { recorded: Type.Boolean(), ruleId: Nullable(Type.String()), ruleName: Nullable(Type.String()), reason: Nullable(Type.String()) },
        { description: 'The recording policy decision for a call or screen recording (null: taken before recording policies existed)' },
      ),
    ),
  ),
  streams: Type.Array(
    Type.Object({
      id: Id,
      kind: Type.String(),
      partyKey: Nullable(Type.String()),
      channelIndex: Nullable(Type.Integer()),
      fileName: Nullable(Type.String()),
      container: Nullable(Type.String()),
      codec: Nullable(Type.String()),
      sampleRate: Nullable(Type.Integer()),
      channels: Nullable(Type.Integer()),
      durationMs: Type.Integer(),
      status: Type.String(),
      statusReason: Nullable(Type.String()),
    }),
  ),
  events: Type.Array(Type.Object({ type: Type.String(), at: Timestamp, data: Type.Record(Type.String(), Type.Unknown()) })),
  messages: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      senderKey: Type.String(),
      senderName: Nullable(Type.String()),
      senderRole: Type.String(),
      sentAt: Timestamp,
      text: Type.String(),
    }),
  ),
  email: Nullable(
    Type.Object({
      messageId: Type.String(),
      inReplyTo: Nullable(Type.String()),
      subject: Type.String(),
      from: Address,
      to: Type.Array(Address),
      cc: Type.Array(Address),
      sentAt: Nullable(Timestamp),
      text: Type.String(),
      html: Nullable(
        Type.String({
          description: 'The HTML body, sanitised on ingest (no scripts, handlers, styles, images or non-http(s)/mailto links); null for plain-text messages',
        }),
      ),
      attachments: Type.Array(Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() })),
    }),
  ),
});
export const ConversationDetail = Type.Intersect([
  ConversationSummary,
  Type.Object({
    engagementId: Nullable(Type.String()),
    speech: Type.Object({
      status: Type.String({ description: 'none, pending, ready, no_speech, no_engine ("No speech engine configured") or failed' }),
      reason: Nullable(Type.String({ description: 'Why: no engine, the failure after the last attempt, a retry under way' })),
      transcribedAt: Nullable(Timestamp),
    }),
    customData: Type.Record(Type.String(), Type.String()),
    customFieldValues: Type.Array(Type.Object({ fieldId: Id, key: Type.String(), label: Type.String(), type: Type.String(), value: Nullable(Type.String()) })),
    segments: Type.Array(SegmentView),
    comments: Type.Array(CommentView),
  }),
]);
export const ConversationExport = Type.Object({
  exportedAt: Timestamp,
  exportedBy: Type.Object({ id: Type.String(), name: Type.String() }),
  conversation: Type.Unknown({ description: 'The conversation detail without media and without stream file names' }),
});
