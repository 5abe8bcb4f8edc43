// Request and response schemas of archiving: the tenant's settings, its primary/secondary targets, the connection
// test, the transfers list and a conversation's archive copies.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const ROLES = ['primary', 'secondary'] as const;
export type TargetRole = (typeof ROLES)[number];
export const ITEM_STATUSES = ['pending', 'uploading', 'done', 'failed', 'skipped'] as const;

const Kind = Type.Union([Type.Literal('folder'), Type.Literal('sftp'), Type.Literal('s3'), Type.Literal('ftp')]);
const Role = Type.Union([Type.Literal('primary'), Type.Literal('secondary')]);
export const RoleParams = Type.Object({ role: Role });

export const TargetSettingsInput = Type.Object(
  {
    path: Type.Optional(Type.String({ maxLength: 500, description: 'folder: below the archive root (EARSHOT_ARCHIVE_DIR)' })),
    host: Type.Optional(Type.String({ maxLength: 255 })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    username: Type.Optional(Type.String({ maxLength: 255 })),
    directory: Type.Optional(Type.String({ maxLength: 500, description: 'sftp, ftp: absolute directory on the server' })),
    bucket: Type.Optional(Type.String({ maxLength: 255 })),
    region: Type.Optional(Type.String({ maxLength: 64 })),
    endpoint: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 's3: for S3-compatible stores (MinIO, Ceph, Wasabi…)' }))),
    forcePathStyle: Type.Optional(Type.Boolean()),
    prefix: Type.Optional(Type.String({ maxLength: 500 })),
    accessKeyId: Type.Optional(Type.String({ maxLength: 255 })),
    storageClass: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    security: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('explicit'), Type.Literal('implicit')])),
    allowUntrustedCertificate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const TargetSecretsInput = Type.Object(
  {
    password: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    privateKey: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    passphrase: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    secretAccessKey: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false, description: 'Write-only. Left out: keep the stored one; null or "": remove it' },
);

export const TargetInput = Type.Object(
  {
    kind: Kind,
    settings: TargetSettingsInput,
    secrets: Type.Optional(TargetSecretsInput),
    hostKey: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'sftp: the pinned host key (SHA256:…); null trusts the next one seen' }))),
  },
  { additionalProperties: false },
);
export type TargetInput = Static<typeof TargetInput>;

export const TargetView = Type.Object({
  id: Id,
  role: Role,
  kind: Kind,
  settings: Type.Record(Type.String(), Type.Unknown()),
  secretsSet: Type.Object({ password: Type.Boolean(), privateKey: Type.Boolean(), passphrase: Type.Boolean(), secretAccessKey: Type.Boolean() }),
  hostKey: Nullable(Type.String()),
  /** Plain FTP sends credentials and recordings in the clear. */
  insecure: Type.Boolean(),
  where: Type.String({ description: 'Where copies go, for people' }),
  lastTest: Nullable(Type.Object({ at: Timestamp, ok: Type.Boolean(), message: Type.String() })),
  counts: Type.Object({ pending: Type.Integer(), uploading: Type.Integer(), done: Type.Integer(), failed: Type.Integer(), skipped: Type.Integer() }),
  lastArchivedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TargetView = Static<typeof TargetView>;

export const ArchiveConfig = Type.Object({
  enabled: Type.Boolean(),
  nameTemplate: Type.String(),
  timeZone: Type.String(),
  encryption: Type.Union([Type.Literal('none'), Type.Literal('pgp')]),
  publicKey: Nullable(Type.String()),
  publicKeyFingerprint: Nullable(Type.String()),
  publicKeyUserIds: Type.Array(Type.String()),
  includeOlder: Type.Boolean(),
  enabledAt: Nullable(Timestamp),
  updatedAt: Nullable(Timestamp),
});

export const ArchiveOverview = Type.Object({
  config: ArchiveConfig,
  primary: Nullable(TargetView),
  secondary: Nullable(TargetView),
  fields: Type.Array(Type.String(), { description: 'The fields a file name template may use' }),
  defaultTemplate: Type.String(),
  folderRoot: Type.String({ description: 'Folder targets live below this directory on the server' }),
  example: Nullable(Type.String({ description: 'The current template applied to a sample call' })),
  run: Nullable(Type.Object({ status: Type.String(), progress: Type.Number(), note: Nullable(Type.String()), at: Timestamp })),
});

export const ConfigInput = Type.Object(
  {
    enabled: Type.Boolean(),
    nameTemplate: Type.String({ maxLength: 1000 }),
    timeZone: Type.String({ maxLength: 64 }),
    encryption: Type.Union([Type.Literal('none'), Type.Literal('pgp')]),
    publicKey: Type.Optional(Nullable(Type.String({ maxLength: 100_000, description: 'An ASCII-armoured OpenPGP public key' }))),
    includeOlder: Type.Boolean({ description: 'Also copy recordings made before archiving was switched on' }),
  },
  { additionalProperties: false },
);
export type ConfigInput = Static<typeof ConfigInput>;

export const TemplatePreviewInput = Type.Object(
  { nameTemplate: Type.String({ maxLength: 1000 }), timeZone: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
export const TemplatePreview = Type.Object({ example: Type.String() });

export const TestInput = Type.Object(
  { target: Type.Optional(TargetInput) },
  { additionalProperties: false, description: 'Without a target: tests the saved one (and pins an SFTP host key seen for the first time)' },
);
export const TestResult = Type.Object({ ok: Type.Boolean(), message: Type.String(), hostKey: Nullable(Type.String()), ms: Type.Integer() });

export const RunResult = Type.Object({ queued: Type.Boolean(), jobId: Nullable(Type.String()) });

export const ItemsQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(ITEM_STATUSES.map((s) => Type.Literal(s)))),
    role: Type.Optional(Role),
    conversationId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ItemsQuery = Static<typeof ItemsQuery>;

export const ArchiveItem = Type.Object({
  id: Id,
  role: Role,
  kind: Type.String(),
  conversation: Type.Object({ id: Id, title: Nullable(Type.String()), startedAt: Nullable(Timestamp) }),
  segmentId: Id,
  status: Type.String(),
  path: Nullable(Type.String({ description: 'Shown to archive managers only' })),
  where: Nullable(Type.String({ description: 'Shown to archive managers only' })),
  size: Nullable(Type.Integer()),
  sha256: Nullable(Type.String()),
  encrypted: Type.Boolean(),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
  archivedAt: Nullable(Timestamp),
  targetRetired: Type.Boolean(),
});
export const ItemsPage = Type.Object({ items: Type.Array(ArchiveItem), nextCursor: Nullable(Type.String()) });
export const RetryResult = Type.Object({ retried: Type.Integer() });
export const ConversationArchive = Type.Object({ items: Type.Array(ArchiveItem) });
