// Archiving (issue 12): a tenant copies each finished recording, with a JSON metadata sidecar, to its primary archive
// target and optionally a secondary, redundant one — the decrypted original, or encrypted to the customer's OpenPGP
// public key. The archive run (one scheduled job, jobs.ts) first records what each target still lacks (one item per
// stored object), then copies the due items: each file is written atomically at the target, read back and compared
// (size and SHA-256), and only then marked done, with an audit event on the conversation, in one transaction. A failed
// copy is retried with back-off; a crash (kill -9) leaves at most one item `uploading`, which the next run copies again
// under the same name — nothing lost, nothing listed that is not there.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as openpgp from 'openpgp';
// CommonJS: Node's ESM loader finds no named exports in it.
import ssh2 from 'ssh2';
import type { AppContext } from '../../context.ts';
import { assertWithinScope, can, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { loadVisible } from '../../conversations/service.ts';
import { openSecret, sealSecret } from '../../notify/secrets.ts';
import type { FieldChange, Initiator } from '../../platform/audit/types.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import type { ArchiveConfigsTable, ArchiveItemsTable, ArchiveTargetsTable } from '../../platform/db/schema.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as repo from './repository.ts';
import type { ConfigInput, ItemsQuery, TargetInput, TargetRole } from './schemas.ts';
import {
  DEFAULT_TEMPLATE,
  TEMPLATE_FIELDS,
  TemplateError,
  isTimeZone,
  parseTemplate,
  renderTemplate,
  safeSegment,
  type TemplatePart,
  type TemplateValues,
} from './template.ts';
import {
  connect,
  describeError,
  digest,
  folderDir,
  locationOf,
  probe,
  TargetError,
  type ArchiveConnection,
  type Env,
  type FolderSettings,
  type FtpSettings,
  type S3Settings,
  type SftpSettings,
  type TargetKind,
  type TargetSecrets,
  type TargetSettings,
  type TargetSpec,
} from './targets.ts';

export const ARCHIVE_RUN_JOB = 'compliance.archive_run';
/** After this many failed attempts an item is `failed` and waits for "Retry failed". */
export const MAX_ATTEMPTS = 8;
/** 1 min, 2, 4 … up to 6 h between attempts. */
export const backoffMs = (attempt: number) => Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 6 * 3_600_000);
const SECRET_PURPOSE = 'archive target credentials';
const SYSTEM: Initiator = { userId: null, name: 'Archiving', ip: null, application: 'system' };
const SECRET_KEYS = ['password', 'privateKey', 'passphrase', 'secretAccessKey'] as const;

const envOf = (ctx: AppContext): Env => ({ folderRoot: ctx.config.archiveDir });

/**
 * Archiving copies every group's recordings and lists every group's conversations: it is for an organisation-wide
 * archive manager only (a group-scoped one could otherwise send the whole tenant's calls to a server of their choice).
 */
function requireArchiveManager(actor: Actor): void {
  requirePermission(actor, 'archive.manage');
  assertWithinScope(actor, [null], 'Archiving, which copies the recordings of every group,');
}

// ---- settings -------------------------------------------------------------------------------------------------

function configOf(row: ArchiveConfigsTable | undefined) {
  return {
    enabled: !!row?.enabled,
    nameTemplate: row?.name_template ?? DEFAULT_TEMPLATE,
    timeZone: row?.time_zone ?? 'UTC',
    encryption: (row?.encryption ?? 'none') as 'none' | 'pgp',
    publicKey: row?.public_key ?? null,
    publicKeyFingerprint: row?.public_key_fingerprint ?? null,
    includeOlder: !!row?.include_older,
    enabledAt: row?.enabled_at ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

const SAMPLE: TemplateValues = {
  'setup-time': new Date('2026-03-14T09:26:53.589Z'),
  'end-time': new Date('2026-03-14T09:31:02.000Z'),
  'call-id': 'a84f3c2e-7b1d',
  'conversation-id': 'c0nv3rsat10n',
  'segment-id': 's3gm3nt',
  'caller-number': '+14155550123',
  'callee-number': '2001',
  'caller-name': 'Pat Customer',
  'callee-name': 'Alex Agent',
  agent: 'Alex Agent',
  'agent-extension': '2001',
  direction: 'inbound',
  queue: 'Billing',
  group: 'Support',
  duration: '249',
  party: 'mixed',
  kind: 'call',
};

function checkedTemplate(template: string): TemplatePart[] {
  try {
    return parseTemplate(template);
  } catch (e) {
    if (e instanceof TemplateError) throw invalid(e.message, { reason: e.reason, field: e.field ?? 'nameTemplate' });
    throw e;
  }
}

function checkedTimeZone(tz: string): string {
  if (!isTimeZone(tz))
    throw invalid(`"${tz}" is not a time zone (use an IANA name such as Europe/Paris, or UTC)`, { reason: 'TIME_ZONE_UNKNOWN', field: 'timeZone' });
  return tz;
}

export function previewTemplate(actor: Actor, input: { nameTemplate: string; timeZone: string }) {
  requireArchiveManager(actor);
  const parts = checkedTemplate(input.nameTemplate);
  return { example: `${renderTemplate(parts, SAMPLE, checkedTimeZone(input.timeZone))}.wav` };
}

/** An armoured OpenPGP public key that can encrypt: its fingerprint and user ids. */
async function checkedPublicKey(armored: string): Promise<{ key: openpgp.PublicKey; fingerprint: string; userIds: string[] }> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored.trim() });
  } catch (e) {
    throw invalid(`This is not an OpenPGP public key (${(e as Error).message})`, { reason: 'PUBLIC_KEY_INVALID', field: 'publicKey' });
  }
  if (key.isPrivate())
    throw invalid('This is a private key: paste only the public key (gpg --export --armor)', { reason: 'PUBLIC_KEY_PRIVATE', field: 'publicKey' });
  try {
    await key.getEncryptionKey();
  } catch (e) {
    throw invalid(`This key cannot encrypt (${(e as Error).message})`, { reason: 'PUBLIC_KEY_UNUSABLE', field: 'publicKey' });
  }
  return { key: key as openpgp.PublicKey, fingerprint: key.getFingerprint().toUpperCase(), userIds: key.getUserIDs() };
}

// ---- targets --------------------------------------------------------------------------------------------------

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const need = (kind: string, field: string, v: string) => {
  if (!v) throw invalid(`A ${kind} target needs "${field}"`, { reason: 'TARGET_INVALID', field });
  return v;
};

/** The settings of a target of this kind, complete and checked; a missing or bad field is named. */
function normalizeSettings(ctx: AppContext, kind: TargetKind, s: TargetInput['settings']): TargetSettings {
  switch (kind) {
    case 'folder': {
      const out: FolderSettings = { path: str(s.path).replace(/^\/+/, '') };
      try {
        folderDir(envOf(ctx), out);
      } catch (e) {
        throw invalid((e as Error).message, { reason: 'TARGET_OUTSIDE_ROOT', field: 'path' });
      }
      return out;
    }
    case 'sftp':
      return {
        host: need('SFTP', 'host', str(s.host)),
        port: s.port ?? 22,
        username: need('SFTP', 'username', str(s.username)),
        directory: str(s.directory) || '.',
      };
    case 's3': {
      const endpoint = str(s.endpoint) || null;
      if (endpoint && !/^https?:\/\/[^\s/]+/.test(endpoint))
        throw invalid(`The endpoint must be an http(s) URL, got "${endpoint}"`, { reason: 'TARGET_INVALID', field: 'endpoint' });
      const bucket = need('S3', 'bucket', str(s.bucket));
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
        throw invalid(`"${bucket}" is not a valid bucket name`, { reason: 'TARGET_INVALID', field: 'bucket' });
      return {
        bucket,
        region: str(s.region) || 'us-east-1',
        endpoint,
        forcePathStyle: s.forcePathStyle ?? !!endpoint,
        prefix: str(s.prefix).replace(/^\/+/, ''),
        accessKeyId: need('S3', 'accessKeyId', str(s.accessKeyId)),
        storageClass: str(s.storageClass) || null,
      } satisfies S3Settings;
    }
    case 'ftp': {
      const security = s.security ?? 'explicit';
      return {
        host: need('FTP', 'host', str(s.host)),
        port: s.port ?? (security === 'implicit' ? 990 : 21),
        username: need('FTP', 'username', str(s.username)),
        directory: str(s.directory) || '/',
        security,
        allowUntrustedCertificate: s.allowUntrustedCertificate ?? false,
      } satisfies FtpSettings;
    }
  }
}

function checkSecrets(kind: TargetKind, secrets: TargetSecrets) {
  if (kind === 'sftp') {
    if (!secrets.password && !secrets.privateKey)
      throw invalid('An SFTP target needs a password or a private key', { reason: 'TARGET_INVALID', field: 'password' });
    if (secrets.privateKey) {
      const parsed = ssh2.utils.parseKey(secrets.privateKey, secrets.passphrase || undefined);
      if (parsed instanceof Error) throw invalid(`The private key cannot be read: ${parsed.message}`, { reason: 'PRIVATE_KEY_INVALID', field: 'privateKey' });
    }
  }
  if (kind === 's3' && !secrets.secretAccessKey)
    throw invalid('An S3 target needs its secret access key', { reason: 'TARGET_INVALID', field: 'secretAccessKey' });
  if (kind === 'ftp' && !secrets.password) throw invalid('An FTP target needs a password', { reason: 'TARGET_INVALID', field: 'password' });
}

function openSecrets(ctx: AppContext, t: Pick<ArchiveTargetsTable, 'tenant_id' | 'secret'>): TargetSecrets {
  return t.secret ? (JSON.parse(openSecret(ctx.keyring, t.tenant_id, SECRET_PURPOSE, t.secret)) as TargetSecrets) : {};
}

/** The stored secrets with the input's changes: left out = kept, null or "" = removed. */
function mergeSecrets(stored: TargetSecrets, input: TargetInput['secrets']): TargetSecrets {
  const out: TargetSecrets = { ...stored };
  for (const k of SECRET_KEYS) {
    const v = input?.[k];
    if (v === undefined) continue;
    if (v === null || v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

function specOf(ctx: AppContext, t: ArchiveTargetsTable): TargetSpec {
  return { kind: t.kind as TargetKind, settings: ctx.adapter.fromJson<TargetSettings>(t.settings), secrets: openSecrets(ctx, t), hostKey: t.host_key };
}

function whereOf(ctx: AppContext, kind: TargetKind, s: TargetSettings): string {
  switch (kind) {
    case 'folder':
      return folderDir(envOf(ctx), s as FolderSettings);
    case 'sftp': {
      const x = s as SftpSettings;
      return `sftp://${x.username}@${x.host}:${x.port}/${x.directory.replace(/^\/+/, '')}`;
    }
    case 's3': {
      const x = s as S3Settings;
      return `s3://${x.bucket}/${x.prefix}${x.endpoint ? ` (${x.endpoint})` : ''}`;
    }
    case 'ftp': {
      const x = s as FtpSettings;
      return `${x.security === 'none' ? 'ftp' : 'ftps'}://${x.username}@${x.host}:${x.port}/${x.directory.replace(/^\/+/, '')}`;
    }
  }
}

type Counts = Record<'pending' | 'uploading' | 'done' | 'failed' | 'skipped', number>;

function targetView(ctx: AppContext, t: ArchiveTargetsTable, counts: Counts, last: string | null) {
  const settings = ctx.adapter.fromJson<TargetSettings>(t.settings);
  let secretsSet = { password: false, privateKey: false, passphrase: false, secretAccessKey: false };
  try {
    const s = openSecrets(ctx, t);
    secretsSet = { password: !!s.password, privateKey: !!s.privateKey, passphrase: !!s.passphrase, secretAccessKey: !!s.secretAccessKey };
  } catch {
    // Sealed under a master key this server no longer holds: shown as not set, to be typed again.
  }
  return {
    id: t.id,
    role: t.role as TargetRole,
    kind: t.kind as TargetKind,
    settings: settings as unknown as Record<string, unknown>,
    secretsSet,
    hostKey: t.host_key,
    insecure: t.kind === 'ftp' && (settings as FtpSettings).security === 'none',
    where: whereOf(ctx, t.kind as TargetKind, settings),
    lastTest: t.last_test_at ? { at: t.last_test_at, ok: !!t.last_test_ok, message: t.last_test_message ?? '' } : null,
    counts,
    lastArchivedAt: last,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}

export async function getArchive(ctx: AppContext, actor: Actor) {
  requireArchiveManager(actor);
  const [cfgRow, targets] = await Promise.all([repo.getConfig(ctx.db, actor.tenantId), repo.liveTargets(ctx.db, actor.tenantId)]);
  const rows = await repo.countsOf(
    ctx.db,
    targets.map((t) => t.id),
  );
  const view = (role: TargetRole) => {
    const t = targets.find((x) => x.role === role);
    if (!t) return null;
    const counts: Counts = { pending: 0, uploading: 0, done: 0, failed: 0, skipped: 0 };
    let last: string | null = null;
    for (const r of rows.filter((x) => x.target_id === t.id)) {
      counts[r.status as keyof Counts] = Number(r.n);
      if (r.last && (!last || String(r.last) > last)) last = String(r.last);
    }
    return targetView(ctx, t, counts, last);
  };
  const config = configOf(cfgRow);
  let userIds: string[] = [];
  if (config.publicKey)
    userIds = await checkedPublicKey(config.publicKey)
      .then((k) => k.userIds)
      .catch(() => []);
  let example: string | null;
  try {
    example = `${renderTemplate(parseTemplate(config.nameTemplate), SAMPLE, config.timeZone)}.wav`;
  } catch {
    example = null;
  }
  const [job] = await ctx.jobs.list({ type: ARCHIVE_RUN_JOB, limit: 1 });
  return {
    config: { ...config, publicKeyUserIds: userIds },
    primary: view('primary'),
    secondary: view('secondary'),
    fields: [...TEMPLATE_FIELDS],
    defaultTemplate: DEFAULT_TEMPLATE,
    folderRoot: ctx.config.archiveDir,
    example,
    run: job ? { status: job.status, progress: job.progress, note: job.progressNote, at: job.finishedAt ?? job.createdAt } : null,
  };
}

export async function updateConfig(ctx: AppContext, actor: Actor, input: ConfigInput) {
  requireArchiveManager(actor);
  const template = input.nameTemplate.trim();
  checkedTemplate(template);
  const timeZone = checkedTimeZone(input.timeZone.trim());
  const before = await repo.getConfig(ctx.db, actor.tenantId);
  const old = configOf(before);
  const publicKeyIn = input.publicKey === undefined ? old.publicKey : input.publicKey?.trim() || null;
  let fingerprint: string | null = null;
  if (publicKeyIn) fingerprint = (await checkedPublicKey(publicKeyIn)).fingerprint;
  if (input.encryption === 'pgp' && !publicKeyIn)
    throw invalid('Encrypted copies need the OpenPGP public key to encrypt them to', { reason: 'PUBLIC_KEY_REQUIRED', field: 'publicKey' });
  if (input.enabled && !(await repo.liveTarget(ctx.db, actor.tenantId, 'primary')))
    throw new DomainError('CONFLICT', 'Set up the primary archive target before switching archiving on', { reason: 'NO_PRIMARY_TARGET' });
  const now = nowIso();
  const row: ArchiveConfigsTable = {
    tenant_id: actor.tenantId,
    enabled: input.enabled ? 1 : 0,
    name_template: template,
    time_zone: timeZone,
    encryption: input.encryption,
    public_key: publicKeyIn,
    public_key_fingerprint: fingerprint,
    include_older: input.includeOlder ? 1 : 0,
    // The first switch-on dates what "recordings from before" means; switching off and on keeps it.
    enabled_at: before?.enabled_at ?? (input.enabled ? now : null),
    updated_at: now,
  };
  const next = configOf(row);
  const changes: FieldChange[] = (['enabled', 'nameTemplate', 'timeZone', 'encryption', 'publicKeyFingerprint', 'includeOlder'] as const)
    .filter((f) => old[f] !== next[f])
    .map((f) => ({ field: f, old: old[f], new: next[f] }));
  if (changes.length || !before) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.upsertConfig(tx, row);
      if (changes.length)
        await ctx.audit.append(
          {
            tenantId: actor.tenantId,
            initiator: initiatorOf(actor),
            resourceType: 'archive',
            resourceId: actor.tenantId,
            action: 'ARCHIVE_SETTINGS_UPDATE',
            details: `Changed the archiving settings (${changes.map((c) => c.field).join(', ')})`,
            changes,
          },
          tx,
        );
    });
  }
  return getArchive(ctx, actor);
}

function settingChanges(
  kind: TargetKind,
  before: ArchiveTargetsTable | undefined,
  beforeSettings: TargetSettings | null,
  settings: TargetSettings,
): FieldChange[] {
  const out: FieldChange[] = [];
  if (!before || before.kind !== kind) out.push({ field: 'kind', old: before?.kind ?? null, new: kind });
  const o = (beforeSettings ?? {}) as Record<string, unknown>;
  const n = settings as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (JSON.stringify(o[k] ?? null) !== JSON.stringify(n[k] ?? null)) out.push({ field: k, old: o[k] ?? null, new: n[k] ?? null });
  }
  return out;
}

export async function saveTarget(ctx: AppContext, actor: Actor, role: TargetRole, input: TargetInput) {
  requireArchiveManager(actor);
  const kind = input.kind;
  const settings = normalizeSettings(ctx, kind, input.settings);
  const before = await repo.liveTarget(ctx.db, actor.tenantId, role);
  const beforeSettings = before ? ctx.adapter.fromJson<TargetSettings>(before.settings) : null;
  let storedSecrets: TargetSecrets = {};
  if (before && before.kind === kind) {
    try {
      storedSecrets = openSecrets(ctx, before);
    } catch {
      storedSecrets = {};
    }
  }
  const secrets = mergeSecrets(storedSecrets, input.secrets);
  checkSecrets(kind, secrets);
  const moved = !before || before.kind !== kind || locationOf(before.kind as TargetKind, beforeSettings!) !== locationOf(kind, settings);
  const hostKey = kind !== 'sftp' ? null : input.hostKey !== undefined ? input.hostKey?.trim() || null : moved ? null : (before?.host_key ?? null);
  const sealed = Object.keys(secrets).length ? sealSecret(ctx.keyring, actor.tenantId, SECRET_PURPOSE, JSON.stringify(secrets)) : null;
  const changes = settingChanges(kind, before, beforeSettings, settings);
  for (const k of SECRET_KEYS) {
    const was = !!storedSecrets[k];
    const is = !!secrets[k];
    // The values never reach the audit trail: only that one was set, changed or removed.
    if (was !== is || (is && input.secrets?.[k] !== undefined && input.secrets[k] !== storedSecrets[k]))
      changes.push({ field: k, old: was ? '(set)' : null, new: is ? (was ? '(changed)' : '(set)') : null });
  }
  if ((before?.host_key ?? null) !== hostKey) changes.push({ field: 'hostKey', old: before?.host_key ?? null, new: hostKey });
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    let id = before?.id ?? newId();
    if (moved) {
      // Another place: the old target is retired (its copies stay listed) and the new one gets its own copies.
      if (before) {
        await repo.updateTarget(tx, before.id, { retired_at: now, updated_at: now });
        await repo.skipOpenItems(tx, before.id, 'The target was moved elsewhere before this copy was made; the new target gets its own copy', now);
      }
      id = newId();
      await repo.insertTarget(tx, {
        id,
        tenant_id: actor.tenantId,
        role,
        kind,
        settings: ctx.adapter.json(settings),
        secret: sealed,
        host_key: hostKey,
        last_test_at: null,
        last_test_ok: null,
        last_test_message: null,
        created_at: now,
        updated_at: now,
        retired_at: null,
      });
    } else {
      await repo.updateTarget(tx, id, { settings: ctx.adapter.json(settings), secret: sealed, host_key: hostKey, updated_at: now });
    }
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'archive_target',
        resourceId: id,
        action: before ? (moved ? 'ARCHIVE_TARGET_REPLACE' : 'ARCHIVE_TARGET_UPDATE') : 'ARCHIVE_TARGET_CREATE',
        details: `${before ? (moved ? 'Moved' : 'Changed') : 'Set up'} the ${role} archive target: ${kind} ${whereOf(ctx, kind, settings)}`,
        changes,
      },
      tx,
    );
  });
  return getArchive(ctx, actor);
}

export async function removeTarget(ctx: AppContext, actor: Actor, role: TargetRole) {
  requireArchiveManager(actor);
  const t = await repo.liveTarget(ctx.db, actor.tenantId, role);
  if (!t) throw new DomainError('NOT_FOUND', `There is no ${role} archive target`);
  const cfg = configOf(await repo.getConfig(ctx.db, actor.tenantId));
  if (role === 'primary' && cfg.enabled)
    throw new DomainError('CONFLICT', 'Archiving is on: switch it off before removing the primary target', { reason: 'TARGET_IN_USE' });
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateTarget(tx, t.id, { retired_at: now, updated_at: now });
    await repo.skipOpenItems(tx, t.id, 'The target was removed before this copy was made', now);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'archive_target',
        resourceId: t.id,
        action: 'ARCHIVE_TARGET_REMOVE',
        details: `Removed the ${role} archive target ${t.kind} ${whereOf(ctx, t.kind as TargetKind, ctx.adapter.fromJson(t.settings))} (the copies already made stay there and stay listed)`,
        changes: [{ field: 'kind', old: t.kind, new: null }],
      },
      tx,
    );
  });
}

/**
 * The connection test. With a target in the body: that configuration (the stored secrets filling in those left out),
 * nothing saved. Without: the saved target, whose result is kept on it, and whose SFTP host key is pinned when none was.
 */
export async function testTarget(ctx: AppContext, actor: Actor, role: TargetRole, input: { target?: TargetInput }) {
  requireArchiveManager(actor);
  const stored = await repo.liveTarget(ctx.db, actor.tenantId, role);
  if (input.target) {
    const kind = input.target.kind;
    const settings = normalizeSettings(ctx, kind, input.target.settings);
    let storedSecrets: TargetSecrets = {};
    if (stored && stored.kind === kind)
      storedSecrets = (() => {
        try {
          return openSecrets(ctx, stored);
        } catch {
          return {};
        }
      })();
    const secrets = mergeSecrets(storedSecrets, input.target.secrets);
    const sameHost = stored && stored.kind === kind && locationOf(kind, settings) === locationOf(kind, ctx.adapter.fromJson(stored.settings));
    const hostKey = input.target.hostKey !== undefined ? input.target.hostKey?.trim() || null : sameHost ? stored!.host_key : null;
    const r = await probe({ kind, settings, secrets, hostKey }, envOf(ctx));
    return { ...r, ms: Math.round(r.ms) };
  }
  if (!stored) throw new DomainError('NOT_FOUND', `There is no ${role} archive target`);
  let spec: TargetSpec;
  try {
    spec = specOf(ctx, stored);
  } catch (e) {
    return { ok: false, message: (e as Error).message, hostKey: null, ms: 0 };
  }
  const r = await probe(spec, envOf(ctx));
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    const pin = r.ok && stored.kind === 'sftp' && !stored.host_key && r.hostKey;
    await repo.updateTarget(tx, stored.id, {
      last_test_at: now,
      last_test_ok: r.ok ? 1 : 0,
      last_test_message: r.message,
      ...(pin ? { host_key: r.hostKey } : {}),
    });
    if (pin)
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'archive_target',
          resourceId: stored.id,
          action: 'ARCHIVE_TARGET_UPDATE',
          details: `Pinned the SFTP server's host key ${r.hostKey} (first contact, during a connection test)`,
          changes: [{ field: 'hostKey', old: null, new: r.hostKey }],
        },
        tx,
      );
  });
  return { ...r, ms: Math.round(r.ms) };
}

export async function requestRun(ctx: AppContext, actor: Actor) {
  requireArchiveManager(actor);
  if (await ctx.jobs.hasPending(ARCHIVE_RUN_JOB)) return { queued: false, jobId: null };
  const jobId = await ctx.jobs.enqueue(ctx.db, ARCHIVE_RUN_JOB, {});
  return { queued: true, jobId };
}

export async function retryFailed(ctx: AppContext, actor: Actor) {
  requireArchiveManager(actor);
  const now = nowIso();
  const retried = await inTransaction(ctx.db, async ({ tx }) => {
    const n = await repo.retryFailed(tx, actor.tenantId, now);
    if (n)
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'archive',
          resourceId: actor.tenantId,
          action: 'ARCHIVE_RETRY',
          details: `Asked for ${n} failed archive copies to be tried again`,
          changes: null,
        },
        tx,
      );
    return n;
  });
  if (retried) await requestRun(ctx, actor);
  return { retried };
}

type ItemRow = Awaited<ReturnType<typeof repo.listItems>>[number];

function itemView(ctx: AppContext, actor: Actor, r: ItemRow) {
  const manager = can(actor, 'archive.manage') && actor.scope.all;
  let where: string | null = null;
  if (manager && r.path) {
    try {
      const kind = r.kind as TargetKind;
      const s = ctx.adapter.fromJson<TargetSettings>(r.settings);
      where =
        kind === 'folder'
          ? path.join(whereOf(ctx, kind, s), r.path)
          : `${whereOf(ctx, kind, s)
              .replace(/ \(.*\)$/, '')
              .replace(/\/$/, '')}/${r.path}`;
    } catch {
      where = null;
    }
  }
  return {
    id: r.id,
    role: r.role as TargetRole,
    kind: r.kind,
    conversation: { id: r.conversation_id, title: r.conversation_title ?? null, startedAt: r.conversation_started_at ?? null },
    segmentId: r.segment_id,
    status: r.status,
    path: manager ? r.path || null : null,
    where,
    size: r.size === null ? null : Number(r.size),
    sha256: r.sha256,
    encrypted: !!r.encrypted,
    attempts: Number(r.attempts),
    nextAttemptAt: r.status === 'pending' && Number(r.attempts) > 0 ? r.next_attempt_at : null,
    lastError: manager ? r.last_error : null,
    archivedAt: r.archived_at,
    targetRetired: !!r.retired_at,
  };
}

export async function listItems(ctx: AppContext, actor: Actor, q: ItemsQuery) {
  requireArchiveManager(actor);
  const limit = q.limit ?? 50;
  const rows = await repo.listItems(ctx.db, actor.tenantId, {
    status: q.status ?? null,
    role: q.role ?? null,
    conversationId: q.conversationId ?? null,
    limit,
    before: q.cursor ?? null,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => itemView(ctx, actor, r)), nextCursor: rows.length > limit && last ? `${last.updated_at}|${last.id}` : null };
}

/** "Archived to primary at …, secondary at …": for anyone who sees the conversation; paths for archive managers only. */
export async function conversationArchive(ctx: AppContext, actor: Actor, conversationId: string) {
  await loadVisible(ctx, actor, conversationId);
  return { items: (await repo.itemsOfConversation(ctx.db, actor.tenantId, conversationId)).map((r) => itemView(ctx, actor, r)) };
}

// ---- the run --------------------------------------------------------------------------------------------------

export interface RunOptions {
  /** The clock (tests move it past back-offs). */
  now?: () => Date;
  signal?: AbortSignal;
  /** Stop starting new copies after this long; the next run goes on (default 10 min). */
  budgetMs?: number;
  progress?: (fraction: number, note: string) => void;
  /** Called as each copy starts and ends (the crash test waits for one). */
  onItem?: (event: 'start' | 'done' | 'failed', item: { id: string; path: string; role: string }) => void;
  /** Only this tenant (tests). */
  tenantId?: string;
}

export interface RunSummary {
  discovered: number;
  copied: number;
  failed: number;
  skipped: number;
  /** Targets that could not be reached this run (their items wait, untouched). */
  unreachable: string[];
}

const DISCOVER_BATCH = 500;
const DISCOVER_MAX = 20_000;
const COPY_BATCH = 50;

export async function runArchive(ctx: AppContext, opts: RunOptions = {}): Promise<RunSummary> {
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  const budget = opts.budgetMs ?? 10 * 60_000;
  const summary: RunSummary = { discovered: 0, copied: 0, failed: 0, skipped: 0, unreachable: [] };
  const configs = (await repo.enabledTenants(ctx.db)).filter((c) => !opts.tenantId || c.tenant_id === opts.tenantId);
  const plans: Array<{ cfg: ArchiveConfigsTable; target: ArchiveTargetsTable }> = [];
  for (const cfg of configs) {
    for (const target of await repo.liveTargets(ctx.db, cfg.tenant_id)) {
      summary.discovered += await discover(ctx, cfg, target);
      plans.push({ cfg, target });
    }
  }
  let total = await repo.countDue(
    ctx.db,
    plans.map((p) => p.target.id),
    now().toISOString(),
  );
  let done = 0;
  const tick = () => opts.progress?.(total ? Math.min(1, done / total) : 1, `${done} of ${total} files copied`);
  tick();
  // Primary and secondary copy side by side; one target's trouble never holds the other back.
  const byTenant = new Map<string, typeof plans>();
  for (const p of plans) byTenant.set(p.cfg.tenant_id, [...(byTenant.get(p.cfg.tenant_id) ?? []), p]);
  for (const group of byTenant.values()) {
    await Promise.all(
      group.map(async ({ cfg, target }) => {
        const r = await copyDue(ctx, cfg, target, { ...opts, now, over: () => Date.now() - started > budget || !!opts.signal?.aborted }, () => {
          done++;
          tick();
        });
        summary.copied += r.copied;
        summary.failed += r.failed;
        summary.skipped += r.skipped;
        if (r.unreachable) summary.unreachable.push(`${cfg.tenant_id}/${target.role}: ${r.unreachable}`);
      }),
    );
  }
  total = Math.max(total, done);
  tick();
  return summary;
}

/** Records an item for every stored recording the target does not have yet. */
async function discover(ctx: AppContext, cfg: ArchiveConfigsTable, target: ArchiveTargetsTable): Promise<number> {
  // Recordings from before archiving was switched on (or before this target was set up) only when asked for.
  const since = cfg.include_older ? null : ([cfg.enabled_at, target.created_at].filter((x): x is string => !!x).sort()[0] ?? null);
  let added = 0;
  while (added < DISCOVER_MAX) {
    const rows = await repo.uncopied(ctx.db, cfg.tenant_id, target.id, since, DISCOVER_BATCH);
    if (!rows.length) break;
    const now = nowIso();
    await repo.insertItems(
      ctx.db,
      rows.map((r) => repo.pendingItem(target, r, now, newId())),
    );
    added += rows.length;
    if (rows.length < DISCOVER_BATCH) break;
  }
  return added;
}

interface CopyResult {
  copied: number;
  failed: number;
  skipped: number;
  unreachable: string | null;
}

async function copyDue(
  ctx: AppContext,
  cfg: ArchiveConfigsTable,
  target: ArchiveTargetsTable,
  opts: RunOptions & { now: () => Date; over: () => boolean },
  onDone: () => void,
): Promise<CopyResult> {
  const result: CopyResult = { copied: 0, failed: 0, skipped: 0, unreachable: null };
  let parts: TemplatePart[];
  let key: openpgp.PublicKey | null = null;
  try {
    parts = parseTemplate(cfg.name_template);
    if (cfg.encryption === 'pgp') key = (await checkedPublicKey(cfg.public_key ?? '')).key;
  } catch (e) {
    result.unreachable = `archive settings unusable: ${(e as Error).message}`;
    return result;
  }
  let spec: TargetSpec;
  try {
    spec = specOf(ctx, target);
  } catch (e) {
    result.unreachable = (e as Error).message;
    return result;
  }
  // A holder, not a `let`: the callbacks below replace the connection.
  const held: { conn: ArchiveConnection | null } = { conn: null };
  const open = async () => {
    if (held.conn) return held.conn;
    const conn = await connect(spec, envOf(ctx));
    held.conn = conn;
    if (target.kind === 'sftp' && !target.host_key && conn.hostKey) {
      // First contact: pin the host key so a different server is refused from now on.
      target.host_key = conn.hostKey;
      spec.hostKey = conn.hostKey;
      await repo.updateTarget(ctx.db, target.id, { host_key: conn.hostKey });
    }
    return conn;
  };
  try {
    while (!opts.over()) {
      const items = await repo.dueItems(ctx.db, target.id, opts.now().toISOString(), COPY_BATCH);
      if (!items.length) break;
      for (const item of items) {
        if (opts.over()) break;
        let c: ArchiveConnection;
        try {
          c = await open();
        } catch (e) {
          // The target is down: its items wait for the next run, none charged an attempt for it.
          result.unreachable = describeError(e);
          return result;
        }
        const outcome = await copyOne(ctx, cfg, target, c, item, parts, key, opts);
        result[outcome]++;
        onDone();
        if (outcome === 'failed') {
          // The connection may be what failed: the next item opens a fresh one (and stops the target if it cannot).
          await held.conn?.close().catch(() => {});
          held.conn = null;
        }
      }
    }
  } finally {
    await held.conn?.close().catch(() => {});
  }
  return result;
}

/** Counts bytes and hashes them as they pass. */
function hashing() {
  const h = createHash('sha256');
  let size = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return { t, result: () => ({ size, sha256: h.digest('hex') }) };
}

/** `src.pipe(t)`, with an error of the source passed on (pipe alone would leave `t` waiting forever). */
function through(src: Readable, t: Transform): Transform {
  src.once('error', (e) => t.destroy(e));
  return src.pipe(t);
}

async function encryptTo(key: openpgp.PublicKey, body: Readable): Promise<Readable> {
  const message = await openpgp.createMessage({ binary: Readable.toWeb(body) as unknown as ReadableStream<Uint8Array> });
  const out = await openpgp.encrypt({
    message,
    encryptionKeys: key,
    format: 'binary',
    config: { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
  });
  return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
}

/** Writes one file, then reads it back: the size and SHA-256 at the target must be what was sent. */
async function putVerified(conn: ArchiveConnection, rel: string, body: Readable): Promise<{ size: number; sha256: string }> {
  const h = hashing();
  const counted = through(body, h.t);
  await conn.put(rel, counted);
  const sent = h.result();
  const size = await conn.size(rel);
  if (size !== sent.size) throw new Error(`verification failed: ${rel} is ${size ?? 'missing'} bytes at the target, ${sent.size} were sent`);
  const back = await digest(await conn.read(rel));
  if (back.sha256 !== sent.sha256 || back.size !== sent.size) throw new Error(`verification failed: ${rel} read back differs from what was sent (SHA-256)`);
  return sent;
}

const CONTAINER_EXT: Record<string, string> = {
  wav: '.wav',
  mp3: '.mp3',
  ogg: '.ogg',
  opus: '.opus',
  flac: '.flac',
  webm: '.webm',
  mp4: '.mp4',
  m4a: '.m4a',
  raw: '.raw',
};
function extensionOf(fileName: string | null, container: string | null): string {
  const ext = path.extname(fileName ?? '').toLowerCase();
  if (/^\.[a-z0-9]{1,5}$/.test(ext)) return ext;
  return CONTAINER_EXT[container ?? ''] ?? '.bin';
}

async function copyOne(
  ctx: AppContext,
  cfg: ArchiveConfigsTable,
  target: ArchiveTargetsTable,
  conn: ArchiveConnection,
  item: ArchiveItemsTable,
  parts: TemplatePart[],
  key: openpgp.PublicKey | null,
  opts: RunOptions & { now: () => Date },
): Promise<'copied' | 'failed' | 'skipped'> {
  const conv = await repo.conversationOf(ctx.db, item.conversation_id);
  const blob = await repo.blobRow(ctx.db, item.blob_id);
  const seg = await repo.segmentOf(ctx.db, item.segment_id);
  if (!conv || !seg || !blob || conv.media_state) {
    const why = !conv ? 'The conversation was deleted before it was archived' : 'The media was deleted (or planned for deletion) before it was archived';
    await repo.updateItem(ctx.db, item.id, { status: 'skipped', last_error: why, updated_at: nowIso() });
    return 'skipped';
  }
  const [streams, participants, links] = await Promise.all([
    repo.streamsOfSegment(ctx.db, seg.id),
    repo.participantsOf(ctx.db, conv.id),
    repo.segmentParties(ctx.db, seg.id),
  ]);
  const mine = streams.filter((s) => s.blob_id === item.blob_id);
  const files = [...new Set(streams.filter((s) => s.blob_id).map((s) => s.blob_id!))];
  const byKey = (k: string | null) => {
    const link = links.find((l) => l.party_key === k);
    return participants.find((p) => (link ? p.id === link.participant_id : p.party_key === k)) ?? null;
  };
  const customer = participants.find((p) => p.role === 'customer') ?? null;
  const agentP = byKey(seg.agent_party_key) ?? participants.find((p) => p.role === 'agent') ?? null;
  const outbound = (seg.direction ?? conv.direction) === 'outbound';
  const [caller, callee] = outbound ? [agentP, customer] : [customer, agentP];
  const numberOf = (p: typeof caller) => p?.phone ?? p?.extension ?? null;
  const partyLabel = mine.length === 1 ? (mine[0]!.party_key ?? 'mixed') : 'mixed';
  const setup = new Date(seg.started_at);
  const values: TemplateValues = {
    'setup-time': setup,
    'end-time': new Date(seg.ended_at),
    'call-id': seg.external_id,
    'conversation-id': conv.id,
    'segment-id': seg.id,
    'caller-number': numberOf(caller),
    'callee-number': numberOf(callee),
    'caller-name': caller?.name ?? null,
    'callee-name': callee?.name ?? null,
    agent: seg.agent_name ?? conv.agent_name ?? agentP?.name ?? null,
    'agent-extension': agentP?.extension ?? null,
    direction: seg.direction ?? conv.direction,
    queue: seg.queue,
    group: conv.group_name,
    duration: String(Math.round(Number(seg.duration_ms) / 1000)),
    party: partyLabel,
    kind: seg.kind,
  };
  // A call leg stored as several files (one per party) gets one name each.
  const base = renderTemplate(parts, values, cfg.time_zone) + (files.length > 1 ? `-${safeSegment(partyLabel)}-${files.indexOf(item.blob_id) + 1}` : '');
  const pgp = key ? '.pgp' : '';
  const mediaPath = `${base}${extensionOf(mine[0]?.file_name ?? null, mine[0]?.container ?? null)}${pgp}`;
  const sidecarPath = `${base}.json${pgp}`;
  await repo.updateItem(ctx.db, item.id, {
    status: 'uploading',
    path: mediaPath,
    attempts: Number(item.attempts) + 1,
    encrypted: key ? 1 : 0,
    updated_at: nowIso(),
  });
  opts.onItem?.('start', { id: item.id, path: mediaPath, role: target.role });
  try {
    const plain = hashing();
    const source = through(await ctx.blobs.read(item.tenant_id, item.blob_id), plain.t);
    const media = await putVerified(conn, mediaPath, key ? await encryptTo(key, source) : source);
    const original = plain.result();
    if (original.sha256 !== blob.sha256 || original.size !== Number(blob.size))
      throw new Error('the stored recording does not match its own SHA-256 (run earshot verify)');
    const sidecar = {
      format: 'earshot-archive/1',
      archivedAt: opts.now().toISOString(),
      target: target.role,
      tenantId: item.tenant_id,
      conversation: {
        id: conv.id,
        title: conv.title,
        direction: conv.direction,
        startedAt: conv.started_at,
        endedAt: conv.ended_at,
        agent: values.agent,
        group: conv.group_name,
        anonymizedAt: conv.anonymized_at,
      },
      segment: {
        id: seg.id,
        kind: seg.kind,
        callId: seg.external_id,
        direction: seg.direction,
        queue: seg.queue,
        startedAt: seg.started_at,
        endedAt: seg.ended_at,
        durationMs: Number(seg.duration_ms),
        metadata: ctx.adapter.fromJson(seg.metadata) ?? null,
      },
      caller: caller && { name: caller.name, number: numberOf(caller), role: caller.role },
      callee: callee && { name: callee.name, number: numberOf(callee), role: callee.role },
      participants: participants.map((p) => ({ key: p.party_key, role: p.role, name: p.name, phone: p.phone, email: p.email, extension: p.extension })),
      file: {
        name: path.posix.basename(mediaPath),
        originalName: mine[0]?.file_name ?? null,
        contentType: blob.content_type,
        container: mine[0]?.container ?? null,
        codec: mine[0]?.codec ?? null,
        sampleRate: mine[0]?.sample_rate ?? null,
        channels: mine[0]?.channels ?? null,
        durationMs: mine[0] ? Number(mine[0].duration_ms) : null,
        channelMap: mine.map((s) => ({ channel: s.channel_index, party: s.party_key })).sort((x, y) => (x.channel ?? -1) - (y.channel ?? -1)),
        original: { size: original.size, sha256: original.sha256 },
        encryption: key ? { kind: 'openpgp', recipient: cfg.public_key_fingerprint } : { kind: 'none' },
        archived: { size: media.size, sha256: media.sha256 },
      },
    };
    const json = Buffer.from(JSON.stringify(sidecar, null, 2) + '\n');
    const side = await putVerified(conn, sidecarPath, key ? await encryptTo(key, Readable.from([json])) : Readable.from([json]));
    const at = nowIso();
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateItem(tx, item.id, {
        status: 'done',
        size: media.size,
        sha256: media.sha256,
        sidecar_sha256: side.sha256,
        last_error: null,
        archived_at: at,
        updated_at: at,
      });
      await ctx.audit.append(
        {
          tenantId: item.tenant_id,
          initiator: SYSTEM,
          resourceType: 'conversation',
          resourceId: conv.id,
          action: 'CONVERSATION_ARCHIVE',
          details: `Archived the ${seg.kind} ${seg.external_id} to the ${target.role} target (${target.kind}) as ${mediaPath}${key ? ', encrypted' : ''}: ${media.size} bytes, SHA-256 ${media.sha256}, verified by reading it back`,
          changes: [
            { field: 'target', old: null, new: target.role },
            { field: 'path', old: null, new: mediaPath },
            { field: 'sha256', old: null, new: media.sha256 },
          ],
        },
        tx,
      );
    });
    opts.onItem?.('done', { id: item.id, path: mediaPath, role: target.role });
    return 'copied';
  } catch (e) {
    const attempts = Number(item.attempts) + 1;
    const gaveUp = attempts >= MAX_ATTEMPTS;
    const message = e instanceof TargetError ? e.message : describeError(e);
    const at = opts.now();
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateItem(tx, item.id, {
        status: gaveUp ? 'failed' : 'pending',
        last_error: message,
        next_attempt_at: new Date(at.getTime() + backoffMs(attempts)).toISOString(),
        updated_at: nowIso(),
      });
      if (gaveUp)
        await ctx.audit.append(
          {
            tenantId: item.tenant_id,
            initiator: SYSTEM,
            resourceType: 'conversation',
            resourceId: item.conversation_id,
            action: 'CONVERSATION_ARCHIVE_FAILED',
            details: `Gave up archiving ${mediaPath} to the ${target.role} target after ${attempts} attempts: ${message}`,
            changes: null,
          },
          tx,
        );
    });
    ctx.log.warn({ item: item.id, target: target.role, attempts, err: message }, 'archive copy failed');
    opts.onItem?.('failed', { id: item.id, path: mediaPath, role: target.role });
    return 'failed';
  }
}
