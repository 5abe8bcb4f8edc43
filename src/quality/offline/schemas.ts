// Request and response schemas of offline interactions.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const OfflineMetadata = Type.Object(
  {
    agentUserId: Id,
    startedAt: Timestamp,
    durationMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 60, default: 0 })),
    channel: Type.Union([
      Type.Literal('phone'),
      Type.Literal('in_person'),
      Type.Literal('email'),
      Type.Literal('chat'),
      Type.Literal('social'),
      Type.Literal('letter'),
      Type.Literal('other'),
    ]),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    customerName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    customerContact: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'A phone number or e-mail address' }))),
    notes: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);
export type OfflineMetadata = Static<typeof OfflineMetadata>;

export const OfflineFile = Type.Object({ name: Type.String(), contentType: Type.String(), bytes: Type.Integer(), url: Type.String() });

export const OfflineInteraction = Type.Object({
  conversationId: Type.String(),
  title: Nullable(Type.String()),
  channel: Type.String(),
  notes: Type.String(),
  startedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  agent: Type.Object({ id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  file: Nullable(OfflineFile),
  createdBy: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
  createdAt: Timestamp,
});

export const OfflineList = Type.Object({ items: Type.Array(OfflineInteraction), nextCursor: Nullable(Type.String()) });
export const OfflineListQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export const OfflinePatch = Type.Object({ notes: Type.String({ maxLength: 20_000 }) }, { additionalProperties: false });
