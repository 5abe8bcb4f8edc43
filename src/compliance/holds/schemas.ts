// Request and response schemas of legal holds.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { SearchFilter, SearchFilterBody } from '../../search/filter.ts';

/** Ids per request when adding or removing conversations; a hold itself has no cap (add in several requests). */
export const MAX_IDS_PER_REQUEST = 5_000;

const Name = Type.String({ minLength: 1, maxLength: 200, description: 'The case name, e.g. "Acme v. Smith"' });
const Reason = Type.String({ maxLength: 2000, description: 'Why the conversations are kept (the matter, the request)' });

export const HoldCreate = Type.Object(
  {
    name: Name,
    reason: Type.Optional(Reason),
    ownerId: Type.Optional(Nullable(Id)),
    kind: Type.Union([Type.Literal('rule'), Type.Literal('list')], {
      description: 'rule: everything the filter matches, now and while the hold is active; list: the conversations named',
    }),
    filter: Type.Optional(SearchFilterBody),
    savedSearchId: Type.Optional(Id),
    conversationIds: Type.Optional(Type.Array(Id, { maxItems: MAX_IDS_PER_REQUEST })),
  },
  { additionalProperties: false },
);
export type HoldCreate = Static<typeof HoldCreate>;

export const HoldPatch = Type.Object(
  {
    name: Type.Optional(Name),
    reason: Type.Optional(Reason),
    ownerId: Type.Optional(Nullable(Id)),
    filter: Type.Optional(SearchFilterBody),
  },
  { additionalProperties: false },
);
export type HoldPatch = Static<typeof HoldPatch>;

export const HoldRelease = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export type HoldRelease = Static<typeof HoldRelease>;

export const HoldMembers = Type.Object({ conversationIds: Type.Array(Id, { minItems: 1, maxItems: MAX_IDS_PER_REQUEST }) }, { additionalProperties: false });
export type HoldMembers = Static<typeof HoldMembers>;

export const MembersQuery = Type.Object(
  { after: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);
export type MembersQuery = Static<typeof MembersQuery>;

const Person = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));

export const Hold = Type.Object({
  id: Type.String(),
  name: Type.String(),
  reason: Type.String(),
  owner: Person,
  kind: Type.String(),
  filter: Nullable(SearchFilter),
  chips: Type.Array(Type.Object({ field: Type.String(), label: Type.String() })),
  /** active | released */
  status: Type.String(),
  conversations: Type.Integer({ description: 'Conversations held now (a rule: matching now)' }),
  createdAt: Timestamp,
  createdBy: Person,
  releasedAt: Nullable(Timestamp),
  releasedBy: Person,
  releaseReason: Nullable(Type.String()),
});
export type Hold = Static<typeof Hold>;

export const HoldList = Type.Object({ items: Type.Array(Hold) });

export const HoldMemberPage = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), title: Nullable(Type.String()), startedAt: Nullable(Type.String()), addedAt: Nullable(Timestamp) })),
  next: Nullable(Type.String()),
});

export const MembersChanged = Type.Object({ changed: Type.Integer(), conversations: Type.Integer() });
