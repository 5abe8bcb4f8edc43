// Retention policies: a default (period and what goes: media only or the whole conversation) and ordered rules by
// group, channel, direction, tag or category, each with its own period and scope. The scheduled purge deletes what has
// expired, oldest first, in batches, never a protected conversation (reviewed, on legal hold, protection tag), through
// the same deletion as a person's (src/compliance/deletion). A policy that would delete every conversation needs an
// explicit confirmation, when it is saved and again at run time (e.g. after weeks without new recordings).
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, systemActor, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { RetentionPoliciesTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { planDeletion, finishShredded, type DeletionScope } from '../deletion/service.ts';
import { protectionOf } from '../protection.ts';
import * as repo from './repository.ts';
import type { RetentionConditions, RetentionPolicy, RetentionPreview, RetentionPut } from './schemas.ts';

const DAY_MS = 86_400_000;
/** Conversations planned per transaction of the purge. */
export const PURGE_BATCH = 200;
/** Per tenant and run: the next hourly run goes on from there, so one huge backlog never holds the worker for hours. */
export const PURGE_MAX_PER_RUN = 5_000;
/** The preview walks at most this many due conversations (protection is checked one by one). */
export const PREVIEW_LIMIT = 20_000;

type PolicyInput = Omit<RetentionPut, 'confirmDeleteAll'>;

interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  periodDays: number | null;
  scope: DeletionScope;
  conditions: RetentionConditions;
}
interface Policy {
  default: { id: string | null; periodDays: number | null; scope: DeletionScope };
  rules: Rule[];
  confirmedAllAt: string | null;
  updatedAt: string | null;
}

/** A tenant without a saved policy keeps everything: retention is a decision, never a default that deletes. */
const KEEP_ALL: Policy = { default: { id: null, periodDays: null, scope: 'conversation' }, rules: [], confirmedAllAt: null, updatedAt: null };

async function loadPolicy(ctx: AppContext, tenantId: string): Promise<Policy> {
  const rows = await repo.listPolicies(ctx.db, tenantId);
  const d = rows.find((r) => r.kind === 'default');
  if (!d) return KEEP_ALL;
  return {
    default: { id: d.id, periodDays: d.period_days, scope: d.scope as DeletionScope },
    rules: rows
      .filter((r) => r.kind === 'rule')
      .sort((a, b) => a.position - b.position)
      .map((r) => ({
        id: r.id,
        name: r.name,
        enabled: Boolean(r.enabled),
        periodDays: r.period_days,
        scope: r.scope as DeletionScope,
        conditions: (ctx.adapter.fromJson<RetentionConditions>(r.conditions) ?? {}) as RetentionConditions,
      })),
    confirmedAllAt: d.confirmed_all_at,
    updatedAt: d.updated_at,
  };
}

/** The buckets of the due query: rules in order (groups expanded to the groups below them), then the default. */
async function bucketsOf(ctx: AppContext, tenantId: string, p: Pick<Policy, 'default' | 'rules'>, now: Date): Promise<repo.Bucket[]> {
  const tree = await repo.groupTree(ctx.db, tenantId);
  const children = new Map<string, string[]>();
  for (const g of tree) if (g.parent_id) children.set(g.parent_id, [...(children.get(g.parent_id) ?? []), g.id]);
  const below = (ids: string[]) => {
    const out = new Set<string>();
    const walk = (id: string) => {
      if (out.has(id)) return;
      out.add(id);
      (children.get(id) ?? []).forEach(walk);
    };
    ids.forEach(walk);
    return [...out];
  };
  const cutoff = (days: number | null) => (days === null ? null : new Date(now.getTime() - days * DAY_MS).toISOString());
  const buckets: repo.Bucket[] = [];
  p.rules.forEach((r, i) => {
    if (!r.enabled) return;
    const c = r.conditions;
    buckets.push({
      index: i + 1,
      conditions: { ...c, groupIds: c.groupIds?.length ? below(c.groupIds) : undefined },
      cutoff: cutoff(r.periodDays),
      scope: r.scope,
    });
  });
  buckets.push({ index: 0, conditions: null, cutoff: cutoff(p.default.periodDays), scope: p.default.scope });
  return buckets;
}

const ruleLabel = (p: Pick<Policy, 'default' | 'rules'>, bucket: number) => {
  const r = bucket === 0 ? null : p.rules[bucket - 1];
  const days = r ? r.periodDays : p.default.periodDays;
  return `${r ? `rule ${r.name}` : 'default policy'} (${days} days)`;
};

function policyView(p: Policy, lastRun: RetentionPolicy['lastRun']): RetentionPolicy {
  return {
    default: { periodDays: p.default.periodDays, scope: p.default.scope },
    rules: p.rules.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled, periodDays: r.periodDays, scope: r.scope, conditions: r.conditions })),
    confirmedAllAt: p.confirmedAllAt,
    updatedAt: p.updatedAt,
    lastRun,
  };
}

export async function getRetention(ctx: AppContext, actor: Actor): Promise<RetentionPolicy> {
  requirePermission(actor, 'lifecycle.manage');
  const [p, jobs] = await Promise.all([loadPolicy(ctx, actor.tenantId), repo.recentPurgeJobs(ctx.db, actor.tenantId)]);
  let lastRun: RetentionPolicy['lastRun'] = null;
  // A scheduled run reports every tenant under `tenants`; a tenant's own run reports just its result.
  const resultOf = (j: (typeof jobs)[number]) => {
    const r = j.result == null ? null : ctx.adapter.fromJson<PurgeResult & { tenants?: Record<string, PurgeResult> }>(j.result);
    return j.tenant_id ? r : (r?.tenants?.[actor.tenantId] ?? null);
  };
  const job = jobs.find((j) => j.tenant_id || j.status !== 'succeeded' || resultOf(j));
  if (job) {
    const result = resultOf(job);
    lastRun = {
      at: String(job.finished_at ?? job.updated_at),
      status: result?.blocked ? 'needs_confirmation' : job.status,
      planned: result?.planned ?? 0,
      skippedProtected: result?.skippedProtected ?? 0,
      error: job.last_error,
    };
  }
  return policyView(p, lastRun);
}

/** Checks a policy's references (groups, tags, categories of this tenant) and returns it normalised. */
async function checkedPolicy(ctx: AppContext, tenantId: string, input: PolicyInput): Promise<Pick<Policy, 'default' | 'rules'>> {
  const groups = new Set((await repo.groupTree(ctx.db, tenantId)).map((g) => g.id));
  const defs = await ctx.db.selectFrom('tag_definitions').select(['id', 'kind']).where('tenant_id', '=', tenantId).execute();
  const tags = new Set(defs.filter((d) => (d.kind ?? 'tag') === 'tag').map((d) => d.id));
  const categories = new Set(defs.filter((d) => d.kind === 'category').map((d) => d.id));
  const names = new Set<string>();
  const rules = input.rules.map((r, i): Rule => {
    const name = r.name.trim();
    if (!name) throw invalid(`Rule ${i + 1} needs a name`, { field: `rules.${i}.name` });
    if (names.has(name.toLowerCase())) throw invalid(`Two rules are named "${name}"`, { field: `rules.${i}.name`, reason: 'DUPLICATE_RULE' });
    names.add(name.toLowerCase());
    const c = r.conditions;
    const bad = (field: string, id: string) =>
      invalid(`Rule ${name}: ${field} ${id} is not one of this organisation's`, { field: `rules.${i}.conditions.${field}` });
    for (const g of c.groupIds ?? []) if (!groups.has(g)) throw bad('groupIds', g);
    for (const t of c.tagIds ?? []) if (!tags.has(t)) throw bad('tagIds', t);
    for (const t of c.categoryIds ?? []) if (!categories.has(t)) throw bad('categoryIds', t);
    const conditions: RetentionConditions = {};
    for (const k of ['groupIds', 'channels', 'directions', 'tagIds', 'categoryIds'] as const)
      if (c[k]?.length) (conditions as Record<string, unknown>)[k] = [...new Set(c[k] as string[])];
    if (!Object.keys(conditions).length)
      throw invalid(`Rule ${name} has no condition: change the default instead`, { field: `rules.${i}.conditions`, reason: 'RULE_WITHOUT_CONDITION' });
    return { id: newId(), name, enabled: r.enabled ?? true, periodDays: r.periodDays, scope: r.scope, conditions };
  });
  return { default: { id: null, periodDays: input.default.periodDays, scope: input.default.scope }, rules };
}

const comparable = (p: Pick<Policy, 'default' | 'rules'>) => ({
  default: { periodDays: p.default.periodDays, scope: p.default.scope },
  rules: p.rules.map((r) => ({ name: r.name, enabled: r.enabled, periodDays: r.periodDays, scope: r.scope, conditions: r.conditions })),
});

export async function putRetention(ctx: AppContext, actor: Actor, input: RetentionPut): Promise<RetentionPolicy> {
  requirePermission(actor, 'lifecycle.manage');
  assertWithinScope(actor, [null], 'Changing the retention policy');
  const next = await checkedPolicy(ctx, actor.tenantId, input);
  const before = await loadPolicy(ctx, actor.tenantId);
  const now = new Date();
  const everything = await deletesEverything(ctx, actor.tenantId, next, now);
  if (everything.all && !input.confirmDeleteAll)
    throw new DomainError(
      'CONFLICT',
      `This policy would delete all ${everything.total} conversations of the organisation that are due now; confirm to save it anyway`,
      { reason: 'RETENTION_DELETES_ALL', conversations: everything.total },
    );
  const iso = now.toISOString();
  const confirmed = everything.all ? iso : null;
  const rows: RetentionPoliciesTable[] = [
    {
      id: newId(),
      tenant_id: actor.tenantId,
      kind: 'default',
      name: 'Default',
      position: 0,
      enabled: 1,
      period_days: next.default.periodDays,
      scope: next.default.scope,
      conditions: null,
      confirmed_all_at: confirmed,
      confirmed_all_by: confirmed ? actor.userId || actor.name : null,
      created_at: iso,
      updated_at: iso,
    },
    ...next.rules.map((r, i) => ({
      id: r.id,
      tenant_id: actor.tenantId,
      kind: 'rule',
      name: r.name,
      position: i + 1,
      enabled: r.enabled ? 1 : 0,
      period_days: r.periodDays,
      scope: r.scope,
      conditions: ctx.adapter.json(r.conditions),
      confirmed_all_at: null,
      confirmed_all_by: null,
      created_at: iso,
      updated_at: iso,
    })),
  ];
  const old = comparable(before);
  const neu = comparable(next);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.replacePolicies(tx, actor.tenantId, rows);
    const changes: FieldChange[] = (['default', 'rules'] as const)
      .filter((f) => JSON.stringify(old[f]) !== JSON.stringify(neu[f]))
      .map((f) => ({ field: f, old: old[f], new: neu[f] }));
    if (confirmed) changes.push({ field: 'confirmDeleteAll', old: null, new: true });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'retention_policy',
        resourceId: actor.tenantId,
        action: 'RETENTION_POLICY_UPDATE',
        details: `Updated the retention policy: default ${next.default.periodDays === null ? 'keep forever' : `${next.default.periodDays} days (${next.default.scope})`}, ${next.rules.length} rule(s)${confirmed ? `; confirmed that it deletes all ${everything.total} conversations due now` : ''}`,
        changes,
      },
      tx,
    );
  });
  return getRetention(ctx, actor);
}

/** Whether every conversation of the tenant is due under this policy (and there is at least one). */
async function deletesEverything(ctx: AppContext, tenantId: string, p: Pick<Policy, 'default' | 'rules'>, now: Date) {
  const buckets = await bucketsOf(ctx, tenantId, p, now);
  const [due, total] = await Promise.all([repo.countDue(ctx.db, tenantId, buckets), repo.countConversations(ctx.db, tenantId)]);
  return { all: total > 0 && due >= total, total };
}

/** What the next purge runs would delete (dry run): nothing is changed. */
export async function previewRetention(ctx: AppContext, actor: Actor, input: { policy?: PolicyInput }, now = new Date()): Promise<RetentionPreview> {
  requirePermission(actor, 'lifecycle.manage');
  // The preview lists conversations of every group: the whole organisation's administrators only.
  assertWithinScope(actor, [null], 'Previewing the retention policy');
  const p = input.policy ? await checkedPolicy(ctx, actor.tenantId, input.policy) : await loadPolicy(ctx, actor.tenantId);
  const buckets = await bucketsOf(ctx, actor.tenantId, p, now);
  const scopeOf = new Map(buckets.map((b) => [b.index, b.scope]));
  const out: RetentionPreview = {
    conversations: 0,
    wholeConversations: 0,
    mediaOnly: 0,
    protectedSkipped: 0,
    oldestStartedAt: null,
    bytes: 0,
    deletesEverything: (await deletesEverything(ctx, actor.tenantId, p, now)).all,
    exact: true,
    sample: [],
  };
  let after: { startedAt: string; id: string } | null = null;
  let walked = 0;
  for (;;) {
    const page = await repo.dueAfter(ctx.db, actor.tenantId, buckets, after, 500);
    if (!page.length) break;
    const last = page[page.length - 1]!;
    after = { startedAt: last.started_at, id: last.id };
    const prot = await protectionOf(
      ctx.db,
      actor.tenantId,
      page.map((r) => r.id),
    );
    const free = page.filter((r) => !prot.has(r.id));
    out.protectedSkipped += page.length - free.length;
    for (const r of free) {
      out.conversations++;
      if (scopeOf.get(r.bucket) === 'media') out.mediaOnly++;
      else out.wholeConversations++;
      out.oldestStartedAt ??= r.started_at;
      if (out.sample.length < 20)
        out.sample.push({ id: r.id, title: r.title, startedAt: r.started_at, scope: scopeOf.get(r.bucket)!, rule: ruleLabel(p, r.bucket) });
    }
    out.bytes += await repo.storedBytes(
      ctx.db,
      free.map((r) => r.id),
    );
    walked += page.length;
    if (walked >= PREVIEW_LIMIT) {
      out.exact = (await repo.dueAfter(ctx.db, actor.tenantId, buckets, after, 1)).length === 0;
      break;
    }
  }
  return out;
}

export async function queuePurge(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'lifecycle.manage');
  assertWithinScope(actor, [null], 'Running the retention purge');
  const jobId = await ctx.jobs.enqueue(ctx.db, 'compliance.retention_purge', { tenantId: actor.tenantId }, { tenantId: actor.tenantId });
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'retention_policy',
    resourceId: actor.tenantId,
    action: 'RETENTION_PURGE_REQUEST',
    details: 'Asked for a retention purge now',
  });
  return { jobId };
}

// ---- the purge ------------------------------------------------------------------------------------------------------

export interface PurgeResult {
  planned: number;
  skippedProtected: number;
  blocked: boolean;
}

/**
 * One tenant's purge: finishes deletions a crash interrupted, then plans the due conversations oldest first, a batch
 * per transaction, skipping protected ones; the deletion job does the rest. Stops at `maxPerRun`.
 */
export async function purgeTenant(
  ctx: AppContext,
  tenantId: string,
  opts: { now?: Date; maxPerRun?: number; batch?: number; onProgress?: (planned: number) => Promise<void> | void } = {},
): Promise<PurgeResult> {
  await finishShredded(ctx);
  const now = opts.now ?? new Date();
  const p = await loadPolicy(ctx, tenantId);
  const result: PurgeResult = { planned: 0, skippedProtected: 0, blocked: false };
  const buckets = await bucketsOf(ctx, tenantId, p, now);
  if (buckets.every((b) => b.cutoff === null)) return result;
  const all = await deletesEverything(ctx, tenantId, p, now);
  if (all.all && !p.confirmedAllAt) {
    result.blocked = true;
    await ctx.audit.append({
      tenantId,
      initiator: { userId: null, name: 'retention', ip: null, application: 'system' },
      resourceType: 'retention_policy',
      resourceId: tenantId,
      action: 'RETENTION_PURGE_BLOCKED',
      details: `The retention purge did not run: it would delete all ${all.total} conversations; an administrator must confirm the policy`,
    });
    return result;
  }
  const actor = systemActor(tenantId, 'Retention policy', 'system');
  const max = opts.maxPerRun ?? PURGE_MAX_PER_RUN;
  const batch = opts.batch ?? PURGE_BATCH;
  let after: { startedAt: string; id: string } | null = null;
  while (result.planned < max) {
    const page = await repo.dueAfter(ctx.db, tenantId, buckets, after, Math.min(batch, max - result.planned));
    if (!page.length) break;
    const last = page[page.length - 1]!;
    after = { startedAt: last.started_at, id: last.id };
    await inTransaction(ctx.db, async (uow) => {
      // Checked inside the transaction that plans: a hold placed a moment ago is seen (and the job checks again).
      const prot = await protectionOf(
        uow.tx,
        tenantId,
        page.map((r) => r.id),
      );
      const groups = new Map<number, string[]>();
      for (const r of page) {
        if (prot.has(r.id)) result.skippedProtected++;
        else groups.set(r.bucket, [...(groups.get(r.bucket) ?? []), r.id]);
      }
      for (const [bucket, ids] of groups) {
        const b = buckets.find((x) => x.index === bucket)!;
        const policyId = bucket === 0 ? p.default.id : p.rules[bucket - 1]!.id;
        const planned = await planDeletion(ctx, uow, actor, tenantId, ids, b.scope, `Retention: ${ruleLabel(p, bucket)}`, {
          origin: 'policy',
          policyId,
          checked: true,
        });
        result.planned += planned.length;
      }
    });
    await opts.onProgress?.(result.planned);
  }
  await inTransaction(ctx.db, (uow) =>
    publishEvent(ctx, uow, tenantId, 'retention.purge_completed', { planned: result.planned, skippedProtected: result.skippedProtected }),
  );
  return result;
}

/** The scheduled purge (every tenant) or one tenant's (Run now). */
export async function runPurge(ctx: AppContext, tenantId: string | undefined, onProgress?: (note: string) => Promise<void>) {
  const tenants = tenantId ? [tenantId] : [...new Set((await repo.tenantsWithRetention(ctx.db)).map((r) => r.tenant_id))];
  const out: Record<string, PurgeResult> = {};
  for (const t of tenants) {
    out[t] = await purgeTenant(ctx, t, { onProgress: (n) => onProgress?.(`${n} planned for ${t}`) });
  }
  if (!tenants.length) await finishShredded(ctx);
  return tenantId ? out[tenantId]! : { tenants: out };
}
