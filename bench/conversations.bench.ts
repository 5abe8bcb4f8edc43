// Ingest throughput for 2-minute stereo calls (decoded, encrypted, stored) and list-page latency at 100,000 conversations,
// on SQLite and (when available) PostgreSQL.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { FEATURES } from '../src/features.ts';
import { createTenant } from '../src/auth/tenants.ts';
import { systemActor } from '../src/auth/actor.ts';
import { ingestCall } from '../src/conversations/ingest/calls.ts';
import { searchConversations } from '../src/search/service.ts';
import { encodeWav, synthSpeechLike } from '../src/media/wav-write.ts';
import { interleave } from '../src/media/channels.ts';
import { newId } from '../src/platform/ids.ts';
import { findPgBin, startPostgres } from '../test/postgres.ts';

async function contextFor(databaseUrl: string | null) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-'));
  const config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    EARSHOT_DEMO: 'false',
    ...(databaseUrl ? { EARSHOT_DATABASE_URL: databaseUrl } : {}),
  });
  const ctx = await createContext(config, { features: FEATURES, log: pino({ level: 'silent' }) });
  return {
    ctx,
    done: async () => {
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function ingestThroughput(ctx: AppContext, calls = 20) {
  const tenantId = await createTenant(ctx, { name: `ingest-${randomBytes(3).toString('hex')}` });
  const actor = systemActor(tenantId, 'bench');
  const twoMinutes = encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([synthSpeechLike(120_000, 8000, 1), synthSpeechLike(120_000, 8000, 2)]) });
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    await ingestCall(
      ctx,
      actor,
      {
        callId: `bench-${i}`,
        startTime: new Date(Date.now() - i * 60_000).toISOString(),
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '100' },
          { key: 'customer', role: 'customer', phone: '+15550100' },
        ],
        audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
      },
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: twoMinutes }],
    );
  }
  const s = (performance.now() - t0) / 1000;
  return { callsPerSecond: calls / s, mbPerSecond: (calls * twoMinutes.length) / 1e6 / s, realtime: (calls * 120) / s };
}

/** 100,000 conversations inserted in batches (the list's cost does not depend on how rows arrived). */
async function fill(ctx: AppContext, tenantId: string, n: number, groupIds: string[]) {
  const now = Date.now();
  const batch = ctx.adapter.name === 'sqlite' ? 400 : 1000;
  for (let i = 0; i < n; i += batch) {
    await ctx.db.transaction().execute(async (tx) => {
      const convs = [];
      const parts = [];
      for (let j = i; j < Math.min(n, i + batch); j++) {
        const started = new Date(now - Math.floor((j / n) * 90 * 86400_000)).toISOString();
        const id = newId(Date.parse(started));
        convs.push({
          id,
          tenant_id: tenantId,
          engagement_id: null,
          title: `Call from +1555${String(j).padStart(7, '0')}`,
          direction: j % 3 ? 'inbound' : 'outbound',
          started_at: started,
          ended_at: started,
          talk_time_ms: (j % 600) * 1000,
          has_call: 1,
          has_chat: 0,
          has_email: 0,
          has_screen: 0,
          reviewable: 1,
          agent_user_id: null,
          group_id: groupIds[j % groupIds.length]!,
          site_id: null,
          customer_phone: `+1555${String(j).padStart(7, '0')}`,
          custom_data: ctx.adapter.json({}),
          created_at: started,
          updated_at: started,
        });
        parts.push({
          id: newId(),
          conversation_id: id,
          party_key: 'customer',
          role: 'customer',
          name: `Customer ${j}`,
          phone: null,
          email: null,
          extension: null,
          external_id: null,
          user_id: null,
          created_at: started,
        });
      }
      await tx.insertInto('conversations').values(convs).execute();
      await tx.insertInto('conversation_participants').values(parts).execute();
    });
  }
}

async function listLatency(ctx: AppContext, n = 100_000) {
  const tenantId = await createTenant(ctx, { name: `list-${randomBytes(3).toString('hex')}` });
  const groups = [newId(), newId(), newId(), newId()];
  for (const [i, id] of groups.entries()) {
    await ctx.db
      .insertInto('groups')
      .values({
        id,
        tenant_id: tenantId,
        parent_id: null,
        site_id: null,
        name: `G${i}`,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
  }
  const t0 = performance.now();
  await fill(ctx, tenantId, n, groups);
  const fillS = (performance.now() - t0) / 1000;
  const admin = systemActor(tenantId, 'bench');
  const scoped = { ...admin, scope: { all: false as const, groupIds: [groups[0]!] } };
  const measure = async (actor: typeof admin, deep: boolean) => {
    let cursor: string | undefined;
    if (deep)
      for (let i = 0; i < 20; i++)
        cursor = (await searchConversations(ctx, actor, { period: null, reviewable: 'all' }, { limit: 50, cursor })).nextCursor ?? undefined;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await searchConversations(ctx, actor, { period: null, reviewable: 'all' }, { limit: 50, cursor });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { p50: times[15]!, p95: times[28]! };
  };
  return { fillS, first: await measure(admin, false), deep: await measure(admin, true), scoped: await measure(scoped, false) };
}

export async function runConversationsBench() {
  const engines: Array<[string, string | null]> = [['sqlite', null]];
  const pg = findPgBin() ? await startPostgres() : null;
  if (pg) engines.push(['postgres', pg.url]);
  try {
    for (const [name, url] of engines) {
      const { ctx, done } = await contextFor(url);
      try {
        const r = await ingestThroughput(ctx);
        console.log(
          `ingest (${name}): 2-minute stereo 8 kHz calls, decoded + encrypted + stored: ${r.callsPerSecond.toFixed(1)} calls/s, ${r.mbPerSecond.toFixed(1)} MB/s, ${r.realtime.toFixed(0)}× real time`,
        );
        const l = await listLatency(ctx);
        const f = (x: { p50: number; p95: number }) => `p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms`;
        console.log(
          `list page of 50 with total, 100,000 conversations (${name}; filled in ${l.fillS.toFixed(0)} s): first page ${f(l.first)}; page 21 ${f(l.deep)}; group-scoped user ${f(l.scoped)}`,
        );
      } finally {
        await done();
      }
    }
  } finally {
    await pg?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runConversationsBench();
