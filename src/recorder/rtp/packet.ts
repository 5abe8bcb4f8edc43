// RTP header parsing (RFC 3550 §5.1): only what the recorder needs, as offsets into the datagram so the payload is
// never copied until it lands in the stream's own buffer.

export interface RtpHeader {
  marker: boolean;
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  /** Payload start and end (padding removed). */
  payloadStart: number;
  payloadEnd: number;
}

/** Parses into `out` (reused per stream: no allocation per packet); false when this is not a valid RTP packet. */
export function parseRtp(buf: Buffer, len: number, out: RtpHeader): boolean {
  if (len < 12) return false;
  const b0 = buf[0]!;
  if (b0 >> 6 !== 2) return false;
  const cc = b0 & 0x0f;
  let off = 12 + cc * 4;
  if (off > len) return false;
  if (b0 & 0x10) {
    if (off + 4 > len) return false;
    off += 4 + buf.readUInt16BE(off + 2) * 4;
    if (off > len) return false;
  }
  let end = len;
  if (b0 & 0x20) {
    const pad = buf[len - 1]!;
    if (pad === 0 || off + pad > len) return false;
    end -= pad;
  }
  const b1 = buf[1]!;
  out.marker = (b1 & 0x80) !== 0;
  out.pt = b1 & 0x7f;
  out.seq = buf.readUInt16BE(2);
  out.ts = buf.readUInt32BE(4);
  out.ssrc = buf.readUInt32BE(8);
  out.payloadStart = off;
  out.payloadEnd = end;
  return true;
}

/** RTCP (RFC 5761 demux): payload types 200–204 in the second byte's low 7 bits land in 72–76. */
export function isRtcp(buf: Buffer, len: number): boolean {
  return len >= 8 && buf[0]! >> 6 === 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

export function newHeader(): RtpHeader {
  return { marker: false, pt: 0, seq: 0, ts: 0, ssrc: 0, payloadStart: 0, payloadEnd: 0 };
}

/** Builds an RTP packet (test tools, bench). */
export function buildRtp(h: { pt: number; seq: number; ts: number; ssrc: number; marker?: boolean }, payload: Buffer, extra = 0): Buffer {
  const p = Buffer.allocUnsafe(12 + payload.length + extra);
  p[0] = 0x80;
  p[1] = (h.marker ? 0x80 : 0) | (h.pt & 0x7f);
  p.writeUInt16BE(h.seq & 0xffff, 2);
  p.writeUInt32BE(h.ts >>> 0, 4);
  p.writeUInt32BE(h.ssrc >>> 0, 8);
  payload.copy(p, 12);
  return p.subarray(0, 12 + payload.length);
}
