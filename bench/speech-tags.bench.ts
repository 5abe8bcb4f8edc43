// Speech tag spotting precision and recall per confidence level on the public corpus
// (`node --import tsx bench/speech-tags.bench.ts [--asr] [--engine=continuous|earshot]`).
//
// Tags: every phrase of the corpus' indicators.json (a tenant's indicator lexicon), one speech tag each, for anyone.
// Ground truth: each call's `indicators[]` (literal whole-word matches; where matches of one category overlap only
// the longest counts). Scoring is per category, as the ground truth collapses overlapping terms of a category: hits of
// one category that overlap are one detection; a detection is right when it overlaps a ground-truth mention of the
// same category (±0.5 s for ASR timing), and each mention is found at most once.
// (a) spots on the ground-truth words (no word confidence: neutral) — a sanity check of the matcher;
// (b) with --asr, on pocketsphinx transcripts of each channel (left = agent): by default Earshot's pocketsphinx
//     engine (src/speech/engines/pocketsphinx, domain language model, the indicator phrases as tenant vocabulary, the
//     media pipeline's voice-activity regions) when it loads, else pocketsphinx_continuous with the stock en-us
//     model (8 → 16 kHz with sox). Transcripts are cached under the OS temp dir, so a re-run only re-scores (remove
//     the folder after changing the engine).
// Only figures are printed, never the transcripts' text: the matcher is not tuned on these calls (they are for
// scoring only).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AsrEngine, SpeakerRole, TranscriptWord } from '../src/speech/model.ts';
import { CONFIDENCE_THRESHOLDS } from '../src/search/filters/loose-input.ts';
import { analyzeVoice } from '../src/media/vad.ts';
import { spotTranscript, type SpotDefinition, type SpotHit, type SpotUtterance } from '../src/speech/tags/spotting.ts';

const CORPUS = path.resolve(import.meta.dirname, '..', '..', 'shared/corpus');
const CACHE = path.join(os.tmpdir(), 'earshot-bench-speech-tags');
const TOLERANCE_MS = 500;

interface GoldIndicator {
  category: string;
  term: string;
  start: number;
  end: number;
}
interface CallJson {
  call_id: string;
  duration_s: number;
  utterances: Array<{ id: string; role: string; channel: number; words: Array<{ w: string; start: number; end: number }> }>;
  indicators: GoldIndicator[];
}

const calls = (): CallJson[] =>
  fs
    .readdirSync(path.join(CORPUS, 'public'))
    .filter((f) => /^p\d+.*\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(CORPUS, 'public', f), 'utf8')) as CallJson);

function definitions(): { defs: SpotDefinition[]; category: Map<string, string> } {
  const lexicon = JSON.parse(fs.readFileSync(path.join(CORPUS, 'indicators.json'), 'utf8')) as Record<string, string[]>;
  const defs: SpotDefinition[] = [];
  const category = new Map<string, string>();
  for (const [cat, phrases] of Object.entries(lexicon))
    for (const p of phrases) {
      const id = `${cat}:${p}`;
      defs.push({ id, phrase: p, language: null, party: null });
      category.set(id, cat);
    }
  return { defs, category };
}

const groundTruthUtterances = (c: CallJson): SpotUtterance[] =>
  c.utterances.map((u) => ({
    id: u.id,
    role: (u.role === 'agent' || u.role === 'customer' ? u.role : 'unknown') as SpeakerRole,
    segmentId: null,
    words: u.words.map((w) => ({ w: w.w, s: Math.round(w.start * 1000), e: Math.round(w.end * 1000), c: null })),
  }));

// ---- ASR ----------------------------------------------------------------------------------------------------------

/** One channel of the stereo 8 kHz 16-bit WAV as mono PCM. */
function readChannel(file: string, channel: number): { pcm: Int16Array; sampleRate: number } {
  const buf = fs.readFileSync(file);
  let off = 12;
  let rate = 8000;
  let channels = 2;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      rate = buf.readUInt32LE(off + 12);
    }
    if (id === 'data') {
      const frames = Math.floor(size / 2 / channels);
      const pcm = new Int16Array(frames);
      for (let i = 0; i < frames; i++) pcm[i] = buf.readInt16LE(off + 8 + (i * channels + channel) * 2);
      return { pcm, sampleRate: rate };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`no data chunk in ${file}`);
}

type Words = TranscriptWord[][];

/** pocketsphinx_continuous, stock model: utterances of words (fillers and silences dropped). */
function continuousChannel(wav: string, channel: number): Words {
  const mono = path.join(CACHE, `ch-${process.pid}.wav`);
  execFileSync('sox', [wav, '-r', '16000', '-c', '1', mono, 'remix', String(channel + 1)]);
  const out = execFileSync('pocketsphinx_continuous', ['-infile', mono, '-time', 'yes', '-logfn', '/dev/null'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  fs.rmSync(mono, { force: true });
  const utts: Words = [];
  let cur: TranscriptWord[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(line.trim());
    if (!m) continue;
    const w = m[1]!;
    if (w === '</s>') {
      if (cur.length) utts.push(cur);
      cur = [];
      continue;
    }
    if (w.startsWith('<') || w.startsWith('[') || w.startsWith('++')) continue;
    cur.push({ w: w.replace(/\(\d+\)$/, ''), s: Math.round(Number(m[2]) * 1000), e: Math.round(Number(m[3]) * 1000), c: Number(m[4]) });
  }
  if (cur.length) utts.push(cur);
  return utts;
}

async function earshotEngine(vocabulary: string[]): Promise<{ engine: AsrEngine; vocabulary: string[] } | null> {
  try {
    const mod = (await import('../src/speech/engines/pocketsphinx/index.ts')) as { PocketsphinxEngine: new (o?: object) => AsrEngine };
    // A loaded machine can be far slower than real time: no time cap here.
    const engine = new mod.PocketsphinxEngine({ timeoutMs: 60 * 60_000 });
    const ok = await engine.available();
    return ok.ok ? { engine, vocabulary } : null;
  } catch {
    return null;
  }
}

async function asrUtterances(
  c: CallJson,
  using: { kind: 'earshot'; engine: AsrEngine; vocabulary: string[] } | { kind: 'continuous' },
): Promise<SpotUtterance[]> {
  fs.mkdirSync(CACHE, { recursive: true });
  const wav = path.join(CORPUS, 'public', `${c.call_id}.wav`);
  const out: SpotUtterance[] = [];
  for (const channel of [0, 1]) {
    const cached = path.join(CACHE, `${using.kind}-${c.call_id}-${channel}.json`);
    let utts: Words;
    if (fs.existsSync(cached)) utts = JSON.parse(fs.readFileSync(cached, 'utf8')) as Words;
    else {
      if (using.kind === 'continuous') utts = continuousChannel(wav, channel);
      else {
        const { pcm, sampleRate } = readChannel(wav, channel);
        const res = await using.engine.transcribe({
          pcm,
          sampleRate,
          // The voice-activity regions the media pipeline computes, as in production.
          speech: analyzeVoice(pcm, sampleRate).speech.map(([startMs, endMs]) => ({ startMs, endMs })),
          language: 'en',
          vocabulary: { phrases: using.vocabulary },
        });
        utts = res.map((u) => u.words);
      }
      fs.writeFileSync(cached, JSON.stringify(utts));
    }
    utts.forEach((words, i) => out.push({ id: `${channel}-${i}`, role: channel === 0 ? 'agent' : 'customer', segmentId: null, words }));
  }
  return out;
}

// ---- scoring ------------------------------------------------------------------------------------------------------

interface Detection {
  category: string;
  startMs: number;
  endMs: number;
  confidence: number;
}

/** Hits of one category that overlap are one detection (at the best confidence). */
function detections(hits: SpotHit[], category: Map<string, string>): Detection[] {
  const byCat = new Map<string, Detection[]>();
  for (const h of [...hits].sort((a, b) => a.startMs - b.startMs)) {
    const cat = category.get(h.tagId)!;
    const list = byCat.get(cat) ?? [];
    const last = list[list.length - 1];
    if (last && h.startMs < last.endMs) {
      last.endMs = Math.max(last.endMs, h.endMs);
      last.confidence = Math.max(last.confidence, h.confidence);
    } else list.push({ category: cat, startMs: h.startMs, endMs: h.endMs, confidence: h.confidence });
    byCat.set(cat, list);
  }
  return [...byCat.values()].flat();
}

interface Tally {
  predicted: number;
  correct: number;
  gold: number;
  found: number;
}

function score(dets: Detection[], gold: GoldIndicator[], min: number, max = Infinity): Tally {
  const pred = dets.filter((d) => d.confidence >= min && d.confidence < max);
  const used = new Set<number>();
  let correct = 0;
  for (const d of pred) {
    const i = gold.findIndex(
      (g, k) => !used.has(k) && g.category === d.category && d.startMs < g.end * 1000 + TOLERANCE_MS && g.start * 1000 - TOLERANCE_MS < d.endMs,
    );
    const any = gold.some((g) => g.category === d.category && d.startMs < g.end * 1000 + TOLERANCE_MS && g.start * 1000 - TOLERANCE_MS < d.endMs);
    if (i >= 0) used.add(i);
    if (any) correct++;
  }
  return { predicted: pred.length, correct, gold: gold.length, found: used.size };
}

const add = (a: Tally, b: Tally): Tally => ({
  predicted: a.predicted + b.predicted,
  correct: a.correct + b.correct,
  gold: a.gold + b.gold,
  found: a.found + b.found,
});
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '—');

function report(title: string, perCall: Array<{ dets: Detection[]; gold: GoldIndicator[] }>) {
  console.log(`\n${title}`);
  console.log('| level | threshold | detections | precision | recall | precision of this band alone |');
  console.log('|---|---:|---:|---:|---:|---:|');
  let upper = Infinity;
  for (const [level, min] of Object.entries(CONFIDENCE_THRESHOLDS)) {
    const l = { level, min };
    const zero: Tally = { predicted: 0, correct: 0, gold: 0, found: 0 };
    const cum = perCall.map((c) => score(c.dets, c.gold, l.min)).reduce(add, zero);
    const band = perCall.map((c) => score(c.dets, c.gold, l.min, upper)).reduce(add, zero);
    console.log(
      `| ${l.level} | ≥ ${Math.round(l.min * 100)} % | ${cum.predicted} | ${pct(cum.correct, cum.predicted)} | ${pct(cum.found, cum.gold)} (${cum.found}/${cum.gold}) | ${pct(band.correct, band.predicted)} (${band.correct}/${band.predicted}) |`,
    );
    upper = l.min;
  }
}

export async function runSpeechTagBench(opts: { asr?: boolean; engine?: 'earshot' | 'continuous' } = {}) {
  const { defs, category } = definitions();
  const all = calls();
  console.log(
    `Speech tag spotting: ${defs.length} indicator phrases as speech tags, ${all.length} calls, ${all.reduce((n, c) => n + c.indicators.length, 0)} mentions`,
  );
  const cpu0 = process.cpuUsage();
  const truth = all.map((c) => ({ dets: detections(spotTranscript(groundTruthUtterances(c), defs, 'en'), category), gold: c.indicators }));
  const words = all.reduce((n, c) => n + c.utterances.reduce((m, u) => m + u.words.length, 0), 0);
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  report(
    `(a) On the ground-truth words (${words} words spotted in ${ms.toFixed(0)} ms of CPU, ${((words / ms) * 1000).toFixed(0)} words/s against ${defs.length} tags, cold caches)`,
    truth,
  );
  if (!opts.asr) return;

  const vocabulary = defs.map((d) => d.phrase);
  const earshot = opts.engine === 'continuous' ? null : await earshotEngine(vocabulary);
  const using = earshot ? ({ kind: 'earshot', ...earshot } as const) : ({ kind: 'continuous' } as const);
  const label = earshot
    ? "Earshot's pocketsphinx engine (domain language model, indicator phrases as tenant vocabulary)"
    : 'pocketsphinx_continuous, stock en-us model, 8 → 16 kHz';
  const t0 = performance.now();
  const asr = [];
  for (const c of all) asr.push({ dets: detections(spotTranscript(await asrUtterances(c, using), defs, 'en'), category), gold: c.indicators });
  report(`(b) On ASR transcripts: ${label} (transcription ${((performance.now() - t0) / 1000).toFixed(0)} s, cached in ${CACHE})`, asr);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const engine = process.argv.find((a) => a.startsWith('--engine='))?.slice(9) as 'earshot' | 'continuous' | undefined;
  await runSpeechTagBench({ asr: process.argv.includes('--asr'), engine });
}
