// Request and response schemas of comments (notes) on conversations.
import { Type, type Static } from 'typebox';
import { Id } from '../../platform/http/schemas.ts';
import { CommentView } from '../schemas.ts';

export const TEXT_MAX = 5000;
export const MENTIONS_MAX = 50;

const Text = Type.String({ minLength: 1, maxLength: TEXT_MAX, description: 'Mentions are written @[Name](userId)' });
// A type list rather than anyOf [integer, null]: with the app's type coercion, anyOf would turn null into 0.
const OffsetMs = Type.Unsafe<number | null>({
  type: ['integer', 'null'],
  minimum: 0,
  description: 'Position in the recording in ms, or null; not beyond the talk time of a conversation with calls',
});
const Visibility = Type.Union([Type.Literal('public'), Type.Literal('private')], { description: 'private: only the author sees it' });
const Mentions = Type.Array(Id, { maxItems: MENTIONS_MAX, description: 'User ids mentioned besides the @[Name](userId) tokens in the text' });

export const CommentCreate = Type.Object(
  {
    text: Text,
    offsetMs: Type.Optional(OffsetMs),
    pinned: Type.Optional(Type.Boolean()),
    visibility: Type.Optional(Visibility),
    mentions: Type.Optional(Mentions),
  },
  { additionalProperties: false },
);
export type CommentCreate = Static<typeof CommentCreate>;

export const CommentPatch = Type.Object(
  {
    text: Type.Optional(Text),
    offsetMs: Type.Optional(OffsetMs),
    pinned: Type.Optional(Type.Boolean()),
    visibility: Type.Optional(Visibility),
    mentions: Type.Optional(Mentions),
  },
  { additionalProperties: false, description: 'Only the author may change a comment, except `pinned`, which anyone who may comment can toggle' },
);
export type CommentPatch = Static<typeof CommentPatch>;

export const ConversationParams = Type.Object({ id: Id });
export const CommentParams = Type.Object({ id: Id, commentId: Id });
export const Comment = CommentView;
export const MentionableQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a name or e-mail' })) },
  { additionalProperties: false },
);
export const MentionableList = Type.Object({ items: Type.Array(Type.Object({ id: Id, name: Type.String(), email: Type.String() })) });
export const CommentList = Type.Object({ items: Type.Array(CommentView) });
