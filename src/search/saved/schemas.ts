// Request and response schemas of saved searches.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { SearchFilter, SearchFilterBody } from '../filter.ts';

export const NAME_MAX = 100;
const strict = { additionalProperties: false } as const;
const Name = Type.String({
  minLength: 1,
  maxLength: NAME_MAX,
  description: "Unique among the owner's saved searches, regardless of case; spaces are trimmed and collapsed",
});

export const SavedSearchParams = Type.Object({ id: Id });
export const SavedSearchListQuery = Type.Object({
  scope: Type.Optional(
    Type.Union([Type.Literal('default'), Type.Literal('tenant')], { description: 'tenant: every saved search of the tenant (lifecycle.manage only)' }),
  ),
});

export const SavedSearchCreate = Type.Object({ name: Name, filter: SearchFilterBody }, strict);
export type SavedSearchCreate = Static<typeof SavedSearchCreate>;

export const SavedSearchPatch = Type.Object(
  { name: Type.Optional(Name), filter: Type.Optional(SearchFilterBody) },
  { ...strict, description: 'A new name, a new filter (replacing the old one whole), or both' },
);
export type SavedSearchPatch = Static<typeof SavedSearchPatch>;

export const SavedSearchRestore = Type.Object(
  {
    undoToken: Type.String({ minLength: 1, maxLength: 200, description: 'The token the DELETE answered with' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_MAX, description: 'Restore under this name (when the old one has been taken meanwhile)' })),
  },
  strict,
);
export type SavedSearchRestore = Static<typeof SavedSearchRestore>;

export const SavedSearchProtect = Type.Object({ protected: Type.Boolean() }, strict);
export type SavedSearchProtect = Static<typeof SavedSearchProtect>;

const Chip = Type.Object({ field: Type.String(), index: Type.Optional(Type.Integer()), label: Type.String() });

export const SavedSearch = Type.Object({
  id: Id,
  name: Type.String(),
  filter: SearchFilter,
  chips: Type.Array(Chip, { description: 'The filter as the chips of the Conversations screen show it' }),
  protected: Type.Boolean({ description: 'Protected searches are kept by anonymization and retention; only lifecycle.manage changes them' }),
  protectedAt: Nullable(Timestamp),
  owner: Nullable(Type.Object({ id: Id, name: Type.String() }, { description: 'Null once the owner has been deleted' })),
  mine: Type.Boolean(),
  canEdit: Type.Boolean({ description: 'Whether the caller may rename, change and delete it' }),
  canProtect: Type.Boolean({ description: 'Whether the caller may protect it or lift its protection (lifecycle.manage)' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SavedSearch = Static<typeof SavedSearch>;

export const SavedSearchList = Type.Object({ items: Type.Array(SavedSearch) });

export const SavedSearchDeleted = Type.Object({
  id: Id,
  name: Type.String(),
  undoToken: Type.String({ description: 'Send it to POST /api/saved-searches/:id/restore before undoExpiresAt to undo' }),
  undoExpiresAt: Timestamp,
});
