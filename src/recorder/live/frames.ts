// The listen-in wire format (a WebSocket per listener). First a JSON text message describing the legs, then one
// binary message per 20 ms frame: byte 0 = the leg's index in `legs`, bytes 1–4 = the frame's time in ms since the
// call opened (uint32, big-endian), then the G.711 µ-law payload (160 bytes at 8 kHz). The browser decodes it in an
// AudioWorklet (web/src/screens/live/listen/). Kept this small so 50 frames/s per leg cost nothing to relay.
export const FRAME_HEADER_BYTES = 5;

export interface ListenHello {
  type: 'hello';
  callId: string;
  codec: 'pcmu';
  sampleRate: 8000;
  legs: { label: string; participant: string | null; role: 'agent' | 'customer' | 'unknown' }[];
}

export interface ListenEnd {
  type: 'end';
  reason: 'ended' | 'closed';
}

export function encodeFrame(leg: number, ts: number, pcmu: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + pcmu.length);
  out[0] = leg & 0xff;
  out.writeUInt32BE(Math.max(0, Math.floor(ts)) >>> 0, 1);
  out.set(pcmu, FRAME_HEADER_BYTES);
  return out;
}

export function decodeFrame(buf: Uint8Array): { leg: number; ts: number; pcmu: Uint8Array } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { leg: buf[0]!, ts: view.getUint32(1), pcmu: buf.subarray(FRAME_HEADER_BYTES) };
}
