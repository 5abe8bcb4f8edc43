// An RTP worker process (forked by the media pool, one per core): owns a port range, one UDP socket per stream,
// decrypts SRTP, runs each stream's timeline and seals its audio into the encrypted spool once a second, staggered
// across streams, with asynchronous writes so the receive loop never waits on the disk. Imports nothing from the app:
// no database, no keys but the per-stream data keys the pool hands over.
//
// Every queue on the media path is bounded: the kernel's (SO_RCVBUF per socket), the spool's (SpoolWriter: audio
// waiting for the disk is capped per stream, the oldest shed and counted as lost packets), the timeline's (a fixed
// buffer; long gaps go to the spool as a count) and the IPC channel to the pool (stats and live frames are dropped,
// not queued, while the pool has not read what was sent: see sendDroppable).
import dgram from 'node:dgram';
import fs from 'node:fs';
import { Encryptor } from '../../platform/crypto/envelope.ts';
import { createSrtpSession, isSupportedSuite, srtpImplementation, type SrtpSession } from '../srtp/srtp.ts';
import { CODED_HEADER_BYTES, writeCodedHeader } from './coded-record.ts';
import { fileSink, SpoolWriter } from './spool-writer.ts';
import { isRtcp, newHeader, parseRtp } from './packet.ts';
import { StreamTimeline, type TimelineStats } from './timeline.ts';
import type { FromWorker, StreamResult, StreamSpec, ToWorker, WorkerInit } from './protocol.ts';

const TICK_MS = 50;
const SEAL_EVERY_MS = 1000;
const INTERVAL_MS = 5000;
/** IPC messages written to the pipe but not yet taken by the pool beyond which droppable ones are dropped. */
const IPC_MAX_IN_FLIGHT = 32;

let init: WorkerInit | null = null;
const used = new Set<number>();
let nextPort = 0;

interface Stream {
  key: string;
  fd: number;
  /** G.711 timeline output (sealed by whole chunks), not packet records. */
  pcm: boolean;
  chunkBytes: number;
  socket: dgram.Socket;
  port: number;
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
  lastPacket: number | null;
  intervals: StreamResult['intervals'];
  intervalStart: { at: number; expected: number; received: number };
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

async function bindPort(socket: dgram.Socket): Promise<number> {
  const { portMin, portMax, bindAddress } = init!;
  const span = Math.floor((portMax - portMin) / 2) + 1;
  for (let tries = 0; tries < span; tries++) {
    // Even ports (RTP convention, RTCP on the odd one above), cycling so a just-closed port is not reused at once.
    const port = portMin + 2 * ((nextPort + tries) % span);
    if (used.has(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const onErr = () => resolve(false);
      socket.once('error', onErr);
      socket.bind({ port, address: bindAddress, exclusive: true }, () => {
        socket.off('error', onErr);
        resolve(true);
      });
    });
    if (ok) {
      nextPort = (nextPort + tries + 1) % span;
      used.add(port);
      return port;
    }
  }
  throw new Error(`no free RTP port in ${portMin}-${portMax}`);
}

async function open(m: Extract<ToWorker, { t: 'open' }>) {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: init!.rcvbufBytes });
  const port = await bindPort(socket);
  const fd = fs.openSync(m.spoolPath, 'w', 0o600);
  const rawPts = new Set(m.rawPts);
  // Packet records (raw, G.722/Opus) keep small chunks: at G.729's 1.3 kB/s a 1-s chunk of G.711 would be 6 s.
  const pcm = !rawPts.size && !m.coded;
  const chunkBytes = pcm ? init!.pcmChunkBytes : init!.chunkBytes;
  const enc = new Encryptor({ dek: Buffer.from(m.dek), blobId: m.spoolId, chunkSize: chunkBytes }, { hash: false });
  const spool = new SpoolWriter(fileSink(fd), enc, pcm ? 'pcm' : 'records');
  const st: Stream = {
    key: m.key,
    fd,
    pcm,
    chunkBytes,
    socket,
    port,
    openedAt: m.openedAt,
    spool,
    srtp: srtpFor(m),
    srtpFailures: 0,
    rawPts,
    codedPt: m.coded?.pt ?? -1,
    listening: false,
    phase: Math.floor(Math.random() * SEAL_EVERY_MS),
    lastSeal: Date.now(),
    lastPacket: null,
    intervals: [],
    intervalStart: { at: 0, expected: 0, received: 0 },
    timeline: new StreamTimeline({ ...timelineOptions(m), chunkBytes, onSeal: (b) => spool.push(b), onSilence: (n) => spool.pushSilence(n) }, m.openedAt),
  };
  st.lastSeal = Date.now() - st.phase;
  if (m.paused) st.timeline.pause();
  const h = newHeader();
  const rawHead = Buffer.alloc(6);
  const codedHead = Buffer.alloc(CODED_HEADER_BYTES);
  socket.on('message', (msg, rinfo) => {
    const now = Date.now();
    let len = rinfo.size;
    if (isRtcp(msg, len)) return;
    if (st.srtp) {
      len = st.srtp.unprotect(msg, len);
      if (len < 0) {
        st.srtpFailures++;
        return;
      }
    }
    if (!parseRtp(msg, len, h)) return;
    st.lastPacket = now;
    if (st.rawPts.has(h.pt) && !st.timeline.isPaused) {
      // Stored raw: time (ms since open) and length before each payload, so a later decoder can place it.
      rawHead.writeUInt32BE(now - st.openedAt, 0);
      rawHead.writeUInt16BE(h.payloadEnd - h.payloadStart, 4);
      spool.push(Buffer.concat([rawHead, msg.subarray(h.payloadStart, h.payloadEnd)]));
    }
    if (h.pt === st.codedPt && !st.timeline.isPaused) {
      const len = h.payloadEnd - h.payloadStart;
      writeCodedHeader(codedHead, now - st.openedAt, h.ts, h.ssrc, h.seq, len);
      spool.push(Buffer.concat([codedHead, msg.subarray(h.payloadStart, h.payloadEnd)]));
    }
    st.timeline.push(msg, h, now);
    if (st.listening) flushLive(st);
  });
  socket.on('error', (err) => send({ t: 'error', key: m.key, message: err.message }));
  streams.set(m.key, st);
  send({ t: 'opened', key: m.key, port });
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
  used.delete(st.port);
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
      lastPacketMs: st.lastPacket === null ? null : st.lastPacket - st.openedAt,
    },
  });
}

function tick() {
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
          setInterval(tick, TICK_MS).unref();
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
          send({ t: 'ready', pid: process.pid });
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
          return;
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
