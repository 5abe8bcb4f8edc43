// The demo's archiving (issue 12, C3): a folder target under the data folder (./data/archive/demo with the default
// EARSHOT_ARCHIVE_DIR), switched on with the default file-name template, and the dozen most recent calls queued for it,
// so the scheduler's first archive run copies them (Transfers and each conversation's Archive card fill within a
// minute) without copying the whole demo. Through the real services; no random draws; idempotent (a tenant with
// archive settings already is left alone).
import type { AppContext } from '../context.ts';
import { systemActor } from '../auth/actor.ts';
import { newId, nowIso } from '../platform/ids.ts';
import * as repo from '../compliance/archive/repository.ts';
import { saveTarget, updateConfig } from '../compliance/archive/service.ts';
import { DEFAULT_TEMPLATE } from '../compliance/archive/template.ts';

const QUEUED = 12;

export async function seedDemoArchive(ctx: AppContext, tenantId: string): Promise<{ skipped?: true; queued: number }> {
  if (await repo.getConfig(ctx.db, tenantId)) return { skipped: true, queued: 0 };
  const actor = systemActor(tenantId, 'Demo compliance officer', 'system');
  await saveTarget(ctx, actor, 'primary', { kind: 'folder', settings: { path: 'demo' } });
  await updateConfig(ctx, actor, { enabled: true, nameTemplate: DEFAULT_TEMPLATE, timeZone: 'UTC', encryption: 'none', includeOlder: false });
  const target = await repo.liveTarget(ctx.db, tenantId, 'primary');
  const recent = await ctx.db
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('has_call', '=', 1)
    .where('media_state', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(QUEUED)
    .execute();
  const objects = await repo.storedObjectsOf(
    ctx.db,
    recent.map((r) => r.id),
  );
  const now = nowIso();
  await repo.insertItems(
    ctx.db,
    objects.map((o) => repo.pendingItem(target!, { ...o, blob_id: o.blob_id! }, now, newId())),
  );
  return { queued: objects.length };
}
