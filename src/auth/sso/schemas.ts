import { Type } from 'typebox';
import { Id, Nullable } from '../../platform/http/schemas.ts';

export const MappingRule = Type.Object(
  {
    match: Type.String({ minLength: 1, maxLength: 200, description: 'An IdP group name (claim/attribute value or SCIM group), case-insensitive' }),
    roleIds: Type.Array(Id, { maxItems: 50 }),
    groupId: Nullable(Id),
  },
  { additionalProperties: false },
);

export const SsoSettings = Type.Object({
  passwordLogin: Type.Boolean({ description: 'false: only the break-glass user signs in with a password' }),
  breakGlassUserId: Nullable(Type.String()),
  jit: Type.Boolean({ description: 'Create an account at the first sign-in of an unknown user' }),
  defaultRoleIds: Type.Array(Type.String()),
  mappingRules: Type.Array(MappingRule),
});

export const SsoSettingsPatch = Type.Partial(
  Type.Object({
    passwordLogin: Type.Boolean(),
    breakGlassUserId: Nullable(Id),
    jit: Type.Boolean(),
    defaultRoleIds: Type.Array(Id, { maxItems: 50 }),
    mappingRules: Type.Array(MappingRule, { maxItems: 200 }),
  }),
  { additionalProperties: false },
);

const OidcInput = Type.Object(
  {
    issuer: Type.String({ minLength: 1, maxLength: 500 }),
    clientId: Type.String({ minLength: 1, maxLength: 300 }),
    clientSecret: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Omit to keep the stored one; null or "" to remove it' }))),
    scopes: Type.Optional(Type.String({ maxLength: 300 })),
    groupsClaim: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
const SamlInput = Type.Object(
  {
    entryPoint: Type.String({ minLength: 1, maxLength: 1000 }),
    idpIssuer: Type.String({ minLength: 1, maxLength: 500 }),
    idpCert: Type.String({ minLength: 1, maxLength: 20000 }),
    groupsAttribute: Type.Optional(Type.String({ maxLength: 300 })),
    emailAttribute: Type.Optional(Type.String({ maxLength: 300 })),
    nameAttribute: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

const Kind = Type.Union([Type.Literal('oidc'), Type.Literal('saml')]);

export const ProviderCreate = Type.Object(
  {
    kind: Kind,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    enabled: Type.Optional(Type.Boolean()),
    oidc: Type.Optional(OidcInput),
    saml: Type.Optional(SamlInput),
  },
  { additionalProperties: false },
);
export const ProviderPatch = Type.Partial(ProviderCreate, { additionalProperties: false });

export const Provider = Type.Object({
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  enabled: Type.Boolean(),
  oidc: Nullable(
    Type.Object({
      issuer: Type.String(),
      clientId: Type.String(),
      hasClientSecret: Type.Boolean(),
      scopes: Type.String(),
      groupsClaim: Type.String(),
      redirectUri: Type.String({ description: 'Register this redirect URI at the IdP' }),
    }),
  ),
  saml: Nullable(
    Type.Object({
      entryPoint: Type.String(),
      idpIssuer: Type.String(),
      idpCert: Type.String(),
      groupsAttribute: Type.String(),
      emailAttribute: Type.String(),
      nameAttribute: Type.String(),
      entityId: Type.String(),
      acsUrl: Type.String(),
      metadataUrl: Type.String(),
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const SsoOverview = Type.Object({
  settings: SsoSettings,
  providers: Type.Array(Provider),
  scim: Type.Object({
    baseUrl: Type.String(),
    token: Nullable(Type.Object({ prefix: Type.String(), createdAt: Type.String(), lastUsedAt: Nullable(Type.String()) })),
  }),
});

export const SsoOptions = Type.Object({
  tenant: Nullable(Type.String()),
  providers: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Kind })),
  passwordLogin: Type.Boolean(),
});
