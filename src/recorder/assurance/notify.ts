// Recording assurance tells the administrators (issue 13): calls flagged by the assessment (not recorded, one-sided,
// empty, clipped, long gaps) and recording clients that stopped answering OPTIONS are e-mailed, through src/notify's
// outbox, to every user of the tenant who can manage the recorder (recorder.manage), as a digest: at most one e-mail
// per tenant per hour, everything not yet reported in it, so a failing trunk that flags hundreds of calls sends one
// message, not hundreds. A stored notification preference `recording_assurance` with e-mail off opts a user out (the
// Profile → Notifications page lists the quality events only, so there is no switch for it on screen yet).
// Each event and probe is marked reported in the same transaction that queues the e-mails.
import type { AppContext } from '../../context.ts';
import { publicBaseUrl, queueEmail } from '../../notify/service.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import * as repo from './repository.ts';

/** The flags worth an administrator's attention (unsupported codec and recovered are informational). */
export const NOTIFIED_FLAGS = ['not_recorded', 'one_sided', 'empty', 'clipped', 'long_gaps'] as const;
export const DIGEST_INTERVAL_MS = 60 * 60_000;
export const PREFERENCE_EVENT = 'recording_assurance';
const LISTED = 25;

const WORDS: Record<string, string> = {
  not_recorded: 'not recorded',
  one_sided: 'one-sided (a party is silent or missing)',
  empty: 'empty recording',
  clipped: 'recording clipped before the end of the call',
  long_gaps: 'long gaps in the audio',
};

/** The digest job: one e-mail per administrator of each tenant with something new to report, at most hourly. */
export async function notifyAssurance(ctx: AppContext, now = Date.now()): Promise<{ tenantId: string; emails: number; events: number; sources: number }[]> {
  const out: { tenantId: string; emails: number; events: number; sources: number }[] = [];
  for (const tenantId of await repo.tenantsToNotify(ctx.db, NOTIFIED_FLAGS)) {
    const last = await repo.lastNotifiedAt(ctx.db, tenantId);
    if (last && now - Date.parse(last) < DIGEST_INTERVAL_MS) continue;
    const [events, probes, admins] = await Promise.all([
      repo.pendingEvents(ctx.db, tenantId, NOTIFIED_FLAGS),
      repo.pendingProbes(ctx.db, tenantId),
      repo.recipients(ctx.db, tenantId, 'recorder.manage', PREFERENCE_EVENT, ctx.adapter.fromJson),
    ]);
    if (!events.length && !probes.length) continue;
    const at = new Date(now).toISOString();
    const mail = digest(ctx, events, probes);
    await inTransaction(ctx.db, async (uow) => {
      for (const a of admins) await queueEmail(ctx, uow, { tenantId, userId: a.id, kind: 'recording_assurance', to: a.email, ...mail });
      // Reported even when nobody wants the e-mail: the next digest is about what happens next, not a backlog.
      await repo.markEventsNotified(
        uow.tx,
        events.map((e) => e.id),
        at,
      );
      await repo.markProbesNotified(
        uow.tx,
        tenantId,
        probes.map((p) => p.target),
        at,
      );
    });
    out.push({ tenantId, emails: admins.length, events: events.length, sources: probes.length });
  }
  return out;
}

function digest(ctx: AppContext, events: Awaited<ReturnType<typeof repo.pendingEvents>>, probes: Awaited<ReturnType<typeof repo.pendingProbes>>) {
  const base = publicBaseUrl(ctx).replace(/\/$/, '');
  const calls = new Set(events.map((e) => e.call_id ?? e.call_ref)).size;
  const parts = [
    ...(calls ? [`${calls} call${calls === 1 ? '' : 's'} with a recording problem`] : []),
    ...(probes.length ? [`${probes.length} recording source${probes.length === 1 ? '' : 's'} not answering`] : []),
  ];
  const lines: string[] = [];
  if (probes.length) {
    lines.push('Recording sources that stopped answering SIP OPTIONS (calls they send may not be recorded):');
    for (const p of probes) lines.push(`- ${p.name ?? p.target} (${p.target}) since ${p.failing_since}: ${p.last_error ?? p.last_status ?? 'no answer'}`);
    lines.push('');
  }
  if (events.length) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.flag, (counts.get(e.flag) ?? 0) + 1);
    lines.push('Calls flagged by recording assurance:');
    for (const [flag, n] of counts) lines.push(`- ${WORDS[flag] ?? flag}: ${n}`);
    lines.push('');
    for (const e of events.slice(0, LISTED))
      lines.push(
        `• ${e.call_started_at} call ${e.call_ref} — ${WORDS[e.flag] ?? e.flag}: ${e.detail}${e.conversation_id ? ` ${base}/conversations/${e.conversation_id}` : ''}`,
      );
    if (events.length > LISTED) lines.push(`… and ${events.length - LISTED} more.`);
    lines.push('');
  }
  lines.push(`Recording health: ${base}/admin/recorder/health`);
  lines.push('You receive this because you manage the recorder (permission recorder.manage). At most one such e-mail an hour.');
  return { subject: `Earshot: ${parts.join(', ')}`, text: lines.join('\n') };
}
