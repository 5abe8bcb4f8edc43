// An RTP worker process (forked by the media pool, one per core): owns a port range, one UDP socket per stream,
// decrypts SRTP, runs each stream's timeline and seals its audio into the encrypted spool once a second, staggered
// across streams, with asynchronous writes so the receive loop never waits on the disk. Imports nothing from the app:
// no database, no keys but the per-stream data keys the pool hands over.
//
// Every queue on the media path is bounded: the kernel's (SO_RCVBUF per socket), the spool's (SpoolWriter: audio
// waiting for the disk is capped per stream, the oldest shed and counted as lost packets), the timeline's (a fixed
// buffer; long gaps go to the spool as a count) and the IPC channel to the pool (stats and live frames are dropped,
// not queued, while the pool has not read what was sent: see sendDroppable).
import fs from 'node:fs';
import { Encryptor } from '../../platform/crypto/envelope.ts';
import { createSrtpSession, isSupportedSuite, srtpImplementation, type SrtpSession } from '../srtp/srtp.ts';
import { CODED_HEADER_BYTES, writeCodedHeader } from './coded-record.ts';
import { createReceiver, receiveSetting, type Receiver, type RtpSocket } from './batch-socket.ts';
import { fileSink, SpoolWriter } from './spool-writer.ts';
import { isRtcp, newHeader, parseRtp, type RtpHeader } from './packet.ts';
import { StreamTimeline, type TimelineStats } from './timeline.ts';
import type { FromWorker, StreamResult, StreamSpec, ToWorker, WorkerInit } from './protocol.ts';

const TICK_MS = 50;
/**
 * The batch receive path's tick: it drains the sockets first, then does the per-stream work of TICK_MS. 100 ms
 * measured 0.7-0.8x the CPU per packet of 50 ms (twice the datagrams per recvmmsg, half the ticks) and 20 ms no better
 * than 50; the kernel times each packet, so only when packets are handled moves (live listen stays well under a
 * second, and a crash loses at most a second plus this tick).
 */
const POLL_MS = 100;
const SEAL_EVERY_MS = 1000;
const INTERVAL_MS = 5000;
/** IPC messages written to the pipe but not yet taken by the pool beyond which droppable ones are dropped. */
const IPC_MAX_IN_FLIGHT = 32;

let init: WorkerInit | null = null;
let receiver: Receiver | null = null;

interface Stream {
  key: string;
  fd: number;
  /** G.711 timeline output (sealed by whole chunks), not packet records. */
  pcm: boolean;
  chunkBytes: number;
  socket: RtpSocket;
  openedAt: number;
  timeline: StreamTimeline;
  spool: SpoolWriter;
  srtp: SrtpSession | null;
  srtpFailures: number;
  rawPts: Set<number>;
  /** G.722/Opus payload type kept per packet for decoding at finalisation (-1: none). */
  codedPt: number;
  listening: boolean;
  phase: number;
  lastSeal: number;
  /** Arrival of the last packet (-1: none; a number field, so storing one allocates nothing). */
  lastPacket: number;
  intervals: StreamResult['intervals'];
  intervalStart: { at: number; expected: number; received: number };
  /** Per-stream scratch, reused for every packet. */
  h: RtpHeader;
  rawHead: Buffer;
  codedHead: Buffer;
}

const streams = new Map<string, Stream>();

let ipcInFlight = 0;
let statsInFlight = false;
/** Live frames not sent because the pool was not reading (listen-in skips; the recording is not affected). */
let framesDropped = 0;

/** Replies and errors: never dropped (one per request of the pool, so bounded by what the pool asks). */
function send(m: FromWorker) {
  if (!process.connected) return;
  ipcInFlight++;
  process.send!(m, () => ipcInFlight--);
}

/**
 * Stats and live frames: a newer one replaces them, so while the pool has not read what was sent (a parent slower
 * than this worker, or stopped) they are dropped instead of growing the channel's write queue without bound.
 */
function sendDroppable(m: FromWorker, done?: () => void): boolean {
  if (!process.connected || ipcInFlight >= IPC_MAX_IN_FLIGHT) return false;
  ipcInFlight++;
  process.send!(m, () => {
    ipcInFlight--;
    done?.();
  });
  return true;
}

/**
 * The timeline's counters with the audio the spool shed under overload counted as lost (not received). Shed G.711
 * bytes are sealed seconds (audio and the gap silence in them), so the packets are estimated by the stream's own
 * share: received × shed bytes / samples written; shed raw/coded records are packets one for one.
 */
function statsOf(st: Stream): TimelineStats {
  const s = st.timeline.snapshot();
  const { shedBytes, shedRecords } = st.spool;
  const shedPackets = shedRecords + (shedBytes > 0 && s.samples > 0 ? Math.ceil((s.received * shedBytes) / s.samples) : 0);
  if (shedPackets > 0) {
    s.shed = Math.min(s.received, shedPackets);
    s.received -= s.shed;
  }
  return s;
}

function timelineOptions(spec: StreamSpec) {
  // Jitter is counted in RTP clock units: Opus runs a 48 kHz clock (G.711 and G.722 8 kHz).
  return { audioPts: new Map(spec.audioPts), dtmfPt: spec.dtmfPt, cnPts: new Set(spec.cnPts), tsPerMs: spec.coded?.codec === 'opus' ? 48 : 8 };
}

function srtpFor(spec: StreamSpec): SrtpSession | null {
  if (!spec.srtp) return null;
  if (!isSupportedSuite(spec.srtp.suite)) throw new Error(`unsupported SRTP suite ${spec.srtp.suite}`);
  return createSrtpSession(spec.srtp.suite, spec.srtp.keyParams, 'inbound', init!.srtpImpl === 'ts' ? 'ts' : srtpImplementation());
}

async function open(m: Extract<ToWorker, { t: 'open' }>) {
  // Packets reach the stream once it is made below (in the same turn of the event loop as the socket's creation on
  // the dgram path; on the batch path nothing is drained before the next poll).
  let st: Stream | null = null;
  const socket = await receiver!.open(
    (buf, len, now) => {
      if (st) onPacket(st, buf, len, now);
    },
    (err) => send({ t: 'error', key: m.key, message: err.message }),
  );
  let fd = -1;
  let srtp: SrtpSession | null = null;
  try {
    srtp = srtpFor(m);
    fd = fs.openSync(m.spoolPath, 'w', 0o600);
    st = newStream(m, socket, fd, srtp);
  } catch (err) {
    // Nothing of a stream that could not be opened stays behind: not its port, not its file.
    socket.close();
    srtp?.close();
    if (fd >= 0) fs.closeSync(fd);
    throw err;
  }
  if (m.paused) st.timeline.pause();
  streams.set(m.key, st);
  send({ t: 'opened', key: m.key, port: socket.port });
}

function newStream(m: Extract<ToWorker, { t: 'open' }>, socket: RtpSocket, fd: number, srtp: SrtpSession | null): Stream {
  const rawPts = new Set(m.rawPts);
  // Packet records (raw, G.722/Opus) keep small chunks: at G.729's 1.3 kB/s a 1-s chunk of G.711 would be 6 s.
  const pcm = !rawPts.size && !m.coded;
  const chunkBytes = pcm ? init!.pcmChunkBytes : init!.chunkBytes;
  const enc = new Encryptor({ dek: Buffer.from(m.dek), blobId: m.spoolId, chunkSize: chunkBytes }, { hash: false });
  const spool = new SpoolWriter(fileSink(fd), enc, pcm ? 'pcm' : 'records');
  const phase = Math.floor(Math.random() * SEAL_EVERY_MS);
  return {
    key: m.key,
    fd,
    pcm,
    chunkBytes,
    socket,
    openedAt: m.openedAt,
    spool,
    srtp,
    srtpFailures: 0,
    rawPts,
    codedPt: m.coded?.pt ?? -1,
    listening: false,
    phase,
    lastSeal: Date.now() - phase,
    lastPacket: -1,
    intervals: [],
    intervalStart: { at: 0, expected: 0, received: 0 },
    timeline: new StreamTimeline({ ...timelineOptions(m), chunkBytes, onSeal: (b) => spool.push(b), onSilence: (n) => spool.pushSilence(n) }, m.openedAt),
    h: newHeader(),
    rawHead: Buffer.alloc(6),
    codedHead: Buffer.alloc(CODED_HEADER_BYTES),
  };
}

/**
 * One datagram of a stream (`buf[0..len)`; on the batch path a view valid only during this call: everything kept is
 * copied). `now` is its arrival on Date.now()'s clock — the kernel's receive time on the batch path, so packets drained
 * together keep their own times (jitter) — fractional ms there.
 */
function onPacket(st: Stream, msg: Buffer, len: number, now: number) {
  if (isRtcp(msg, len)) return;
  if (st.srtp) {
    len = st.srtp.unprotect(msg, len);
    if (len < 0) {
      st.srtpFailures++;
      return;
    }
  }
  const h = st.h;
  if (!parseRtp(msg, len, h)) return;
  st.lastPacket = now;
  if (st.rawPts.size && st.rawPts.has(h.pt) && !st.timeline.isPaused) {
    // Stored raw: time (ms since open) and length before each payload, so a later decoder can place it.
    st.rawHead.writeUInt32BE(Math.max(0, Math.floor(now - st.openedAt)), 0);
    st.rawHead.writeUInt16BE(h.payloadEnd - h.payloadStart, 4);
    st.spool.push(Buffer.concat([st.rawHead, msg.subarray(h.payloadStart, h.payloadEnd)]));
  }
  if (h.pt === st.codedPt && !st.timeline.isPaused) {
    writeCodedHeader(st.codedHead, Math.max(0, Math.floor(now - st.openedAt)), h.ts, h.ssrc, h.seq, h.payloadEnd - h.payloadStart);
    st.spool.push(Buffer.concat([st.codedHead, msg.subarray(h.payloadStart, h.payloadEnd)]));
  }
  st.timeline.push(msg, h, now);
  if (st.listening) flushLive(st);
}

function flushLive(st: Stream) {
  const frames: Buffer[] = [];
  let at = -1;
  st.timeline.liveFrames((f, ms) => {
    if (at < 0) at = ms;
    frames.push(f);
  });
  if (frames.length && !sendDroppable({ t: 'frames', key: st.key, frames, atMs: at })) framesDropped += frames.length;
}

function pushInterval(st: Stream, now: number) {
  const s = statsOf(st);
  const expected = s.expected - st.intervalStart.expected;
  const received = s.received - st.intervalStart.received;
  st.intervals.push({
    offsetMs: st.intervalStart.at,
    expected,
    lost: Math.max(0, expected - received),
    jitterMs: Math.round(s.jitterMs * 100) / 100,
  });
  st.intervalStart = { at: now - st.openedAt, expected: s.expected, received: s.received };
}

async function close(m: Extract<ToWorker, { t: 'close' }>) {
  const st = streams.get(m.key);
  if (!st) return send({ t: 'error', key: m.key, message: 'unknown stream' });
  streams.delete(m.key);
  st.socket.close();
  const rest = st.timeline.finish();
  st.spool.finish(st.rawPts.size || st.codedPt >= 0 ? Buffer.alloc(0) : rest);
  await st.spool.close();
  fs.closeSync(st.fd);
  st.srtp?.close();
  const now = Date.now();
  pushInterval(st, now);
  if (st.spool.failed) return send({ t: 'error', key: m.key, message: `spool write failed: ${st.spool.failed.message}` });
  const stats = statsOf(st);
  send({
    t: 'closed',
    key: m.key,
    result: {
      stats,
      dtmf: st.timeline.dtmf,
      intervals: st.intervals.filter((i) => i.expected > 0 || i.lost > 0),
      spoolBytes: st.spool.bytes,
      srtpFailures: st.srtpFailures,
      lastPacketMs: st.lastPacket < 0 ? null : Math.round(st.lastPacket - st.openedAt),
    },
  });
}

function tick() {
  // Drained before the per-stream work, so a reorder hold is never given up while its packet waits in the socket.
  receiver!.poll();
  const now = Date.now();
  for (const st of streams.values()) {
    st.timeline.tick(now);
    if (st.listening) flushLive(st);
    // G.711: sealed as soon as a whole 1-s chunk is written (one cipher per stream-second, not ten); the calls'
    // different start times stagger it, and at most a second plus a tick is unsealed, as before.
    if (st.pcm && st.timeline.unsealedBytes >= st.chunkBytes) st.timeline.seal();
    if (now - st.lastSeal >= SEAL_EVERY_MS) {
      st.lastSeal += SEAL_EVERY_MS * Math.max(1, Math.floor((now - st.lastSeal) / SEAL_EVERY_MS));
      if (now - st.openedAt - st.intervalStart.at >= INTERVAL_MS) pushInterval(st, now);
    }
  }
}

let statsTimer: NodeJS.Timeout | null = null;

process.on('message', (m: ToWorker) => {
  void (async () => {
    try {
      switch (m.t) {
        case 'init':
          init = m;
          receiver = createReceiver({
            bindAddress: m.bindAddress,
            portMin: m.portMin,
            portMax: m.portMax,
            rcvbufBytes: m.rcvbufBytes,
            path: receiveSetting(),
          });
          setInterval(tick, receiver.path === 'batch' ? POLL_MS : TICK_MS).unref();
          statsTimer = setInterval(() => {
            // One stats message at a time: a pool that has not taken the last one does not need another.
            if (!streams.size || statsInFlight) return;
            let queued = 0;
            let shed = 0;
            for (const s of streams.values()) {
              queued += s.spool.queuedBytes;
              shed += s.spool.shedBytes;
            }
            const health = { spoolQueuedBytes: queued, spoolShedBytes: shed, framesDropped, rssBytes: process.memoryUsage.rss() };
            const items = [...streams.values()].map((s): [string, TimelineStats] => [s.key, statsOf(s)]);
            if (sendDroppable({ t: 'stats', items, health }, () => (statsInFlight = false))) statsInFlight = true;
          }, 1000);
          statsTimer.unref();
          send({ t: 'ready', pid: process.pid, receive: receiver.path });
          return;
        case 'open':
          return await open(m);
        case 'update': {
          const st = streams.get(m.key);
          if (!st) return send({ t: 'error', key: m.key, message: 'unknown stream' });
          st.timeline.setOptions(timelineOptions(m));
          st.rawPts = new Set(m.rawPts);
          st.codedPt = m.coded?.pt ?? -1;
          if (m.srtp) {
            st.srtp?.close();
            st.srtp = srtpFor(m);
          }
          return send({ t: 'updated', key: m.key });
        }
        case 'pause': {
          const st = streams.get(m.key);
          if (st) {
            if (m.paused) st.timeline.pause();
            else st.timeline.resume();
          }
          // Answered for an unknown stream too (closed meanwhile): the pool awaits every reply.
          return send({ t: 'paused', key: m.key });
        }
        case 'listen': {
          const st = streams.get(m.key);
          if (st) {
            st.listening = m.on;
            if (m.on) st.timeline.liveFromNow();
          }
          return;
        }
        case 'close':
          return await close(m);
      }
    } catch (err) {
      send({ t: 'error', key: 'key' in m ? m.key : '', message: (err as Error).message });
    }
  })();
});

// The pool went away (its process died): seal what every stream has so a restart can finalise it, then exit.
process.on('disconnect', () => {
  for (const st of streams.values()) st.timeline.seal();
  const pending = [...streams.values()].map((s) => s.spool.close().then(() => fs.closeSync(s.fd)));
  void Promise.all(pending).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
