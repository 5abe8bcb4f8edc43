// The recorder's sources (which SBCs/PBXs may send SIPREC, per tenant) and party rules (which participant is the agent).
// Both are tenant-wide settings of "manage the recorder"; every change is audited with old/new values. A recorder in
// this process picks a change up at once; one in another process within its cache time (5 s).
import net from 'node:net';
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { RecorderPartyRulesTable, RecorderSourcesTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { currentRecorder } from '../role.ts';
import { parseUri } from '../sip/message.ts';
import { classifyParty, type PartyRule as MatchRule } from '../siprec/parties.ts';
import { parseCidr } from './directory.ts';
import * as repo from './repository.ts';
import type { PartyRuleCreate, PartyRulePatch, SourceCreate, SourcePatch, VENDORS } from './schemas.ts';

const assertTenantWide = (actor: Actor, change: string) => assertWithinScope(actor, [null], change);
const invalidateRecorder = () => currentRecorder()?.sources.invalidate();

// Sources

export function sourceView(r: RecorderSourcesTable) {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    tlsIdentity: r.tls_identity,
    vendor: r.vendor as (typeof VENDORS)[number],
    pingUri: r.ping_uri,
    enabled: Boolean(r.enabled),
    calls: Number(r.calls),
    lastSeenAt: r.last_seen_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
type SourceView = ReturnType<typeof sourceView>;
const SOURCE_AUDITED: Array<keyof SourceView & string> = ['name', 'address', 'tlsIdentity', 'vendor', 'pingUri', 'enabled'];

export async function listSources(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'recorder.manage');
  const [rows, refusals] = await Promise.all([repo.listSources(ctx.db, actor.tenantId), repo.listRefusals(ctx.db)]);
  return {
    items: rows.map(sourceView),
    // Refused requests come from sources no tenant listed: they belong to no tenant, and an administrator adding a new
    // SBC needs to see its address here to list it.
    refusals: refusals.map((r) => ({
      address: r.address,
      reason: r.reason,
      transport: r.transport,
      count: Number(r.count),
      firstAt: r.first_at,
      lastAt: r.last_at,
    })),
  };
}

function cleanSource(input: { name?: string; address?: string | null; tlsIdentity?: string | null; pingUri?: string | null }) {
  const out: Partial<RecorderSourcesTable> = {};
  if (input.name !== undefined) {
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (!name) throw invalid('The source name is required', { field: 'name' });
    out.name = name;
  }
  if (input.address !== undefined) {
    const a = input.address?.trim() || null;
    if (a !== null) {
      const c = parseCidr(a);
      if (!c) throw invalid(`"${a}" is not an IP address or CIDR (e.g. 10.0.0.5 or 10.0.0.0/24)`, { field: 'address', reason: 'BAD_ADDRESS' });
      // The unspecified address or a /0 would let the whole world in: name the networks instead.
      if (c.prefix === 0 || c.address === '0.0.0.0' || c.address === '::')
        throw invalid('A source cannot be every address; name the SBC addresses or networks', { field: 'address', reason: 'BAD_ADDRESS' });
      const norm = `${c.family === 'ipv6' ? c.address.toLowerCase() : c.address}${c.prefix === (c.family === 'ipv4' ? 32 : 128) ? '' : '/' + c.prefix}`;
      out.address = norm;
    } else out.address = null;
  }
  if (input.tlsIdentity !== undefined) out.tls_identity = input.tlsIdentity?.trim().toLowerCase() || null;
  if (input.pingUri !== undefined) {
    const u = input.pingUri?.trim() || null;
    if (u !== null) {
      const parsed = parseUri(u);
      if (!parsed || (parsed.scheme !== 'sip' && parsed.scheme !== 'sips'))
        throw invalid(`"${u}" is not a SIP URI (e.g. sip:sbc.example.com:5060)`, { field: 'pingUri', reason: 'BAD_URI' });
      if (!net.isIP(parsed.host.replace(/^\[|\]$/g, '')))
        throw invalid('The OPTIONS target must name the SBC by IP address', { field: 'pingUri', reason: 'BAD_URI' });
    }
    out.ping_uri = u;
  }
  return out;
}

/** An address (or CIDR) belongs to one tenant: otherwise the recorder could not tell whose a call is. */
async function checkAddressFree(ctx: AppContext, tenantId: string, row: Pick<RecorderSourcesTable, 'address' | 'tls_identity'>, selfId: string | null) {
  const others = (await repo.listAllSources(ctx.db)).filter((s) => s.id !== selfId);
  for (const s of others) {
    const sameAddress = row.address && s.address === row.address;
    const sameTls = row.tls_identity && s.tls_identity === row.tls_identity;
    if (!sameAddress && !sameTls) continue;
    const field = sameAddress ? 'address' : 'tlsIdentity';
    if (s.tenant_id === tenantId)
      throw new DomainError('ALREADY_EXISTS', `The source ${s.name} already has this ${sameAddress ? 'address' : 'TLS identity'}`, { field });
    throw new DomainError(
      'ALREADY_EXISTS',
      `This ${sameAddress ? 'address' : 'TLS identity'} is already a source of another tenant; one SBC address can feed one tenant only`,
      { field },
    );
  }
}

export async function createSource(ctx: AppContext, actor: Actor, input: SourceCreate) {
  requirePermission(actor, 'recorder.manage');
  assertTenantWide(actor, 'Adding a recorder source');
  const clean = cleanSource({ name: input.name, address: input.address ?? null, tlsIdentity: input.tlsIdentity ?? null, pingUri: input.pingUri ?? null });
  if (!clean.address && !clean.tls_identity) throw invalid('A source needs an IP address/CIDR or a TLS identity', { field: 'address', reason: 'SOURCE_EMPTY' });
  const now = nowIso();
  const row: RecorderSourcesTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    name: clean.name!,
    address: clean.address ?? null,
    tls_identity: clean.tls_identity ?? null,
    vendor: input.vendor ?? 'generic',
    ping_uri: clean.ping_uri ?? null,
    enabled: input.enabled === false ? 0 : 1,
    calls: 0,
    last_seen_at: null,
    created_by: actor.userId ?? null,
    created_at: now,
    updated_at: now,
  };
  await checkAddressFree(ctx, actor.tenantId, row, null);
  const view = sourceView(row);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertSource(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recorder_source',
        resourceId: row.id,
        action: 'RECORDER_SOURCE_CREATE',
        details: `Allowed recorder source ${row.name} (${[row.address, row.tls_identity].filter(Boolean).join(', ')})`,
        changes: SOURCE_AUDITED.map((f) => ({ field: f, old: null, new: view[f] })),
      },
      tx,
    );
  });
  invalidateRecorder();
  return view;
}

async function loadSource(ctx: AppContext, actor: Actor, id: string) {
  const s = await repo.getSource(ctx.db, actor.tenantId, id);
  if (!s) throw notFound('Recorder source', id);
  return s;
}

export async function updateSource(ctx: AppContext, actor: Actor, id: string, patch: SourcePatch) {
  requirePermission(actor, 'recorder.manage');
  assertTenantWide(actor, 'Changing a recorder source');
  const s = await loadSource(ctx, actor, id);
  const next: Partial<RecorderSourcesTable> = cleanSource(patch);
  if (patch.vendor !== undefined) next.vendor = patch.vendor;
  if (patch.enabled !== undefined) next.enabled = patch.enabled ? 1 : 0;
  const merged = { ...s, ...next };
  if (!merged.address && !merged.tls_identity)
    throw invalid('A source needs an IP address/CIDR or a TLS identity', { field: 'address', reason: 'SOURCE_EMPTY' });
  const before = sourceView(s);
  const after = sourceView(merged);
  const changes = SOURCE_AUDITED.filter((f) => before[f] !== after[f]).map((f): FieldChange => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length === 0) return before;
  await checkAddressFree(ctx, actor.tenantId, merged, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateSource(tx, actor.tenantId, id, { ...next, updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recorder_source',
        resourceId: id,
        action: 'RECORDER_SOURCE_UPDATE',
        details: `Updated recorder source ${s.name}: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  });
  invalidateRecorder();
  return sourceView((await repo.getSource(ctx.db, actor.tenantId, id))!);
}

export async function deleteSource(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'recorder.manage');
  assertTenantWide(actor, 'Removing a recorder source');
  const s = await loadSource(ctx, actor, id);
  const view = sourceView(s);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteSource(tx, actor.tenantId, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recorder_source',
        resourceId: id,
        action: 'RECORDER_SOURCE_DELETE',
        details: `Removed recorder source ${s.name}: its calls are refused from now on`,
        changes: SOURCE_AUDITED.map((f) => ({ field: f, old: view[f], new: null })),
      },
      tx,
    );
  });
  invalidateRecorder();
}

// Party rules

async function ruleView(ctx: AppContext, rows: RecorderPartyRulesTable[]) {
  const ids = [...new Set(rows.map((r) => r.user_id).filter((x): x is string => !!x))];
  const users = await repo.userNames(ctx.db, ids);
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    position: Number(r.position),
    kind: r.kind as 'number',
    value: r.value,
    valueTo: r.value_to,
    role: r.role as 'agent',
    userId: r.user_id,
    userName: r.user_id ? (names.get(r.user_id) ?? null) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
const RULE_AUDITED = ['position', 'kind', 'value', 'valueTo', 'role', 'userId'] as const;

export async function listPartyRules(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'recorder.manage');
  return { items: await ruleView(ctx, await repo.listPartyRules(ctx.db, actor.tenantId)) };
}

const DOMAIN = /^@?([a-z0-9-]+\.)*[a-z0-9-]+$/i;

async function cleanRule(ctx: AppContext, tenantId: string, r: { kind: string; value: string; valueTo: string | null; role: string; userId: string | null }) {
  const value = r.value.trim();
  const valueTo = r.valueTo?.trim() || null;
  if (!value) throw invalid('The rule needs a value', { field: 'value' });
  if (r.kind === 'extension_range') {
    if (!/^\d{1,15}$/.test(value) || !valueTo || !/^\d{1,15}$/.test(valueTo))
      throw invalid('An extension range is two extensions of digits, e.g. 2000 to 2999', { field: valueTo ? 'value' : 'valueTo', reason: 'BAD_RANGE' });
    if (value.length !== valueTo.length)
      throw invalid('Both ends of an extension range have the same number of digits', { field: 'valueTo', reason: 'BAD_RANGE' });
    if (Number(value) > Number(valueTo)) throw invalid('The range starts after it ends', { field: 'valueTo', reason: 'BAD_RANGE' });
  } else if (valueTo !== null) {
    throw invalid('Only an extension range has an end value', { field: 'valueTo' });
  }
  if (r.kind === 'domain' && !DOMAIN.test(value))
    throw invalid(`"${value}" is not a domain name (e.g. cc.example.com)`, { field: 'value', reason: 'BAD_DOMAIN' });
  if (r.kind === 'number' && !/^(sips?:|tel:)?\+?[\w.\-()@ *#]+$/i.test(value))
    throw invalid(`"${value}" is not a number or SIP address`, { field: 'value', reason: 'BAD_NUMBER' });
  if (r.userId) {
    if (r.role !== 'agent') throw invalid('Only an agent rule maps to a user', { field: 'userId' });
    const u = await repo.tenantUser(ctx.db, tenantId, r.userId);
    if (!u) throw invalid('That user does not exist', { field: 'userId' });
  }
  return { kind: r.kind, value: r.kind === 'domain' ? value.toLowerCase().replace(/^@/, '') : value, value_to: valueTo, role: r.role, user_id: r.userId };
}

const auditRule = (r: { position: number; kind: string; value: string; valueTo: string | null; role: string; userId: string | null }) => r;

export async function createPartyRule(ctx: AppContext, actor: Actor, input: PartyRuleCreate) {
  requirePermission(actor, 'recorder.manage');
  assertTenantWide(actor, 'Adding a party rule');
  const clean = await cleanRule(ctx, actor.tenantId, {
    kind: input.kind,
    value: input.value,
    valueTo: input.valueTo ?? null,
    role: input.role,
    userId: input.userId ?? null,
  });
  const now = nowIso();
  const id = newId();
  await inTransaction(ctx.db, async ({ tx }) => {
    const row: RecorderPartyRulesTable = {
      id,
      tenant_id: actor.tenantId,
      position: await repo.nextRulePosition(tx, actor.tenantId),
      ...clean,
      created_by: actor.userId ?? null,
      created_at: now,
      updated_at: now,
    };
    await repo.insertPartyRule(tx, row);
    const v = auditRule({ position: row.position, kind: row.kind, value: row.value, valueTo: row.value_to, role: row.role, userId: row.user_id });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recorder_party_rule',
        resourceId: id,
        action: 'RECORDER_PARTY_RULE_CREATE',
        details: `Added party rule: ${describeRule(row)}`,
        changes: RULE_AUDITED.map((f) => ({ field: f, old: null, new: v[f] })),
      },
      tx,
    );
  });
  invalidateRecorder();
  return (await ruleView(ctx, [(await repo.getPartyRule(ctx.db, actor.tenantId, id))!]))[0]!;
}

function describeRule(r: Pick<RecorderPartyRulesTable, 'kind' | 'value' | 'value_to' | 'role'>) {
  const what = r.kind === 'extension_range' ? `extensions ${r.value}–${r.value_to}` : r.kind === 'domain' ? `addresses @${r.value}` : `number ${r.value}`;
  return `${what} → ${r.role}`;
}

export async function updatePartyRule(ctx: AppContext, actor: Actor, id: string, patch: PartyRulePatch) {
  requirePermission(actor, 'recorder.manage');
  assertTenantWide(actor, 'Changing a party rule');
  const cur = await repo.getPartyRule(ctx.db, actor.tenantId, id);
  if (!cur) throw notFound('Party rule', id);
  const merged = {
    kind: patch.kind ?? cur.kind,
    value: patch.value ?? cur.value,
    valueTo: patch.valueTo !== undefined ? patch.valueTo : patch.kind && patch.kind !== 'extension_range' ? null : cur.value_to,
    role: patch.role ?? cur.role,
    userId: patch.userId !== undefined ? patch.userId : patch.role === 'customer' ? null : cur.user_id,
  };
  const clean = await cleanRule(ctx, actor.tenantId, merged);
  const next: Partial<RecorderPartyRulesTable> = { ...clean, ...(patch.position !== undefined ? { position: patch.position } : {}) };
  const before = auditRule({ position: Number(cur.position), kind: cur.kind, value: cur.value, valueTo: cur.value_to, role: cur.role, userId: cur.user_id });
  const after = auditRule({
    position: next.position ?? Number(cur.position),
    kind: clean.kind,
    value: clean.value,
    valueTo: clean.value_to,
    role: clean.role,
    userId: clean.user_id,
  });
  const changes = RULE_AUDITED.filter((f) => before[f] !== after[f]).map((f): FieldChange => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updatePartyRule(tx, actor.tenantId, id, { ...next, updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'recorder_party_rule',
          resourceId: id,
          action: 'RECORDER_PARTY_RULE_UPDATE',
          details: `Updated party rule ${describeRule(cur)}: ${changes.map((c) => c.field).join(', ')}`,
          changes,
        },
        tx,
      );
    });
    invalidateRecorder();
  }
  return (await ruleView(ctx, [(await repo.getPartyRule(ctx.db, actor.tenantId, id))!]))[0]!;
}

export async function deletePartyRule(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'recorder.manage');
  assertTenantWide(actor, 'Removing a party rule');
  const cur = await repo.getPartyRule(ctx.db, actor.tenantId, id);
  if (!cur) throw notFound('Party rule', id);
  const before = auditRule({ position: Number(cur.position), kind: cur.kind, value: cur.value, valueTo: cur.value_to, role: cur.role, userId: cur.user_id });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deletePartyRule(tx, actor.tenantId, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recorder_party_rule',
        resourceId: id,
        action: 'RECORDER_PARTY_RULE_DELETE',
        details: `Removed party rule: ${describeRule(cur)}`,
        changes: RULE_AUDITED.map((f) => ({ field: f, old: before[f], new: null })),
      },
      tx,
    );
  });
  invalidateRecorder();
}

/** What the recorder would make of a participant AOR with the tenant's rules as they are now (the page's "Try"). */
export async function testParty(ctx: AppContext, actor: Actor, aor: string) {
  requirePermission(actor, 'recorder.manage');
  const [rules, users] = await Promise.all([repo.listPartyRules(ctx.db, actor.tenantId), repo.userExtensions(ctx.db, actor.tenantId)]);
  const matchRules: MatchRule[] = rules.map((r) => ({
    kind: r.kind as MatchRule['kind'],
    value: r.value,
    valueTo: r.value_to,
    role: r.role as MatchRule['role'],
    userId: r.user_id,
  }));
  const value = aor.trim();
  const c = classifyParty(/^[a-z]+:/i.test(value) ? value : value.includes('@') ? `sip:${value}` : `tel:${value}`, {
    rules: matchRules,
    extensions: new Map(users.map((u) => [u.extension!.trim(), u.id])),
  });
  return { number: c.number, role: c.role, userId: c.userId, matchedBy: typeof c.matchedBy === 'number' ? rules[c.matchedBy]!.id : c.matchedBy };
}
