// Band-limited resampling (Kaiser-windowed sinc, polyphase) for feeding the 16 kHz acoustic model. Telephone audio
// comes at 8 kHz; a linear or zero-order upsampler leaves images above 4 kHz that the model's filterbank (130-6800 Hz)
// hears as noise, so this one keeps the band clean. In TypeScript so each speech region is resampled in memory
// without a sox/ffmpeg process per region.

const KAISER_BETA = 8.6;
/** Zero crossings of the sinc on each side at the cutoff (filter length ≈ 2 × this / rho input samples). */
const ZERO_CROSSINGS = 16;
/** Cutoff as a fraction of the lower Nyquist frequency; telephone speech stops at 3.4 kHz, so 0.94 × 4 kHz loses nothing. */
const ROLLOFF = 0.94;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

interface Filter {
  /** Upsampling and downsampling factors of the rational ratio out/in = up/down. */
  up: number;
  down: number;
  /** Taps per phase; phase p's taps apply to input samples floor(t) - half + 1 ... floor(t) + half. */
  half: number;
  taps: Float32Array[] | null;
  rho: number;
}

const filters = new Map<string, Filter>();

function tap(u: number, rho: number, half: number, i0beta: number): number {
  if (Math.abs(u) >= half) return 0;
  const x = rho * u;
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  const r = u / half;
  const w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0beta;
  return rho * sinc * w;
}

function filterFor(inRate: number, outRate: number): Filter {
  const key = `${inRate}:${outRate}`;
  let f = filters.get(key);
  if (f) return f;
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  const rho = Math.min(1, outRate / inRate) * ROLLOFF;
  const half = Math.ceil(ZERO_CROSSINGS / rho);
  const i0beta = besselI0(KAISER_BETA);
  let taps: Float32Array[] | null = null;
  // A table per phase when the ratio is small enough (every common rate pair is); odd ratios compute taps on the fly.
  if (up <= 4096) {
    taps = [];
    for (let p = 0; p < up; p++) {
      const frac = p / up;
      const row = new Float32Array(2 * half);
      let sum = 0;
      for (let j = 0; j < 2 * half; j++) {
        const k = j - half + 1; // input offset from floor(t)
        row[j] = tap(frac - k, rho, half, i0beta);
        sum += row[j]!;
      }
      for (let j = 0; j < row.length; j++) row[j]! /= sum;
      taps.push(row);
    }
  }
  f = { up, down, half, taps, rho };
  filters.set(key, f);
  return f;
}

/** Resamples mono 16-bit PCM from inRate to outRate. Samples outside the input count as zero. */
export function resamplePcm(input: Int16Array, inRate: number, outRate: number): Int16Array {
  if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) throw new RangeError('sample rates must be positive integers');
  if (inRate === outRate) return input.slice();
  const f = filterFor(inRate, outRate);
  const outLen = Math.floor((input.length * f.up) / f.down);
  const out = new Int16Array(outLen);
  const n = input.length;
  const i0beta = besselI0(KAISER_BETA);
  const row = f.taps ? null : new Float32Array(2 * f.half);
  for (let o = 0; o < outLen; o++) {
    const num = o * f.down;
    const k0 = Math.floor(num / f.up);
    const phase = num - k0 * f.up;
    let taps: Float32Array;
    if (f.taps) taps = f.taps[phase]!;
    else {
      taps = row!;
      let sum = 0;
      for (let j = 0; j < taps.length; j++) {
        taps[j] = tap(phase / f.up - (j - f.half + 1), f.rho, f.half, i0beta);
        sum += taps[j]!;
      }
      for (let j = 0; j < taps.length; j++) taps[j]! /= sum;
    }
    const first = k0 - f.half + 1;
    let acc = 0;
    if (first >= 0 && first + taps.length <= n) {
      for (let j = 0; j < taps.length; j++) acc += input[first + j]! * taps[j]!;
    } else {
      for (let j = 0; j < taps.length; j++) {
        const k = first + j;
        if (k >= 0 && k < n) acc += input[k]! * taps[j]!;
      }
    }
    out[o] = acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc);
  }
  return out;
}
