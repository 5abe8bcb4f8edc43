// A user's own e-mail notification preferences (Profile → Notifications): every event is on until turned off; a change
// is audited with the old and new value of each event.
import type { AppContext } from '../../context.ts';
import { can, initiatorOf, type Actor } from '../../auth/actor.ts';
import type { Permission } from '../../auth/permissions.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { QUALITY_EVENTS, type QualityEvent } from '../../quality/notification-emails.ts';
import * as repo from './repository.ts';
import type { NotificationPreferencesPatch } from './schemas.ts';

/** Which permissions bring each event to a user: the page lists those events (the others stay settable). */
const REACHES: Record<QualityEvent, Permission[] | 'everyone'> = {
  evaluation_assigned: ['quality.review', 'quality.review_self'],
  evaluation_reminder: ['quality.review', 'quality.review_self'],
  calibration_assigned: ['quality.review', 'quality.calibrate'],
  evaluation_submitted: ['quality.respond'],
  dispute_resolved: ['quality.respond'],
  evaluation_acknowledged: ['quality.review', 'quality.review_self', 'quality.view_others'],
  dispute_raised: ['quality.review', 'quality.review_self', 'quality.view_others'],
  comment_mention: 'everyone',
};

function relevant(actor: Actor, event: QualityEvent) {
  const r = REACHES[event];
  return r === 'everyone' || r.some((p) => can(actor, p));
}

export async function getPreferences(ctx: AppContext, actor: Actor) {
  const rows = await repo.listFor(ctx.db, actor.tenantId, actor.userId);
  const off = new Set(rows.filter((r) => !Number(r.email)).map((r) => r.event));
  return { items: QUALITY_EVENTS.map((event) => ({ event, email: !off.has(event), relevant: relevant(actor, event) })) };
}

export async function updatePreferences(ctx: AppContext, actor: Actor, patch: NotificationPreferencesPatch) {
  const before = await getPreferences(ctx, actor);
  const was = new Map(before.items.map((i) => [i.event, i.email]));
  // The last value given for an event wins; unchanged events are not rewritten nor audited.
  const wanted = new Map(patch.items.map((i) => [i.event, i.email]));
  const changes = [...wanted]
    .filter(([event, email]) => was.get(event) !== email)
    .map(([event, email]) => ({ field: event, old: was.get(event)!, new: email }));
  if (!changes.length) return before;
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.setMany(
      tx,
      actor.tenantId,
      actor.userId,
      changes.map((c) => ({ event: c.field, email: c.new })),
    );
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: actor.userId,
        action: 'NOTIFICATION_PREFERENCES_UPDATE',
        details: `${actor.email} turned e-mail ${changes.map((c) => `${c.new ? 'on' : 'off'} for ${c.field}`).join(', ')}`,
        changes,
      },
      tx,
    );
  });
  return getPreferences(ctx, actor);
}
