// Conversation insights throughput on 5-minute call transcripts (`node --import tsx bench/insights.bench.ts`):
// (a) the offline analysis alone (sentiment, engagement, agent summary, next steps, questions), one thread = one core;
// (b) the whole analytics.insights job on SQLite: load the transcript, analyse, store, run the registered line
//     analysers (indicators, topics…), one conversation after another on one thread.
// Transcripts are generated from a seeded mix of our own contact-center sentences (never the test corpus): about 80
// utterances and 660 words per call, agent and customer mostly alternating with 0.3–1.5 s gaps.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { FEATURES } from '../src/features.ts';
import { createTenant } from '../src/auth/tenants.ts';
import { systemActor } from '../src/auth/actor.ts';
import { ingestChat } from '../src/conversations/ingest/chats.ts';
import { inTransaction } from '../src/platform/db/uow.ts';
import { newId, nowIso } from '../src/platform/ids.ts';
import { replaceTranscript, type NewUtterance } from '../src/speech/repository.ts';
import { analyse } from '../src/analytics/insights/analyse.ts';
import { analyseConversation } from '../src/analytics/insights/service.ts';
import type { InsightLine } from '../src/analytics/insights/model.ts';

const AGENT = [
  'Thank you for calling, my name is Alex, how can I help you today?',
  'I can see your account here, let me just check the last statement.',
  'I understand, that must be annoying, I am sorry about the trouble.',
  'What exactly happened when you tried to log in yesterday?',
  'Um, the charge comes from the premium plan that was added in March.',
  'I will remove the fee and you will receive a confirmation email within two days.',
  'Could you confirm the postcode on the account for me please?',
  'The technician will call you on Thursday morning to book a visit.',
  'Is there anything else I can help you with?',
  'Okay, so, uh, the new plan includes unlimited calls and a lower monthly price.',
];
const CUSTOMER = [
  'Hi, I am calling because my bill is much higher than usual.',
  'I never asked for that, this is ridiculous.',
  'Yes, it is the same address as before.',
  'That sounds good, thanks for sorting it out.',
  'I tried three times and it still does not work.',
  'Honestly I want to speak to a manager if this is not fixed.',
  'Okay, that makes sense.',
  'Great, that is really helpful, thank you.',
  'No, I think that is everything.',
  'When will the refund show up on my card?',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** A 5-minute two-party transcript: about 65 utterances and 660 words. */
export function syntheticCall(seed: number, durationMs = 5 * 60_000): NewUtterance[] {
  const r = rng(seed);
  const out: NewUtterance[] = [];
  let at = 500;
  let role: 'agent' | 'customer' = 'agent';
  for (let seq = 0; at < durationMs - 3000; seq++) {
    const text = (role === 'agent' ? AGENT : CUSTOMER)[Math.floor(r() * 10)]!;
    const tokens = text.toLowerCase().match(/[a-z']+/g)!;
    const words = tokens.map((w, i) => ({ w, s: at + i * 370, e: at + i * 370 + 330, c: 0.9 }));
    const endMs = words[words.length - 1]!.e;
    out.push({
      id: newId(),
      segmentId: null,
      streamId: null,
      partyKey: role,
      role,
      seq,
      startMs: at,
      endMs,
      text,
      displayText: text,
      redactedText: text,
      confidence: 0.9,
      words,
      pii: [],
    });
    at = endMs + 300 + Math.floor(r() * 1200);
    role = r() < 0.85 ? (role === 'agent' ? 'customer' : 'agent') : role;
  }
  return out;
}

const toLines = (u: NewUtterance[]): InsightLine[] =>
  u.map((x) => ({
    id: x.id,
    kind: 'utterance',
    segmentId: null,
    role: x.role === 'agent' ? 'agent' : 'customer',
    startMs: x.startMs,
    endMs: x.endMs,
    text: x.redactedText,
    words: x.words.length,
  }));

export async function runInsightsBench(opts: { pure?: number; job?: number } = {}) {
  console.log('Conversation insights throughput (5-minute call transcripts, one thread)');
  const n = opts.pure ?? 300;
  const calls = Array.from({ length: n }, (_, i) => toLines(syntheticCall(i + 1)));
  const words = calls.reduce((s, c) => s + c.reduce((w, l) => w + (l.words ?? 0), 0), 0);
  for (const c of calls.slice(0, 20)) analyse({ lines: c, language: 'en', durationMs: 300_000 }); // warm-up
  let cpu = process.cpuUsage();
  let t0 = performance.now();
  for (const c of calls) analyse({ lines: c, language: 'en', durationMs: 300_000 });
  let wall = (performance.now() - t0) / 1000;
  let used = process.cpuUsage(cpu);
  let cpuS = (used.user + used.system) / 1e6;
  const pure = {
    interactions: n,
    perSecondPerCore: n / cpuS,
    wallPerSecond: n / wall,
    avgUtterances: calls.reduce((s, c) => s + c.length, 0) / n,
    avgWords: words / n,
  };
  console.log(
    `  analysis only: ${pure.perSecondPerCore.toFixed(0)} interactions/s per core (${n} calls, ${pure.avgUtterances.toFixed(0)} utterances and ${pure.avgWords.toFixed(0)} words each, ${((cpuS * 1000) / n).toFixed(2)} CPU ms per call)`,
  );

  const jobs = opts.job ?? 100;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-insights-'));
  const config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    EARSHOT_DEMO: 'false',
  });
  const ctx = await createContext(config, { features: FEATURES, log: pino({ level: 'silent' }) });
  try {
    const tenantId = await createTenant(ctx, { name: `insights-${randomBytes(3).toString('hex')}` });
    const actor = systemActor(tenantId, 'bench');
    const ids: string[] = [];
    for (let i = 0; i < jobs; i++) {
      const { conversationId } = await ingestChat(ctx, actor, {
        chatId: `bench-${i}`,
        roomName: 'bench',
        participants: [
          { key: 'c', role: 'customer', name: 'Customer' },
          { key: 'a', role: 'agent', name: 'Agent', extension: '100' },
        ],
        messages: [{ sender: 'c', at: new Date(Date.now() - i * 60_000).toISOString(), text: 'placeholder' }],
      });
      const utterances = syntheticCall(1000 + i);
      await inTransaction(ctx.db, async ({ tx }) => {
        const segments = tx.selectFrom('segments').select('id').where('conversation_id', '=', conversationId);
        await tx.deleteFrom('chat_messages').where('segment_id', 'in', segments).execute();
        await replaceTranscript(
          tx,
          ctx.adapter,
          {
            id: newId(),
            tenant_id: tenantId,
            conversation_id: conversationId,
            engine: 'bench',
            language: 'en',
            word_count: 0,
            audio_ms: 300_000,
            cpu_ms: 0,
            created_at: nowIso(),
          },
          utterances,
        );
      });
      ids.push(conversationId);
    }
    await analyseConversation(ctx, ids[0]!);
    cpu = process.cpuUsage();
    t0 = performance.now();
    for (const id of ids) await analyseConversation(ctx, id);
    wall = (performance.now() - t0) / 1000;
    used = process.cpuUsage(cpu);
    cpuS = (used.user + used.system) / 1e6;
    const job = { interactions: jobs, perSecondPerCore: jobs / cpuS, wallPerSecond: jobs / wall };
    console.log(
      `  whole job on SQLite (load, analyse, store, line analysers): ${job.wallPerSecond.toFixed(0)} interactions/s on one thread, ${job.perSecondPerCore.toFixed(0)} per CPU second (${jobs} calls)`,
    );
    return { pure, job };
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Truth {
  call_id: string;
  duration_s: number;
  sentiment: { call: string };
  events: { holds: Array<{ start: number; end: number }>; transfers: Array<{ start: number; end: number }> };
  next_steps: unknown[];
  agent_metrics: {
    talk_listen_ratio: number;
    words_per_minute: number;
    filler_words_per_minute: number;
    longest_monologue_s: number;
    avg_response_time_s: number | null;
  };
}

/**
 * The same scoring as src/analytics/insights/corpus-accuracy.test.ts, on ASR transcripts of the public calls: the
 * pocketsphinx transcripts bench/speech-tags.bench.ts --asr caches (one file per call and channel, left = agent).
 * Prints figures only. Skipped when that cache is absent.
 */
export function asrAccuracy(kind = 'earshot') {
  const corpus = path.resolve(import.meta.dirname, '..', '..', 'shared/corpus/public');
  const cache = path.join(os.tmpdir(), 'earshot-bench-speech-tags');
  if (!fs.existsSync(corpus) || !fs.existsSync(cache)) return console.log(`  ASR accuracy: skipped (no ${cache}; run bench/speech-tags.bench.ts --asr first)`);
  const files = fs
    .readdirSync(corpus)
    .filter((f) => /^p\d+_.*\.json$/.test(f))
    .sort();
  const errs: Record<string, number[]> = { 'talk/listen': [], wpm: [], 'fillers/min': [], 'longest monologue': [], 'avg response': [] };
  let labels = 0;
  let calls = 0;
  let stepCalls = 0;
  let stepFound = 0;
  for (const f of files) {
    const t = JSON.parse(fs.readFileSync(path.join(corpus, f), 'utf8')) as Truth;
    const lines: InsightLine[] = [];
    for (const ch of [0, 1]) {
      const cached = path.join(cache, `${kind}-${t.call_id}-${ch}.json`);
      if (!fs.existsSync(cached)) return console.log(`  ASR accuracy: skipped (${cached} missing)`);
      const utts = JSON.parse(fs.readFileSync(cached, 'utf8')) as Array<Array<{ w: string; s: number; e: number }>>;
      utts.forEach((words, i) => {
        if (!words.length) return;
        lines.push({
          id: `${ch}-${i}`,
          kind: 'utterance',
          segmentId: null,
          role: ch === 0 ? 'agent' : 'customer',
          startMs: words[0]!.s,
          endMs: words[words.length - 1]!.e,
          text: words.map((w) => w.w).join(' '),
          words: words.length,
        });
      });
    }
    lines.sort((a, b) => a.startMs! - b.startMs!);
    const ms = (x: number) => Math.round(x * 1000);
    const r = analyse({
      lines,
      language: 'en',
      durationMs: ms(t.duration_s),
      breaks: [...t.events.holds, ...t.events.transfers].map((b) => ({ startMs: ms(b.start), endMs: ms(b.end) })),
    });
    const a = r.details.agent as unknown as {
      talkListenRatio: number | null;
      wordsPerMinute: number | null;
      fillersPerMinute: number | null;
      longestMonologue: { durationMs: number } | null;
      avgResponseMs: number | null;
    };
    const g = t.agent_metrics;
    const rel = (f: number | null, truth: number) => (f === null ? Infinity : truth === 0 ? Math.abs(f) : Math.abs(f - truth) / truth);
    errs['talk/listen']!.push(rel(a.talkListenRatio, g.talk_listen_ratio));
    errs.wpm!.push(rel(a.wordsPerMinute, g.words_per_minute));
    errs['fillers/min']!.push(rel(a.fillersPerMinute, g.filler_words_per_minute));
    errs['longest monologue']!.push(rel(a.longestMonologue ? a.longestMonologue.durationMs / 1000 : null, g.longest_monologue_s));
    if (g.avg_response_time_s !== null) errs['avg response']!.push(rel(a.avgResponseMs === null ? null : a.avgResponseMs / 1000, g.avg_response_time_s));
    calls++;
    if (r.details.sentiment.label === t.sentiment.call) labels++;
    if (t.next_steps.length) {
      stepCalls++;
      if (r.details.nextSteps.length) stepFound++;
    }
  }
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');
  console.log(`  On ${kind} ASR transcripts of the ${calls} public calls (unpunctuated):`);
  for (const [name, e] of Object.entries(errs)) {
    const sorted = [...e].sort((x, y) => x - y);
    console.log(
      `    ${name}: median error ${pct(sorted[Math.floor(sorted.length / 2)]!)}, worst ${pct(sorted.at(-1)!)}, within 10 % on ${e.filter((x) => x <= 0.1).length}/${e.length}`,
    );
  }
  console.log(`    sentiment label agrees on ${labels}/${calls}; a next step found in ${stepFound}/${stepCalls} calls that have one`);
}

const isMain = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  if (!process.argv.includes('--asr-only')) await runInsightsBench();
  asrAccuracy(process.argv.find((a) => a.startsWith('--engine='))?.slice(9) ?? 'earshot');
}
