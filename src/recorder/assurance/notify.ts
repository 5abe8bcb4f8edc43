// Recording assurance tells the administrators (issue 13): calls flagged by the assessment (not recorded, one-sided,
// empty, clipped, long gaps) and recording clients that stopped answering OPTIONS are e-mailed, through src/notify's
// outbox, to every user of the tenant who can manage the recorder (recorder.manage), as a digest: at most one e-mail
// per tenant per hour, everything not yet reported in it, so a failing trunk that flags hundreds of calls sends one
// message, not hundreds. A stored notification preference `recording_assurance` with e-mail off opts a user out (the
// Profile → Notifications page lists the quality events only, so there is no switch for it on screen yet).
// Each event and probe is marked reported in the same transaction that queues the e-mails. Each administrator reads the
// digest in their language (emails.ts).
import type { AppContext } from '../../context.ts';
import { languagesOf } from '../../auth/languages.ts';
import type { MailLanguage } from '../../notify/mail-language.ts';
import { publicBaseUrl, queueEmail } from '../../notify/service.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { renderAssuranceDigest } from './emails.ts';
import * as repo from './repository.ts';

/** The flags worth an administrator's attention (unsupported codec and recovered are informational). */
export const NOTIFIED_FLAGS = ['not_recorded', 'one_sided', 'empty', 'clipped', 'long_gaps'] as const;
export const DIGEST_INTERVAL_MS = 60 * 60_000;
export const PREFERENCE_EVENT = 'recording_assurance';
const LISTED = 25;

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
    await inTransaction(ctx.db, async (uow) => {
      // Each administrator reads it in their language: their own, else their group's, else the organisation's.
      const languages = await languagesOf(
        uow.tx,
        tenantId,
        admins.map((a) => a.id),
      );
      const mails = new Map<MailLanguage, ReturnType<typeof renderAssuranceDigest>>();
      for (const a of admins) {
        const lang = languages.get(a.id)?.language ?? 'en';
        if (!mails.has(lang)) mails.set(lang, digest(ctx, lang, events, probes));
        await queueEmail(ctx, uow, { tenantId, userId: a.id, kind: 'recording_assurance', to: a.email, ...mails.get(lang)! });
      }
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

function digest(
  ctx: AppContext,
  lang: MailLanguage,
  events: Awaited<ReturnType<typeof repo.pendingEvents>>,
  probes: Awaited<ReturnType<typeof repo.pendingProbes>>,
) {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.flag, (counts.get(e.flag) ?? 0) + 1);
  return renderAssuranceDigest({
    lang,
    base: publicBaseUrl(ctx).replace(/\/$/, ''),
    calls: new Set(events.map((e) => e.call_id ?? e.call_ref)).size,
    probes: probes.map((p) => ({ name: p.name, target: p.target, failingSince: p.failing_since!, lastError: p.last_error, lastStatus: p.last_status })),
    counts: [...counts].map(([flag, n]) => ({ flag, n })),
    events: events.slice(0, LISTED).map((e) => ({
      startedAt: e.call_started_at,
      callRef: e.call_ref,
      flag: e.flag,
      detail: e.detail,
      conversationId: e.conversation_id,
    })),
    more: Math.max(0, events.length - LISTED),
  });
}
