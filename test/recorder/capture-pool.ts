// A media pool for the signalling tests: one real UDP socket per accepted stream (G.711 only; anything else is
// rejected per stream with a reason, as the real pool does for codecs it cannot take), packets counted per m-line and
// dropped while paused. It lets SIPp's RTP land on the ports the SDP answer names and lets the tests check that, without
// the RTP workers, storage and ingest (the media pool's own tests cover those).
import dgram from 'node:dgram';
import type { CloseReason, CloseResult, FrameListener, MediaPool } from '../../src/recorder/media/pool.ts';
import type { SiprecMetadata, StreamAnswer, StreamOffer, StreamQuality } from '../../src/recorder/model.ts';

interface CapStream {
  label: string;
  index: number;
  socket: dgram.Socket | null;
  answer: StreamAnswer;
  packets: number;
  droppedWhilePaused: number;
  payloadTypes: Set<number>;
}

export interface CapCall {
  tenantId: string;
  streams: Map<number, CapStream>;
  meta: SiprecMetadata;
  paused: boolean;
  pausedBy: Set<'api' | 'sip'>;
  updates: number;
  closed: CloseReason | null;
}

export class CapturePool implements MediaPool {
  readonly calls = new Map<string, CapCall>();
  /** Delays openCall (CANCEL-before-answer tests). */
  openDelayMs = 0;

  constructor(private readonly address = '127.0.0.1') {}

  private async bindStream(call: CapCall, offer: StreamOffer): Promise<CapStream> {
    const codec = offer.codecs.find((c) => c.name === 'pcmu' || c.name === 'pcma') ?? null;
    const extra = offer.codecs.filter((c) => c.name === 'telephone-event' || c.name === 'cn');
    if (!codec || offer.crypto.length > 0) {
      const why = !codec ? `unsupported codec ${offer.codecs.map((c) => c.name).join('/') || 'none'}` : 'SRTP not handled by the capture pool';
      return {
        label: offer.label,
        index: offer.index,
        socket: null,
        packets: 0,
        droppedWhilePaused: 0,
        payloadTypes: new Set(),
        answer: {
          label: offer.label,
          index: offer.index,
          port: 0,
          address: this.address,
          codec: null,
          extraCodecs: [],
          crypto: null,
          reason: why,
          storedRaw: false,
        },
      };
    }
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, this.address, () => r()));
    const s: CapStream = {
      label: offer.label,
      index: offer.index,
      socket,
      packets: 0,
      droppedWhilePaused: 0,
      payloadTypes: new Set(),
      answer: {
        label: offer.label,
        index: offer.index,
        port: socket.address().port,
        address: this.address,
        codec,
        extraCodecs: extra,
        crypto: null,
        reason: null,
        storedRaw: false,
      },
    };
    socket.on('message', (m) => {
      if (m.length < 12) return;
      if (call.paused) s.droppedWhilePaused++;
      else {
        s.packets++;
        s.payloadTypes.add(m[1]! & 0x7f);
      }
    });
    return s;
  }

  async openCall(callId: string, tenantId: string, streams: StreamOffer[], meta: SiprecMetadata): Promise<StreamAnswer[]> {
    if (this.openDelayMs) await new Promise((r) => setTimeout(r, this.openDelayMs));
    const call: CapCall = { tenantId, streams: new Map(), meta, paused: false, pausedBy: new Set(), updates: 0, closed: null };
    this.calls.set(callId, call);
    for (const o of streams) call.streams.set(o.index, await this.bindStream(call, o));
    call.paused = streams.length > 0 && streams.every((s) => s.direction === 'inactive');
    return [...call.streams.values()].map((s) => s.answer);
  }

  async updateCall(callId: string, streams: StreamOffer[], meta?: SiprecMetadata): Promise<StreamAnswer[]> {
    const call = this.calls.get(callId);
    if (!call) throw new Error('unknown call');
    call.updates++;
    if (meta) call.meta = meta;
    for (const o of streams) {
      const cur = call.streams.get(o.index);
      const codec = o.codecs.find((c) => c.name === 'pcmu' || c.name === 'pcma') ?? null;
      if (cur && cur.socket && codec) cur.answer = { ...cur.answer, label: o.label, codec };
      else {
        cur?.socket?.close();
        call.streams.set(o.index, await this.bindStream(call, o));
      }
    }
    for (const [i, s] of call.streams) {
      if (streams.some((o) => o.index === i)) continue;
      s.socket?.close();
      call.streams.delete(i);
    }
    if (streams.every((s) => s.direction === 'inactive')) call.pausedBy.add('sip');
    else call.pausedBy.delete('sip');
    call.paused = call.pausedBy.size > 0;
    return [...call.streams.values()].sort((a, b) => a.index - b.index).map((s) => s.answer);
  }

  async setPaused(callId: string, paused: boolean, by: 'api' | 'sip') {
    const call = this.calls.get(callId);
    if (!call) return;
    if (paused) call.pausedBy.add(by);
    else call.pausedBy.delete(by);
    call.paused = call.pausedBy.size > 0;
  }

  stats(callId: string): StreamQuality[] {
    const call = this.calls.get(callId);
    if (!call) return [];
    return [...call.streams.values()].map((s) => ({
      label: s.label,
      packetsExpected: s.packets,
      packetsReceived: s.packets,
      packetsLost: 0,
      packetsLate: 0,
      packetsDuplicate: 0,
      jitterMs: 0,
      mos: null,
      longestGapMs: 0,
    }));
  }

  async closeCall(callId: string, reason: CloseReason): Promise<CloseResult> {
    const call = this.calls.get(callId);
    if (!call) return { conversationId: null, quality: [], flags: [] };
    // Late packets still in flight land before the sockets close.
    await new Promise((r) => setTimeout(r, 50));
    const quality = this.stats(callId);
    call.closed = reason;
    for (const s of call.streams.values()) s.socket?.close();
    return { conversationId: null, quality, flags: [] };
  }

  subscribe(_callId: string, _label: string | null, _onFrame: FrameListener) {
    return () => {};
  }

  async close() {
    for (const c of this.calls.values()) for (const s of c.streams.values()) if (!c.closed) s.socket?.close();
  }
}
