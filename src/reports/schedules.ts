// Scheduled report e-mails: a user with reports.view asks for a call report daily (yesterday), weekly (the previous
// Monday–Sunday) or monthly (the previous month); the scheduler job sends each period once, through src/notify's
// outbox, computed as that user would see it now (their scope at sending time, not at subscription time), written in
// their language (emails.ts).
import type { AppContext } from '../context.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { actorFor } from '../auth/session-service.ts';
import { publicBaseUrl, queueEmail } from '../notify/service.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import type { ReportSchedulesTable } from '../platform/db/schema.ts';
import { languageOf } from '../auth/languages.ts';
import { renderReportMail, type ReportName } from './emails.ts';
import * as repo from './repository.ts';
import { callReport, checkedFilter } from './service.ts';
import type { ScheduleCreate } from './schemas.ts';

type Frequency = 'daily' | 'weekly' | 'monthly';
const BY = { calls_by_day: 'day', calls_by_group: 'group', calls_by_user: 'user', calls_enterprise: 'tenant' } as const;
const MAX_SCHEDULES = 20;

const view = (s: ReportSchedulesTable) => ({
  id: s.id,
  report: s.report as ReportName,
  frequency: s.frequency as Frequency,
  groupId: s.group_id,
  lastPeriod: s.last_period,
  createdAt: s.created_at,
});

export async function listSchedules(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'reports.view');
  return { items: (await repo.schedulesOf(ctx.db, actor.tenantId, actor.userId)).map(view) };
}

export async function createSchedule(ctx: AppContext, actor: Actor, input: ScheduleCreate) {
  requirePermission(actor, 'reports.view');
  if (!actor.userId) throw invalid('Only a user can receive scheduled reports', { reason: 'NOT_A_USER' });
  // The group is checked as a report's filter is (unknown: 404, outside the scope: 403).
  if (input.groupId) await checkedFilter(ctx, actor, { groupId: input.groupId }, Infinity);
  const mine = await repo.schedulesOf(ctx.db, actor.tenantId, actor.userId);
  if (mine.length >= MAX_SCHEDULES) throw invalid(`You can schedule at most ${MAX_SCHEDULES} report e-mails`, { reason: 'TOO_MANY_SCHEDULES' });
  const row: ReportSchedulesTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    user_id: actor.userId,
    report: input.report,
    frequency: input.frequency,
    group_id: input.groupId ?? null,
    // The period that has just ended counts as sent: the first e-mail carries the next one.
    last_period: previousPeriod(input.frequency, todayUtc()).from,
    created_at: nowIso(),
  };
  await repo.insertSchedule(ctx.db, row);
  return view(row);
}

export async function deleteSchedule(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'reports.view');
  const s = await repo.getSchedule(ctx.db, actor.tenantId, id);
  if (!s || s.user_id !== actor.userId) throw notFound('Scheduled report', id);
  await repo.deleteSchedule(ctx.db, id);
}

const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The last complete period before `today`: yesterday, the previous ISO week, or the previous month. */
export function previousPeriod(frequency: Frequency, today: string): { from: string; to: string } {
  if (frequency === 'daily') return { from: shift(today, -1), to: shift(today, -1) };
  if (frequency === 'weekly') {
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    const monday = shift(today, -weekday);
    return { from: shift(monday, -7), to: shift(monday, -1) };
  }
  const first = `${today.slice(0, 7)}-01`;
  const last = shift(first, -1);
  return { from: `${last.slice(0, 7)}-01`, to: last };
}

/** The scheduler job: every schedule whose last complete period has not been sent yet gets its e-mail, once. */
export async function sendDueReports(ctx: AppContext, now = new Date()) {
  const base = publicBaseUrl(ctx);
  let sent = 0;
  for (const s of await repo.allSchedules(ctx.db)) {
    const p = previousPeriod(s.frequency as Frequency, todayUtc(now));
    if (s.last_period !== null && s.last_period >= p.from) continue;
    const user = await actorFor(ctx, s.user_id, { ip: null, application: 'system' });
    const report = s.report as ReportName;
    // Someone who lost reports.view or was disabled gets nothing; the period still counts as done.
    const rows =
      user && user.permissions.has('reports.view')
        ? await callReport(ctx, user, { from: p.from, to: p.to, by: BY[report], groupId: s.group_id ?? undefined }).catch(() => null)
        : null;
    const email = user?.email;
    await inTransaction(ctx.db, async (uow) => {
      await repo.markScheduleSent(uow.tx, s.id, p.from);
      if (!rows || !email) return;
      const params = new URLSearchParams({ tab: 'calls', by: BY[report], period: 'custom', from: p.from, to: p.to });
      if (s.group_id) params.set('group', s.group_id);
      // In the recipient's language: their own, else their group's, else the organisation's.
      const lang = await languageOf(uow.tx, s.tenant_id, s.user_id);
      const mail = renderReportMail({ lang, report, from: p.from, to: p.to, link: `${base}/reports?${params}`, rows });
      await queueEmail(ctx, uow, { tenantId: s.tenant_id, userId: s.user_id, kind: 'scheduled_report', to: email, ...mail });
      sent++;
    });
  }
  return { sent };
}
