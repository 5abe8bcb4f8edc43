// Dashboard and call reports at scale (`npm run bench:dashboard [-- --conversations 1000000 --days 365]`), on SQLite:
// (a) the daily counts of a tenant with N conversations rebuilt by reports.backfill (what an upgrade costs);
// (b) the refresh one ingested conversation queues (reports.refresh_days for one id): its old and new cells only;
// (c) GET /api/dashboard's service (30 and 90 days, an organisation-wide user and a supervisor of one group) and the
//     calls-per-agent report over 90 days, p50/p95 over repeated calls — the figure issue 14 asks under 300 ms.
// Conversations are written straight into the table (ingest would take hours for a million): 20 groups of 10 agents,
// calls, chats and e-mails in a fixed mix, spread over the days, business hours, durations 20 s – 20 min.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { FEATURES } from '../src/features.ts';
import { bootstrapUser, createTenant } from '../src/auth/tenants.ts';
import { systemActor, type Actor } from '../src/auth/actor.ts';
import * as authRepo from '../src/auth/repository.ts';
import { newId, nowIso } from '../src/platform/ids.ts';
import type { ConversationsTable } from '../src/platform/db/schema.ts';
import { backfill, refreshConversations } from '../src/reports/refresh.ts';
import { callReport, dashboard } from '../src/reports/service.ts';

function arg(name: string, fallback: number) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function timed<T>(runs: number, fn: () => Promise<T>) {
  const ms: number[] = [];
  await fn(); // warm
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(runs / 2)]!, p95: ms[Math.min(runs - 1, Math.floor(runs * 0.95))]! };
}

export async function runDashboardBench(opts: { conversations?: number; days?: number } = {}) {
  const total = opts.conversations ?? arg('conversations', 1_000_000);
  const days = opts.days ?? arg('days', 365);
  console.log(`Dashboard and call reports: ${total.toLocaleString('en')} conversations over ${days} days, SQLite`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-dashboard-'));
  const config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    EARSHOT_DEMO: 'false',
  });
  const ctx = await createContext(config, { features: FEATURES, log: pino({ level: 'silent' }) });
  try {
    const tenantId = await createTenant(ctx, { name: `dash-${randomBytes(3).toString('hex')}` });
    const groups: string[] = [];
    const agents: Array<{ id: string; group: string }> = [];
    for (let g = 0; g < 20; g++) {
      const id = newId();
      await authRepo.insertGroup(ctx.db, {
        id,
        tenant_id: tenantId,
        parent_id: null,
        site_id: null,
        name: `Team ${g}`,
        created_at: nowIso(),
        updated_at: nowIso(),
      });
      groups.push(id);
    }
    for (let a = 0; a < 200; a++) {
      const group = groups[a % groups.length]!;
      const id = await bootstrapUser(ctx, tenantId, {
        email: `agent${a}@bench.test`,
        name: `Agent ${a}`,
        password: 'Bench-password-42!',
        roles: ['agent'],
        groupId: group,
        extension: String(5000 + a),
      });
      agents.push({ id, group });
    }

    // (a) N conversations, written in batches.
    const r = rng(42);
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    let t0 = performance.now();
    const BATCH = 500;
    for (let done = 0; done < total;) {
      await ctx.db.transaction().execute(async (tx) => {
        for (let k = 0; k < 40 && done < total; k++) {
          const rows: ConversationsTable[] = [];
          for (let i = 0; i < BATCH && done < total; i++, done++) {
            const agent = agents[Math.floor(r() * agents.length)]!;
            const day = Math.floor(r() * days);
            const start = today - day * 86_400_000 + (8 * 3600 + Math.floor(r() * 9 * 3600)) * 1000;
            const duration = 20_000 + Math.floor(r() * 1_180_000);
            const kind = r();
            const isCall = kind < 0.75;
            const iso = new Date(start).toISOString();
            rows.push({
              id: newId(start),
              tenant_id: tenantId,
              engagement_id: null,
              title: 'bench',
              direction: ['inbound', 'inbound', 'outbound', 'internal'][Math.floor(r() * 4)]!,
              started_at: iso,
              ended_at: new Date(start + duration).toISOString(),
              talk_time_ms: isCall ? Math.floor(duration * 0.8) : 0,
              has_call: isCall ? 1 : 0,
              has_chat: !isCall && kind < 0.9 ? 1 : 0,
              has_email: kind >= 0.9 ? 1 : 0,
              has_screen: 0,
              reviewable: 1,
              agent_user_id: agent.id,
              group_id: agent.group,
              site_id: null,
              customer_phone: null,
              custom_data: '{}',
              local_date: iso.slice(0, 10),
              local_weekday: ((new Date(start).getUTCDay() + 6) % 7) + 1,
              local_minute: new Date(start).getUTCHours() * 60 + new Date(start).getUTCMinutes(),
              created_at: iso,
              updated_at: iso,
            });
          }
          await tx.insertInto('conversations').values(rows).execute();
        }
      });
    }
    console.log(`  wrote ${total.toLocaleString('en')} conversations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const b = await backfill(ctx, tenantId, async () => {});
    const backfillS = (performance.now() - t0) / 1000;
    const cells = await ctx.db
      .selectFrom('conversation_daily')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    console.log(
      `  (a) backfill: ${b.days} days, ${Number(cells.n).toLocaleString('en')} daily rows, ${backfillS.toFixed(1)} s (${((backfillS * 1e6) / total).toFixed(1)} µs per conversation)`,
    );

    // (b) The refresh queued for one ingested conversation.
    const some = await ctx.db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).limit(200).execute();
    let i = 0;
    const one = await timed(100, () => refreshConversations(ctx, tenantId, [some[i++ % some.length]!.id]));
    console.log(`  (b) refresh of one conversation's cells: p50 ${one.p50.toFixed(1)} ms, p95 ${one.p95.toFixed(1)} ms`);

    // (c) The dashboard and a report.
    const admin = systemActor(tenantId, 'bench');
    const supervisor: Actor = { ...admin, scope: { all: false, groupIds: [groups[0]!] } };
    const runs = 30;
    for (const [label, fn] of [
      ['dashboard, 30 days, whole organisation', () => dashboard(ctx, admin, { days: 30 })],
      ['dashboard, 90 days, whole organisation', () => dashboard(ctx, admin, { days: 90 })],
      ['dashboard, 90 days, supervisor of 1 group', () => dashboard(ctx, supervisor, { days: 90 })],
      [
        'calls per agent, 90 days',
        () =>
          callReport(ctx, admin, {
            by: 'user',
            from: new Date(today - 89 * 86_400_000).toISOString().slice(0, 10),
            to: new Date(today).toISOString().slice(0, 10),
          }),
      ],
      [
        'calls per day, 365 days',
        () =>
          callReport(ctx, admin, {
            by: 'day',
            from: new Date(today - 364 * 86_400_000).toISOString().slice(0, 10),
            to: new Date(today).toISOString().slice(0, 10),
          }),
      ],
    ] as const) {
      const s = await timed(runs, fn as () => Promise<unknown>);
      console.log(`  (c) ${label}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`);
    }
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runDashboardBench();
