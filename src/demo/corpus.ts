// The source recordings of the demo calls: the scripted test calls of the shared corpus (decoded once, kept in memory
// one array per channel), or, when the corpus is not there, generated speech-like calls with the same shape.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../media/decode.ts';
import { splitChannels } from '../media/channels.ts';
import { seededRandom, synthSpeechLike } from '../media/wav-write.ts';

export const SAMPLE_RATE = 8000;

export interface SourceUtterance {
  speaker: string;
  role: 'agent' | 'customer';
  start: number;
  end: number;
}

export interface SourceCall {
  id: string;
  company: string;
  sentiment: 'negative' | 'neutral' | 'positive';
  durationS: number;
  /** Channel 0 of the recording: the agent leg (it also carries hold music and ringback). */
  agent: Int16Array;
  /** Channel 1: the customer leg. */
  customer: Int16Array;
  utterances: SourceUtterance[];
  holds: Array<{ start: number; end: number }>;
  transfers: Array<{ start: number; end: number }>;
  /** Voice of the agent and of the customer: windows of two calls with the same pair sound like one call. */
  voicePair: string;
  synthetic: boolean;
}

/** Where the corpus lives: ../shared/corpus/public seen from the repository root (the working directory of the CLI). */
export const DEFAULT_CORPUS_DIR = path.resolve('..', 'shared/corpus/public');
/** The same place found from this file, for a process started elsewhere. */
const CORPUS_BESIDE_REPO = fileURLToPath(new URL('../../../shared/corpus/public', import.meta.url));

const IDS = [
  'p01_billing_dispute',
  'p02_cancellation_retention',
  'p03_tech_support_silence',
  'p04_banking_card_payment',
  'p05_angry_manager_crosstalk',
  'p06_hold_music',
  'p07_happy_upgrade',
  'p08_transfer_billing',
] as const;
export type SourceId = (typeof IDS)[number];

interface GroundTruth {
  company: string;
  duration_s: number;
  sentiment?: { call?: string };
  speakers: Record<string, { role: string; voice?: { name?: string } }>;
  utterances: Array<{ speaker: string; role: string; start: number; end: number }>;
  events?: { holds?: Array<{ start: number; end: number }>; transfers?: Array<{ start: number; end: number }> };
}

/** Reads and decodes every corpus call once; null when any file is missing or unreadable. */
function loadRealCorpus(dir: string): SourceCall[] | null {
  try {
    return IDS.map((id) => {
      const truth = JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as GroundTruth;
      const audio = decodeWav(fs.readFileSync(path.join(dir, `${id}.wav`)), `${id}.wav`);
      if (audio.channels !== 2 || audio.sampleRate !== SAMPLE_RATE) throw new Error(`${id}.wav is not 8 kHz stereo`);
      const [agent, customer] = splitChannels(audio.samples, 2);
      const voice = (role: string) => Object.values(truth.speakers).find((s) => s.role === role)?.voice?.name ?? role;
      const sentiment = truth.sentiment?.call;
      return {
        id,
        company: truth.company,
        sentiment: sentiment === 'negative' || sentiment === 'positive' ? sentiment : 'neutral',
        durationS: audio.durationMs / 1000,
        agent: agent!,
        customer: customer!,
        utterances: truth.utterances.map((u) => ({ speaker: u.speaker, role: u.role === 'agent' ? 'agent' : 'customer', start: u.start, end: u.end })),
        holds: (truth.events?.holds ?? []).map((h) => ({ start: h.start, end: h.end })),
        transfers: (truth.events?.transfers ?? []).map((t) => ({ start: t.start, end: t.end })),
        voicePair: `${voice('agent')}/${voice('customer')}`,
        synthetic: false,
      } satisfies SourceCall;
    });
  } catch {
    return null;
  }
}

const SYNTHETIC: Array<{ id: SourceId; company: string; sentiment: SourceCall['sentiment']; voicePair: string }> = [
  { id: 'p01_billing_dispute', company: 'Brightline Telecom', sentiment: 'neutral', voicePair: 'a/b' },
  { id: 'p02_cancellation_retention', company: 'Brightline Telecom', sentiment: 'neutral', voicePair: 'b/c' },
  { id: 'p03_tech_support_silence', company: 'Brightline Telecom', sentiment: 'neutral', voicePair: 'd/c' },
  { id: 'p04_banking_card_payment', company: 'Northgate Bank', sentiment: 'neutral', voicePair: 'a/d' },
  { id: 'p05_angry_manager_crosstalk', company: 'Homestyle Furniture', sentiment: 'negative', voicePair: 'b/c' },
  { id: 'p06_hold_music', company: 'Clearview Insurance', sentiment: 'neutral', voicePair: 'd/c' },
  { id: 'p07_happy_upgrade', company: 'Peak Fitness', sentiment: 'positive', voicePair: 'a/b' },
  { id: 'p08_transfer_billing', company: 'Metro Power', sentiment: 'neutral', voicePair: 'a/d' },
];

/** Line noise at about -66 dBFS, so silence is not digital zero. */
export function lineNoise(n: number, seed: number): Int16Array {
  const rnd = seededRandom(seed);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round((rnd() - 0.5) * 32);
  return out;
}

function tone(out: Int16Array, from: number, to: number, freqs: number[], amp: number, onOffS?: [number, number]) {
  for (let i = from; i < to; i++) {
    const t = i / SAMPLE_RATE;
    if (onOffS && (t - from / SAMPLE_RATE) % (onOffS[0] + onOffS[1]) >= onOffS[0]) continue;
    let v = 0;
    for (const f of freqs) v += Math.sin(2 * Math.PI * f * t);
    out[i] = Math.round((amp * v) / freqs.length);
  }
}

/** A simple hold tune: an arpeggio of C, A minor, F and G, a quarter second a note. */
function holdMusic(out: Int16Array, from: number, to: number) {
  const chords = [
    [261.6, 329.6, 392],
    [220, 261.6, 329.6],
    [174.6, 220, 261.6],
    [196, 246.9, 293.7],
  ];
  const noteLen = SAMPLE_RATE / 4;
  for (let i = from; i < to; i++) {
    const k = Math.floor((i - from) / noteLen);
    const chord = chords[Math.floor(k / 4) % 4]!;
    const f = chord[k % 3]! * 2;
    const t = i / SAMPLE_RATE;
    const env = Math.exp(-((i - from) % noteLen) / (noteLen / 3));
    out[i] = Math.round(4000 * env * Math.sin(2 * Math.PI * f * t) + 1500 * Math.sin(2 * Math.PI * chord[0]! * t));
  }
}

/** Generated stand-ins for the corpus: alternating turns of speech-like sound, with the same hold and transfer. */
function syntheticCorpus(): SourceCall[] {
  return SYNTHETIC.map((s, index) => {
    const rnd = seededRandom(1000 + index);
    const durationS = 46 + Math.floor(rnd() * 9);
    const n = durationS * SAMPLE_RATE;
    const agent = lineNoise(n, 2000 + index);
    const customer = lineNoise(n, 3000 + index);
    const holds = s.id === 'p06_hold_music' ? [{ start: 25.5, end: 43.5 }] : [];
    const transfers = s.id === 'p08_transfer_billing' ? [{ start: 17.1, end: 20.6 }] : [];
    const utterances: SourceUtterance[] = [];
    let t = 0.6;
    let role: 'agent' | 'customer' = 'agent';
    let turn = 0;
    while (t < durationS - 3) {
      const hold = holds.find((h) => t >= h.start - 0.5 && t < h.end);
      const transfer = transfers.find((x) => t >= x.start - 0.5 && t < x.end);
      if (hold || transfer) {
        t = (hold ?? transfer)!.end + 0.3;
        role = 'agent';
        continue;
      }
      const len = Math.min(1.8 + rnd() * 4.2, durationS - 1 - t);
      if (len < 1) break;
      const speech = synthSpeechLike(len * 1000, SAMPLE_RATE, 5000 + index * 100 + turn);
      const target = role === 'agent' ? agent : customer;
      target.set(speech.subarray(0, Math.max(0, Math.min(speech.length, n - Math.round(t * SAMPLE_RATE)))), Math.round(t * SAMPLE_RATE));
      const speaker = role === 'agent' && transfers.length && t > transfers[0]!.end ? 'agent_2' : role;
      utterances.push({ speaker, role, start: Math.round(t * 1000) / 1000, end: Math.round((t + len) * 1000) / 1000 });
      t += len + 0.3 + rnd() * 1.2;
      role = role === 'agent' ? 'customer' : 'agent';
      turn++;
    }
    for (const h of holds) holdMusic(agent, Math.round(h.start * SAMPLE_RATE), Math.round(h.end * SAMPLE_RATE));
    for (const x of transfers) tone(agent, Math.round(x.start * SAMPLE_RATE), Math.round((x.start + 2) * SAMPLE_RATE), [440, 480], 3000, [2, 4]);
    return {
      id: s.id,
      company: s.company,
      sentiment: s.sentiment,
      durationS,
      agent,
      customer,
      utterances,
      holds,
      transfers,
      voicePair: s.voicePair,
      synthetic: true,
    };
  });
}

/** The eight source calls, real when the corpus folder is readable, generated otherwise. */
export function loadSourceCalls(dir?: string): SourceCall[] {
  const dirs = dir ? [dir] : [...new Set([DEFAULT_CORPUS_DIR, CORPUS_BESIDE_REPO])];
  for (const d of dirs) {
    const calls = loadRealCorpus(d);
    if (calls) return calls;
  }
  return syntheticCorpus();
}

export function sourceById(calls: SourceCall[], id: SourceId): SourceCall {
  return calls.find((c) => c.id === id)!;
}
