// Request and response schemas of manual deletion, protection and the deletions list.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const MAX_DELETE_IDS = 1_000;

export const DeleteRequest = Type.Object(
  {
    conversationIds: Type.Array(Id, { minItems: 1, maxItems: MAX_DELETE_IDS }),
    scope: Type.Union([Type.Literal('media'), Type.Literal('conversation')], {
      description: 'media: the recordings, renditions, waveforms and clips go, the record stays ("Deleted"); conversation: everything',
    }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why (audited)' }),
  },
  { additionalProperties: false },
);
export type DeleteRequest = Static<typeof DeleteRequest>;

export const DeleteResult = Type.Object({
  deletions: Type.Array(Type.Object({ deletionId: Type.String(), conversationId: Type.String() })),
});

export const ProtectionRequest = Type.Object({ conversationIds: Type.Array(Id, { minItems: 1, maxItems: MAX_DELETE_IDS }) }, { additionalProperties: false });

export const Protection = Type.Union([
  Type.Object({ kind: Type.Literal('reviewed') }),
  Type.Object({ kind: Type.Literal('legal_hold'), holdId: Type.String(), name: Type.String() }),
  Type.Object({ kind: Type.Literal('tag'), tagId: Type.String(), name: Type.String() }),
  Type.Object({ kind: Type.Literal('protected_search'), searchId: Type.String(), name: Type.String() }),
]);

export const ProtectionResult = Type.Object({
  items: Type.Array(Type.Object({ conversationId: Type.String(), protections: Type.Array(Protection) }), {
    description: 'Only the protected ones; the others may be deleted or anonymized',
  }),
});

export const DeletionsQuery = Type.Object(
  { conversationId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);
export type DeletionsQuery = Static<typeof DeletionsQuery>;

export const DeletionList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      conversationId: Type.String(),
      scope: Type.String(),
      /** planned | shredded | done | cancelled | superseded */
      status: Type.String(),
      /** person | policy | anonymization */
      origin: Type.String(),
      policyId: Nullable(Type.String()),
      reason: Type.String(),
      requestedBy: Type.String(),
      requestedAt: Timestamp,
      finishedAt: Nullable(Timestamp),
      objects: Type.Integer(),
      bytes: Type.Integer(),
    }),
  ),
});
