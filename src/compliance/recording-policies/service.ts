// Recording policies: a tenant's ordered rules (record, sample, do not record), managed under "lifecycle.manage",
// every change audited with old/new. The decision itself is decide.ts (ingest and the recorder call it).
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { RecordingPoliciesTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { decideRecording, ruleOf, type PolicyRule } from './decide.ts';
import * as repo from './repository.ts';
import type { PolicyCreate, PolicyPatch, PolicyTest } from './schemas.ts';

type View = PolicyRule & { position: number; createdAt: string; updatedAt: string };

function view(row: RecordingPoliciesTable): View {
  return { ...ruleOf(row), position: row.position, createdAt: row.created_at, updatedAt: row.updated_at };
}

const AUDITED = ['name', 'enabled', 'appliesTo', 'action', 'samplePercent', 'numbers', 'agentUserIds', 'queues', 'directions', 'shorterThanSeconds'] as const;

function changesOf(before: View | null, after: View | null): FieldChange[] {
  return AUDITED.filter((f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null)).map((f) => ({
    field: f,
    old: before ? before[f] : null,
    new: after ? after[f] : null,
  }));
}

/** Policies reach every call of the tenant: only an organisation-wide user changes them (src/auth/actor.ts scope rule). */
function assertManage(actor: Actor, change: string) {
  requirePermission(actor, 'lifecycle.manage');
  assertWithinScope(actor, [null], change);
}

export async function listPolicies(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'lifecycle.manage');
  const [rows, counts] = await Promise.all([repo.listPolicies(ctx.db, actor.tenantId), repo.decisionCounts(ctx.db, actor.tenantId)]);
  return { items: rows.map((r) => ({ ...view(r), decided: counts.get(r.id) ?? { recorded: 0, notRecorded: 0 } })) };
}

const NUMBER = /^\+?[0-9 ().-]*[0-9][0-9 ().-]*\*?$/;

/** The rule a create or patch would leave, checked: each problem is a 400 naming the field. */
async function checked(ctx: AppContext, tenantId: string, r: View): Promise<View> {
  const name = r.name.trim();
  if (!name) throw invalid('A recording rule needs a name', { reason: 'NAME_REQUIRED', field: 'name' });
  const bad = r.numbers.find((n) => !NUMBER.test(n.trim()));
  if (bad !== undefined)
    throw invalid(`"${bad}" is not a number pattern: digits (with + ( ) - . or spaces), optionally ending with * for a prefix`, {
      reason: 'INVALID_NUMBER',
      field: 'numbers',
    });
  if (r.action === 'sample' && (r.samplePercent === null || r.samplePercent === undefined))
    throw invalid('A sampling rule needs the percentage of calls to record', { reason: 'SAMPLE_PERCENT_REQUIRED', field: 'samplePercent' });
  const agents = [...new Set(r.agentUserIds)];
  const known = await repo.existingUsers(ctx.db, tenantId, agents);
  const unknown = agents.find((a) => !known.has(a));
  if (unknown) throw invalid(`The user ${unknown} is not a user of this organisation`, { reason: 'UNKNOWN_AGENT', field: 'agentUserIds' });
  const dedupe = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];
  return {
    ...r,
    name,
    samplePercent: r.action === 'sample' ? r.samplePercent : null,
    numbers: dedupe(r.numbers),
    agentUserIds: agents,
    queues: dedupe(r.queues),
    directions: dedupe(r.directions),
  };
}

function rowOf(v: View, tenantId: string, createdBy: string | null): RecordingPoliciesTable {
  return {
    id: v.id,
    tenant_id: tenantId,
    name: v.name,
    position: v.position,
    enabled: v.enabled ? 1 : 0,
    applies_to: v.appliesTo,
    action: v.action,
    sample_percent: v.samplePercent,
    numbers: JSON.stringify(v.numbers),
    agent_user_ids: JSON.stringify(v.agentUserIds),
    queues: JSON.stringify(v.queues),
    directions: JSON.stringify(v.directions),
    shorter_than_s: v.shorterThanSeconds,
    created_by: createdBy,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
  };
}

function describe(v: View) {
  const what = v.action === 'record' ? 'record' : v.action === 'skip' ? 'do not record' : `record a ${v.samplePercent} % sample`;
  return `${v.name} (${what}${v.enabled ? '' : ', disabled'})`;
}

export async function createPolicy(ctx: AppContext, actor: Actor, input: PolicyCreate) {
  assertManage(actor, 'Creating a recording rule');
  const now = nowIso();
  const draft: View = {
    id: newId(),
    name: input.name,
    enabled: input.enabled ?? true,
    appliesTo: input.appliesTo ?? 'call',
    action: input.action,
    samplePercent: input.samplePercent ?? null,
    numbers: input.numbers ?? [],
    agentUserIds: input.agentUserIds ?? [],
    queues: input.queues ?? [],
    directions: input.directions ?? [],
    shorterThanSeconds: input.shorterThanSeconds ?? null,
    position: 0,
    createdAt: now,
    updatedAt: now,
  };
  const v = await checked(ctx, actor.tenantId, draft);
  await inTransaction(ctx.db, async ({ tx }) => {
    v.position = await repo.nextPosition(tx, actor.tenantId);
    await repo.insertPolicy(tx, rowOf(v, actor.tenantId, actor.userId || null));
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recording_policy',
        resourceId: v.id,
        action: 'RECORDING_POLICY_CREATE',
        details: `Created recording rule ${describe(v)}, evaluated in position ${v.position + 1}`,
        changes: changesOf(null, v),
      },
      tx,
    );
  });
  return { ...v, decided: { recorded: 0, notRecorded: 0 } };
}

async function load(ctx: AppContext, tenantId: string, id: string) {
  const row = await repo.getPolicy(ctx.db, tenantId, id);
  if (!row) throw notFound('Recording rule', id);
  return row;
}

export async function updatePolicy(ctx: AppContext, actor: Actor, id: string, patch: PolicyPatch) {
  assertManage(actor, 'Changing a recording rule');
  const row = await load(ctx, actor.tenantId, id);
  const before = view(row);
  const merged: View = { ...before };
  for (const [k, val] of Object.entries(patch)) if (val !== undefined) (merged as unknown as Record<string, unknown>)[k] = val;
  const after = await checked(ctx, actor.tenantId, merged);
  const changes = changesOf(before, after);
  const counts = (await repo.decisionCounts(ctx.db, actor.tenantId)).get(id) ?? { recorded: 0, notRecorded: 0 };
  if (changes.length === 0) return { ...before, decided: counts };
  after.updatedAt = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    const { id: _id, tenant_id: _t, created_by: _c, created_at: _ca, position: _p, ...set } = rowOf(after, actor.tenantId, null);
    await repo.updatePolicy(tx, id, set);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recording_policy',
        resourceId: id,
        action: 'RECORDING_POLICY_UPDATE',
        details: `Changed recording rule ${describe(after)}: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  });
  return { ...after, decided: counts };
}

export async function deletePolicy(ctx: AppContext, actor: Actor, id: string) {
  assertManage(actor, 'Deleting a recording rule');
  const row = await load(ctx, actor.tenantId, id);
  const before = view(row);
  // Segments keep the decision's rule id and name as they were: the record of why a call was not kept stays true.
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deletePolicy(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recording_policy',
        resourceId: id,
        action: 'RECORDING_POLICY_DELETE',
        details: `Deleted recording rule ${describe(before)}`,
        changes: changesOf(before, null),
      },
      tx,
    );
  });
}

export async function reorderPolicies(ctx: AppContext, actor: Actor, ids: string[]) {
  assertManage(actor, 'Reordering recording rules');
  const rows = await repo.listPolicies(ctx.db, actor.tenantId);
  const current = rows.map((r) => r.id);
  const same = ids.length === current.length && new Set(ids).size === ids.length && ids.every((id) => current.includes(id));
  if (!same) throw invalid('Send every recording rule of the organisation once, in the new order', { reason: 'ORDER_MISMATCH', field: 'ids' });
  if (ids.every((id, i) => current[i] === id)) return listPolicies(ctx, actor);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    for (const [i, id] of ids.entries()) await repo.setPosition(tx, id, i, now);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recording_policy',
        resourceId: null,
        action: 'RECORDING_POLICY_REORDER',
        details: `Reordered recording rules: ${ids.map((id) => names.get(id)).join(' → ')}`,
        changes: [{ field: 'order', old: current.map((id) => names.get(id)), new: ids.map((id) => names.get(id)) }],
      },
      tx,
    );
  });
  return listPolicies(ctx, actor);
}

/** What the rules would decide for a described call (the page's "Test a call"); nothing is stored. */
export async function testPolicies(ctx: AppContext, actor: Actor, input: PolicyTest) {
  requirePermission(actor, 'lifecycle.manage');
  return decideRecording(ctx.db, actor.tenantId, {
    kind: input.kind ?? 'call',
    callRef: input.callRef,
    numbers: input.numbers ?? [],
    agentUserIds: input.agentUserIds ?? [],
    queue: input.queue ?? null,
    direction: input.direction,
    durationMs: input.durationSeconds === null || input.durationSeconds === undefined ? null : Math.round(input.durationSeconds * 1000),
  });
}
