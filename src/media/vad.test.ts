import { describe, expect, it } from 'vitest';
import { analyzeVoice, detectSounds, detectSpeech, frameFeatures, noiseFloor, runningMin, totalMs, type Interval } from './vad.ts';
import { seededRandom, synthSpeechLike } from './wav-write.ts';

const SR = 8000;
const dbfsToRms = (db: number) => 32768 * 10 ** (db / 20);

function gaussian(rnd: () => number): number {
  let u = 0;
  for (let i = 0; i < 12; i++) u += rnd();
  return u - 6;
}

type NoiseKind = 'white' | 'telephone' | 'pink';

/** Noise at an RMS level: white, telephone-band (about 300-3400 Hz) or pink (comfort noise is usually pinkish). */
function noise(n: number, db: number, kind: NoiseKind, seed = 11): Float64Array {
  const rnd = seededRandom(seed);
  const out = new Float64Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let lp = 0;
  let hp = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const w = gaussian(rnd);
    if (kind === 'pink') {
      // Paul Kellet's economy pink filter.
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else if (kind === 'telephone') {
      lp += 0.75 * (w - lp);
      hp = 0.8 * (hp + lp - prev);
      prev = lp;
      out[i] = hp;
    } else {
      out[i] = w;
    }
  }
  let e = 0;
  for (let i = 0; i < n; i++) e += out[i]! * out[i]!;
  const g = dbfsToRms(db) / Math.sqrt(e / n || 1);
  for (let i = 0; i < n; i++) out[i]! *= g;
  return out;
}

function add(a: Int16Array, b: ArrayLike<number>, gain = 1): Int16Array {
  const out = new Int16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = Math.round(a[i]! * gain + (b[i] ?? 0));
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Low line noise like the generator's own (about -66 dBFS), so "silence" is not digital zero. */
function lineNoise(ms: number, seed = 3): Int16Array {
  const rnd = seededRandom(seed);
  return Int16Array.from({ length: (ms * SR) / 1000 }, () => Math.round((rnd() - 0.5) * 32));
}

function tone(ms: number, freqs: number[], db: number): Int16Array {
  const a = (dbfsToRms(db) * Math.SQRT2) / freqs.length;
  return Int16Array.from({ length: (ms * SR) / 1000 }, (_, i) => Math.round(freqs.reduce((v, f) => v + a * Math.sin((2 * Math.PI * f * i) / SR), 0)));
}

/** Hold music as the corpus describes it: a C-Am-F-G arpeggio (plucked notes, 250 ms) over a sustained sine pad. */
function holdMusic(ms: number, seed = 1): Int16Array {
  const chords = [
    [261.63, 329.63, 392.0],
    [220.0, 261.63, 329.63],
    [174.61, 220.0, 261.63],
    [196.0, 246.94, 293.66],
  ];
  const rnd = seededRandom(seed);
  const n = (ms * SR) / 1000;
  const out = new Int16Array(n);
  const note = SR / 4;
  for (let i = 0; i < n; i++) {
    const chord = chords[Math.floor(i / (SR * 2)) % 4]!;
    const k = Math.floor(i / note);
    const f = chord[k % 3]! * (k % 6 < 3 ? 2 : 4);
    const t = (i % note) / SR;
    const pluck = 2500 * Math.exp(-t / 0.2) * Math.sin(2 * Math.PI * f * t);
    const pad = chord.reduce((v, c) => v + 900 * Math.sin((2 * Math.PI * c * i) / SR), 0);
    out[i] = Math.round(pluck + pad + (rnd() - 0.5) * 32);
  }
  return out;
}

/**
 * Reference speech intervals of a clean synthetic signal: frames whose level is above -50 dBFS (the generator's
 * line noise is at -66 dBFS, its syllables at -30 to -10 dBFS), pauses up to 400 ms bridged.
 */
function oracle(clean: Int16Array): Interval[] {
  const frame = SR / 100;
  const frames = Math.floor(clean.length / frame);
  const on: boolean[] = [];
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) e += clean[i]! * clean[i]!;
    on.push(10 * Math.log10(e / frame / 32768 ** 2 + 1e-12) > -50);
  }
  const out: Interval[] = [];
  for (let f = 0; f < frames; f++) {
    if (!on[f]) continue;
    const last = out[out.length - 1];
    if (last && f * 10 - last[1] <= 400) last[1] = (f + 1) * 10;
    else out.push([f * 10, (f + 1) * 10]);
  }
  return out;
}

/** Fraction of 10 ms frames on which two interval lists agree (speech or not). */
function agreement(a: Interval[], b: Interval[], durationMs: number): number {
  const mask = (ivs: Interval[]) => {
    const m = new Uint8Array(Math.ceil(durationMs / 10));
    for (const [s, e] of ivs) m.fill(1, Math.floor(s / 10), Math.ceil(e / 10));
    return m;
  };
  const A = mask(a);
  const B = mask(b);
  let same = 0;
  for (let i = 0; i < A.length; i++) if (A[i] === B[i]) same++;
  return same / A.length;
}

describe('frameFeatures', () => {
  it('measures level, tonality and zero-crossing rate per 10 ms frame', () => {
    const sine = tone(1000, [1000], -12);
    const f = frameFeatures(sine, SR);
    expect(f.count).toBe(100);
    expect(f.frameLength).toBe(80);
    expect(f.frameMs).toBe(10);
    // A -12 dBFS (RMS) 1 kHz sine; the one-pole 200 Hz high-pass lifts 1 kHz by 0.5 dB. Skip the first frames
    // (filter settling).
    for (let i = 5; i < 100; i++) {
      expect(f.levelDb[i]).toBeCloseTo(-11.5, 0);
      expect(f.zcr[i]).toBeCloseTo(0.25, 1); // 2000 crossings a second
      expect(f.gainDb[i]).toBeGreaterThan(25); // a sinusoid is predictable
    }
    const white = frameFeatures(Int16Array.from(noise(SR, -40, 'white')), SR);
    for (let i = 5; i < 100; i++) {
      expect(white.levelDb[i]).toBeGreaterThan(-43);
      expect(white.levelDb[i]).toBeLessThan(-37);
      expect(white.gainDb[i]).toBeLessThan(3); // white noise is not
    }
  });

  it('ignores a DC offset and counts a trailing half frame', () => {
    const withDc = frameFeatures(add(tone(1000, [1000], -20), new Float64Array(SR).fill(5000)), SR);
    expect(withDc.levelDb[50]).toBeCloseTo(-19.5, 0);
    expect(frameFeatures(new Int16Array(80 * 3 + 40), SR).count).toBe(4);
    expect(frameFeatures(new Int16Array(80 * 3 + 39), SR).count).toBe(3);
    expect(frameFeatures(new Int16Array(0), SR).count).toBe(0);
    expect(frameFeatures(new Int16Array(160), SR).levelDb[0]).toBe(-120); // digital silence
  });

  it('uses the exact frame duration at sample rates where 10 ms is not a whole number of samples', () => {
    const f = frameFeatures(new Int16Array(11025), 11025);
    expect(f.frameLength).toBe(110);
    expect(f.frameMs).toBeCloseTo(9.977, 3);
  });
});

describe('runningMin and noiseFloor', () => {
  const rnd = seededRandom(5);
  const v = Float32Array.from({ length: 500 }, () => Math.round(rnd() * 100));
  const brute = (i: number, before: number, after: number) => Math.min(...v.slice(Math.max(0, i - before), Math.min(v.length, i + after + 1)));

  it('is the minimum over the window around each frame', () => {
    for (const [b, a] of [
      [0, 0],
      [3, 3],
      [10, 0],
      [0, 7],
      [600, 600],
    ] as const) {
      const m = runningMin(v, b, a);
      for (let i = 0; i < v.length; i++) expect(m[i]).toBe(brute(i, b, a));
    }
  });

  it('takes the larger of the minima before and after, so a step up in the noise is followed at once', () => {
    const levels = Float32Array.from({ length: 1000 }, (_, i) => (i < 500 ? -70 : -45));
    const floor = noiseFloor(levels, 300);
    expect(floor[499]).toBe(-70);
    expect(floor[500]).toBe(-45); // a centred minimum would still say -70 here
    const m = noiseFloor(v, 20);
    for (let i = 0; i < v.length; i++) expect(m[i]).toBe(Math.max(brute(i, 20, 0), brute(i, 0, 20)));
  });
});

describe('detectSpeech', () => {
  const durationMs = 60_000;
  const clean = synthSpeechLike(durationMs, SR, 3);
  const truth = oracle(clean);

  it('finds the speech of a clean signal', () => {
    const speech = detectSpeech(clean, SR);
    expect(agreement(speech, truth, durationMs)).toBeGreaterThan(0.97);
    expect(Math.abs(totalMs(speech) - totalMs(truth)) / totalMs(truth)).toBeLessThan(0.05);
    // Sorted, disjoint, inside the signal.
    for (let i = 0; i < speech.length; i++) {
      expect(speech[i]![1]).toBeGreaterThan(speech[i]![0]);
      if (i) expect(speech[i]![0]).toBeGreaterThan(speech[i - 1]![1]);
    }
    expect(speech[speech.length - 1]![1]).toBeLessThanOrEqual(durationMs);
  });

  it('places speech boundaries within 50 ms', () => {
    const x = concat(lineNoise(2000), tone(1000, [180, 360, 540, 720], -20), lineNoise(3000), tone(800, [210, 420, 630], -25), lineNoise(2000));
    // Harmonic "vowels": steady, but shorter than a sound window (1.5 s), so speech.
    const speech = detectSpeech(x, SR);
    expect(speech).toHaveLength(2);
    expect(Math.abs(speech[0]![0] - 2000)).toBeLessThanOrEqual(50);
    expect(Math.abs(speech[0]![1] - 3000)).toBeLessThanOrEqual(50);
    expect(Math.abs(speech[1]![0] - 6000)).toBeLessThanOrEqual(50);
    expect(Math.abs(speech[1]![1] - 6800)).toBeLessThanOrEqual(50);
  });

  for (const kind of ['white', 'telephone', 'pink'] as const) {
    it(`is robust to ${kind} line noise at 20 dB below the speech`, () => {
      const noisy = add(clean, noise(clean.length, -45, kind));
      const speech = detectSpeech(noisy, SR);
      expect(agreement(speech, truth, durationMs)).toBeGreaterThan(0.95);
      expect(Math.abs(totalMs(speech) - totalMs(truth)) / totalMs(truth)).toBeLessThan(0.05);
    });

    it(`finds no speech in ${kind} noise alone`, () => {
      const n = Int16Array.from(noise(SR * 20, -40, kind));
      expect(detectSpeech(n, SR)).toEqual([]);
    });
  }

  it('is robust to comfort noise that switches on and off in the pauses (DTX)', () => {
    // Telephone-band line noise at -55 dBFS under everything; in the pauses (4 s of every 7 s) comfort noise
    // replaces it: pink, 4 dB louder (a comfort noise generator only roughly matches the real background).
    const line = noise(clean.length, -55, 'telephone', 20);
    const cn = noise(clean.length, -51, 'pink', 21);
    const speechFrames = new Uint8Array(durationMs / 10);
    for (const [s, e] of truth) speechFrames.fill(1, s / 10, e / 10);
    const mixed = clean.map((v, i) => {
      const cnOn = !speechFrames[Math.floor(i / 80)] && i % (SR * 7) < SR * 4;
      return Math.max(-32768, Math.min(32767, Math.round(v + (cnOn ? cn[i]! : line[i]!))));
    });
    const speech = detectSpeech(mixed, SR);
    expect(agreement(speech, truth, durationMs)).toBeGreaterThan(0.96);
    expect(Math.abs(totalMs(speech) - totalMs(truth)) / totalMs(truth)).toBeLessThan(0.05);
  });

  it('is robust to mains hum and to rumble', () => {
    const hum = Float64Array.from(
      { length: clean.length },
      (_, i) => dbfsToRms(-40) * (Math.sin((2 * Math.PI * 50 * i) / SR) + 0.5 * Math.sin((2 * Math.PI * 150 * i) / SR)),
    );
    expect(agreement(detectSpeech(add(clean, hum), SR), truth, durationMs)).toBeGreaterThan(0.97);
    // Rumble: strongly low-passed noise (1/f^2), whose level jumps like syllables without the high-pass.
    const rnd = seededRandom(8);
    let lp = 0;
    const rumble = Float64Array.from({ length: clean.length }, () => (lp = 0.98 * lp + gaussian(rnd) * 60));
    expect(agreement(detectSpeech(add(clean, rumble), SR), truth, durationMs)).toBeGreaterThan(0.97);
    expect(detectSpeech(Int16Array.from(rumble), SR)).toEqual([]);
  });

  it('does not depend on the speech level', () => {
    const quiet = add(clean, [], 0.1); // 20 dB down: syllables at -50 to -30 dBFS
    expect(agreement(detectSpeech(quiet, SR), truth, durationMs)).toBeGreaterThan(0.95);
  });

  it('finds nothing in digital silence, near-silence or an empty stream', () => {
    expect(detectSpeech(new Int16Array(SR * 5), SR)).toEqual([]);
    expect(detectSpeech(lineNoise(5000), SR)).toEqual([]);
    expect(detectSpeech(new Int16Array(0), SR)).toEqual([]);
  });

  it('drops clicks and short blips', () => {
    const x = lineNoise(6000);
    for (const at of [1000, 2500, 4000]) for (let i = 0; i < 40; i++) x[at * 8 + i] = i % 2 ? 20000 : -20000; // 5 ms clicks
    x.set(tone(60, [300, 600], -20), 5000 * 8); // a 60 ms blip
    expect(detectSpeech(x, SR)).toEqual([]);
  });

  it('works at 16 kHz', () => {
    const wide = synthSpeechLike(20_000, 16000, 4);
    const narrow = synthSpeechLike(20_000, 8000, 4);
    const a = detectSpeech(wide, 16000);
    const b = detectSpeech(narrow, SR);
    expect(Math.abs(totalMs(a) - totalMs(b)) / totalMs(b)).toBeLessThan(0.05);
  });
});

describe('music and tone detection', () => {
  it('finds a dual tone (ringback) as a tone', () => {
    const x = concat(lineNoise(2000), tone(3000, [440, 480], -18), lineNoise(2000));
    const v = analyzeVoice(x, SR);
    expect(v.sounds).toHaveLength(1);
    expect(v.sounds[0]!.kind).toBe('tone');
    expect(Math.abs(v.sounds[0]!.startMs - 2000)).toBeLessThanOrEqual(50);
    expect(Math.abs(v.sounds[0]!.endMs - 5000)).toBeLessThanOrEqual(50);
    expect(v.speech).toEqual([]); // a tone is not talk
  });

  it('finds hold music as music, and takes it out of the speech around it', () => {
    const speech1 = synthSpeechLike(6000, SR, 5);
    const speech2 = synthSpeechLike(6000, SR, 6);
    const x = concat(speech1, lineNoise(500), holdMusic(12_000), lineNoise(500), speech2);
    const v = analyzeVoice(x, SR);
    expect(v.sounds).toHaveLength(1);
    expect(v.sounds[0]!.kind).toBe('music');
    expect(Math.abs(v.sounds[0]!.startMs - 6500)).toBeLessThanOrEqual(100);
    expect(Math.abs(v.sounds[0]!.endMs - 18_500)).toBeLessThanOrEqual(100);
    const inMusic = v.speech.filter(([s, e]) => e > 6600 && s < 18_400);
    expect(inMusic).toEqual([]);
    const expected = totalMs(detectSpeech(speech1, SR)) + totalMs(detectSpeech(speech2, SR));
    expect(Math.abs(totalMs(v.speech) - expected) / expected).toBeLessThan(0.05);
  });

  it('still finds music under line noise', () => {
    const x = concat(lineNoise(1000), holdMusic(10_000, 2), lineNoise(1000));
    const noisy = add(x, noise(x.length, -50, 'telephone'));
    const sounds = detectSounds(noisy, SR);
    expect(sounds.map((s) => s.kind)).toEqual(['music']);
    expect(sounds[0]!.endMs - sounds[0]!.startMs).toBeGreaterThan(9500);
  });

  it('finds no music or tone in speech, noise or silence', () => {
    expect(detectSounds(synthSpeechLike(60_000, SR, 7), SR)).toEqual([]);
    expect(detectSounds(Int16Array.from(noise(SR * 20, -30, 'pink')), SR)).toEqual([]);
    expect(detectSounds(Int16Array.from(noise(SR * 20, -30, 'white')), SR)).toEqual([]);
    expect(detectSounds(lineNoise(20_000), SR)).toEqual([]);
  });

  it('ignores a steady hum that is there all the time (it is the noise floor, not a sound)', () => {
    const clean = synthSpeechLike(30_000, SR, 9);
    const hum = Float64Array.from({ length: clean.length }, (_, i) => dbfsToRms(-45) * Math.sin((2 * Math.PI * 450 * i) / SR));
    expect(detectSounds(add(clean, hum), SR)).toEqual([]);
  });

  it('reports nothing shorter than the 1.5 s window', () => {
    expect(detectSounds(concat(lineNoise(2000), tone(1200, [440, 480], -18), lineNoise(2000)), SR)).toEqual([]);
  });

  it('can be turned off', () => {
    const x = concat(lineNoise(2000), tone(3000, [440, 480], -18), lineNoise(2000));
    const v = analyzeVoice(x, SR, { detectSounds: false });
    expect(v.sounds).toEqual([]);
    expect(v.speech).toHaveLength(1); // without sound detection a tone is just activity
  });
});
