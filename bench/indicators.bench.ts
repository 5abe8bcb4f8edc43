// Re-analysis after an indicator change (issue 10: 100,000 interactions in under 10 minutes on this 2-core machine):
// a tenant with N stored calls (a current transcript of 16 utterances, about 5 minutes of talk each), the default
// indicators and topics; then one new indicator is created through the service and the analytics.mentions.reanalyse
// work is timed (the job's own code, run in this process), and once more with the topics re-scored as well.
// `node --import tsx bench/indicators.bench.ts [--n=100000] [--pg]` (PostgreSQL through test/postgres.ts when --pg).
// The transcripts are generated from a fixed word list with a seeded random generator, not from any corpus.
// `--asr-only [--engine=earshot|continuous]`: indicator recall and precision on the pocketsphinx transcripts of the
// public calls that bench/speech-tags.bench.ts --asr caches (figures only; nothing is tuned on them).
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
import { createCategory, createIndicator, listCategories } from '../src/analytics/indicators/service.ts';
import { reanalyseMentions } from '../src/analytics/indicators/reanalyse.ts';
import { newId } from '../src/platform/ids.ts';
import { IndicatorMatcher, type IndicatorDefinition } from '../src/analytics/indicators/matching.ts';
import type { InsightLine } from '../src/analytics/insights/model.ts';
import { findPgBin, startPostgres } from '../test/postgres.ts';

const UTTERANCES = 16;
const WORDS_PER_UTTERANCE = 45; // ≈ 720 words a call: 5 minutes at 145 words a minute

const VOCABULARY = (
  'the a to and of i you it that is for my on this with can we have be your so about what if there account bill ' +
  'payment card order delivery service plan phone number address email help check look moment please thank thanks ' +
  'today yesterday week month problem issue question charge fee price cost refund credit cancel change update ' +
  'internet router connection slow fast speed upgrade offer discount contract renew agent customer manager call ' +
  'back later send confirmation sure right okay yes no great sorry understand wait hold transfer department'
).split(' ');

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

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

/** N calls with a current transcript each, inserted in batches (how they arrived does not change the re-analysis). */
async function fill(ctx: AppContext, tenantId: string, n: number) {
  const rand = rng(42);
  const now = Date.now();
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    await ctx.db.transaction().execute(async (tx) => {
      const convs = [];
      const transcripts = [];
      const utts = [];
      for (let j = i; j < Math.min(n, i + batch); j++) {
        const started = new Date(now - Math.floor((j / n) * 90 * 86400_000)).toISOString();
        const id = newId(Date.parse(started));
        convs.push({
          id,
          tenant_id: tenantId,
          engagement_id: null,
          title: `Call ${j}`,
          direction: 'inbound',
          started_at: started,
          ended_at: new Date(Date.parse(started) + 300_000).toISOString(),
          talk_time_ms: 300_000,
          has_call: 1,
          has_chat: 0,
          has_email: 0,
          has_screen: 0,
          reviewable: 1,
          agent_user_id: null,
          group_id: null,
          site_id: null,
          customer_phone: null,
          custom_data: ctx.adapter.json({}),
          created_at: started,
          updated_at: started,
        });
        const transcriptId = newId();
        transcripts.push({
          id: transcriptId,
          tenant_id: tenantId,
          conversation_id: id,
          engine: 'bench',
          language: 'en',
          is_current: 1,
          word_count: UTTERANCES * WORDS_PER_UTTERANCE,
          audio_ms: 300_000,
          cpu_ms: 0,
          created_at: started,
        });
        for (let u = 0; u < UTTERANCES; u++) {
          const words = Array.from({ length: WORDS_PER_UTTERANCE }, () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)]!);
          const text = words.join(' ');
          utts.push({
            id: newId(),
            transcript_id: transcriptId,
            conversation_id: id,
            segment_id: null,
            stream_id: null,
            party_key: u % 2 ? 'customer' : 'agent',
            role: u % 2 ? 'customer' : 'agent',
            seq: u,
            start_ms: u * 18_000,
            end_ms: u * 18_000 + 17_000,
            text,
            display_text: text,
            redacted_text: text,
            confidence: 0.9,
            words: ctx.adapter.json([]),
            pii: ctx.adapter.json([]),
          });
        }
      }
      await tx.insertInto('conversations').values(convs).execute();
      await tx.insertInto('transcripts').values(transcripts).execute();
      for (let k = 0; k < utts.length; k += 500)
        await tx
          .insertInto('transcript_utterances')
          .values(utts.slice(k, k + 500))
          .execute();
    });
  }
}

export async function runIndicatorsBench(opts: { n?: number; pg?: boolean } = {}) {
  const n = opts.n ?? 100_000;
  let pg: Awaited<ReturnType<typeof startPostgres>> | null = null;
  if (opts.pg) {
    if (!findPgBin()) throw new Error('PostgreSQL binaries not found');
    pg = await startPostgres();
  }
  const { ctx, done } = await contextFor(pg ? pg.url : null);
  try {
    const tenantId = await createTenant(ctx, { name: `indicators-${randomBytes(3).toString('hex')}` });
    const actor = systemActor(tenantId, 'bench');
    let t0 = performance.now();
    await fill(ctx, tenantId, n);
    console.log(
      `indicators bench (${ctx.adapter.name}): ${n} calls of ${UTTERANCES * WORDS_PER_UTTERANCE} words stored in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );

    const cat = await createCategory(ctx, actor, { name: 'Bench' });
    const ind = await createIndicator(ctx, actor, {
      categoryId: cat.id,
      name: 'Bench indicator',
      speaker: 'customer',
      keywords: ['refund', 'cancel', 'speak to a manager', 'slow connection'],
    });
    for (const [label, what] of [
      ['one indicator changed', { indicatorIds: [ind.id], topics: false }],
      ['one indicator + all topics', { indicatorIds: [ind.id], topics: true }],
    ] as const) {
      const cpu0 = process.cpuUsage();
      t0 = performance.now();
      const r = await reanalyseMentions(ctx, tenantId, what, () => {});
      const s = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      console.log(
        `  ${label}: ${r.conversations} interactions in ${s.toFixed(1)} s (${(r.conversations / s).toFixed(0)}/s, ${(r.conversations / cpuS).toFixed(0)} per CPU-second of this process); ` +
          `${r.mentions} mentions, ${r.topicHits} topic hits; 100,000 would take ${(((100_000 / r.conversations) * s) / 60).toFixed(1)} min`,
      );
    }
    // The administration list counts mentions and conversations per indicator over the whole history.
    t0 = performance.now();
    await listCategories(ctx, actor);
    console.log(`  indicator list with counts: ${(performance.now() - t0).toFixed(0)} ms`);
  } finally {
    await done();
    await pg?.stop();
  }
}

/**
 * Indicator mentions on ASR transcripts of the public calls, scored like the ground-truth test but by time: a mention
 * is right when a ground-truth mention of the same category overlaps it (±0.5 s, ASR word times), each found once.
 */
export function asrAccuracy(kind = 'earshot') {
  const corpus = path.resolve(import.meta.dirname, '..', '..', 'shared/corpus');
  const cache = path.join(os.tmpdir(), 'earshot-bench-speech-tags');
  if (!fs.existsSync(path.join(corpus, 'indicators.json')) || !fs.existsSync(cache))
    return console.log(`  indicators on ASR transcripts: skipped (no ${cache}; run bench/speech-tags.bench.ts --asr first)`);
  const lexicon = JSON.parse(fs.readFileSync(path.join(corpus, 'indicators.json'), 'utf8')) as Record<string, string[]>;
  const defs: IndicatorDefinition[] = Object.entries(lexicon).map(([c, terms]) => ({
    id: c,
    speaker: 'both',
    keywords: terms.map((t, i) => ({ id: `${c}#${i}`, text: t })),
  }));
  const matcher = new IndicatorMatcher(defs, 'en');
  let expected = 0;
  let found = 0;
  let right = 0;
  for (const f of fs
    .readdirSync(path.join(corpus, 'public'))
    .filter((x) => /^p\d+_.*\.json$/.test(x))
    .sort()) {
    const truth = JSON.parse(fs.readFileSync(path.join(corpus, 'public', f), 'utf8')) as {
      call_id: string;
      indicators: Array<{ category: string; start: number; end: number }>;
    };
    const lines: InsightLine[] = [];
    const wordsOf = new Map<string, Array<{ s: number; e: number; from: number; to: number }>>();
    for (const ch of [0, 1]) {
      const file = path.join(cache, `${kind}-${truth.call_id}-${ch}.json`);
      if (!fs.existsSync(file)) return console.log(`  indicators on ASR transcripts: skipped (${file} missing)`);
      const utts = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Array<{ w: string; s: number; e: number }>>;
      utts.forEach((words, i) => {
        if (!words.length) return;
        const id = `${ch}-${i}`;
        let at = 0;
        wordsOf.set(
          id,
          words.map((w) => {
            const r = { s: w.s, e: w.e, from: at, to: at + w.w.length };
            at += w.w.length + 1;
            return r;
          }),
        );
        lines.push({
          id,
          kind: 'utterance',
          segmentId: null,
          role: ch === 0 ? 'agent' : 'customer',
          startMs: words[0]!.s,
          endMs: words[words.length - 1]!.e,
          text: words.map((w) => w.w).join(' '),
        });
      });
    }
    const gold = truth.indicators.map((g) => ({ ...g, used: false }));
    expected += gold.length;
    for (const m of matcher.match(lines)) {
      found++;
      const ws = wordsOf.get(m.lineId)!.filter((w) => w.to > m.range[0] && w.from < m.range[1]);
      const [s, e] = [ws[0]!.s - 500, ws[ws.length - 1]!.e + 500];
      const g = gold.find((x) => !x.used && x.category === m.indicatorId && x.start * 1000 < e && x.end * 1000 > s);
      if (g) {
        g.used = true;
        right++;
      }
    }
  }
  console.log(
    `  indicators on ${kind} ASR transcripts: recall ${(right / expected).toFixed(3)}, precision ${(right / Math.max(found, 1)).toFixed(3)} (${right} right of ${expected} expected, ${found} found)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  if (process.argv.includes('--asr-only')) asrAccuracy(arg('engine') ?? 'earshot');
  else await runIndicatorsBench({ n: arg('n') ? Number(arg('n')) : undefined, pg: process.argv.includes('--pg') });
}
