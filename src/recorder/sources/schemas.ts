// Request and response schemas of the recorder's sources (the SRC allow-list) and party rules.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const VENDORS = ['generic', 'cisco', 'oracle', 'audiocodes', 'broadworks', 'freeswitch', 'asterisk'] as const;
const Vendor = Type.Union(
  [
    Type.Literal('generic'),
    Type.Literal('cisco'),
    Type.Literal('oracle'),
    Type.Literal('audiocodes'),
    Type.Literal('broadworks'),
    Type.Literal('freeswitch'),
    Type.Literal('asterisk'),
  ],
  { description: 'What the SRC is; "generic" detects it from User-Agent and the metadata namespaces' },
);

export const Source = Type.Object({
  id: Id,
  name: Type.String(),
  address: Nullable(Type.String({ description: 'IPv4/IPv6 address or CIDR the SRC sends SIP from' })),
  tlsIdentity: Nullable(Type.String({ description: 'Subject CN or SAN (DNS/URI) of its TLS client certificate' })),
  vendor: Vendor,
  pingUri: Nullable(Type.String({ description: 'SIP URI the recorder sends OPTIONS to (assurance: an SRC that stopped)' })),
  enabled: Type.Boolean(),
  calls: Type.Integer({ description: 'Recording sessions accepted from it' }),
  lastSeenAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Source = Static<typeof Source>;

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Address = Type.String({ maxLength: 64 });
const TlsIdentity = Type.String({ maxLength: 255 });
const PingUri = Type.String({ maxLength: 255 });

export const SourceCreate = Type.Object(
  {
    name: Name,
    address: Type.Optional(Nullable(Address)),
    tlsIdentity: Type.Optional(Nullable(TlsIdentity)),
    vendor: Type.Optional(Vendor),
    pingUri: Type.Optional(Nullable(PingUri)),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: 'An address/CIDR, a TLS identity, or both' },
);
export type SourceCreate = Static<typeof SourceCreate>;

export const SourcePatch = Type.Object(
  {
    name: Type.Optional(Name),
    address: Type.Optional(Nullable(Address)),
    tlsIdentity: Type.Optional(Nullable(TlsIdentity)),
    vendor: Type.Optional(Vendor),
    pingUri: Type.Optional(Nullable(PingUri)),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SourcePatch = Static<typeof SourcePatch>;

export const Refusal = Type.Object({
  address: Type.String(),
  reason: Type.String({ description: 'not_allowed: the address is on no tenant allow-list' }),
  transport: Type.String(),
  count: Type.Integer(),
  firstAt: Timestamp,
  lastAt: Timestamp,
});

export const SourceList = Type.Object({
  items: Type.Array(Source),
  refusals: Type.Array(Refusal, { description: 'Requests refused recently (403), newest first' }),
});

const RuleKind = Type.Union([Type.Literal('number'), Type.Literal('extension_range'), Type.Literal('domain')]);
const Role = Type.Union([Type.Literal('agent'), Type.Literal('customer')]);

export const PartyRule = Type.Object({
  id: Id,
  position: Type.Integer(),
  kind: RuleKind,
  value: Type.String(),
  valueTo: Nullable(Type.String()),
  role: Role,
  userId: Nullable(Id),
  userName: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PartyRule = Static<typeof PartyRule>;

export const PartyRuleCreate = Type.Object(
  {
    kind: RuleKind,
    value: Type.String({ minLength: 1, maxLength: 255 }),
    valueTo: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
    role: Role,
    userId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false, description: 'number: a number or AOR; extension_range: value..valueTo (same digit count); domain: the AOR host' },
);
export type PartyRuleCreate = Static<typeof PartyRuleCreate>;

export const PartyRulePatch = Type.Object(
  {
    kind: Type.Optional(RuleKind),
    value: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    valueTo: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
    role: Type.Optional(Role),
    userId: Type.Optional(Nullable(Id)),
    position: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Rules are tried in this order' })),
  },
  { additionalProperties: false },
);
export type PartyRulePatch = Static<typeof PartyRulePatch>;

export const PartyTest = Type.Object(
  { aor: Type.String({ minLength: 1, maxLength: 255, description: 'A participant AOR or number, as the SRC would send it' }) },
  { additionalProperties: false },
);
export const PartyTestResult = Type.Object({
  number: Nullable(Type.String()),
  role: Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('unknown')]),
  userId: Nullable(Id),
  matchedBy: Type.String({ description: 'The rule id, "extension" (a user with that extension) or "none"' }),
});
