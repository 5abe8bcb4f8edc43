// Request and response schemas of moments and their share links.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

/** A clip longer than this is a recording, not a moment. */
export const MAX_MOMENT_MS = 10 * 60_000;
export const MIN_MOMENT_MS = 500;
export const MAX_SHARE_DAYS = 90;

export const MomentCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    startMs: Type.Integer({ minimum: 0, description: 'Conversation time (ms from its start), as the player shows it' }),
    endMs: Type.Integer({ minimum: 1 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type MomentCreate = Static<typeof MomentCreate>;

export const MomentPatch = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) },
  { additionalProperties: false },
);
export type MomentPatch = Static<typeof MomentPatch>;

export const ShareCreate = Type.Object(
  { expiresInDays: Type.Integer({ minimum: 1, maximum: MAX_SHARE_DAYS, description: `The link stops working after this many days (1–${MAX_SHARE_DAYS})` }) },
  { additionalProperties: false },
);
export type ShareCreate = Static<typeof ShareCreate>;

export const LibraryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    mine: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type LibraryQuery = Static<typeof LibraryQuery>;

export const Share = Type.Object({
  id: Type.String(),
  createdAt: Timestamp,
  createdBy: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  /** active | expired | revoked */
  state: Type.String(),
  plays: Type.Integer(),
  lastPlayedAt: Nullable(Timestamp),
});

export const Moment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  note: Nullable(Type.String()),
  conversation: Type.Object({ id: Type.String(), title: Nullable(Type.String()), startedAt: Nullable(Type.String()) }),
  startMs: Type.Integer(),
  endMs: Type.Integer(),
  /** pending | ready | failed */
  status: Type.String(),
  reason: Nullable(Type.String()),
  clipUrl: Nullable(Type.String({ description: 'Plays the clip (ranges supported) once ready' })),
  /** The internal link: the conversation opened at the moment, for users who may see it. */
  link: Type.String(),
  createdBy: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Listed to users who may share externally or manage moments; empty otherwise. */
  shares: Type.Array(Share),
});

export const MomentList = Type.Object({ items: Type.Array(Moment), nextCursor: Nullable(Type.String()) });
export const ConversationMoments = Type.Object({ items: Type.Array(Moment) });

export const ShareCreated = Type.Object({
  ...Share.properties,
  /** The public link: shown once (only its hash is stored). */
  url: Type.String(),
});

export const ShareParams = Type.Object({ id: Id, shareId: Id });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });
