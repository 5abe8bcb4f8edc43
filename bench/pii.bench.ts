// PII redaction recall and precision on the public corpus (`node --import tsx bench/pii.bench.ts [--asr]`).
// Ground truth: every corpus call lists its PII spans (`pii[]`, by word index in one utterance). detectPii runs on each
// utterance's words with the two utterances before as context (as the transcription job calls it); a span is found
// when our spans cover all of its words. Only figures are printed, never the transcripts' text: the rules are not
// tuned on these calls (they are for scoring), and unseen calls are used to check.
// --asr also transcribes each channel with our pocketsphinx engine and scores by time overlap: a span is found when
// the redacted audio (our spans' word times, padded as the redaction job pads them) covers ≥ 90 % of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectPii } from '../src/speech/redaction/detect.ts';
import { PII_TYPES, type PiiType } from '../src/speech/model.ts';
import { REDACTION_PAD_MS } from '../src/speech/redaction/audio.ts';

const CORPUS = path.resolve(import.meta.dirname, '..', '..', 'shared/corpus/public');
const CONTEXT_UTTERANCES = 2;

/** Corpus type → ours; the corpus' person_name and policy_number are not in the issue's list and are counted apart. */
const TYPE_MAP: Record<string, PiiType | null> = {
  credit_card_number: 'card_number',
  card_expiry: 'card_expiry',
  card_security_code: 'card_security_code',
  phone_number: 'phone_number',
  email: 'email',
  date_of_birth: 'date_of_birth',
  street_address: 'street_address',
  person_name: null,
  policy_number: null,
};

interface TruthSpan {
  type: string;
  utterance_id: string;
  first_word: number;
  last_word: number;
  start: number;
  end: number;
}
interface Call {
  call_id: string;
  duration_s: number;
  utterances: Array<{ id: string; channel: number; start: number; end: number; words: Array<{ w: string; start: number; end: number }> }>;
  pii: TruthSpan[];
}

interface Utt {
  words: Array<{ w: string; s: number; e: number }>;
}

interface Tally {
  spans: number;
  covered: number;
  typed: number;
}
const tally = () => ({ spans: 0, covered: 0, typed: 0 });

function loadCalls(): Call[] {
  return fs
    .readdirSync(CORPUS)
    .filter((f) => /^p\d+.*\.json$/.test(f) && f !== 'manifest.json')
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8')) as Call);
}

/** Our spans on a list of utterances in time order: word ranges and times (ms). */
function detectAll(utts: Utt[]) {
  return utts.map((u, i) => {
    const context = utts.slice(Math.max(0, i - CONTEXT_UTTERANCES), i).flatMap((p) => p.words.map((w) => w.w));
    return detectPii(
      u.words.map((w) => w.w),
      PII_TYPES,
      context,
    ).map((m) => ({ ...m, startMs: u.words[m.firstWord]!.s, endMs: u.words[m.lastWord]!.e }));
  });
}

function scoreTruth(calls: Call[]) {
  const byType = new Map<string, Tally>();
  let falsePositives = 0;
  let otherPii = 0;
  for (const call of calls) {
    const utts = [...call.utterances].sort((a, b) => a.start - b.start);
    const found = detectAll(utts.map((u) => ({ words: u.words.map((w) => ({ w: w.w, s: w.start * 1000, e: w.end * 1000 })) })));
    for (const t of call.pii) {
      const ui = utts.findIndex((u) => u.id === t.utterance_id);
      const spans = found[ui] ?? [];
      const covers = (pred: (s: { type: PiiType }) => boolean) => {
        for (let w = t.first_word; w <= t.last_word; w++) if (!spans.some((s) => pred(s) && s.firstWord <= w && w <= s.lastWord)) return false;
        return true;
      };
      const k = byType.get(t.type) ?? tally();
      k.spans++;
      if (covers(() => true)) k.covered++;
      if (covers((s) => s.type === TYPE_MAP[t.type])) k.typed++;
      byType.set(t.type, k);
    }
    // Ours that touch no ground-truth span are false positives; those on a name or policy number are counted apart.
    for (const [ui, spans] of found.entries()) {
      for (const s of spans) {
        const hits = call.pii.filter((t) => t.utterance_id === utts[ui]!.id && t.first_word <= s.lastWord && s.firstWord <= t.last_word);
        if (hits.length === 0) falsePositives++;
        else if (hits.every((h) => TYPE_MAP[h.type] === null)) otherPii++;
      }
    }
  }
  return { byType, falsePositives, otherPii };
}

/**
 * Our pocketsphinx engine (src/speech/engines/pocketsphinx: VAD regions, domain language model + the tenant
 * vocabulary) on each channel: utterances with word times in ms. Cached per call in the temp folder, so a rerun
 * scores without decoding again.
 */
async function asrCall(callId: string): Promise<Utt[]> {
  const cacheDir = path.join(os.tmpdir(), 'earshot-pii-bench');
  const cached = path.join(cacheDir, `${callId}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8')) as Utt[];
  const { loadCall, tenantVocabulary } = await import('../src/speech/engines/pocketsphinx/corpus-fixture.ts');
  const { PocketsphinxEngine } = await import('../src/speech/engines/pocketsphinx/index.ts');
  const engine = new PocketsphinxEngine({ cacheDir: path.join(os.tmpdir(), 'earshot-bench-lm') });
  const phrases = tenantVocabulary();
  const utts: Utt[] = [];
  for (const ch of loadCall(callId)) {
    const out = await engine.transcribe({ pcm: ch.pcm, sampleRate: ch.sampleRate, speech: ch.speech, language: 'en', vocabulary: { phrases } });
    for (const u of out) if (u.words.length) utts.push({ words: u.words.map((w) => ({ w: w.w, s: w.s, e: w.e })) });
  }
  utts.sort((a, b) => a.words[0]!.s - b.words[0]!.s);
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(cached, JSON.stringify(utts));
  return utts;
}

async function scoreAsr(calls: Call[]) {
  const byType = new Map<string, Tally>();
  let falsePositives = 0;
  let unpadded = 0;
  {
    for (const call of calls) {
      const utts = await asrCall(call.call_id);
      const found = detectAll(utts).flat();
      const covered = (t: TruthSpan, pred: (s: { type: PiiType }) => boolean, pad = REDACTION_PAD_MS) => {
        const a = t.start * 1000;
        const b = t.end * 1000;
        const pieces = found
          .filter(pred)
          .map((s) => [Math.max(a, s.startMs - pad), Math.min(b, s.endMs + pad)] as const)
          .filter(([x, y]) => y > x)
          .sort((p, q) => p[0] - q[0]);
        let total = 0;
        let at = a;
        for (const [x, y] of pieces) {
          if (y <= at) continue;
          total += y - Math.max(x, at);
          at = y;
        }
        return total / Math.max(1, b - a) >= 0.9;
      };
      for (const t of call.pii) {
        const k = byType.get(t.type) ?? tally();
        k.spans++;
        if (covered(t, () => true)) k.covered++;
        if (covered(t, (s) => s.type === TYPE_MAP[t.type])) k.typed++;
        if (TYPE_MAP[t.type] && covered(t, () => true, 0)) unpadded++;
        byType.set(t.type, k);
      }
      for (const s of found) if (!call.pii.some((t) => t.start * 1000 < s.endMs && s.startMs < t.end * 1000)) falsePositives++;
    }
  }
  return { byType, falsePositives, otherPii: 0, unpadded };
}

function print(label: string, r: ReturnType<typeof scoreTruth> & { unpadded?: number }, calls: number) {
  console.log(`\n${label}`);
  console.log('| corpus type | ours | spans | found (covered) | found with our type |');
  console.log('|---|---|---:|---:|---:|');
  const ours = { spans: 0, covered: 0, typed: 0 };
  for (const [type, k] of [...r.byType].sort()) {
    console.log(`| ${type} | ${TYPE_MAP[type] ?? '(not in the issue)'} | ${k.spans} | ${k.covered} | ${k.typed} |`);
    if (TYPE_MAP[type]) {
      ours.spans += k.spans;
      ours.covered += k.covered;
      ours.typed += k.typed;
    }
  }
  const pct = (x: number) => (ours.spans ? (x / ours.spans).toFixed(3) : 'n/a');
  console.log(`recall (issue types): ${pct(ours.covered)} covered, ${pct(ours.typed)} with the right type (${ours.covered}/${ours.spans})`);
  if (r.unpadded !== undefined) console.log(`covered by the word times alone (no padding): ${r.unpadded}/${ours.spans}`);
  console.log(
    `false positives: ${r.falsePositives} in ${calls} calls (${(r.falsePositives / calls).toFixed(2)} per call); spans on names/policy numbers: ${r.otherPii}`,
  );
}

export async function runPiiBench(opts: { asr?: boolean } = {}) {
  if (!fs.existsSync(CORPUS)) {
    console.log('PII redaction: the corpus is not here, skipped');
    return;
  }
  const calls = loadCalls();
  const started = performance.now();
  const truth = scoreTruth(calls);
  const ms = performance.now() - started;
  print(`PII redaction on the ground-truth transcripts (${calls.length} calls, detection ${ms.toFixed(0)} ms)`, truth, calls.length);
  if (opts.asr)
    print(
      'PII redaction on our pocketsphinx transcripts (by time overlap ≥ 90 % of the span, our spans padded as the audio)',
      await scoreAsr(calls),
      calls.length,
    );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await runPiiBench({ asr: process.argv.includes('--asr') });
