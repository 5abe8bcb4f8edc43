// G.722 and Opus legs (issue 13): the RTP worker keeps each packet as received (with its arrival time, RTP timestamp,
// SSRC and sequence number) and never decodes in the receive loop; at finalisation the packets are put back in
// sequence order, placed on the call's time axis by their RTP timestamps (anchored on the wall clock like the G.711
// timeline, so every leg lines up), and decoded by ffmpeg — already a required dependency, with well-kept G.722 and
// Opus decoders — into a 16 kHz 16-bit WAV. Opus packets go to ffmpeg in an Ogg stream written here (RFC 7845, one
// packet per page, pre-skip 0 so decoded samples map to packets one to one).
import { once } from 'node:events';
import { findFfmpeg } from '../../media/ffmpeg.ts';
import { spawnTied } from '../../platform/process/tied.ts';
import { CODED_HEADER_BYTES } from '../rtp/coded-record.ts';

export type CodedCodec = 'g722' | 'opus';
export const CODED_CODECS: ReadonlySet<string> = new Set(['g722', 'opus']);
/** Output rate of a decoded leg: G.722 is 16 kHz; Opus is decoded at 48 kHz and resampled to 16 kHz. */
export const CODED_RATE = 16_000;

/** The RTP clock of the codec's timestamps (RFC 3551 §4.5.2: G.722 counts 8 kHz although it samples at 16 kHz). */
const CLOCK: Record<CodedCodec, number> = { g722: 8000, opus: 48_000 };
const MAX_DRIFT_MS = 2000;

export interface CodedPacket {
  arrivalMs: number;
  ts: number;
  ssrc: number;
  seq: number;
  payload: Buffer;
}

/** Splits the spool's plaintext into packets; a torn last record (a crash mid-write) is left out. */
export function parseCodedRecords(plain: Buffer): CodedPacket[] {
  const out: CodedPacket[] = [];
  for (let o = 0; o + CODED_HEADER_BYTES <= plain.length;) {
    const len = plain.readUInt16BE(o + 14);
    if (o + CODED_HEADER_BYTES + len > plain.length) break;
    out.push({
      arrivalMs: plain.readUInt32BE(o),
      ts: plain.readUInt32BE(o + 4),
      ssrc: plain.readUInt32BE(o + 8),
      seq: plain.readUInt16BE(o + 12),
      payload: plain.subarray(o + CODED_HEADER_BYTES, o + CODED_HEADER_BYTES + len),
    });
    o += CODED_HEADER_BYTES + len;
  }
  return out;
}

/** Samples (48 kHz) in one Opus packet, from its TOC byte (RFC 6716 §3.1); 0 when malformed. */
export function opusSamples48(p: Buffer): number {
  if (p.length < 1) return 0;
  const config = p[0]! >> 3;
  // SILK (0–11): 10/20/40/60 ms; hybrid (12–15): 10/20 ms; CELT (16–31): 2.5/5/10/20 ms.
  const frame = config < 12 ? [480, 960, 1920, 2880][config & 3]! : config < 16 ? [480, 960][config & 1]! : [120, 240, 480, 960][config & 3]!;
  const code = p[0]! & 3;
  const frames = code === 0 ? 1 : code === 1 || code === 2 ? 2 : p.length >= 2 ? p[1]! & 0x3f : 0;
  return Math.min(frames * frame, 5760);
}

/** Decoded samples at CODED_RATE that one packet yields. */
export function packetSamples(codec: CodedCodec, payload: Buffer): number {
  return codec === 'g722' ? payload.length * 2 : opusSamples48(payload) / 3;
}

export interface CodedPlan {
  codec: CodedCodec;
  /** Packets in playout order (per source, by sequence number; duplicates removed). */
  packets: CodedPacket[];
  /** Position (samples at CODED_RATE from the call's start) and decoded length of each packet. */
  pos: number[];
  len: number[];
  /** Output length in samples. */
  total: number;
}

/**
 * Orders, de-duplicates and places the packets: a source (SSRC, or a sequence jump no reordering explains) is anchored
 * at its first packet's arrival, later packets by RTP timestamp; a timestamp that strays more than 2 s from the wall
 * clock (a pause the SRC's clock did not run through) anchors again.
 */
export function planCoded(codec: CodedCodec, records: CodedPacket[]): CodedPlan {
  const perMs = CODED_RATE / 1000;
  const scale = CODED_RATE / CLOCK[codec];
  // Runs of one source in arrival order.
  const runs: { first: CodedPacket; items: { p: CodedPacket; ext: number; extTs: number }[] }[] = [];
  let cur: (typeof runs)[number] | null = null;
  let maxSeq = 0;
  let refTs = 0;
  let refExtTs = 0;
  for (const p of records) {
    let d = cur ? (p.seq - (maxSeq & 0xffff)) & 0xffff : 0;
    if (d >= 0x8000) d -= 0x10000;
    if (!cur || p.ssrc !== cur.first.ssrc || d > 3000 || d < -3000) {
      cur = { first: p, items: [] };
      runs.push(cur);
      maxSeq = 0x10000 + p.seq;
      refTs = p.ts;
      refExtTs = 0;
      d = 0;
    }
    const ext = maxSeq + d;
    const extTs = refExtTs + ((p.ts - refTs) | 0);
    if (d > 0) {
      maxSeq = ext;
      refTs = p.ts;
      refExtTs = extTs;
    }
    cur.items.push({ p, ext, extTs });
  }
  const plan: CodedPlan = { codec, packets: [], pos: [], len: [], total: 0 };
  let end = 0;
  for (const run of runs) {
    const seen = new Set<number>();
    const items = run.items.filter((x) => (seen.has(x.ext) ? false : (seen.add(x.ext), true))).sort((a, b) => a.ext - b.ext);
    const first = run.items[0]!;
    let anchorPos = Math.max(end, Math.round(first.p.arrivalMs * perMs));
    let anchorTs = first.extTs;
    for (const x of items) {
      const wall = Math.round(x.p.arrivalMs * perMs);
      let pos = anchorPos + Math.round((x.extTs - anchorTs) * scale);
      if (Math.abs(pos - wall) > MAX_DRIFT_MS * perMs) {
        anchorPos = Math.max(end, wall);
        anchorTs = x.extTs;
        pos = anchorPos;
      }
      pos = Math.max(0, pos);
      const n = packetSamples(codec, x.p.payload);
      plan.packets.push(x.p);
      plan.pos.push(pos);
      plan.len.push(n);
      end = Math.max(end, pos + n);
    }
  }
  plan.total = end;
  return plan;
}

// ——— Ogg (RFC 3533) for Opus (RFC 7845) ———

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function oggPage(packet: Buffer, flags: number, granule: bigint, serial: number, seq: number): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const head = Buffer.alloc(27 + lacing.length);
  head.write('OggS', 0, 'latin1');
  head[5] = flags;
  head.writeBigInt64LE(granule, 6);
  head.writeUInt32LE(serial, 14);
  head.writeUInt32LE(seq, 18);
  head[26] = lacing.length;
  for (let i = 0; i < lacing.length; i++) head[27 + i] = lacing[i]!;
  const page = Buffer.concat([head, packet]);
  let crc = 0;
  for (const b of page) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  page.writeUInt32LE(crc, 22);
  return page;
}

/** An Ogg Opus stream of the packets (mono, pre-skip 0), page by page. */
export function* oggOpus(packets: Buffer[]): Generator<Buffer> {
  const serial = 0x45415253;
  const opusHead = Buffer.alloc(19);
  opusHead.write('OpusHead', 0, 'latin1');
  opusHead[8] = 1; // version
  opusHead[9] = 1; // channels: a recorded leg is mono; stereo packets are downmixed by the decoder
  opusHead.writeUInt16LE(0, 10); // pre-skip
  opusHead.writeUInt32LE(48_000, 12);
  const tags = Buffer.alloc(8 + 4 + 7 + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(7, 8);
  tags.write('earshot', 12, 'latin1');
  tags.writeUInt32LE(0, 19);
  let seq = 0;
  yield oggPage(opusHead, 0x02, 0n, serial, seq++);
  yield oggPage(tags, 0, 0n, serial, seq++);
  let granule = 0n;
  for (let i = 0; i < packets.length; i++) {
    granule += BigInt(opusSamples48(packets[i]!));
    yield oggPage(packets[i]!, i === packets.length - 1 ? 0x04 : 0, granule, serial, seq++);
  }
}

/**
 * The placed leg as 16-bit little-endian PCM at CODED_RATE, streamed: ffmpeg decodes the packets in playout order,
 * each packet's samples are written at its position (silence between, overlap dropped). Rejects when ffmpeg is
 * missing or fails.
 */
export async function* decodeCoded(plan: CodedPlan): AsyncGenerator<Buffer> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg is needed to decode G.722 and Opus recordings and is not installed');
  const input = plan.codec === 'g722' ? ['-f', 'g722'] : ['-f', 'ogg'];
  const child = spawnTied(
    ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', ...input, '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', String(CODED_RATE), 'pipe:1'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = once(child, 'close') as Promise<[number | null]>;
  // Feed stdin on its own, so a full stdout pipe never deadlocks the two.
  const feeding = (async () => {
    const parts = plan.codec === 'g722' ? plan.packets.map((p) => p.payload) : oggOpus(plan.packets.map((p) => p.payload));
    for (const part of parts) if (!child.stdin!.write(part)) await once(child.stdin!, 'drain');
    child.stdin!.end();
  })().catch(() => child.stdin!.destroy());
  const CHUNK = 32 * 1024;
  let out = Buffer.alloc(CHUNK);
  let outLen = 0;
  let written = 0; // samples emitted
  const flush = function* () {
    if (outLen) yield Buffer.from(out.subarray(0, outLen));
    out = Buffer.alloc(CHUNK);
    outLen = 0;
  };
  const put = function* (src: Buffer, from: number, to: number) {
    while (from < to) {
      const n = Math.min(to - from, CHUNK - outLen);
      src.copy(out, outLen, from, from + n);
      outLen += n;
      from += n;
      if (outLen === CHUNK) yield* flush();
    }
  };
  const zeros = Buffer.alloc(CHUNK);
  const silence = function* (samples: number) {
    let bytes = samples * 2;
    while (bytes > 0) {
      const n = Math.min(bytes, CHUNK);
      yield* put(zeros, 0, n);
      bytes -= n;
    }
  };
  let carry = Buffer.alloc(0);
  let i = 0;
  let need = plan.len[0] ?? 0;
  let took = 0; // samples of packet i consumed so far
  const place = function* (buf: Buffer) {
    let off = 0;
    while (i < plan.packets.length && off < buf.length) {
      const n = Math.min((need - took) * 2, buf.length - off);
      // Sample `took` of packet i lands at plan.pos[i] + took; what falls before `written` (overlap) is dropped.
      const at = plan.pos[i]! + took;
      const skip = Math.max(0, Math.min(n / 2, written - at));
      if (at + skip > written) {
        yield* silence(at + skip - written);
        written = at + skip;
      }
      yield* put(buf, off + skip * 2, off + n);
      written += n / 2 - skip;
      off += n;
      took += n / 2;
      if (took >= need) {
        i++;
        need = plan.len[i] ?? 0;
        took = 0;
      }
    }
  };
  for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
    let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const even = data.length - (data.length % 2);
    carry = Buffer.from(data.subarray(even));
    data = data.subarray(0, even);
    yield* place(data);
  }
  await feeding;
  const [code] = await exited;
  if (code !== 0) throw new Error(`ffmpeg could not decode the ${plan.codec === 'g722' ? 'G.722' : 'Opus'} leg: ${stderr.trim() || `exit ${code}`}`);
  // Packets the decoder yielded fewer samples for than their headers say (a damaged one): silence to the end.
  if (written < plan.total) yield* silence(plan.total - written);
  yield* flush();
}
