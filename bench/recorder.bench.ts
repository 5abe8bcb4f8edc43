// `npm run bench:recorder`: concurrent G.711 calls (two legs each, 50 packets/s per leg) on ONE RTP worker process,
// i.e. per core, on loopback, with every stream sealed into the encrypted spool every second, plain RTP and SRTP.
// Reports per step: media setup rate (openCall of the two legs: ports, spool, manifest), packets lost/late across all
// legs, the worker's CPU and RSS per call, and whether the sender kept its pace.
//
//   npm run bench:recorder -- --calls 250,500,1000 --seconds 15 [--no-srtp] [--srtp-impl ts] [--profile: CPU profile of the worker]
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
import { srtpImplementation } from '../src/recorder/srtp/srtp.ts';

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
const CLK = os.constants ? 100 : 100; // USER_HZ on Linux

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

async function step(pool: MediaPoolService, calls: number, srtp: boolean) {
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
  const sender = fork(path.join(here, 'recorder', 'sender.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  const done = new Promise<{ sent: number; lateMaxMs: number }>((resolve) => sender.once('message', resolve));
  sender.send({ streams, seconds, address: '127.0.0.1' });
  // Steady state: skip the first 2 s, measure the middle.
  await new Promise((r) => setTimeout(r, 2000));
  const a = procStat(workerPid);
  const ta = performance.now();
  await new Promise((r) => setTimeout(r, (seconds - 4) * 1000));
  const b = procStat(workerPid);
  const tb = performance.now();
  const report = await done;
  await new Promise((r) => setTimeout(r, 500));
  let expected = 0;
  let received = 0;
  let lost = 0;
  let late = 0;
  const results = await Promise.all(ids.map((id) => pool.closeCall(id, 'bye')));
  for (const r of results)
    for (const q of r.quality) {
      expected += q.packetsExpected;
      received += q.packetsReceived;
      lost += q.packetsLost;
      late += q.packetsLate;
    }
  const cpuPct = ((b.cpuMs - a.cpuMs) / (tb - ta)) * 100;
  return {
    calls,
    srtp,
    setupPerS: Math.round((calls / setupMs) * 1000),
    sent: report.sent,
    expected,
    received,
    lost,
    late,
    senderLateMaxMs: report.lateMaxMs,
    workerCpuPct: Math.round(cpuPct * 10) / 10,
    cpuPerCallPct: Math.round((cpuPct / calls) * 1000) / 1000,
    callsPerCoreAtThisCost: Math.floor(calls / (cpuPct / 100)),
    rssPerCallKb: Math.round(((b.rssKb - idle.rssKb) / calls) * 10) / 10,
    workerRssMb: Math.round(b.rssKb / 1024),
  };
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
  const pool = await MediaPoolService.start(ctx, { workers: 1, portMin: 40000, portMax: 49999, finalise: false, srtpImpl, workerExecArgv: profile });
  console.log(
    `recorder bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, node ${process.version}, ${seconds} s per step, SRTP ${srtpImpl === 'ts' ? 'TypeScript' : srtpImplementation()}`,
  );
  const rows = [];
  try {
    for (const calls of steps) {
      for (const srtp of withSrtp ? [false, true] : [false]) {
        const r = await step(pool, calls, srtp);
        rows.push(r);
        console.log(JSON.stringify(r));
      }
    }
  } finally {
    await pool.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    '\n| calls | SRTP | setup calls/s | packets expected | lost | late | worker CPU | CPU per call | calls/core at this cost | RSS per call | sender max lateness |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.calls} | ${r.srtp ? 'yes' : 'no'} | ${r.setupPerS} | ${r.expected} | ${r.lost} | ${r.late} | ${r.workerCpuPct} % | ${r.cpuPerCallPct} % | ${r.callsPerCoreAtThisCost} | ${r.rssPerCallKb} kB | ${r.senderLateMaxMs} ms |`,
    );
}

await main();
