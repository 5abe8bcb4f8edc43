// Speech recognition on the public corpus (../shared/corpus/public): word error rate per call and channel, for
// the out-of-the-box baseline (pocketsphinx_continuous on the whole channel, sox 8 → 16 kHz, stock model — the
// figure the corpus README reports) against our pocketsphinx engine (VAD regions, our resampler, decoder settings,
// domain language model + the tenant vocabulary) and our engine with the stock language model (to separate the
// acoustic-side gain from the language model's); also each mu-law mono mixdown as one "unknown speaker" stream; and
// throughput in audio-seconds per CPU-second on one core and with two decodes in parallel.
// The ground-truth transcripts are used ONLY to score here.
//
// `npm run bench` runs it with the others; alone: `node --import tsx bench/speech.bench.ts`.
// SPEECH_BENCH_BASELINE=0 skips the baseline and stock-LM decodes (a third of the time).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { encodeWav } from '../src/media/wav-write.ts';
import { callIds, corpusAvailable, loadCall, tenantVocabulary, type CorpusChannel } from '../src/speech/engines/pocketsphinx/corpus-fixture.ts';
import { PocketsphinxEngine, TUNED_DECODER } from '../src/speech/engines/pocketsphinx/index.ts';
import { alignWords, normalizeForScoring, sumWer, type WerResult } from '../src/speech/wer.ts';

const run = promisify(execFile);

/** CPU seconds used by this process and its finished children (Linux /proc; elsewhere this process only). */
function cpuSeconds(): number {
  const self = process.cpuUsage();
  let children = 0;
  try {
    // Fields after the command name: … utime(14) stime(15) cutime(16) cstime(17), in clock ticks (100/s).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    /* not Linux */
  }
  return (self.user + self.system) / 1e6 + children;
}

async function baselineWords(ch: CorpusChannel, dir: string): Promise<string[]> {
  const src = path.join(dir, `${ch.call}-${ch.side}-8k.wav`);
  const wide = path.join(dir, `${ch.call}-${ch.side}-16k.wav`);
  await writeFile(src, encodeWav({ samples: ch.pcm, sampleRate: ch.sampleRate, channels: 1 }));
  await run('sox', [src, '-r', '16000', wide]);
  const { stdout } = await run('pocketsphinx_continuous', ['-infile', wide, '-logfn', '/dev/null'], { maxBuffer: 1 << 24 });
  return normalizeForScoring(stdout);
}

async function engineWords(engine: PocketsphinxEngine, ch: CorpusChannel, phrases: string[]): Promise<string[]> {
  const utts = await engine.transcribe({ pcm: ch.pcm, sampleRate: ch.sampleRate, speech: ch.speech, language: 'en', vocabulary: { phrases } });
  return utts.flatMap((u) => u.words.map((w) => w.w));
}

const pct = (r: { wer: number } | undefined) => (r ? (r.wer * 100).toFixed(1) : '—');

export async function runSpeechBench(): Promise<void> {
  console.log('Speech recognition (pocketsphinx) on the public corpus');
  if (!corpusAvailable()) return console.log('  skipped: ../shared/corpus/public not found');
  const engine = new PocketsphinxEngine({ cacheDir: path.join(os.tmpdir(), 'earshot-bench-lm') });
  const availability = await engine.available();
  if (!availability.ok) return console.log(`  skipped: ${availability.reason}`);
  const withStock = process.env.SPEECH_BENCH_BASELINE !== '0';
  const withBaseline = process.env.SPEECH_BENCH_BASELINE !== '0' && existsSync('/usr/bin/pocketsphinx_continuous') && existsSync('/usr/bin/sox');
  const phrases = tenantVocabulary();
  console.log(`  decoder settings: ${JSON.stringify(TUNED_DECODER)}; tenant vocabulary: ${phrases.length} phrases`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-speech-bench-'));
  try {
    // Build (or load) the language model once, outside the timings.
    const t0 = Date.now();
    const model = await engine.model(phrases);
    console.log(`  language model ${model.built ? 'built' : 'from cache'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const calls = callIds();
    const channels = calls.flatMap((c) => loadCall(c.id));
    const mixes = calls.filter((c) => c.mulaw).flatMap((c) => loadCall(c.id, 'mulaw'));
    const ours = new Map<CorpusChannel, WerResult>();
    const base = new Map<CorpusChannel, WerResult>();
    const stock = new Map<CorpusChannel, WerResult>();
    const stockEngine = new PocketsphinxEngine({ languageModel: 'general' });

    // Ours, one decode at a time: WER and single-core throughput.
    let audio = 0;
    let cpu0 = cpuSeconds();
    let wall0 = Date.now();
    for (const ch of channels) {
      ours.set(ch, alignWords(ch.reference, await engineWords(engine, ch, phrases)));
      audio += ch.pcm.length / ch.sampleRate;
    }
    const single = { audio, cpu: cpuSeconds() - cpu0, wall: (Date.now() - wall0) / 1000 };

    // Ours, two decodes at a time (the job workers on a two-core machine).
    cpu0 = cpuSeconds();
    wall0 = Date.now();
    const queue = [...channels];
    await Promise.all(
      [0, 1].map(async () => {
        for (let ch = queue.shift(); ch; ch = queue.shift()) await engineWords(engine, ch, phrases);
      }),
    );
    const parallel = { audio, cpu: cpuSeconds() - cpu0, wall: (Date.now() - wall0) / 1000 };

    for (const ch of mixes) ours.set(ch, alignWords(ch.reference, await engineWords(engine, ch, phrases)));

    let baseCpu = 0;
    if (withBaseline) {
      const c0 = cpuSeconds();
      for (const ch of [...channels, ...mixes]) base.set(ch, alignWords(ch.reference, await baselineWords(ch, dir)));
      baseCpu = cpuSeconds() - c0;
    }

    if (withStock) for (const ch of [...channels, ...mixes]) stock.set(ch, alignWords(ch.reference, await engineWords(stockEngine, ch, phrases)));

    const cell = (m: Map<CorpusChannel, WerResult>, chs: CorpusChannel[]) => (chs.every((c) => m.has(c)) ? pct(sumWer(chs.map((c) => m.get(c)!))) : '—');
    console.log('');
    console.log(
      '  WER % (lower is better); baseline = pocketsphinx_continuous, stock model, whole channel; stock LM = our engine with the stock en-us language model',
    );
    console.log('  | call | channel | ref words | baseline | ours, stock LM | ours |');
    console.log('  |---|---|---:|---:|---:|---:|');
    for (const c of calls) {
      for (const ch of [...channels, ...mixes].filter((x) => x.call === c.id)) {
        const label = ch.side === 'mix' ? 'mu-law mix (unknown speaker)' : ch.side;
        console.log(`  | ${c.id} | ${label} | ${ch.reference.length} | ${cell(base, [ch])} | ${cell(stock, [ch])} | ${cell(ours, [ch])} |`);
      }
      const both = channels.filter((x) => x.call === c.id);
      console.log(
        `  | ${c.id} | both channels | ${both.reduce((t, x) => t + x.reference.length, 0)} | ${cell(base, both)} | ${cell(stock, both)} | ${cell(ours, both)} |`,
      );
    }
    const groups: [string, CorpusChannel[]][] = [
      ['agent channels', channels.filter((c) => c.side === 'agent')],
      ['customer channels', channels.filter((c) => c.side === 'customer')],
      ['**all stereo channels**', channels],
      ['mu-law mixes', mixes],
    ];
    for (const [label, chs] of groups) {
      console.log(`  | ${label} | | ${chs.reduce((t, c) => t + c.reference.length, 0)} | ${cell(base, chs)} | ${cell(stock, chs)} | ${cell(ours, chs)} |`);
    }
    const totalOurs = sumWer(channels.map((ch) => ours.get(ch)!));
    console.log(
      `\n  ours overall: ${pct(totalOurs)} % WER (S ${totalOurs.substitutions}, D ${totalOurs.deletions}, I ${totalOurs.insertions} of ${totalOurs.refWords} words)`,
    );
    if (withBaseline) {
      const totalBase = sumWer(channels.map((ch) => base.get(ch)!));
      console.log(`  baseline overall: ${pct(totalBase)} % WER (S ${totalBase.substitutions}, D ${totalBase.deletions}, I ${totalBase.insertions})`);
    }
    const rate = (x: { audio: number; cpu: number; wall: number }) =>
      `${(x.audio / x.cpu).toFixed(1)} audio-s per CPU-s, ${(x.audio / x.wall).toFixed(1)} audio-s per wall-s`;
    console.log(`  throughput, one decode at a time: ${rate(single)} (${single.audio.toFixed(0)} s of audio)`);
    console.log(`  throughput, two decodes in parallel: ${rate(parallel)}`);
    if (withBaseline) {
      const baseAudio = [...channels, ...mixes].reduce((t, ch) => t + ch.pcm.length / ch.sampleRate, 0);
      console.log(
        `  baseline throughput (pocketsphinx_continuous on whole channels, sox resampling included): ${(baseAudio / baseCpu).toFixed(1)} audio-s per CPU-s`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSpeechBench();
