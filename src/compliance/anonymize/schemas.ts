import { Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { SearchFilterBody } from '../../search/filter.ts';

export const Audio = Type.Union([Type.Literal('delete'), Type.Literal('redact'), Type.Literal('keep')], {
  description:
    'Media files: delete (planned for deletion, then removed), redact (only the PII spans the transcript found stay silenced in the one copy kept), keep. With media in the compliance setup: delete (default) or redact; without: keep (default) or redact',
});

const Selection = {
  conversationIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100_000, uniqueItems: true, description: 'These conversations (a selection)' })),
  filter: Type.Optional(SearchFilterBody),
};

export const PreviewInput = Type.Object(Selection, { additionalProperties: false });

export const AnonymizeOneInput = Type.Object(
  {
    audio: Type.Optional(Audio),
    confirm: Type.Boolean({ description: 'Must be true: anonymization is permanent' }),
  },
  { additionalProperties: false },
);

export const RunInput = Type.Object(
  {
    ...Selection,
    audio: Type.Optional(Audio),
    confirm: Type.Boolean({ description: 'Must be true: anonymization is permanent' }),
  },
  { additionalProperties: false },
);

const ProtectionView = Type.Object({
  kind: Type.String(),
  holdId: Type.Optional(Type.String()),
  tagId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});

export const Preview = Type.Object({
  total: Type.Integer({ description: 'Conversations the selection means for this user' }),
  checked: Type.Integer({ description: 'How many were checked for protection (the first 10,000; the run checks every one)' }),
  protectedCount: Type.Integer(),
  protected: Type.Array(Type.Object({ conversationId: Type.String(), title: Type.String(), protections: Type.Array(ProtectionView) }), {
    description: 'The first 100 protected ones and why (they are skipped)',
  }),
  alreadyAnonymized: Type.Integer(),
  withMedia: Type.Integer(),
  withPii: Type.Integer({ description: 'Conversations whose transcript found PII spans: the audio redaction option applies to them' }),
  parts: Type.Array(Type.String()),
  customFields: Type.Array(Type.Object({ id: Type.String(), key: Type.String(), label: Type.String() })),
  audioOptions: Type.Array(Type.String()),
});

export const Result = Type.Object({
  conversationId: Type.String(),
  parts: Type.Array(Type.String()),
  media: Type.String({ description: 'planned_for_deletion, redacted, kept, none or already_deleted' }),
  auditEventsRedacted: Type.Integer(),
  legacyAuditEvents: Type.Integer({ description: 'Audit events from before sealed auditing that still hold an erased value' }),
});

export const Run = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'queued, running, done or failed' }),
  total: Type.Integer(),
  done: Type.Integer(),
  anonymized: Type.Integer(),
  skipped: Type.Integer(),
  audio: Type.String(),
  parts: Type.Unknown(),
  jobId: Nullable(Type.String()),
  error: Nullable(Type.String()),
  requestedBy: Type.String(),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  skippedItems: Type.Array(
    Type.Object({ conversationId: Type.String(), title: Nullable(Type.String()), status: Type.String(), reason: Nullable(Type.String()) }),
  ),
});
