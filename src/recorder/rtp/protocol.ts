// Messages between the media pool (parent) and its RTP worker processes (child_process.fork, advanced serialization
// so Buffers cross without base64).
import type { TimelineStats, DtmfEvent } from './timeline.ts';

export interface WorkerInit {
  t: 'init';
  portMin: number;
  portMax: number;
  bindAddress: string;
  rcvbufBytes: number;
  /** Plaintext bytes per sealed chunk of a spool of packet records (raw, G.722/Opus). */
  chunkBytes: number;
  /** Plaintext bytes per sealed chunk of a G.711 spool (1 s: sealed once a whole one is written). */
  pcmChunkBytes: number;
  /** 'ts' forces the TypeScript SRTP (tests run both implementations against each other). */
  srtpImpl: 'auto' | 'ts';
}

export interface StreamSpec {
  /** Audio payload types and their G.711 law; empty when the stream is stored raw. */
  audioPts: [number, 'pcmu' | 'pcma'][];
  /** Payload types stored raw (no decoder): every packet's payload is kept with its time. */
  rawPts: number[];
  /** G.722 / Opus: each packet kept with its RTP timestamp, SSRC and sequence number, decoded at finalisation (media/coded.ts). */
  coded?: { pt: number; codec: 'g722' | 'opus' } | null;
  dtmfPt: number | null;
  cnPts: number[];
  srtp: { suite: string; keyParams: string } | null;
}

export type ToWorker =
  | WorkerInit
  | ({ t: 'open'; key: string; openedAt: number; spoolPath: string; spoolId: string; dek: Buffer; paused: boolean } & StreamSpec)
  | ({ t: 'update'; key: string } & StreamSpec)
  | { t: 'pause'; key: string; paused: boolean }
  | { t: 'listen'; key: string; on: boolean }
  | { t: 'close'; key: string; discard?: boolean };

/** A worker's overload figures, with its stats once a second. */
export interface WorkerHealth {
  /** Audio waiting for the disk across the worker's streams (each capped: spool-writer.ts). */
  spoolQueuedBytes: number;
  /** G.711 bytes shed so far by the streams open now (stored as silence, counted as lost packets). */
  spoolShedBytes: number;
  /** Live-listen frames dropped because the pool was not reading the IPC channel. */
  framesDropped: number;
  rssBytes: number;
}

export interface StreamResult {
  stats: TimelineStats;
  dtmf: DtmfEvent[];
  intervals: { offsetMs: number; expected: number; lost: number; jitterMs: number }[];
  /** Plaintext bytes in the spool (µ-law samples, or raw records). */
  spoolBytes: number;
  srtpFailures: number;
  /** ms (since the call opened) of the last packet received. */
  lastPacketMs: number | null;
}

export type FromWorker =
  | { t: 'ready'; pid: number; receive?: 'batch' | 'dgram' }
  | { t: 'opened'; key: string; port: number }
  | { t: 'updated'; key: string }
  | { t: 'paused'; key: string }
  | { t: 'closed'; key: string; result: StreamResult }
  | { t: 'error'; key: string; message: string }
  | { t: 'stats'; items: [string, TimelineStats][]; health: WorkerHealth }
  | { t: 'frames'; key: string; frames: Buffer[]; atMs: number };
