// Compliance setup: which data classes anonymization overwrites, a tenant setting (lifecycle.manage), audited with
// old and new values. Anonymization reads it when a user confirms (the run keeps what it was then).
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { readSettings } from '../../settings/model.ts';
import { ANONYMIZATION_PARTS, isAnonymizationPart, type AnonymizationSetup } from './model.ts';
import * as repo from './repository.ts';

/** The tenant's setup as stored (unknown parts and fields that no longer exist are dropped). */
export async function readSetup(db: Executor, adapter: DialectAdapter, tenantId: string): Promise<AnonymizationSetup> {
  const t = await repo.tenantSettings(db, tenantId);
  const s = readSettings(adapter.fromJson(t?.settings ?? null));
  const fields = new Set((await repo.customFields(db, tenantId)).map((f) => f.id));
  return {
    parts: ANONYMIZATION_PARTS.filter((p) => s.anonymizationParts.includes(p)),
    customFieldIds: s.anonymizationCustomFieldIds.filter((id) => fields.has(id)),
  };
}

export interface SetupView extends AnonymizationSetup {
  /** The custom fields that can be chosen: the filterable ones (and any chosen before it stopped being filterable). */
  customFields: Array<{ id: string; key: string; label: string; filterable: boolean }>;
}

async function view(ctx: AppContext, tenantId: string): Promise<SetupView> {
  const setup = await readSetup(ctx.db, ctx.adapter, tenantId);
  const fields = await repo.customFields(ctx.db, tenantId);
  return {
    ...setup,
    customFields: fields
      .filter((f) => Number(f.show_in_filters ?? 0) === 1 || setup.customFieldIds.includes(f.id))
      .map((f) => ({ id: f.id, key: f.key, label: f.label, filterable: Number(f.show_in_filters ?? 0) === 1 })),
  };
}

export async function getSetup(ctx: AppContext, actor: Actor): Promise<SetupView> {
  requirePermission(actor, 'lifecycle.manage');
  return view(ctx, actor.tenantId);
}

export async function updateSetup(ctx: AppContext, actor: Actor, input: AnonymizationSetup): Promise<SetupView> {
  requirePermission(actor, 'lifecycle.manage');
  assertWithinScope(actor, [null], 'Changing the compliance setup');
  const bad = input.parts.find((p) => !isAnonymizationPart(p));
  if (bad) throw invalid(`Unknown data class "${bad}"; the classes are ${ANONYMIZATION_PARTS.join(', ')}`, { field: 'parts', reason: 'UNKNOWN_PART' });
  const fields = new Map((await repo.customFields(ctx.db, actor.tenantId)).map((f) => [f.id, f]));
  const unknownField = input.customFieldIds.find((id) => !fields.has(id));
  if (unknownField) throw invalid(`Custom field ${unknownField} does not exist`, { field: 'customFieldIds', reason: 'UNKNOWN_FIELD' });
  const parts = ANONYMIZATION_PARTS.filter((p) => input.parts.includes(p));
  const customFieldIds = [...new Set(input.customFieldIds)];
  await inTransaction(ctx.db, async ({ tx }) => {
    const row = await repo.lockTenantSettings(tx, ctx.adapter, actor.tenantId);
    if (!row) throw notFound('Tenant', actor.tenantId);
    const stored = (ctx.adapter.fromJson<Record<string, unknown> | null>(row.settings) ?? {}) as Record<string, unknown>;
    const before = readSettings(stored);
    const label = (ids: string[]) => ids.map((id) => fields.get(id)?.key ?? id);
    const changes = [
      { field: 'anonymizationParts', old: before.anonymizationParts, new: parts },
      { field: 'anonymizationCustomFields', old: label(before.anonymizationCustomFieldIds), new: label(customFieldIds) },
    ].filter((c) => JSON.stringify(c.old) !== JSON.stringify(c.new));
    if (changes.length === 0) return;
    const next = { ...stored, anonymizationParts: parts, anonymizationCustomFieldIds: customFieldIds };
    await repo.writeTenantSettings(tx, actor.tenantId, ctx.adapter.json(next), nowIso());
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'settings',
        resourceId: actor.tenantId,
        action: 'COMPLIANCE_SETUP_UPDATE',
        details: `Compliance setup: anonymization overwrites ${parts.length ? parts.join(', ') : 'no data class'}${customFieldIds.length ? ` and custom fields ${label(customFieldIds).join(', ')}` : ''}`,
        changes,
      },
      tx,
    );
  });
  return view(ctx, actor.tenantId);
}
