// The demo's anonymized conversations (issue 12): a handful of the oldest ones (two chats, two e-mail threads, two
// calls) anonymized through the real service, so the Conversations screen shows the placeholders and the states —
// one call's media planned for deletion (the deletion job then shows it "Deleted"), the other's kept. Chosen by age,
// not drawn from the demo's random streams, so the conversations' draws are unchanged; only conversations nobody
// reviewed, planned or clipped (those would be protected or lose quality work). Idempotent by a settings mark.
import type { AppContext } from '../context.ts';
import { systemActor } from '../auth/actor.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError } from '../platform/errors.ts';
import { anonymizeInUow } from '../compliance/anonymize/service.ts';
import { readSetup } from '../compliance/setup/service.ts';
import { indexConversation } from '../search/index/indexer.ts';

const SEEDED_MARK = 'demoAnonymizedAt';
const PER_CHANNEL = 2;

export interface SeedAnonymizationResult {
  skipped?: true;
  anonymized: number;
}

export async function seedDemoAnonymization(ctx: AppContext, tenantId: string): Promise<SeedAnonymizationResult> {
  const tenant = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const settings = ctx.adapter.fromJson<Record<string, unknown>>(tenant.settings) ?? {};
  if (settings[SEEDED_MARK]) return { skipped: true, anonymized: 0 };
  const actor = systemActor(tenantId, 'Demo compliance officer', 'system');
  const setup = await readSetup(ctx.db, ctx.adapter, tenantId);
  const untouched = (channel: 'has_chat' | 'has_email' | 'has_call') =>
    ctx.db
      .selectFrom('conversations as c')
      .select('c.id')
      .where('c.tenant_id', '=', tenantId)
      .where(channel, '=', 1)
      .where('c.reviewed_at', 'is', null)
      .where('c.anonymized_at', 'is', null)
      .where('c.media_state', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('evaluations as e').select('e.id').whereRef('e.conversation_id', '=', 'c.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('moments as m').select('m.id').whereRef('m.conversation_id', '=', 'c.id'))))
      .orderBy('c.started_at')
      .limit(PER_CHANNEL)
      .execute();
  const picks: Array<{ id: string; media: boolean }> = [
    ...(await untouched('has_chat')).map((r) => ({ id: r.id, media: false })),
    ...(await untouched('has_email')).map((r) => ({ id: r.id, media: false })),
    ...(await untouched('has_call')).map((r, i) => ({ id: r.id, media: i === 0 })),
  ];
  let anonymized = 0;
  for (const p of picks) {
    const parts = p.media ? [...new Set([...setup.parts, 'media' as const])] : setup.parts.filter((x) => x !== 'media');
    try {
      await inTransaction(ctx.db, (uow) =>
        anonymizeInUow(ctx, uow, actor, p.id, { parts, customFieldIds: setup.customFieldIds, audio: p.media ? 'delete' : 'keep' }),
      );
      await indexConversation(ctx, p.id);
      anonymized++;
    } catch (err) {
      // Protected meanwhile (a legal hold of the demo): left as it is.
      if (!(err instanceof DomainError)) throw err;
    }
  }
  await ctx.db
    .updateTable('tenants')
    .set({ settings: ctx.adapter.json({ ...settings, [SEEDED_MARK]: new Date().toISOString() }) })
    .where('id', '=', tenantId)
    .execute();
  return { anonymized };
}
