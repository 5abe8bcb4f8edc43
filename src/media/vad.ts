// Voice activity detection on one mono stream (one party's leg, or a mix), and detection of sustained non-speech
// sound (hold music, tones) on it. Offline: the whole stream is in memory, so the noise floor is estimated from
// both sides of every frame.
//
// One pass over the samples computes three features per 10 ms frame:
//   - level (dBFS) after a 200 Hz high-pass (below the voice band: DC, hum, rumble);
//   - tonality: the prediction gain (dB) of an order-2 linear predictor (Levinson on r0, r1, r2). White-ish line
//     noise and comfort noise predict badly (about 0-3 dB); voiced speech, music and tones predict well (8-30 dB);
//   - zero-crossing rate, to tell a tone (constant) from music (changing notes).
// Everything after that works on frames (100 a second), so the cost is one cheap loop over the samples.
//
// Speech: the noise floor is a minimum statistic: the larger of the minimum level over the 3 s before and the 3 s
// after the frame (speech always pauses within a few seconds; noise has no quieter moments than itself). It
// follows line noise, comfort noise and level changes without a training period, and a step up in the noise
// (comfort noise switching on) is the floor at once. A frame seeds speech when it is onDb above the floor, above
// an absolute minimum and tonal (voiced): hiss and noise bursts never start speech on their own. Runs grow both
// ways while the level stays offDb above the floor and within extendDb of the run's peak (weak onsets, fricative
// endings, but not comfort noise louder than the line under the speech); pauses up to hangoverMs are
// bridged (pauses between words are under 0.25 s, and in noise a weak consonant lost under the floor leaves a
// 0.3 s hole; on one party's leg the other party's turn makes turn gaps long anyway); runs shorter than
// minSpeechMs or with under minVoicedMs of voiced frames are dropped (clicks, blips).
//
// Sounds: music and tones are loud, tonal and steady: over every 1.5 s window their level barely moves (std 1-3 dB,
// smoothed frame-to-frame change under 0.5 dB at 8 kHz) and neither does their zero-crossing rate, while speech,
// even one long utterance, swings 8 dB or more and alternates vowels and fricatives. Frames covered by a qualifying
// window form sound intervals, which are taken out of the speech; a sound whose zero-crossing rate stays constant is
// a 'tone', else 'music'. (Measured on the corpus: over 5904 windows of speech the smallest level std is 4.3 dB,
// the next 5.9 dB; hold music stays under 3 dB, ringback at 2.1 dB. Zero-crossing spread: speech at least 0.085
// where its level is that steady, music up to 0.1 when an arpeggio jumps octaves, a tone 0.005.)

export type Interval = [startMs: number, endMs: number];
export type SoundKind = 'tone' | 'music';

export interface SoundInterval {
  startMs: number;
  endMs: number;
  kind: SoundKind;
}

export interface VadOptions {
  /** Frame hop and length in ms (default 10). */
  frameMs?: number;
  /** A frame seeds speech this far above the noise floor (dB, default 9). */
  onDb?: number;
  /** Speech runs extend over neighbouring frames this far above the floor (dB, default 5)... */
  offDb?: number;
  /** ... and no further below the loudest frame of the run (dB, default 40). */
  extendDb?: number;
  /** Seeds must also be above this absolute level (dBFS, default -60): near-digital silence is never speech. */
  minLevelDb?: number;
  /** A seed frame must predict at least this well (order-2 prediction gain, dB, default 3): voiced, not hiss. */
  voicedGainDb?: number;
  /** Noise floor window, each side of the frame (ms, default 3000). */
  floorWindowMs?: number;
  /** Pauses up to this long stay inside a speech run (ms, default 400). */
  hangoverMs?: number;
  /** Speech runs shorter than this are dropped (ms, default 100). */
  minSpeechMs?: number;
  /** Speech runs with fewer voiced frames than this are dropped (ms, default 40). */
  minVoicedMs?: number;
  /** Detect music and tones and take them out of the speech (default true). */
  detectSounds?: boolean;
}

export interface SoundOptions {
  /** Window over which a sound must stay steady (ms, default 1500); also the shortest sound reported. One second is
   * not enough: a phrase of nasals and vowels ("nine dollars a month") can hold its level and pitch that long. */
  windowMs?: number;
  /** Mean level of a sound window, at least (dBFS, default -50). */
  minLevelDb?: number;
  /** ... and at least this far above the stream's quiet level, its 5th percentile (dB, default 12). */
  aboveQuietDb?: number;
  /** Standard deviation of the level within a window, at most (dB, default 3.5). */
  maxLevelStdDb?: number;
  /** Mean absolute frame-to-frame change of the 30 ms smoothed level within a window, at most (dB, default 1.2). */
  maxLevelStepDb?: number;
  /** Mean tonality (order-2 prediction gain) of a window, at least (dB, default 10). */
  minGainDb?: number;
  /** Standard deviation of the zero-crossing rate within a window, at most (default 0.12): notes hold their pitch,
   * speech alternates vowels and fricatives. */
  maxZcrStd?: number;
  /** Sound runs closer than this are joined (ms, default 500). */
  joinMs?: number;
}

/** Options of analyzeVoice: the speech detector's, and the sound detector's under `sound`. */
export type VoiceOptions = VadOptions & { sound?: SoundOptions };

export interface VoiceAnalysis {
  /** Speech intervals, sorted and disjoint, music and tones excluded. */
  speech: Interval[];
  /** Music and tone intervals, sorted and disjoint. */
  sounds: SoundInterval[];
  /** Median noise floor over the stream (dBFS), for diagnostics. */
  noiseFloorDb: number;
  durationMs: number;
}

export interface FrameFeatures {
  /** Exact frame duration (frameLength / sampleRate), which the requested frameMs is rounded to. */
  frameMs: number;
  /** Samples per frame. */
  frameLength: number;
  count: number;
  /** Level of each frame, dBFS (a full-scale square wave is 0). */
  levelDb: Float32Array;
  /** Order-2 prediction gain, dB (0 = unpredictable, white). */
  gainDb: Float32Array;
  /** Zero crossings per sample, 0..1. */
  zcr: Float32Array;
}

const FULL_SCALE_POWER = 32768 * 32768;
const DB_SILENT = -120;
const LN10_DB = 10 / Math.LN10;

/**
 * Frame features in one pass: level, order-2 prediction gain and zero-crossing rate. A trailing part frame of at
 * least half a frame counts as a frame.
 */
export function frameFeatures(samples: Int16Array, sampleRate: number, frameMs = 10): FrameFeatures {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`sampleRate must be a positive integer (got ${sampleRate})`);
  const frameLength = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const n = samples.length;
  const full = Math.floor(n / frameLength);
  const count = full + (n - full * frameLength >= frameLength / 2 ? 1 : 0);
  const levelDb = new Float32Array(count);
  const gainDb = new Float32Array(count);
  const zcr = new Float32Array(count);
  // One-pole high-pass at 200 Hz, y[n] = x[n] - x[n-1] + R y[n-1]. The telephone voice band starts at 300 Hz;
  // below it there is only DC offset (which would make any signal look perfectly predictable), mains hum and
  // rumble, whose few degrees of freedom per frame make their level jump like syllables.
  const R = 1 - (2 * Math.PI * 200) / sampleRate;
  let x1 = 0;
  let y1 = 0;
  let y2 = 0;
  let i = 0;
  // Settle the blocker on the first samples so a constant offset does not ring into the first frames.
  if (n > 0) x1 = samples[0]!;
  for (let f = 0; f < count; f++) {
    const end = Math.min(n, i + frameLength);
    const len = end - i;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let crossings = 0;
    for (; i < end; i++) {
      const x = samples[i]!;
      const y = x - x1 + R * y1;
      x1 = x;
      r0 += y * y;
      r1 += y * y1;
      r2 += y * y2;
      // A sign change (zero counts as positive): (y < 0) !== (y1 < 0).
      if (y < 0 !== y1 < 0) crossings++;
      y2 = y1;
      y1 = y;
    }
    const power = r0 / len;
    levelDb[f] = power > 0 ? LN10_DB * Math.log(power / FULL_SCALE_POWER) : DB_SILENT;
    if (levelDb[f]! < DB_SILENT) levelDb[f] = DB_SILENT;
    zcr[f] = crossings / len;
    if (r0 > 0) {
      // Levinson-Durbin to order 2; reflection coefficients clamped (the frame's lag sums are not exactly Toeplitz).
      let k1 = r1 / r0;
      if (k1 > 0.99999) k1 = 0.99999;
      else if (k1 < -0.99999) k1 = -0.99999;
      const e1 = r0 * (1 - k1 * k1);
      let k2 = (r2 - k1 * r1) / e1;
      if (k2 > 0.99999) k2 = 0.99999;
      else if (k2 < -0.99999) k2 = -0.99999;
      const e2 = e1 * (1 - k2 * k2);
      gainDb[f] = LN10_DB * Math.log(r0 / e2);
    }
  }
  return { frameMs: (frameLength * 1000) / sampleRate, frameLength, count, levelDb, gainDb, zcr };
}

/** Minimum of v over [i - before, i + after] for every i (monotonic deque, O(n)). */
export function runningMin(v: Float32Array, before: number, after = before): Float32Array {
  const n = v.length;
  const out = new Float32Array(n);
  const q = new Int32Array(n); // indexes with increasing values
  let head = 0;
  let tail = 0;
  let next = 0; // next index to push
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + after);
    for (; next <= hi; next++) {
      const x = v[next]!;
      while (tail > head && v[q[tail - 1]!]! >= x) tail--;
      q[tail++] = next;
    }
    while (q[head]! < i - before) head++;
    out[i] = v[q[head]!]!;
  }
  return out;
}

/**
 * Noise floor per frame: the larger of the minimum level over the window before the frame and over the window
 * after it (each including the frame). A centred minimum would lag a step up in the noise (comfort noise
 * switching on) by a whole window; with the one-sided minima the side that sees only the new noise wins at once.
 */
export function noiseFloor(levelDb: Float32Array, window: number): Float32Array {
  const left = runningMin(levelDb, window, 0);
  const right = runningMin(levelDb, 0, window);
  for (let i = 0; i < left.length; i++) if (right[i]! > left[i]!) left[i] = right[i]!;
  return left;
}

const DEFAULTS: Required<VadOptions> = {
  frameMs: 10,
  onDb: 9,
  offDb: 5,
  extendDb: 40,
  minLevelDb: -60,
  voicedGainDb: 3,
  floorWindowMs: 3000,
  hangoverMs: 400,
  minSpeechMs: 100,
  minVoicedMs: 40,
  detectSounds: true,
};

const SOUND_DEFAULTS: Required<SoundOptions> = {
  windowMs: 1500,
  minLevelDb: -50,
  aboveQuietDb: 12,
  maxLevelStdDb: 3.5,
  maxLevelStepDb: 1.2,
  minGainDb: 10,
  maxZcrStd: 0.12,
  joinMs: 500,
};

/** The p-th percentile (0..1) of levels, from a 0.5 dB histogram (no sort, no copy). */
function levelPercentile(levelDb: Float32Array, p: number): number {
  const bins = new Uint32Array(260); // -120 .. +10 dB in 0.5 dB steps
  for (let i = 0; i < levelDb.length; i++) {
    let b = Math.floor((levelDb[i]! - DB_SILENT) * 2);
    if (b < 0) b = 0;
    else if (b >= bins.length) b = bins.length - 1;
    bins[b]!++;
  }
  const target = p * levelDb.length;
  let acc = 0;
  for (let b = 0; b < bins.length; b++) {
    acc += bins[b]!;
    if (acc > target) return DB_SILENT + b / 2;
  }
  return DB_SILENT;
}

/** Runs of true frames as [startFrame, endFrame) pairs, flattened. */
function runsOf(mask: Uint8Array): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(start, i);
      start = -1;
    }
  }
  if (start >= 0) out.push(start, mask.length);
  return out;
}

/** Frames (1) covered by a sustained sound: music or tones. Frame-level, for analyzeVoice and tests. */
export function soundFrames(features: FrameFeatures, options: SoundOptions = {}): Uint8Array {
  const o = { ...SOUND_DEFAULTS, ...options };
  const { count, levelDb, gainDb, zcr, frameMs } = features;
  const mask = new Uint8Array(count);
  const w = Math.max(3, Math.round(o.windowMs / frameMs));
  if (count < w) return mask;
  const quiet = levelPercentile(levelDb, 0.05);
  const minMean = Math.max(o.minLevelDb, quiet + o.aboveQuietDb);
  // Prefix sums (float64) so every window costs O(1): level, level squared, step of the 3-frame smoothed level
  // (smoothing hides the 40 Hz beat of a dual tone such as ringback), gain, zero-crossing rate and its square.
  const sL = new Float64Array(count + 1);
  const sL2 = new Float64Array(count + 1);
  const sD = new Float64Array(count + 1);
  const sG = new Float64Array(count + 1);
  const sZ = new Float64Array(count + 1);
  const sZ2 = new Float64Array(count + 1);
  let prevSmooth = 0;
  for (let i = 0; i < count; i++) {
    const l = levelDb[i]!;
    const smooth = (levelDb[i > 0 ? i - 1 : i]! + l + levelDb[i + 1 < count ? i + 1 : i]!) / 3;
    sL[i + 1] = sL[i]! + l;
    sL2[i + 1] = sL2[i]! + l * l;
    sD[i + 1] = sD[i]! + (i > 0 ? Math.abs(smooth - prevSmooth) : 0);
    prevSmooth = smooth;
    sG[i + 1] = sG[i]! + gainDb[i]!;
    sZ[i + 1] = sZ[i]! + zcr[i]!;
    sZ2[i + 1] = sZ2[i]! + zcr[i]! * zcr[i]!;
  }
  const maxVar = o.maxLevelStdDb * o.maxLevelStdDb;
  const maxZVar = o.maxZcrStd * o.maxZcrStd;
  let coveredTo = 0; // frames before this are already marked
  for (let s = 0; s + w <= count; s++) {
    const e = s + w;
    const mean = (sL[e]! - sL[s]!) / w;
    if (mean < minMean) continue;
    if ((sL2[e]! - sL2[s]!) / w - mean * mean > maxVar) continue;
    if ((sD[e]! - sD[s + 1]!) / (w - 1) > o.maxLevelStepDb) continue;
    if ((sG[e]! - sG[s]!) / w < o.minGainDb) continue;
    const z = (sZ[e]! - sZ[s]!) / w;
    if ((sZ2[e]! - sZ2[s]!) / w - z * z > maxZVar) continue;
    for (let i = Math.max(s, coveredTo); i < e; i++) mask[i] = 1;
    coveredTo = e;
  }
  // Join runs separated by short gaps (a note change, a click).
  const join = Math.round(o.joinMs / frameMs);
  let last = -1;
  for (let i = 0; i < count; i++) {
    if (!mask[i]) continue;
    if (last >= 0 && i - last > 1 && i - last - 1 <= join) mask.fill(1, last + 1, i);
    last = i;
  }
  return mask;
}

/** Classifies each sound run: a tone keeps its zero-crossing rate and level; music does not. */
function classifySounds(features: FrameFeatures, mask: Uint8Array): SoundInterval[] {
  const { zcr, levelDb, frameMs } = features;
  const runs = runsOf(mask);
  const out: SoundInterval[] = [];
  for (let r = 0; r < runs.length; r += 2) {
    const s = runs[r]!;
    const e = runs[r + 1]!;
    let z = 0;
    let z2 = 0;
    let l = 0;
    let l2 = 0;
    for (let i = s; i < e; i++) {
      z += zcr[i]!;
      z2 += zcr[i]! * zcr[i]!;
      l += levelDb[i]!;
      l2 += levelDb[i]! * levelDb[i]!;
    }
    const n = e - s;
    const zStd = Math.sqrt(Math.max(0, z2 / n - (z / n) ** 2));
    const lStd = Math.sqrt(Math.max(0, l2 / n - (l / n) ** 2));
    // A pure or dual tone crosses zero at a fixed rate (its spread is frame quantisation, 1/80 at 8 kHz, and the
    // beat of a dual tone); notes move it (hold music: 0.03). The level check keeps a fading chord out.
    const kind: SoundKind = zStd < 0.015 && lStd < 4 ? 'tone' : 'music';
    out.push({ startMs: Math.round(s * frameMs), endMs: Math.round(e * frameMs), kind });
  }
  return out;
}

/** Speech frames (1) from the features, before sounds are taken out. */
export function speechFrames(features: FrameFeatures, options: VadOptions = {}, floor = floorOf(features, options)): Uint8Array {
  const o = { ...DEFAULTS, ...options };
  const { count, levelDb, gainDb, frameMs } = features;
  const mask = new Uint8Array(count);
  // Seeds, then hysteresis: grow each run of seeds left and right over frames still offDb above the floor and
  // within extendDb of the run's loudest frame. The second limit keeps speech from spreading into comfort noise
  // that is louder than the line noise under the speech (VoIP comfort noise over a near-silent line).
  for (let i = 0; i < count; i++) {
    const l = levelDb[i]!;
    if (l > floor[i]! + o.onDb && l > o.minLevelDb && gainDb[i]! >= o.voicedGainDb) mask[i] = 2;
  }
  for (let i = 0; i < count; i++) {
    if (mask[i] !== 2) continue;
    let end = i;
    let peak = levelDb[i]!;
    for (; end < count && mask[end] === 2; end++) if (levelDb[end]! > peak) peak = levelDb[end]!;
    const least = peak - o.extendDb;
    for (let j = i - 1; j >= 0 && !mask[j] && levelDb[j]! > floor[j]! + o.offDb && levelDb[j]! > least; j--) mask[j] = 1;
    let j = end;
    for (; j < count && !mask[j] && levelDb[j]! > floor[j]! + o.offDb && levelDb[j]! > least; j++) mask[j] = 1;
    i = j - 1;
  }
  // Bridge short pauses (hangover).
  const bridge = Math.round(o.hangoverMs / frameMs);
  let last = -1;
  for (let i = 0; i < count; i++) {
    if (!mask[i]) continue;
    if (last >= 0 && i - last > 1 && i - last - 1 <= bridge) mask.fill(1, last + 1, i);
    last = i;
  }
  // Drop short runs and runs with too little voicing.
  const minRun = Math.round(o.minSpeechMs / frameMs);
  const minVoiced = Math.round(o.minVoicedMs / frameMs);
  const runs = runsOf(mask);
  for (let r = 0; r < runs.length; r += 2) {
    const s = runs[r]!;
    const e = runs[r + 1]!;
    let voiced = 0;
    for (let i = s; i < e; i++) if (mask[i] === 2) voiced++;
    if (e - s < minRun || voiced < minVoiced) mask.fill(0, s, e);
  }
  for (let i = 0; i < count; i++) if (mask[i]) mask[i] = 1;
  return mask;
}

function floorOf(features: FrameFeatures, options: VadOptions): Float32Array {
  return noiseFloor(features.levelDb, Math.max(1, Math.round((options.floorWindowMs ?? DEFAULTS.floorWindowMs) / features.frameMs)));
}

function framesToIntervals(mask: Uint8Array, frameMs: number, durationMs: number): Interval[] {
  const runs = runsOf(mask);
  const out: Interval[] = [];
  for (let r = 0; r < runs.length; r += 2) out.push([Math.round(runs[r]! * frameMs), Math.min(durationMs, Math.round(runs[r + 1]! * frameMs))]);
  return out;
}

/**
 * Speech intervals and music/tone intervals of one mono stream. Speech inside a sound is removed (hold music is
 * not talk), and what is left of a run afterwards must still be minSpeechMs long.
 */
export function analyzeVoice(samples: Int16Array, sampleRate: number, options: VoiceOptions = {}): VoiceAnalysis {
  const o = { ...DEFAULTS, ...options };
  const features = frameFeatures(samples, sampleRate, o.frameMs);
  const durationMs = Math.round((samples.length * 1000) / sampleRate);
  const floor = floorOf(features, o);
  const speech = speechFrames(features, o, floor);
  let sounds: SoundInterval[] = [];
  if (o.detectSounds) {
    const soundMask = soundFrames(features, options.sound);
    sounds = classifySounds(features, soundMask);
    for (const s of sounds) s.endMs = Math.min(s.endMs, durationMs);
    if (sounds.length) {
      for (let i = 0; i < features.count; i++) if (soundMask[i]) speech[i] = 0;
      const minRun = Math.round(o.minSpeechMs / features.frameMs);
      const runs = runsOf(speech);
      for (let r = 0; r < runs.length; r += 2) if (runs[r + 1]! - runs[r]! < minRun) speech.fill(0, runs[r]!, runs[r + 1]!);
    }
  }
  return {
    speech: framesToIntervals(speech, features.frameMs, durationMs),
    sounds,
    noiseFloorDb: features.count ? levelPercentile(floor, 0.5) : DB_SILENT,
    durationMs,
  };
}

/** Speech intervals [startMs, endMs] of one mono stream (music and tones excluded). */
export function detectSpeech(samples: Int16Array, sampleRate: number, options: VadOptions = {}): Interval[] {
  return analyzeVoice(samples, sampleRate, options).speech;
}

/** Music and tone intervals of one mono stream (for hold detection). */
export function detectSounds(samples: Int16Array, sampleRate: number, options: SoundOptions = {}): SoundInterval[] {
  const features = frameFeatures(samples, sampleRate);
  const durationMs = Math.round((samples.length * 1000) / sampleRate);
  const out = classifySounds(features, soundFrames(features, options));
  for (const s of out) s.endMs = Math.min(s.endMs, durationMs);
  return out;
}

/** Total duration of sorted, disjoint intervals. */
export function totalMs(intervals: readonly Interval[]): number {
  let t = 0;
  for (const [s, e] of intervals) t += e - s;
  return t;
}
