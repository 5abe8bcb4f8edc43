// G.711 mu-law and A-law <-> 16-bit linear PCM, table-driven (ITU-T G.711; the classic Sun reference
// implementation's bit layout). Decoding is one 256-entry lookup per byte; encoding is one lookup per sample in a
// 64 KiB table built on first use.

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** Encodes one 16-bit sample to a mu-law byte (reference algorithm; the table below is built from it). */
export function mulawEncodeSample(sample: number): number {
  let s = sample | 0;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > MULAW_CLIP) s = MULAW_CLIP;
  s += MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one mu-law byte to a 16-bit sample. */
export function mulawDecodeSample(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
  return (u & 0x80 ? -magnitude : magnitude) | 0;
}

const ALAW_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** Encodes one 16-bit sample to an A-law byte (reference algorithm). */
export function alawEncodeSample(sample: number): number {
  let pcm = (sample | 0) >> 3; // 13-bit
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  let seg = 0;
  while (seg < 8 && pcm > ALAW_SEG_END[seg]!) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f;
  return aval ^ mask;
}

/** Decodes one A-law byte to a 16-bit sample. */
export function alawDecodeSample(code: number): number {
  const a = (code & 0xff) ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function decodeTable(decode: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

/** mu-law byte -> 16-bit sample. */
export const MULAW_TO_PCM16: Int16Array = decodeTable(mulawDecodeSample);
/** A-law byte -> 16-bit sample. */
export const ALAW_TO_PCM16: Int16Array = decodeTable(alawDecodeSample);

let mulawEncodeTable: Uint8Array | undefined;
let alawEncodeTable: Uint8Array | undefined;

function encodeTable(encode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = encode(i - 32768);
  return table;
}

function decodeWith(table: Int16Array, src: Uint8Array, dst?: Int16Array): Int16Array {
  const n = src.length;
  const out = dst ?? new Int16Array(n);
  if (out.length < n) throw new RangeError(`destination holds ${out.length} samples; ${n} needed`);
  for (let i = 0; i < n; i++) out[i] = table[src[i]!]!;
  return out;
}

function encodeWith(table: Uint8Array, src: Int16Array, dst?: Uint8Array): Uint8Array {
  const n = src.length;
  const out = dst ?? new Uint8Array(n);
  if (out.length < n) throw new RangeError(`destination holds ${out.length} bytes; ${n} needed`);
  for (let i = 0; i < n; i++) out[i] = table[src[i]! + 32768]!;
  return out;
}

/** Decodes mu-law bytes to 16-bit PCM (into `dst` when given). */
export function mulawToPcm16(src: Uint8Array, dst?: Int16Array): Int16Array {
  return decodeWith(MULAW_TO_PCM16, src, dst);
}

/** Decodes A-law bytes to 16-bit PCM (into `dst` when given). */
export function alawToPcm16(src: Uint8Array, dst?: Int16Array): Int16Array {
  return decodeWith(ALAW_TO_PCM16, src, dst);
}

/** Encodes 16-bit PCM to mu-law bytes (into `dst` when given). */
export function pcm16ToMulaw(src: Int16Array, dst?: Uint8Array): Uint8Array {
  mulawEncodeTable ??= encodeTable(mulawEncodeSample);
  return encodeWith(mulawEncodeTable, src, dst);
}

/** Encodes 16-bit PCM to A-law bytes (into `dst` when given). */
export function pcm16ToAlaw(src: Int16Array, dst?: Uint8Array): Uint8Array {
  alawEncodeTable ??= encodeTable(alawEncodeSample);
  return encodeWith(alawEncodeTable, src, dst);
}
