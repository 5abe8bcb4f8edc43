// `npm run bench:recorder`: concurrent G.711 calls (two legs each, 50 packets/s per leg) on ONE RTP worker process,
// i.e. per core, on loopback, with every stream sealed into the encrypted spool every second, plain RTP and SRTP.
// Reports per step: media setup rate (openCall of the two legs: ports, spool, manifest), packets lost/late across all
// legs, the worker's CPU and RSS per call, and whether the sender kept its pace.
//
//   npm run bench:recorder -- --calls 250,500,1000 --seconds 15 [--no-srtp] [--srtp-impl ts] [--profile: CPU profile of the worker]
//     [--receive batch|dgram|both: the worker's receive path (EARSHOT_RTP_RECEIVE); 'both' runs every step on each, alternating]
//
// The load generator is a separate process (bench/recorder/sender.ts) on the same machine: on a 2-core box it takes
// much of the other core, so the figures are for one recorder core with a sender beside it. SIP signalling is not
// in the loop (see the SIPp load scenario for that); finalisation into conversations is off (it runs once per call
// at BYE, as a job-like step, not per packet).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import { loadOrCreateMasterKey } from '../src/platform/crypto/keys.ts';
import { MediaPoolService } from '../src/recorder/media/service.ts';
import type { SiprecMetadata, StreamOffer } from '../src/recorder/model.ts';
import { createSrtpSession, srtpImplementation } from '../src/recorder/srtp/srtp.ts';
import { buildRtp } from '../src/recorder/rtp/packet.ts';
import { receivePathFor } from '../src/recorder/rtp/batch-socket.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const steps = opt('calls', '250,500,1000').split(',').map(Number);
const seconds = Number(opt('seconds', '15'));
const withSrtp = !args.includes('--no-srtp');
const srtpImpl = opt('srtp-impl', 'auto') as 'auto' | 'ts';
const receiveOpt = opt('receive', 'batch');
const receives = receiveOpt === 'both' ? (['dgram', 'batch'] as const) : ([receiveOpt === 'dgram' ? 'dgram' : 'batch'] as const);
const CLK = 100; // USER_HZ (clock ticks per second in /proc/<pid>/stat) on Linux

function procStat(pid: number): { cpuMs: number; rssKb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / CLK;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return { cpuMs, rssKb };
}

const meta = (callRef: string): SiprecMetadata => ({
  sessionId: callRef,
  groupId: null,
  callRef,
  vendor: 'generic',
  direction: 'inbound',
  participants: [],
  streams: [],
  extensions: {},
});

async function step(pool: MediaPoolService, calls: number, srtp: boolean, receive: string) {
  const workerPid = pool.workerPids[0]!;
  const idle = procStat(workerPid);
  const codecs = [
    { pt: 0, name: 'pcmu', rate: 8000 },
    { pt: 101, name: 'telephone-event', rate: 8000 },
  ];
  const streams: { port: number; ssrc: number; keyParams: string | null }[] = [];
  const ids: string[] = [];
  const t0 = performance.now();
  const batch = 50;
  for (let i = 0; i < calls; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, calls - i) }, async (_, j) => {
        const id = `bench-${randomBytes(6).toString('hex')}`;
        const key = srtp ? `inline:${randomBytes(30).toString('base64')}` : null;
        const crypto = key ? [{ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: key }] : [];
        const offers: StreamOffer[] = [0, 1].map((index) => ({ label: String(index + 1), index, codecs, crypto, direction: 'sendonly', remote: null }));
        const answers = await pool.openCall(id, 'bench', offers, meta(id));
        ids.push(id);
        answers.forEach((a, leg) => streams.push({ port: a.port, ssrc: (i + j) * 2 + leg + 1, keyParams: key }));
      }),
    );
  }
  const setupMs = performance.now() - t0;
  const opened = procStat(workerPid);
  const sender = fork(path.join(here, 'recorder', 'sender.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  const done = new Promise<{ sent: number; lateMaxMs: number }>((resolve) => sender.once('message', resolve));
  sender.send({ streams, seconds, address: '127.0.0.1' });
  const a = procStat(workerPid);
  const ta = performance.now();
  let peakRss = 0;
  let peakQueuedKb = 0;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, procStat(workerPid).rssKb);
    peakQueuedKb = Math.max(peakQueuedKb, Math.round((pool.workerHealth[0]?.spoolQueuedBytes ?? 0) / 1024));
  }, 500);
  const report = await done;
  // Let the worker drain what is still queued in its sockets before the streams close (a worker slower than the
  // sender works through a backlog: up to SO_RCVBUF per socket). Gives up after 10 s without progress.
  const receivedNow = () => pool.statsOfAll().reduce((n, q) => n + q.packetsReceived, 0);
  for (let last = -1, still = 0; receivedNow() < report.sent && still < 10;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = receivedNow();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  clearInterval(rssTimer);
  const b = procStat(workerPid);
  const tb = performance.now();
  let expected = 0;
  let received = 0;
  let lost = 0;
  let late = 0;
  // Audio the worker's spool shed under overload (counted in lost): read before the streams close.
  const shedKb = Math.round((pool.workerHealth[0]?.spoolShedBytes ?? 0) / 1024);
  const results = await Promise.all(ids.map((id) => pool.closeCall(id, 'bye')));
  for (const r of results)
    for (const q of r.quality) {
      expected += q.packetsExpected;
      received += q.packetsReceived;
      lost += q.packetsLost;
      late += q.packetsLate;
    }
  // CPU per packet: the worker's CPU time while receiving, over the packets it took in (robust on a busy machine,
  // where wall-clock capacity is not measurable); calls per core = one core's second over a call's 100 packets.
  const cpuMs = b.cpuMs - a.cpuMs;
  const usPerPacket = (cpuMs * 1000) / Math.max(1, received);
  return {
    calls,
    srtp,
    receive,
    setupPerS: Math.round((calls / setupMs) * 1000),
    setupCpuMsPerCall: Math.round(((opened.cpuMs - idle.cpuMs) / calls) * 100) / 100,
    sent: report.sent,
    expected,
    received,
    missing: report.sent - received,
    lost,
    late,
    senderLateMaxMs: report.lateMaxMs,
    wallS: Math.round((tb - ta) / 100) / 10,
    usPerPacket: Math.round(usPerPacket * 10) / 10,
    callsPerCore: Math.floor(1e6 / (usPerPacket * 100)),
    rssPerCallKb: Math.round(((peakRss - idle.rssKb) / calls) * 10) / 10,
    workerPeakRssMb: Math.round(peakRss / 1024),
    peakSpoolQueuedKb: peakQueuedKb,
    shedKb,
  };
}

/** SRTP unprotect per packet in this process, both implementations (no sockets: the crypto's own cost). */
function srtpMicro() {
  const out: Record<string, number> = {};
  for (const impl of ['libsrtp', 'ts'] as const) {
    if (impl === 'libsrtp' && srtpImplementation() !== 'libsrtp') continue;
    const key = randomBytes(30).toString('base64');
    const tx = createSrtpSession('AES_CM_128_HMAC_SHA1_80', key, 'outbound', impl);
    const rx = createSrtpSession('AES_CM_128_HMAC_SHA1_80', key, 'inbound', impl);
    const n = 20000;
    const packets = Array.from({ length: n }, (_, i) => {
      const b = Buffer.alloc(200);
      buildRtp({ pt: 0, seq: i & 0xffff, ts: i * 160, ssrc: 1 }, randomBytes(160)).copy(b);
      return { b, len: tx.protect(b, 172) };
    });
    const t0 = process.cpuUsage();
    for (const p of packets) rx.unprotect(p.b, p.len);
    const d = process.cpuUsage(t0);
    out[impl] = Math.round(((d.user + d.system) / n) * 100) / 100;
    tx.close();
    rx.close();
  }
  return out;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-recorder-'));
  const config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    EARSHOT_DEMO: 'false',
  });
  // Receive and spool need only keys and the data folder: no database in the loop (finalise off).
  const ctx = { config, keyring: loadOrCreateMasterKey(config), log: pino({ level: 'warn' }) } as unknown as AppContext;
  const profile = args.includes('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${path.join(os.tmpdir(), 'earshot-recorder-prof')}`] : [];
  const start = () => MediaPoolService.start(ctx, { workers: 1, portMin: 40000, portMax: 49999, finalise: false, srtpImpl, workerExecArgv: profile });
  console.log(
    `recorder bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, node ${process.version}, ${seconds} s per step, SRTP ${srtpImpl === 'ts' ? 'TypeScript' : srtpImplementation()}`,
  );
  console.log(`SRTP unprotect, CPU µs per packet (in process): ${JSON.stringify(srtpMicro())}`);
  const rows = [];
  try {
    for (const calls of steps) {
      for (const srtp of withSrtp ? [false, true] : [false]) {
        for (const receive of receives) {
          // The worker inherits the environment: its receive path (batch falls back to dgram where unavailable).
          process.env.EARSHOT_RTP_RECEIVE = receive;
          // A fresh worker per step: RSS per call is not blurred by the previous step's heap.
          const pool = await start();
          try {
            const r = await step(pool, calls, srtp, receivePathFor(receive));
            rows.push(r);
            console.log(JSON.stringify(r));
          } finally {
            await pool.close();
          }
        }
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    '\n| calls | SRTP | receive | setup calls/s | setup CPU per call | packets sent | received | lost (gaps) | late | worker CPU per packet | calls per core at that cost | RSS per call | sender max lateness |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.calls} | ${r.srtp ? 'yes' : 'no'} | ${r.receive} | ${r.setupPerS} | ${r.setupCpuMsPerCall} ms | ${r.sent} | ${r.received} | ${r.lost} | ${r.late} | ${r.usPerPacket} µs | ${r.callsPerCore} | ${r.rssPerCallKb} kB | ${r.senderLateMaxMs} ms |`,
    );
}

await main();
