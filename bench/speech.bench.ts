// Speech recognition on the public corpus (../shared/corpus/public): word error rate per call and channel, for
// the out-of-the-box baseline (pocketsphinx_continuous on the whole channel, sox 8 → 16 kHz, stock model — the
// figure the corpus README reports) against our pocketsphinx engine (VAD regions, our resampler, decoder settings,
// domain language model + the tenant vocabulary); also each mu-law mono mixdown as one "unknown speaker" stream; and
// throughput in audio-seconds per CPU-second on one core and with two decodes in parallel.
// The ground-truth transcripts are used ONLY to score here.
//
// `npm run bench` runs it with the others; alone: `node --import tsx bench/speech.bench.ts`.
// SPEECH_BENCH_BASELINE=0 skips the baseline decodes (half the time).
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

    console.log('');
    console.log('  | call | ref words | agent base | agent ours | customer base | customer ours | call base | call ours | mu-law mix base | mu-law mix ours |');
    console.log('  |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of calls) {
      const [a, cu] = channels.filter((ch) => ch.call === c.id);
      const mix = mixes.find((m) => m.call === c.id);
      const callOurs = sumWer([ours.get(a!)!, ours.get(cu!)!]);
      const callBase = withBaseline ? sumWer([base.get(a!)!, base.get(cu!)!]) : undefined;
      console.log(
        `  | ${c.id} | ${callOurs.refWords} | ${pct(base.get(a!))} | ${pct(ours.get(a!))} | ${pct(base.get(cu!))} | ${pct(ours.get(cu!))} | ${pct(callBase)} | ${pct(callOurs)} | ${mix ? pct(base.get(mix)) : ''} | ${mix ? pct(ours.get(mix)) : ''} |`,
      );
    }
    const totalOurs = sumWer(channels.map((ch) => ours.get(ch)!));
    const totalBase = withBaseline ? sumWer(channels.map((ch) => base.get(ch)!)) : undefined;
    const mixOurs = sumWer(mixes.map((ch) => ours.get(ch)!));
    const mixBase = withBaseline ? sumWer(mixes.map((ch) => base.get(ch)!)) : undefined;
    const agentOurs = sumWer(channels.filter((c) => c.side === 'agent').map((ch) => ours.get(ch)!));
    const custOurs = sumWer(channels.filter((c) => c.side === 'customer').map((ch) => ours.get(ch)!));
    console.log(
      `  | **all ${calls.length} calls** | ${totalOurs.refWords} | ${withBaseline ? pct(sumWer(channels.filter((c) => c.side === 'agent').map((ch) => base.get(ch)!))) : '—'} | ${pct(agentOurs)} | ${withBaseline ? pct(sumWer(channels.filter((c) => c.side === 'customer').map((ch) => base.get(ch)!))) : '—'} | ${pct(custOurs)} | **${pct(totalBase)}** | **${pct(totalOurs)}** | ${pct(mixBase)} | ${pct(mixOurs)} |`,
    );
    console.log(
      `\n  ours overall: ${pct(totalOurs)} % WER (S ${totalOurs.substitutions}, D ${totalOurs.deletions}, I ${totalOurs.insertions} of ${totalOurs.refWords} words)`,
    );
    if (totalBase)
      console.log(`  baseline overall: ${pct(totalBase)} % WER (S ${totalBase.substitutions}, D ${totalBase.deletions}, I ${totalBase.insertions})`);
    const rate = (x: { audio: number; cpu: number; wall: number }) =>
      `${(x.audio / x.cpu).toFixed(1)} audio-s per CPU-s, ${(x.audio / x.wall).toFixed(1)} audio-s per wall-s`;
    console.log(`  throughput, one decode at a time: ${rate(single)} (${single.audio.toFixed(0)} s of audio)`);
    console.log(`  throughput, two decodes in parallel: ${rate(parallel)}`);
    if (withBaseline)
      console.log(
        `  baseline throughput (continuous, whole channel): ${(audio / baseCpu).toFixed(1)} audio-s per CPU-s (incl. the mixes' ${mixes.length} streams)`,
      );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSpeechBench();
