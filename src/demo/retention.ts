// The demo's data life cycle (issue 12, C2): a retention policy (two years by default; media of calls tagged "Bad audio"
// after 60 days; internal calls' media after a year), one legal hold on a customer's recent calls, and three calls
// whose media a compliance officer deleted (they show "Deleted"; the Retention tab lists the deletions). Everything
// goes through the real services; the picks are chosen by age, not drawn from the demo's random streams, so the
// conversations' draws are unchanged; only conversations nobody reviewed, evaluated, clipped or anonymized. Whole
// conversations are not deleted (the demo's counts stay). Idempotent by a settings mark.
import type { AppContext } from '../context.ts';
import { systemActor } from '../auth/actor.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { createHold } from '../compliance/holds/service.ts';
import { executeDeletion, planDeletion } from '../compliance/deletion/service.ts';
import { putRetention } from '../compliance/retention/service.ts';

const SEEDED_MARK = 'demoRetentionAt';
const DELETED = 3;
const HELD = 4;

export interface SeedRetentionResult {
  skipped?: true;
  held: number;
  deleted: number;
}

export async function seedDemoRetention(ctx: AppContext, tenantId: string): Promise<SeedRetentionResult> {
  const tenant = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const settings = ctx.adapter.fromJson<Record<string, unknown>>(tenant.settings) ?? {};
  if (settings[SEEDED_MARK]) return { skipped: true, held: 0, deleted: 0 };
  const actor = systemActor(tenantId, 'Demo compliance officer', 'system');

  const badAudio = await ctx.db.selectFrom('tag_definitions').select('id').where('tenant_id', '=', tenantId).where('name', '=', 'Bad audio').executeTakeFirst();
  await putRetention(ctx, actor, {
    default: { periodDays: 730, scope: 'conversation' },
    rules: [
      ...(badAudio ? [{ name: 'Bad audio recordings', enabled: true, periodDays: 60, scope: 'media' as const, conditions: { tagIds: [badAudio.id] } }] : []),
      { name: 'Internal calls', enabled: true, periodDays: 365, scope: 'media', conditions: { directions: ['internal'], channels: ['call'] } },
    ],
  });

  const untouchedCalls = (order: 'asc' | 'desc', limit: number, skip: string[] = []) => {
    let q = ctx.db
      .selectFrom('conversations as c')
      .select('c.id')
      .where('c.tenant_id', '=', tenantId)
      .where('c.has_call', '=', 1)
      .where('c.reviewed_at', 'is', null)
      .where('c.anonymized_at', 'is', null)
      .where('c.media_state', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('evaluations as e').select('e.id').whereRef('e.conversation_id', '=', 'c.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('moments as m').select('m.id').whereRef('m.conversation_id', '=', 'c.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('calibrations as k').select('k.id').whereRef('k.conversation_id', '=', 'c.id'))));
    if (skip.length) q = q.where('c.id', 'not in', skip);
    return q.orderBy('c.started_at', order).limit(limit).execute();
  };

  const held = (await untouchedCalls('desc', HELD)).map((r) => r.id);
  const admin = await ctx.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('email', 'like', 'admin@%').executeTakeFirst();
  if (held.length)
    await createHold(ctx, actor, {
      name: 'Meridian Telecom v. Demo Co.',
      reason: 'Litigation hold requested by Legal on 2026-11-02: keep every call about the disputed contract until the case closes.',
      ownerId: admin?.id ?? null,
      kind: 'list',
      conversationIds: held,
    });

  const toDelete = (await untouchedCalls('asc', DELETED, held)).map((r) => r.id);
  const planned = toDelete.length
    ? await inTransaction(ctx.db, (uow) =>
        planDeletion(
          ctx,
          uow,
          actor,
          tenantId,
          toDelete,
          'media',
          'Recorded by mistake: the agent’s personal call; the customer asked for the recording to be erased',
          {
            origin: 'person',
          },
        ),
      )
    : [];
  // Run now rather than wait for the worker, so the demo shows "Deleted" from the start (the queued jobs then skip them).
  for (const p of planned) await executeDeletion(ctx, p.deletionId);

  await ctx.db
    .updateTable('tenants')
    .set({ settings: ctx.adapter.json({ ...settings, [SEEDED_MARK]: new Date().toISOString() }) })
    .where('id', '=', tenantId)
    .execute();
  return { held: held.length, deleted: planned.length };
}
