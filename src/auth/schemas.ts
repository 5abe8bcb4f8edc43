import { Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../platform/http/schemas.ts';

export const RoleRef = Type.Object({ id: Id, name: Type.String() });

export const TimeDisplay = Type.Union([Type.Literal('site'), Type.Literal('mine')], {
  description: "Where conversation times show: in the site's time zone (as the time filters read them) or in the user's own (the browser's)",
});

export const Me = Type.Object({
  id: Id,
  tenantId: Id,
  tenantName: Type.String(),
  email: Type.String(),
  name: Type.String(),
  language: Type.String({ description: "The UI language: the user's own, else their group's, else the organisation's" }),
  ownLanguage: Nullable(Type.String({ description: 'The language the user chose; null = follows their group or organisation' })),
  defaultLanguage: Type.String({ description: "What the user gets without a choice of their own: their group's, else the organisation's" }),
  timeDisplay: TimeDisplay,
  permissions: Type.Array(Type.String()),
  roles: Type.Array(RoleRef),
  groupId: Nullable(Id),
  siteId: Nullable(Id),
  organisationWide: Type.Boolean({
    description: 'Whether the user sees the whole organisation (not scoped to groups); organisation-wide lists (audit trail, jobs) need it',
  }),
  /** The organisation's password policy, so forms check what the server will (the server checks again). */
  passwordMinLength: Type.Integer(),
});

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  tenant: Type.Optional(Type.String({ maxLength: 200 })),
  language: Type.Optional(Type.String({ maxLength: 10, description: 'The language chosen on the sign-in page: saved on the profile' })),
});

export const MePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    language: Type.Optional(Nullable(Type.String({ maxLength: 10, description: 'null: no language of my own, follow my group or organisation' }))),
    timeDisplay: Type.Optional(TimeDisplay),
  },
  { additionalProperties: false },
);
export const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200 }),
});

export const Token = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String(),
  expiresAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export const TokenCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleRef),
  groupId: Nullable(Id),
  siteId: Nullable(Id),
  extension: Nullable(Type.String()),
  externalId: Nullable(Type.String()),
  language: Nullable(Type.String({ description: "The user's own language; null = their group's, else the organisation's" })),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
  lastLoginAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
const userFields = {
  email: Type.String({ minLength: 3, maxLength: 320 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  roleIds: Type.Array(Id, { maxItems: 50 }),
  groupId: Type.Optional(Nullable(Id)),
  siteId: Type.Optional(Nullable(Id)),
  extension: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  externalId: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  language: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
};
export const UserCreate = Type.Object({ ...userFields, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const UserPatch = Type.Object(
  {
    email: Type.Optional(userFields.email),
    name: Type.Optional(userFields.name),
    roleIds: Type.Optional(userFields.roleIds),
    groupId: userFields.groupId,
    siteId: userFields.siteId,
    extension: userFields.extension,
    externalId: userFields.externalId,
    language: userFields.language,
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UserQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});
export const NewPassword = Type.Object({ newPassword: Type.String({ minLength: 1, maxLength: 200 }) });

export const Permission = Type.Object({ id: Type.String(), category: Type.String(), label: Type.String(), description: Type.String() });
export const Role = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  builtinKey: Nullable(Type.String()),
  permissions: Type.Array(Type.String()),
  userCount: Type.Integer(),
});
export const RoleCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Array(Type.String(), { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export const RolePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Optional(Type.Array(Type.String(), { maxItems: 200 })),
  },
  { additionalProperties: false },
);

const GroupLanguage = Nullable(Type.String({ maxLength: 10, description: "Default UI language of its members and subgroups; null = the parent's" }));
export const Group = Type.Object({ id: Id, name: Type.String(), parentId: Nullable(Id), siteId: Nullable(Id), language: GroupLanguage });
export const GroupCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    parentId: Type.Optional(Nullable(Id)),
    siteId: Type.Optional(Nullable(Id)),
    language: Type.Optional(GroupLanguage),
  },
  { additionalProperties: false },
);
export const GroupPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    parentId: Type.Optional(Nullable(Id)),
    siteId: Type.Optional(Nullable(Id)),
    language: Type.Optional(GroupLanguage),
  },
  { additionalProperties: false },
);
export const Site = Type.Object({ id: Id, name: Type.String(), timeZone: Type.String() });
export const SiteCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), timeZone: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export const SitePatch = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);
