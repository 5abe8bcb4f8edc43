// The daily counts' refresh reads conversations by the day or the cell it recounts, never by the tenant alone: a plan
// that walked the tenant's group index for each day made the backfill quadratic (1 M conversations over a year did
// not finish in 13 minutes). The dashboard and the reports read the groups' roll-ups (or one agent's rows) through
// their own index, not every agent's row of the period. SQLite, which plans without statistics here; each statement the refresh runs is
// captured and its plan checked.
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { systemActor } from '../auth/actor.ts';
import { refreshConversations, refreshDay } from './refresh.ts';
import { callReport, dashboard } from './service.ts';

describe('daily counts refresh plans (SQLite)', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  type Ctx = typeof t;
  let tenantId: string;
  let conversationId: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const tenant = await tenantWithAdmin(t);
    tenantId = tenant.tenantId;
    conversationId = (await makeChat(t, tenant.ingest, { at: new Date('2026-03-02T10:00:00Z') })).conversationId;
  });
  afterAll(() => t.cleanup());

  /** Runs `fn` on a context whose statements are captured, then returns each one's query plan. */
  async function plansOf(fn: (ctx: Ctx) => Promise<unknown>) {
    const nodes: RootOperationNode[] = [];
    const capture: KyselyPlugin = {
      transformQuery: (args) => (nodes.push(args.node), args.node),
      transformResult: async (args) => args.result,
    };
    await fn({ ...t, db: t.db.withPlugin(capture) } as Ctx);
    const plans: Array<{ sql: string; plan: string[] }> = [];
    for (const node of nodes) {
      if (node.kind !== 'SelectQueryNode') continue;
      const q = t.db.getExecutor().compileQuery(node, { queryId: 'plan' });
      const r = await t.db.getExecutor().executeQuery<{ detail: string }>({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}` });
      plans.push({ sql: q.sql, plan: r.rows.map((x) => x.detail) });
    }
    return plans;
  }

  /** A plan line that reads conversations must be keyed by more than the tenant (day, time range or id). */
  const tenantWide = (line: string) =>
    /\b(conversations|c)\b/.test(line) && (/^SCAN/.test(line) || (/\(tenant_id=\?\)/.test(line) && !/local_date|started_at|\bid=/.test(line)));

  it('a whole day reads only that day', async () => {
    const plans = await plansOf((ctx) => refreshDay(ctx, tenantId, '2026-03-02'));
    expect(plans.length).toBeGreaterThan(1);
    for (const p of plans) expect(p.plan.filter(tenantWide), p.sql).toEqual([]);
  });

  it('a conversation reads only its cells', async () => {
    const plans = await plansOf((ctx) => refreshConversations(ctx, tenantId, [conversationId]));
    expect(plans.some((p) => /conversations/.test(p.sql) && /group_id/.test(p.sql))).toBe(true);
    for (const p of plans) expect(p.plan.filter(tenantWide), p.sql).toEqual([]);
  });

  it('the dashboard and the reports by day, group and organisation read only the roll-ups', async () => {
    const actor = systemActor(tenantId, 'plans');
    const reads = async (fn: (ctx: Ctx) => Promise<unknown>) =>
      (await plansOf(fn)).filter((p) => /from "conversation_daily"/.test(p.sql)).flatMap((p) => p.plan);
    for (const fn of [
      (ctx: Ctx) => dashboard(ctx, actor, { days: 90 }),
      (ctx: Ctx) => callReport(ctx, actor, { by: 'day', from: '2026-01-01', to: '2026-03-31' }),
      (ctx: Ctx) => callReport(ctx, actor, { by: 'group', from: '2026-01-01', to: '2026-03-31' }),
    ]) {
      const plan = await reads(fn);
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.join('\n')).toMatch(/COVERING INDEX conversation_daily_agent_day \(tenant_id=\? AND agent_key=\? AND day>\? AND day<\?\)/);
    }
  });
});
