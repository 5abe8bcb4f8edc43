// The dashboard and call reports through HTTP on both engines: figures from the daily counts (calls per day by channel,
// durations, talk time, directions, groups, tags), the group scope of a supervisor, refusals (permission, group outside
// the scope, periods over the limit with PERIOD_TOO_LONG), streamed and audited CSVs, and the daily counts kept true
// when conversations are deleted, re-dated or tagged, rebuilt identically by the backfill; scheduled e-mails once per period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { actorOfUser, makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../test/helpers/http.ts';
import { runJobs } from '../../test/helpers/jobs.ts';
import type { Actor } from '../auth/actor.ts';
import { ingestCall } from '../conversations/ingest/calls.ts';
import { encodeWav } from '../media/wav-write.ts';
import { formatPeriod } from './emails.ts';
import { sendDueReports, previousPeriod } from './schedules.ts';

describe('report periods', () => {
  it('finds the last complete day, week and month', () => {
    expect(previousPeriod('daily', '2026-12-07')).toEqual({ from: '2026-12-06', to: '2026-12-06' });
    expect(previousPeriod('weekly', '2026-12-07')).toEqual({ from: '2026-11-30', to: '2026-12-06' }); // a Monday
    expect(previousPeriod('weekly', '2026-12-06')).toEqual({ from: '2026-11-23', to: '2026-11-29' }); // a Sunday
    expect(previousPeriod('monthly', '2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});

describe.each(ENGINES)('dashboard and call reports on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let supervisor: Client;
  let agentClient: Client;
  let ingest: Actor;
  let groupA: string;
  let groupB: string;
  let alice: string;
  const conv: Record<string, string> = {};
  const now = new Date();
  const at = (ago: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ago, 10));
  const day = (ago: number) => at(ago).toISOString().slice(0, 10);

  async function call(id: string, ext: string, direction: string, ago: number, seconds: number) {
    const samples = new Int16Array(8000 * seconds * 2);
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples });
    const r = await ingestCall(
      t,
      ingest,
      {
        callId: `${id}-${engine}-${Math.random()}`,
        startTime: at(ago).toISOString(),
        direction,
        parties: [
          { key: 'agent', role: 'agent', extension: ext },
          { key: 'cust', role: 'customer', phone: '+15550100' },
        ],
        audio: [{ file: 'c.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
      } as never,
      [{ fieldName: 'audio', fileName: 'c.wav', contentType: 'audio/wav', data: wav }],
    );
    return r.conversationId;
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    groupA = await makeGroup(t, tenantId, 'Team A');
    groupB = await makeGroup(t, tenantId, 'Team B');
    alice = (await makeUser(t, tenantId, { roles: ['agent'], extension: '5001', groupId: groupA, name: 'Alice Agent' })).id;
    await makeUser(t, tenantId, { roles: ['agent'], extension: '5002', groupId: groupB, name: 'Bob Agent' });
    supervisor = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupA }));
    agentClient = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'], groupId: groupA }));
    conv.a1 = await call('a1', '5001', 'inbound', 2, 10);
    conv.a2 = await call('a2', '5001', 'outbound', 1, 20);
    conv.b1 = await call('b1', '5002', 'internal', 1, 30);
    conv.chat = (await makeChat(t, ingest, { agentExtension: '5001', at: at(1) })).conversationId;
    conv.old = await call('old', '5001', 'inbound', 400, 5);
    await runJobs(t);
  });
  afterAll(() => t?.cleanup());

  it('shows calls per day by channel, durations, talk time, directions and groups from the daily counts', async () => {
    const d = ok(await admin.get('/api/dashboard?days=7'));
    expect(d.days).toHaveLength(7);
    expect(d.to).toBe(day(0));
    expect(d.calls).toBe(3);
    expect(d.conversations).toBe(4);
    expect(d.perDay.call.slice(-3)).toEqual([1, 2, 0]);
    expect(d.perDay.chat.slice(-3)).toEqual([0, 1, 0]);
    expect(d.averageCallMs).toBe(20_000);
    expect(d.longestCallMs).toBe(30_000);
    expect(d.averageCallMsPerDay.slice(-3)).toEqual([10_000, 25_000, null]);
    expect(d.talkMs).toBe(60_000);
    expect(d.byDirection).toEqual(
      expect.arrayContaining([
        { direction: 'internal', conversations: 1 },
        { direction: 'outbound', conversations: 1 },
      ]),
    );
    expect(d.byGroup).toEqual([
      { groupId: groupA, name: 'Team A', conversations: 3 },
      { groupId: groupB, name: 'Team B', conversations: 1 },
    ]);
    // No recorder records for this organisation: no count, not a misleading 0.
    expect(d.activeCalls).toBeNull();
    const wide = ok(await admin.get('/api/dashboard?days=90'));
    expect(wide.days).toHaveLength(90);
    expect(wide.calls).toBe(3);
  });

  it('keeps a supervisor to their groups and refuses those who may not see reports', async () => {
    const d = ok(await supervisor.get('/api/dashboard?days=7'));
    expect(d.calls).toBe(2);
    expect(d.byGroup.map((g: Json) => g.groupId)).toEqual([groupA]);
    fails(await supervisor.get(`/api/dashboard?groupId=${groupB}`), 403, 'FORBIDDEN');
    fails(await supervisor.get(`/api/reports/calls?groupId=${groupB}`), 403, 'FORBIDDEN');
    fails(await agentClient.get('/api/dashboard'), 403, 'FORBIDDEN');
    fails(await agentClient.get('/api/reports/calls'), 403, 'FORBIDDEN');
    fails(await agentClient.get('/api/reports/calls/all.csv'), 403, 'FORBIDDEN');
    const r = ok(await supervisor.get(`/api/reports/calls?by=tenant&from=${day(6)}&to=${day(0)}`));
    expect(r.total.conversations).toBe(2);
  });

  it('reports calls per day, group, agent and organisation with the direction split and the longest call', async () => {
    const q = `from=${day(6)}&to=${day(0)}`;
    const perDay = ok(await admin.get(`/api/reports/calls?${q}`));
    expect(perDay.rows).toHaveLength(7);
    expect(perDay.rows[5]).toMatchObject({ key: day(1), conversations: 2, durationMs: 50_000, averageMs: 25_000, longestMs: 30_000, outbound: 1, internal: 1 });
    expect(perDay.total).toMatchObject({ conversations: 3, inbound: 1, outbound: 1, internal: 1, longestMs: 30_000 });
    const perGroup = ok(await admin.get(`/api/reports/calls?${q}&by=group`));
    expect(perGroup.rows.map((r: Json) => [r.name, r.conversations])).toEqual([
      ['Team A', 2],
      ['Team B', 1],
    ]);
    const perUser = ok(await admin.get(`/api/reports/calls?${q}&by=user`));
    expect(perUser.rows[0]).toMatchObject({ key: alice, name: 'Alice Agent', conversations: 2, inbound: 1, outbound: 1 });
    const all = ok(await admin.get(`/api/reports/calls?${q}&by=tenant&channel=all`));
    expect(all.rows).toHaveLength(1);
    expect(all.rows[0].conversations).toBe(4);
    const alone = ok(await admin.get(`/api/reports/calls?${q}&by=tenant&userId=${alice}`));
    expect(alone.total.conversations).toBe(2);
  });

  it('refuses a period over the limit or malformed with a stable reason, before any CSV starts', async () => {
    fails(await admin.get('/api/reports/calls?from=2016-01-01&to=2026-01-01'), 400, 'VALIDATION_FAILED', 'PERIOD_TOO_LONG');
    fails(await admin.get('/api/reports/calls/all.csv?from=2025-01-01&to=2026-06-01'), 400, 'VALIDATION_FAILED', 'PERIOD_TOO_LONG');
    fails(await admin.get(`/api/reports/calls?from=${day(0)}&to=${day(3)}`), 400, 'VALIDATION_FAILED', 'PERIOD_REVERSED');
    fails(await admin.get('/api/reports/calls?from=2026-02-30'), 400, 'VALIDATION_FAILED');
  });

  it('streams every conversation of the period as CSV in the scope, and audits each export', async () => {
    const before = await t.db.selectFrom('audit_events').select('id').where('tenant_id', '=', tenantId).where('action', '=', 'REPORT_EXPORT').execute();
    const res = await admin.get(`/api/reports/calls/all.csv?from=${day(6)}&to=${day(0)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^conversation,started at/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([conv.a1, conv.a2, conv.b1, conv.chat].sort());
    const mine = (await supervisor.get(`/api/reports/calls/all.csv?from=${day(6)}&to=${day(0)}&channel=call`)).body.trim().split('\r\n');
    expect(
      mine
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([conv.a1, conv.a2].sort());
    const agg = await admin.get(`/api/reports/calls?from=${day(6)}&to=${day(0)}&by=group&format=csv`);
    expect(agg.body.split('\r\n')[1]).toMatch(/^Team A,2,30,15,20,30,1,1,0$/);
    const after = await t.db.selectFrom('audit_events').select('details').where('tenant_id', '=', tenantId).where('action', '=', 'REPORT_EXPORT').execute();
    expect(after.length - before.length).toBe(3);
  });

  it('keeps the daily counts true when a conversation is deleted, re-dated or tagged; the backfill rebuilds the same figures', async () => {
    const dash = async () => ok(await admin.get('/api/dashboard?days=7'));
    // Tagged by hand: the top tags follow.
    const tag = ok(await admin.post('/api/tags', { name: 'Escalated', color: '#ff0000' }));
    expect((await admin.post(`/api/conversations/${conv.a2}/tags`, { tagId: tag.id })).statusCode).toBeLessThan(300);
    await runJobs(t);
    expect((await dash()).topTags).toEqual([{ tagId: tag.id, name: 'Escalated', color: '#ff0000', conversations: 1 }]);
    // Re-dated (a segment joined earlier, say): it leaves its old day and cell.
    await t.db
      .updateTable('conversations')
      .set({ local_date: day(3), started_at: at(3).toISOString(), ended_at: new Date(at(3).getTime() + 30_000).toISOString(), direction: 'inbound' })
      .where('id', '=', conv.b1)
      .execute();
    await t.jobs.enqueue(t.db, 'reports.refresh_days', { conversations: [conv.b1] }, { tenantId });
    await runJobs(t);
    let d = await dash();
    expect(d.perDay.call.slice(-4)).toEqual([1, 1, 1, 0]);
    expect(d.byDirection.find((x: Json) => x.direction === 'internal')).toBeUndefined();
    // Deleted for good through compliance: it no longer counts.
    const { deleteConversations, executeDeletion } = await import('../compliance/deletion/service.ts');
    const planned = await deleteConversations(t, ingest, { conversationIds: [conv.b1], scope: 'conversation', reason: 'test' });
    const deletions = await t.db.selectFrom('deletions').select('id').where('conversation_id', '=', conv.b1).execute();
    expect(planned.deletions).toBeTruthy();
    for (const x of deletions) expect(await executeDeletion(t, x.id)).toBe('done');
    await runJobs(t);
    d = await dash();
    expect(d.calls).toBe(2);
    expect(d.byGroup.map((g: Json) => g.groupId)).toEqual([groupA]);
    // Wiped and rebuilt by the backfill: the same figures (and refreshing twice changes nothing).
    const snapshot = await dash();
    await t.db.deleteFrom('conversation_daily').where('tenant_id', '=', tenantId).execute();
    await t.db.deleteFrom('conversation_daily_tags').where('tenant_id', '=', tenantId).execute();
    await t.jobs.enqueue(t.db, 'reports.backfill', {}, { tenantId });
    await t.jobs.enqueue(t.db, 'reports.refresh_days', { days: [day(1), day(2)], conversations: [conv.a1] }, { tenantId });
    await runJobs(t);
    expect(await dash()).toEqual(snapshot);
  });

  it('e-mails a scheduled report once per period, in the scope of its recipient', async () => {
    const s = ok(await supervisor.post('/api/reports/schedules', { report: 'calls_by_group', frequency: 'daily' }), 201);
    // A second supervisor of the group reads German (issue 14: e-mails in the recipient's language).
    const germanUser = await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupA, name: 'Greta' });
    await t.db.updateTable('users').set({ language: 'de' }).where('id', '=', germanUser.id).execute();
    const german = await signIn(t.app, germanUser);
    ok(await german.post('/api/reports/schedules', { report: 'calls_by_user', frequency: 'daily' }), 201);
    expect(ok(await supervisor.get('/api/reports/schedules')).items.map((x: Json) => x.id)).toEqual([s.id]);
    fails(await supervisor.post('/api/reports/schedules', { report: 'calls_by_group', frequency: 'daily', groupId: groupB }), 403, 'FORBIDDEN');
    fails(await supervisor.post('/api/reports/schedules', { report: 'nope', frequency: 'daily' }), 400, 'VALIDATION_FAILED');
    // The period that ended before subscribing is not sent; tomorrow, today's is.
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const outbox = () =>
      t.db
        .selectFrom('notification_outbox')
        .select(['to_address', 'subject', 'body_text', 'body_html'])
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'scheduled_report')
        .execute();
    await sendDueReports(t, now);
    expect(await outbox()).toHaveLength(0);
    await sendDueReports(t, tomorrow);
    await sendDueReports(t, tomorrow);
    const mails = await outbox();
    expect(mails).toHaveLength(2);
    const toSupervisor = mails.find((m) => m.to_address !== germanUser.email)!;
    expect(toSupervisor.subject).toBe(`Calls per group, ${formatPeriod('en', day(0), day(0))}`);
    expect(toSupervisor.body_text).toMatch(/^Group +Calls +Total duration +Average +Longest +Inbound +Outbound +Internal$/m);
    expect(toSupervisor.body_text).toContain('Total');
    expect(toSupervisor.body_text).not.toContain('Team B');
    const toGerman = mails.find((m) => m.to_address === germanUser.email)!;
    expect(toGerman.subject).toBe(
      `Anrufe pro Agent, ${new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day(0)}T00:00:00Z`))}`,
    );
    expect(toGerman.body_text).toMatch(/^Agent +Anrufe +Gesamtdauer +Durchschnitt +Längster +Eingehend +Ausgehend +Intern$/m);
    expect(toGerman.body_text).toMatch(/^Gesamt /m);
    expect(toGerman.body_text).toContain('Bericht öffnen: ');
    expect(toGerman.body_html).toContain('<th style="text-align:right;padding:4px 8px;border-bottom:1px solid #ccc">Gesamtdauer</th>');
    expect(toGerman.body_text).not.toMatch(/Open the report|You receive this|Total duration/);
    ok(await supervisor.del(`/api/reports/schedules/${s.id}`), 204);
    fails(await admin.del(`/api/reports/schedules/${s.id}`), 404, 'NOT_FOUND');
  });

  it('a tenant counted before 0042 gets a backfill at start-up', async () => {
    const { ensureDailyCounts } = await import('./refresh.ts');
    await t.db.deleteFrom('conversation_daily_members').where('tenant_id', '=', tenantId).execute();
    await ensureDailyCounts(t, t.db as never, tenantId);
    await ensureDailyCounts(t, t.db as never, tenantId);
    const queued = await t.db
      .selectFrom('jobs')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('type', '=', 'reports.backfill')
      .where('status', '=', 'queued')
      .execute();
    expect(queued).toHaveLength(1);
    await runJobs(t);
    void actorOfUser;
  });
});
