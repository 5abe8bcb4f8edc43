// The media pool: what SIPREC signalling (R1), control/live (R3) and the recorder role call to receive, store and
// finalise a call's RTP. Signalling never touches sockets or storage; the pool never parses SIP. The implementation
// forks RTP workers (one per core, each owning a port range) and is created by createMediaPool in ./service.ts.
import type { AssuranceFlag, SiprecMetadata, StreamAnswer, StreamOffer, StreamQuality } from '../model.js';

export type CloseReason = 'bye' | 'cancel' | 'timeout' | 'error';

export interface CloseResult {
  /** The conversation the recording became through ingest; null when nothing was recorded (cancel, empty, not recorded). */
  conversationId: string | null;
  quality: StreamQuality[];
  flags: AssuranceFlag[];
}

/** A live-listen frame: 20 ms of G.711 µ-law (160 bytes) for one label, ts = ms since the call opened. */
export type FrameListener = (label: string, pcmu: Buffer, ts: number) => void;

export interface MediaPool {
  /** Allocates one port per accepted stream (port 0 + reason for rejected ones), in the offer's order. */
  openCall(callId: string, tenantId: string, streams: StreamOffer[], meta: SiprecMetadata): Promise<StreamAnswer[]>;
  /** re-INVITE/UPDATE: added/removed streams, codec change, direction inactive = pause (sendonly/sendrecv = resume). */
  updateCall(callId: string, streams: StreamOffer[], meta?: SiprecMetadata): Promise<StreamAnswer[]>;
  /** Pause/resume (PCI): nothing received while paused is kept; the paused time becomes a marked gap. Idempotent. */
  setPaused(callId: string, paused: boolean, by: 'api' | 'sip'): Promise<void>;
  /** Stops receiving, seals what is left and finalises into a conversation through the ingest service. */
  closeCall(callId: string, reason: CloseReason): Promise<CloseResult>;
  /** Live per-leg quality (empty for an unknown call). */
  stats(callId: string): StreamQuality[];
  /** Live listen: label null = every leg. Returns the unsubscribe function. */
  subscribe(callId: string, label: string | null, onFrame: FrameListener): () => void;
  /** Stops the workers; open calls are left for crash recovery (finalised on the next start). */
  close(): Promise<void>;
}
