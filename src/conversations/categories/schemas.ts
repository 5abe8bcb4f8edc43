// Request and response schemas of categories: definitions (name, colour, archived) and the categories of conversations.
import { Type, type Static } from 'typebox';
import { Id } from '../../platform/http/schemas.ts';
import { TagView } from '../schemas.ts';
import { TagDefinitionWithUsage } from '../tags/schemas.ts';

export const BULK_MAX = 200;
export const CATEGORIES_PER_REQUEST_MAX = 50;

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Color = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: 'Hex colour #rrggbb' });
const CategoryIds = Type.Array(Id, { maxItems: CATEGORIES_PER_REQUEST_MAX });

export const Category = TagDefinitionWithUsage;
export const CategoryList = Type.Object({ items: Type.Array(TagDefinitionWithUsage) });

export const CategoryCreate = Type.Object({ name: Name, color: Color }, { additionalProperties: false });
export type CategoryCreate = Static<typeof CategoryCreate>;

export const CategoryPatch = Type.Object(
  {
    name: Type.Optional(Name),
    color: Type.Optional(Color),
    archived: Type.Optional(Type.Boolean({ description: 'Archive (not offered for new assignments; stays on conversations and in the filters) or restore' })),
  },
  { additionalProperties: false },
);
export type CategoryPatch = Static<typeof CategoryPatch>;

export const CategoryParams = Type.Object({ id: Id });

export const CategoriesPut = Type.Object(
  { categoryIds: Type.Array(Id, { maxItems: CATEGORIES_PER_REQUEST_MAX, description: 'The categories the conversation is filed under, all of them' }) },
  { additionalProperties: false },
);
export type CategoriesPut = Static<typeof CategoriesPut>;

export const ConversationCategories = Type.Object({ items: Type.Array(TagView) });

export const BulkCategories = Type.Object(
  {
    conversationIds: Type.Array(Id, { minItems: 1, maxItems: BULK_MAX, description: `The selected conversations (at most ${BULK_MAX})` }),
    add: Type.Optional(CategoryIds),
    remove: Type.Optional(CategoryIds),
  },
  { additionalProperties: false, description: 'Categories to add to and remove from every selected conversation; the others stay' },
);
export type BulkCategories = Static<typeof BulkCategories>;

export const BulkResult = Type.Object({
  changed: Type.Integer({ description: 'Conversations whose categories changed' }),
  unchanged: Type.Integer({ description: 'Conversations that already had what was asked' }),
});
