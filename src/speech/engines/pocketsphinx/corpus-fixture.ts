// The public test calls as engine input for the speech bench and the pocketsphinx test: each channel's PCM, its
// voice-activity regions (computed by our own media VAD, as the pipeline does), and the reference words used ONLY
// to score (never to build or tune the language model).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitChannels } from '../../../media/channels.ts';
import { analyzeVoice } from '../../../media/vad.ts';
import { parseWav, readWavSamples } from '../../../media/wav.ts';
import type { SpeechRegion } from '../../model.ts';

/** The repository's sibling folder ../shared/corpus, or EARSHOT_CORPUS_DIR. */
export const CORPUS_DIR = process.env.EARSHOT_CORPUS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/corpus');
export const PUBLIC_DIR = path.join(CORPUS_DIR, 'public');

export interface CorpusChannel {
  call: string;
  /** 'agent' | 'customer' for a stereo channel, 'mix' for the mu-law mono mixdown. */
  side: 'agent' | 'customer' | 'mix';
  pcm: Int16Array;
  sampleRate: number;
  speech: SpeechRegion[];
  /** Reference words (scoring only). */
  reference: string[];
  /** Reference utterances with times, to check word times against. */
  utterances: { start: number; end: number; words: string[] }[];
}

interface Truth {
  utterances: { channel: number; start: number; end: number; words: { w: string }[] }[];
  company: string;
}

export function corpusAvailable(): boolean {
  return existsSync(path.join(PUBLIC_DIR, 'manifest.json'));
}

export function callIds(): { id: string; mulaw: boolean }[] {
  const manifest = JSON.parse(readFileSync(path.join(PUBLIC_DIR, 'manifest.json'), 'utf8')) as { call_id: string; mulaw: boolean }[];
  return manifest.map((c) => ({ id: c.call_id, mulaw: c.mulaw }));
}

function regions(pcm: Int16Array, sampleRate: number): SpeechRegion[] {
  return analyzeVoice(pcm, sampleRate).speech.map(([s, e]) => ({ startMs: s, endMs: e }));
}

export function loadCall(id: string, which: 'stereo' | 'mulaw' = 'stereo'): CorpusChannel[] {
  const truth = JSON.parse(readFileSync(path.join(PUBLIC_DIR, `${id}.json`), 'utf8')) as Truth;
  const file = path.join(PUBLIC_DIR, which === 'stereo' ? `${id}.wav` : `${id}.mulaw.wav`);
  const buf = readFileSync(file);
  const info = parseWav(buf, path.basename(file));
  const samples = readWavSamples(buf, info);
  const chans = splitChannels(samples, info.channels);
  const byTime = (u: Truth['utterances']) => [...u].sort((a, b) => a.start - b.start);
  const refOf = (us: Truth['utterances']) => ({
    reference: byTime(us).flatMap((u) => u.words.map((w) => w.w)),
    utterances: byTime(us).map((u) => ({ start: u.start, end: u.end, words: u.words.map((w) => w.w) })),
  });
  if (which === 'mulaw') {
    return [{ call: id, side: 'mix', pcm: chans[0]!, sampleRate: info.sampleRate, speech: regions(chans[0]!, info.sampleRate), ...refOf(truth.utterances) }];
  }
  return chans.slice(0, 2).map((pcm, c) => ({
    call: id,
    side: c === 0 ? 'agent' : 'customer',
    pcm,
    sampleRate: info.sampleRate,
    speech: regions(pcm, info.sampleRate),
    ...refOf(truth.utterances.filter((u) => u.channel === c)),
  }));
}

/**
 * The tenant vocabulary a customer would configure in Settings: the indicator lexicon (corpus/indicators.json is a
 * tenant's indicator lexicon) and the company names of the corpus README table (product/company names).
 */
export function tenantVocabulary(): string[] {
  const ind = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'indicators.json'), 'utf8')) as Record<string, string[]>;
  const companies = ['Brightline Telecom', 'Northgate Bank', 'Homestyle Furniture', 'Clearview Insurance', 'Peak Fitness', 'Metro Power'];
  return [...Object.values(ind).flat(), ...companies];
}
