// The `recorder` process role: the SIPREC server on UDP/TCP/TLS in front of the RTP media pool. At start the calls this
// node left open (a crash, kill -9) are closed in recorder_calls — their audio is finalised by the media pool's own
// spool recovery — so the Live screen never shows a call no process holds.
import fs from 'node:fs';
import type { AppContext } from '../context.ts';
import { listUnfinishedOnNode, updateCall, type RecorderCall } from './calls/repository.ts';
import type { MediaPool } from './media/pool.ts';
import { MediaPoolService } from './media/service.ts';
import { loadSipConfig, type SipConfig } from './sip/config.ts';
import { SipTransports } from './sip/transport.ts';
import { SipRecordingServer } from './siprec/server.ts';
import { SourceDirectory } from './sources/directory.ts';
import { startControlApplier } from './control/applier.ts';
import { decideCallStart } from './control/service.ts';
import { registerLocalRecorder } from './live/registry.ts';
import { startListenServer, type ListenServer } from './live/remote.ts';
import { saveNode, touchNode } from './live/repository.ts';

export interface RunningRecorder {
  server: SipRecordingServer;
  transports: SipTransports;
  pool: MediaPool;
  sources: SourceDirectory;
  config: SipConfig;
  stop(): Promise<void>;
}

export interface StartRecorderOptions {
  /** Default: EARSHOT_SIP_* from the environment. */
  sip?: SipConfig;
  /** Default: the RTP worker pool (src/recorder/media/service.ts). Tests hand in their own. */
  pool?: MediaPool;
  onCallChange?: (call: RecorderCall) => void;
}

let running: RunningRecorder | null = null;

/** The recorder running in this process, if any (live listen-in and recording control use it when it is local). */
export const currentRecorder = (): RunningRecorder | null => running;

/** Closes this node's calls that no process holds any more (the previous run died with them open). */
export async function closeOrphanedCalls(ctx: AppContext, node: string): Promise<number> {
  const open = await listUnfinishedOnNode(ctx.db, ctx.adapter, node);
  const now = new Date().toISOString();
  for (const c of open) {
    await updateCall(ctx.db, ctx.adapter, c.id, {
      state: 'ended',
      endedAt: now,
      endReason: 'recovered',
      pauseStartedAt: null,
      flags: [...new Set([...c.flags, 'recovered' as const])],
    });
  }
  if (open.length) ctx.log.warn({ calls: open.length, node }, 'recorder: closed the calls a previous run left open');
  return open.length;
}

export async function startRecorder(ctx: AppContext, opts: StartRecorderOptions = {}): Promise<RunningRecorder> {
  const sip = opts.sip ?? loadSipConfig(process.env);
  await closeOrphanedCalls(ctx, sip.node);
  let pool = opts.pool;
  let ownPool: MediaPoolService | null = null;
  if (!pool) {
    ownPool = await MediaPoolService.start(ctx, {
      bindAddress: sip.host,
      advertiseAddress: sip.advertisedAddress,
      portMin: sip.rtp.portMin,
      portMax: sip.rtp.portMax,
      ...(sip.rtp.workers ? { workers: sip.rtp.workers } : {}),
    });
    await ownPool.recover().catch((err) => ctx.log.error({ err }, 'recorder: spool recovery failed'));
    pool = ownPool;
  }
  const sources = new SourceDirectory(ctx.db, ctx.log);
  let transports: SipTransports | null = null;
  const server = new SipRecordingServer({
    db: ctx.db,
    adapter: ctx.adapter,
    log: ctx.log,
    pool,
    sources,
    node: sip.node,
    advertisedAddress: sip.advertisedAddress,
    ports: () => transports?.ports ?? { udp: null, tcp: null, tls: null },
    maxSessionMs: sip.maxSessionMs,
    onCallChange: opts.onCallChange,
    decideStart: (call) => decideCallStart(ctx, call),
  });
  transports = new SipTransports(
    {
      host: sip.host,
      udpPort: sip.udpPort,
      tcpPort: sip.tcpPort,
      tlsPort: sip.tlsPort,
      ...(sip.tls
        ? {
            tls: {
              cert: fs.readFileSync(sip.tls.certFile),
              key: fs.readFileSync(sip.tls.keyFile),
              ...(sip.tls.caFile ? { ca: fs.readFileSync(sip.tls.caFile) } : {}),
              requestCert: !!sip.tls.caFile,
            },
          }
        : {}),
    },
    (data, remote, datagram) => server.handle(data, remote, datagram),
    (reason, remote) => server.framingError(reason, remote),
  );
  try {
    await transports.start();
  } catch (err) {
    await transports.close();
    await ownPool?.close();
    throw err;
  }
  server.attach(transports);
  // Recording control from the API (in process through the bus, else by polling) and listen-in taps (src/recorder/live).
  const applier = startControlApplier({ db: ctx.db, adapter: ctx.adapter, log: ctx.log, pool, node: sip.node });
  const unregister = registerLocalRecorder(sip.node, pool);
  // Listen-in from API processes elsewhere (live/remote.ts): the internal endpoint and this node's row pointing at it.
  let listen: ListenServer | null = null;
  if (sip.listen) {
    try {
      listen = await startListenServer({ host: sip.listen.host, port: sip.listen.port, secret: sip.listen.secret, pool, log: ctx.log });
    } catch (err) {
      applier.stop();
      unregister();
      await transports.close();
      await ownPool?.close();
      throw err;
    }
  }
  const startedAt = new Date().toISOString();
  const nodeRow = () => ({
    node: sip.node,
    listen_url: listen ? (sip.listen!.url ?? listen.url) : null,
    pid: process.pid,
    started_at: startedAt,
    seen_at: new Date().toISOString(),
  });
  await saveNode(ctx.db, nodeRow()).catch((err) => ctx.log.warn({ err }, 'recorder: could not register this node'));
  const heartbeat = setInterval(() => void touchNode(ctx.db, sip.node, new Date().toISOString()).catch(() => {}), 30_000);
  heartbeat.unref();
  ctx.log.info(
    {
      udp: transports.ports.udp,
      tcp: transports.ports.tcp,
      tls: transports.ports.tls,
      host: sip.host,
      advertised: sip.advertisedAddress,
      node: sip.node,
      listenIn: listen ? nodeRow().listen_url : null,
    },
    'recorder: SIPREC server listening',
  );
  const handle: RunningRecorder = {
    server,
    transports,
    pool,
    sources,
    config: sip,
    async stop() {
      if (running === handle) running = null;
      applier.stop();
      unregister();
      clearInterval(heartbeat);
      await listen?.close();
      await transports!.close();
      await server.close();
      await ownPool?.close();
    },
  };
  running = handle;
  return handle;
}
