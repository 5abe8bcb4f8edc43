// How an RTP worker keeps a G.722/Opus packet in the spool for decoding at finalisation (src/recorder/media/coded.ts):
// a 16-byte header — arrival ms since the call opened, RTP timestamp, SSRC, sequence number, payload length — then the
// payload as received. Here, not in media/, so the worker imports nothing beyond what it runs.
export const CODED_HEADER_BYTES = 16;

export function writeCodedHeader(out: Buffer, arrivalMs: number, ts: number, ssrc: number, seq: number, len: number) {
  out.writeUInt32BE(arrivalMs >>> 0, 0);
  out.writeUInt32BE(ts >>> 0, 4);
  out.writeUInt32BE(ssrc >>> 0, 8);
  out.writeUInt16BE(seq & 0xffff, 12);
  out.writeUInt16BE(len, 14);
}
