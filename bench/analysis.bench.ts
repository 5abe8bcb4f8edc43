// Audio analysis throughput: decode (WAV PCM and G.711 mu-law) + channel split + voice activity (with music/tone
// detection) + peaks + speech events, no transcription, on 8 kHz stereo. Figures are audio seconds (of the call,
// both channels together) per CPU second of this process (process.cpuUsage: user + system, so GC threads count).
//   node --import tsx bench/analysis.bench.ts          (EARSHOT_BENCH_AUDIO_MIN=60 minutes by default)
// Target: >= 1000x real time per core (the analysis is single-threaded, so CPU time is one core's time).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeStreams } from '../src/analytics/analyze-call.ts';
import { computeSpeechEvents } from '../src/analytics/speech-events.ts';
import { splitChannels } from '../src/media/channels.ts';
import { decodeToPcm16 } from '../src/media/decode.ts';
import { computePeaks, encodePeaks } from '../src/media/peaks.ts';
import { analyzeVoice } from '../src/media/vad.ts';
import { encodeWav, synthSpeechLike } from '../src/media/wav-write.ts';
import { parseWav, readWavSamples } from '../src/media/wav.ts';

const TARGET = 1000;
const SR = 8000;
const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared/corpus/public');

export interface AnalysisBenchFigure {
  format: 'pcm' | 'mulaw';
  audioSeconds: number;
  cpuSeconds: number;
  /** Audio seconds per CPU second. */
  realtime: number;
  /** CPU milliseconds per audio hour, by stage. */
  stages: Record<'decode' | 'split' | 'vad' | 'peaks' | 'events', number>;
  meetsTarget: boolean;
}

/** Interleaved 8 kHz stereo of about `minutes`: the corpus calls back to back, looped (synthetic without it). */
function buildAudio(minutes: number): { samples: Int16Array; source: string } {
  const want = Math.round(minutes * 60 * SR) * 2;
  const pieces: Int16Array[] = [];
  let source: string;
  if (fs.existsSync(CORPUS)) {
    for (const f of fs
      .readdirSync(CORPUS)
      .filter((f) => /^p\d+_.*(?<!\.mulaw)\.wav$/.test(f))
      .sort()) {
      const buf = fs.readFileSync(path.join(CORPUS, f));
      const info = parseWav(buf, f);
      if (info.channels === 2 && info.sampleRate === SR) pieces.push(readWavSamples(buf, info));
    }
    source = `the ${pieces.length} corpus calls, looped`;
  } else {
    const a = synthSpeechLike(300_000, SR, 1);
    const c = synthSpeechLike(300_000, SR, 2);
    const s = new Int16Array(a.length * 2);
    for (let i = 0; i < a.length; i++) {
      s[2 * i] = i % 80_000 < 40_000 ? a[i]! : 0;
      s[2 * i + 1] = i % 80_000 >= 40_000 ? c[i]! : 0;
    }
    pieces.push(s);
    source = 'synthetic speech (corpus not found)';
  }
  const out = new Int16Array(want);
  for (let at = 0, k = 0; at < want; k++) {
    const p = pieces[k % pieces.length]!;
    const n = Math.min(p.length, want - at);
    out.set(p.subarray(0, n), at);
    at += n;
  }
  return { samples: out, source };
}

function cpu<T>(fn: () => T): [T, number] {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return [result, (used.user + used.system) / 1e6];
}

async function cpuAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(start);
  return [result, (used.user + used.system) / 1e6];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The whole analysis of one file as the pipeline job runs it. */
async function analyzeFile(wav: Buffer) {
  const decoded = await decodeToPcm16(wav, 'bench.wav');
  const [agent, customer] = splitChannels(decoded.samples, decoded.channels);
  return analyzeStreams({
    streams: [
      { party: 'agent', role: 'agent', samples: agent!, sampleRate: decoded.sampleRate },
      { party: 'customer', role: 'customer', samples: customer!, sampleRate: decoded.sampleRate },
    ],
  });
}

export async function runAnalysisBench(): Promise<AnalysisBenchFigure[]> {
  const minutes = Number(process.env.EARSHOT_BENCH_AUDIO_MIN ?? 60);
  const { samples, source } = buildAudio(minutes);
  const audioSeconds = samples.length / 2 / SR;
  console.log(
    `Audio analysis (decode + VAD/music/tone + peaks + speech events): ${(audioSeconds / 60).toFixed(0)} min of 8 kHz stereo from ${source}; median of 3 runs; target >= ${TARGET}x real time per core`,
  );
  const files = { pcm: encodeWav({ sampleRate: SR, channels: 2, samples }), mulaw: encodeWav({ sampleRate: SR, channels: 2, samples, format: 'mulaw' }) };

  // Warm up the JIT on a short file.
  const warm = { pcm: encodeWav({ sampleRate: SR, channels: 2, samples: samples.subarray(0, SR * 2 * 120) }) };
  for (let i = 0; i < 3; i++) await analyzeFile(warm.pcm);

  const figures: AnalysisBenchFigure[] = [];
  for (const format of ['pcm', 'mulaw'] as const) {
    const wav = files[format];
    const runs: number[] = [];
    let events = 0;
    for (let r = 0; r < 3; r++) {
      const [a, secs] = await cpuAsync(() => analyzeFile(wav));
      runs.push(secs);
      events = a.events.length;
    }
    // Stage by stage (one run each), for where the time goes.
    const [decoded, tDecode] = await cpuAsync(() => decodeToPcm16(wav, 'bench.wav'));
    const [channels, tSplit] = cpu(() => splitChannels(decoded.samples, decoded.channels));
    const [voices, tVad] = cpu(() => channels.map((c) => analyzeVoice(c, SR)));
    const [, tPeaks] = cpu(() => channels.map((c) => encodePeaks(computePeaks(c, SR))));
    const [, tEvents] = cpu(() =>
      computeSpeechEvents({ parties: voices.map((v, i) => ({ party: String(i), speech: v.speech, sounds: v.sounds })), durationMs: audioSeconds * 1000 }),
    );
    const perHour = (t: number) => (t * 1000 * 3600) / audioSeconds;
    const cpuSeconds = median(runs);
    const fig: AnalysisBenchFigure = {
      format,
      audioSeconds,
      cpuSeconds,
      realtime: audioSeconds / cpuSeconds,
      stages: {
        decode: perHour(tDecode),
        split: perHour(tSplit),
        vad: perHour(tVad),
        peaks: perHour(tPeaks),
        events: perHour(tEvents),
      },
      meetsTarget: audioSeconds / cpuSeconds >= TARGET,
    };
    figures.push(fig);
    const s = fig.stages;
    console.log(
      `  ${format === 'pcm' ? 'PCM 16-bit' : 'G.711 mu-law'}  ${(wav.length / 2 ** 20).toFixed(0)} MB  ${cpuSeconds.toFixed(2)} CPU s  ` +
        `${fig.realtime.toFixed(0)}x real time (${(fig.realtime * 2).toFixed(0)}x per channel)  ${events} events  ${fig.meetsTarget ? 'met' : 'MISSED'}`,
    );
    console.log(
      `      CPU ms per audio hour: decode ${s.decode.toFixed(0)}, split ${s.split.toFixed(0)}, voice activity ${s.vad.toFixed(0)}, peaks ${s.peaks.toFixed(0)}, events ${s.events.toFixed(0)}`,
    );
  }
  return figures;
}

const isMain = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (isMain) await runAnalysisBench();
