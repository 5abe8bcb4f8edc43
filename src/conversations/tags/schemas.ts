// Request and response schemas of tag definitions, tags on conversations and per-segment metadata.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { TagView } from '../schemas.ts';

export const COMMENT_MAX = 1000;
export const METADATA_KEY_PATTERN = '^[A-Za-z0-9_.:-]{1,100}$';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Color = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: 'Hex colour #rrggbb' });
const MetaKey = Type.String({ pattern: METADATA_KEY_PATTERN, description: 'Letters, digits and _ . : - (at most 100)' });
const MetaValue = Type.String({ minLength: 1, maxLength: 2000 });
// No maxLength here on purpose: the service refuses a long comment with reason COMMENT_TOO_LONG, naming the limit and the length.
const Comment = Type.String({ description: `At most ${COMMENT_MAX} characters` });

export const TagDefinition = Type.Object({
  id: Id,
  name: Type.String(),
  color: Type.String(),
  kind: Type.Union([Type.Literal('tag'), Type.Literal('category')]),
  dataKey: Nullable(Type.String()),
  dataValue: Nullable(Type.String()),
  commentRequired: Type.Boolean(),
  preset: Nullable(Type.String({ description: 'flag or comment for the built-in presets, which cannot be deleted' })),
  archived: Type.Boolean({ description: 'Not offered for new tagging; stays on conversations and in the filters' }),
  archivedAt: Nullable(Timestamp),
  protects: Type.Boolean({ description: 'A protection tag (e.g. MiFID II): its conversations cannot be anonymized or deleted' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TagDefinition = Static<typeof TagDefinition>;
export const TagDefinitionWithUsage = Type.Object({ ...TagDefinition.properties, conversations: Type.Integer({ description: 'Conversations carrying it' }) });

export const TagCreate = Type.Object(
  {
    name: Name,
    color: Color,
    dataKey: Type.Optional(Nullable(MetaKey)),
    dataValue: Type.Optional(Nullable(MetaValue)),
    commentRequired: Type.Optional(Type.Boolean()),
    protects: Type.Optional(Type.Boolean({ description: 'A protection tag; needs "manage data life cycle" or "manage legal holds" too' })),
  },
  { additionalProperties: false, description: 'A data tag has both dataKey and dataValue; a plain tag neither' },
);
export type TagCreate = Static<typeof TagCreate>;

export const TagPatch = Type.Object(
  {
    name: Type.Optional(Name),
    color: Type.Optional(Color),
    dataKey: Type.Optional(Nullable(MetaKey)),
    dataValue: Type.Optional(Nullable(MetaValue)),
    commentRequired: Type.Optional(Type.Boolean()),
    archived: Type.Optional(Type.Boolean({ description: 'Archive (not offered for new tagging) or restore' })),
    protects: Type.Optional(Type.Boolean({ description: 'A protection tag; needs "manage data life cycle" or "manage legal holds" too' })),
  },
  { additionalProperties: false },
);
export type TagPatch = Static<typeof TagPatch>;

export const TagParams = Type.Object({ id: Id });
export const ConversationTagParams = Type.Object({ id: Id, tagId: Id });
export const SegmentParams = Type.Object({ id: Id, segmentId: Id });

export const ApplyTag = Type.Object({ tagId: Id, comment: Type.Optional(Nullable(Comment)) }, { additionalProperties: false });
export type ApplyTag = Static<typeof ApplyTag>;
export const EditTagComment = Type.Object({ comment: Nullable(Comment) }, { additionalProperties: false });

export const ConversationTags = Type.Object({ items: Type.Array(TagView) });

export const MetadataPatch = Type.Object(
  {
    set: Type.Optional(Type.Record(MetaKey, MetaValue, { maxProperties: 100, additionalProperties: false })),
    remove: Type.Optional(Type.Array(MetaKey, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type MetadataPatch = Static<typeof MetadataPatch>;

export const SegmentMetadata = Type.Object({
  segmentId: Id,
  metadata: Type.Record(Type.String(), Type.String()),
  dataTags: Type.Array(Type.Object({ tagId: Id, name: Type.String(), color: Type.String(), key: Type.String(), value: Type.String() })),
});
