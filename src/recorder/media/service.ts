// The media pool (MediaPool in pool.ts): forks one RTP worker per core, hands each new stream to the least loaded
// one, keeps the call's spool manifest, and at close turns the spool into a conversation (finalise.ts). Calls left in
// the spool by a crash are finalised when the pool starts (recover()).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../context.ts';
import { newId } from '../../platform/ids.ts';
import type { AssuranceFlag, CodecOffer, CryptoOffer, SiprecMetadata, StreamAnswer, StreamOffer, StreamQuality } from '../model.ts';
import { isSupportedSuite } from '../srtp/srtp.ts';
import type { FromWorker, StreamResult, StreamSpec, ToWorker, WorkerHealth } from '../rtp/protocol.ts';
import { toQuality } from '../rtp/quality.ts';
import { emptyStats, type TimelineStats } from '../rtp/timeline.ts';
import type { CloseReason, CloseResult, FrameListener, MediaPool } from './pool.ts';
import { SPOOL_CHUNK_BYTES, SPOOL_PCM_CHUNK_BYTES, spoolFolder, writeManifest, type SpoolManifest, type SpoolStream } from './spool.ts';
import { finaliseSpool, recoverSpools } from './finalise.ts';
import { CODED_CODECS } from './coded.ts';

export interface MediaPoolOptions {
  /** RTP worker processes (default: one per core). */
  workers?: number;
  /** UDP port range shared out between the workers (default 20000–29999). */
  portMin?: number;
  portMax?: number;
  /** Address the RTP sockets bind to (default 127.0.0.1) and the one the SDP answers carry. */
  bindAddress?: string;
  advertiseAddress?: string;
  /** SO_RCVBUF per stream socket (default 1 MiB; the kernel caps it at net.core.rmem_max). */
  rcvbufBytes?: number;
  /** Spool folder (default <data>/recorder/spool). */
  spoolDir?: string;
  /** Finalise calls into conversations at close (default true; the bench turns it off to measure receive only). */
  finalise?: boolean;
  /** SRTP implementation in the workers: libsrtp2 when it loads (auto), or the TypeScript one. */
  srtpImpl?: 'auto' | 'ts';
  /** Extra node flags for the workers (the bench's --profile: --cpu-prof). */
  workerExecArgv?: string[];
}

interface WorkerHandle {
  proc: ChildProcess;
  streams: number;
  /** Last overload figures the worker reported (null until its first stats). */
  health: WorkerHealth | null;
  /** Replies awaited, per stream key in the order asked. */
  pending: Map<string, Waiter[]>;
}

interface Waiter {
  /** The reply that settles it: a pause's answer can overtake a close's on the same key (close awaits the disk). */
  expects: FromWorker['t'];
  resolve: (m: FromWorker) => void;
  reject: (e: Error) => void;
}

const REPLY = { init: 'ready', open: 'opened', update: 'updated', pause: 'paused', close: 'closed' } as const;

interface LiveStream {
  key: string;
  worker: WorkerHandle;
  spool: SpoolStream;
  stats: TimelineStats | null;
  offer: StreamOffer;
  removed: boolean;
}

interface LiveCall {
  /** Every stream of a call goes to one worker: one clock and event loop place all its legs, so they stay aligned. */
  worker: WorkerHandle;
  manifest: SpoolManifest;
  dir: string;
  keys: { dek: Buffer; wrappedKey: string; kekId: string; id: string };
  streams: Map<number, LiveStream>;
  pausedBy: { api: boolean; sip: boolean };
  listeners: Set<{ label: string | null; onFrame: FrameListener }>;
  closing: Promise<CloseResult> | null;
}

const AUDIO = new Set(['pcmu', 'pcma']);
const RAW_REASONS: Record<string, string> = {
  g729: 'unsupported codec G.729: no maintained decoder; the payloads are stored as received',
};

function workerEntry(): { file: string; execArgv: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(ts ? '../rtp/worker.ts' : '../rtp/worker.js', import.meta.url));
  return { file, execArgv: ts ? ['--import', 'tsx'] : [] };
}

export class MediaPoolService implements MediaPool {
  private readonly workers: WorkerHandle[] = [];
  private readonly calls = new Map<string, LiveCall>();
  private readonly streamsByKey = new Map<string, { call: LiveCall; stream: LiveStream }>();
  /** Calls finalised because their worker died, until the signalling's close asks for the result. */
  private readonly lost = new Map<string, Promise<CloseResult>>();
  readonly spoolDir: string;
  readonly advertiseAddress: string;
  private closed = false;

  private constructor(
    private readonly ctx: AppContext,
    private readonly o: Required<MediaPoolOptions>,
  ) {
    this.spoolDir = o.spoolDir;
    this.advertiseAddress = o.advertiseAddress;
  }

  static async start(ctx: AppContext, opts: MediaPoolOptions = {}): Promise<MediaPoolService> {
    const bindAddress = opts.bindAddress ?? '127.0.0.1';
    const o: Required<MediaPoolOptions> = {
      workers: Math.max(1, opts.workers ?? os.availableParallelism()),
      portMin: opts.portMin ?? 20000,
      portMax: opts.portMax ?? 29999,
      bindAddress,
      advertiseAddress: opts.advertiseAddress ?? (bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress),
      rcvbufBytes: opts.rcvbufBytes ?? 1024 * 1024,
      spoolDir: opts.spoolDir ?? path.join(ctx.config.dataDir, 'recorder', 'spool'),
      finalise: opts.finalise ?? true,
      srtpImpl: opts.srtpImpl ?? 'auto',
      workerExecArgv: opts.workerExecArgv ?? [],
    };
    fs.mkdirSync(o.spoolDir, { recursive: true, mode: 0o700 });
    const pool = new MediaPoolService(ctx, o);
    await pool.spawnWorkers();
    return pool;
  }

  /** Finalises every call a previous process left in the spool (crash, kill -9). */
  async recover(): Promise<{ callId: string; conversationId: string | null }[]> {
    return recoverSpools(this.ctx, this.spoolDir, new Set([...this.calls.values()].map((c) => c.dir)));
  }

  private async spawnWorkers() {
    await Promise.all(Array.from({ length: this.o.workers }, (_, i) => this.spawnWorker(i)));
  }

  /** Starts worker `slot` (its own share of the port range); a worker that dies is started again in its slot. */
  private spawnWorker(slot: number): Promise<void> {
    const { file, execArgv } = workerEntry();
    const per = Math.floor((this.o.portMax - this.o.portMin + 1) / this.o.workers);
    const proc = fork(file, [], {
      execArgv: [...execArgv, ...this.o.workerExecArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const w: WorkerHandle = { proc, streams: 0, health: null, pending: new Map() };
    this.workers[slot] = w;
    proc.on('message', (m: FromWorker) => this.onWorkerMessage(w, m));
    proc.on('exit', (code, signal) => {
      for (const q of w.pending.values()) for (const p of q) p.reject(new Error('RTP worker exited'));
      w.pending.clear();
      if (this.closed) return;
      this.ctx.log.error({ code, signal, pid: proc.pid }, 'RTP worker exited; restarting it and finalising its calls with what was sealed');
      void this.workerLost(w, slot);
    });
    const lo = this.o.portMin + slot * per;
    const hi = lo + per - 1;
    return new Promise<void>((resolve, reject) => {
      w.pending.set('', [{ expects: 'ready', resolve: () => resolve(), reject }]);
      proc.send({
        t: 'init',
        portMin: lo + (lo % 2),
        portMax: hi,
        bindAddress: this.o.bindAddress,
        rcvbufBytes: this.o.rcvbufBytes,
        chunkBytes: SPOOL_CHUNK_BYTES,
        pcmChunkBytes: SPOOL_PCM_CHUNK_BYTES,
        srtpImpl: this.o.srtpImpl,
      } satisfies ToWorker);
    });
  }

  /**
   * A worker died (crash, OOM, kill): its slot gets a new worker at once (new calls go on being recorded), and every
   * call it held is finalised with what its spool has sealed — at most the last second lost — flagged clipped. The
   * SIP dialog may go on; its BYE then finds the call already finalised.
   */
  private async workerLost(w: WorkerHandle, slot: number) {
    const restarted = this.spawnWorker(slot).catch((err) => this.ctx.log.error({ err, slot }, 'an RTP worker could not be restarted'));
    for (const call of [...this.calls.values()]) {
      if (call.worker !== w || call.closing) continue;
      const m = call.manifest;
      m.workerLost = true;
      for (const s of call.streams.values()) {
        if (s.removed) continue;
        s.removed = true;
        s.spool.closed = true;
        // The worker's counters died with it: the last ones it reported (once a second) stand.
        const stats = s.stats ?? emptyStats();
        s.spool.result = { stats, dtmf: [], intervals: [], spoolBytes: 0, srtpFailures: 0, lastPacketMs: null };
        this.streamsByKey.delete(s.key);
      }
      call.streams.clear();
      call.closing = this.doClose(call, 'error').catch((err) => {
        this.ctx.log.error({ err, callId: m.callId }, 'finalising the calls of a dead RTP worker failed');
        return { conversationId: null, quality: [], flags: ['clipped' as const] };
      });
      this.lost.set(m.callId, call.closing);
      // Not kept forever when no BYE ever comes (the session timer ends the dialog within hours).
      setTimeout(() => this.lost.delete(m.callId), 24 * 3600_000).unref();
    }
    await restarted;
  }

  /** Each worker's last overload figures (spool queue, shed audio, RSS): the bench and a health view. */
  get workerHealth(): (WorkerHealth | null)[] {
    return this.workers.map((w) => w.health);
  }

  /** Worker process ids (tests kill them; the bench measures them). */
  get workerPids(): number[] {
    return this.workers.map((w) => w.proc.pid!);
  }

  private onWorkerMessage(w: WorkerHandle, m: FromWorker) {
    switch (m.t) {
      case 'ready':
        return this.settle(w, '', m);
      case 'stats':
        w.health = m.health;
        for (const [key, s] of m.items) {
          const e = this.streamsByKey.get(key);
          if (e) e.stream.stats = s;
        }
        return;
      case 'frames': {
        const e = this.streamsByKey.get(m.key);
        if (!e) return;
        let at = m.atMs;
        for (const f of m.frames) {
          for (const l of e.call.listeners) if (l.label === null || l.label === e.stream.spool.label) l.onFrame(e.stream.spool.label, f, at);
          at += 20;
        }
        return;
      }
      case 'error': {
        const p = this.nextWaiter(w, m.key);
        if (p) p.reject(new Error(m.message));
        else this.ctx.log.warn({ key: m.key, err: m.message }, 'RTP worker error');
        return;
      }
      default:
        return this.settle(w, m.key, m);
    }
  }

  private settle(w: WorkerHandle, key: string, m: FromWorker) {
    this.nextWaiter(w, key, m.t)?.resolve(m);
  }

  /** The oldest waiter on the key for that reply (for an error, the oldest of all), taken off the queue. */
  private nextWaiter(w: WorkerHandle, key: string, reply?: FromWorker['t']): Waiter | undefined {
    const q = w.pending.get(key);
    if (!q) return undefined;
    const i = reply === undefined ? 0 : q.findIndex((p) => p.expects === reply);
    if (i < 0) return undefined;
    const [p] = q.splice(i, 1);
    if (q.length === 0) w.pending.delete(key);
    return p;
  }

  private request(w: WorkerHandle, key: string, msg: Exclude<ToWorker, { t: 'listen' }>): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { expects: REPLY[msg.t], resolve, reject };
      const q = w.pending.get(key);
      if (q) q.push(waiter);
      else w.pending.set(key, [waiter]);
      w.proc.send(msg, (err) => {
        if (!err) return;
        const left = w.pending.get(key);
        const i = left?.indexOf(waiter) ?? -1;
        if (i >= 0) left!.splice(i, 1);
        if (left && left.length === 0) w.pending.delete(key);
        reject(err);
      });
    });
  }

  private leastLoaded(): WorkerHandle {
    return this.workers.reduce((a, b) => (b.streams < a.streams ? b : a));
  }

  async openCall(callId: string, tenantId: string, streams: StreamOffer[], meta: SiprecMetadata): Promise<StreamAnswer[]> {
    if (this.closed) throw new Error('the media pool is closed');
    if (this.calls.has(callId)) return this.updateCall(callId, streams, meta);
    const now = Date.now();
    const dir = spoolFolder(this.spoolDir, callId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const dek = randomBytes(32);
    const id = newId();
    const wrapped = this.ctx.keyring.wrapDek(tenantId, id, dek);
    const call: LiveCall = {
      worker: this.leastLoaded(),
      manifest: {
        version: 1,
        callId,
        tenantId,
        openedAt: new Date(now).toISOString(),
        openedAtMs: now,
        meta,
        streams: [],
        pauses: [],
        closedAtMs: null,
        closeReason: null,
        conversationId: null,
        segmentId: null,
      },
      dir,
      keys: { dek, wrappedKey: wrapped.wrappedKey, kekId: wrapped.kekId, id },
      streams: new Map(),
      pausedBy: { api: false, sip: false },
      listeners: new Set(),
      closing: null,
    };
    this.calls.set(callId, call);
    const allInactive = streams.length > 0 && streams.every((s) => s.direction === 'inactive');
    if (allInactive) {
      call.pausedBy.sip = true;
      call.manifest.pauses.push({ startMs: 0, endMs: null, by: 'sip' });
    }
    try {
      const answers = await this.applyOffer(call, streams);
      this.saveManifest(call);
      return answers;
    } catch (err) {
      await this.closeCall(callId, 'error').catch(() => {});
      throw err;
    }
  }

  async updateCall(callId: string, streams: StreamOffer[], meta?: SiprecMetadata): Promise<StreamAnswer[]> {
    const call = this.live(callId);
    if (meta) call.manifest.meta = meta;
    const answers = await this.applyOffer(call, streams);
    // RFC 7866 §8.1.2: every stream inactive = the SRC paused the recording; sendonly/sendrecv again = resume.
    const active = streams.filter((s) => s.remote?.port !== 0);
    const inactive = active.length > 0 && active.every((s) => s.direction === 'inactive');
    await this.pauseBy(call, 'sip', inactive);
    this.saveManifest(call);
    return answers;
  }

  async setPaused(callId: string, paused: boolean, by: 'api' | 'sip'): Promise<void> {
    const call = this.live(callId);
    await this.pauseBy(call, by, paused);
    this.saveManifest(call);
  }

  private async pauseBy(call: LiveCall, by: 'api' | 'sip', paused: boolean) {
    const was = call.pausedBy.api || call.pausedBy.sip;
    call.pausedBy[by] = paused;
    const now = call.pausedBy.api || call.pausedBy.sip;
    if (was === now) return;
    const at = Date.now() - call.manifest.openedAtMs;
    if (now) call.manifest.pauses.push({ startMs: at, endMs: null, by });
    else {
      const open = call.manifest.pauses.find((p) => p.endMs === null);
      if (open) open.endMs = at;
    }
    await this.applyPause(call, now);
  }

  /**
   * Resolves once every worker has the pause in effect, so a caller told "paused" (an agent about to read a card
   * number) can rely on nothing after it being kept.
   */
  private async applyPause(call: LiveCall, paused: boolean) {
    const streams = [...call.streams.values()].filter((s) => !s.removed);
    await Promise.all(streams.map((s) => this.request(s.worker, s.key, { t: 'pause', key: s.key, paused })));
  }

  /** Opens new m-lines, updates changed ones, closes removed ones; answers in the offer's order. */
  private async applyOffer(call: LiveCall, offers: StreamOffer[]): Promise<StreamAnswer[]> {
    const answers: (StreamAnswer | Promise<StreamAnswer>)[] = [];
    for (const offer of [...offers].sort((a, b) => a.index - b.index)) {
      const existing = call.streams.get(offer.index);
      if (offer.remote?.port === 0) {
        // The SRC removed this m-line (port 0): stop receiving, keep what was recorded.
        if (existing && !existing.removed) await this.closeStream(call, existing);
        answers.push(rejected(offer, existing?.spool.answer.reason ?? 'stream removed by the recording client'));
        continue;
      }
      const plan = planStream(offer, existing?.spool.answer.crypto ?? null);
      if (!plan.answer.port && plan.answer.reason) {
        answers.push({ ...plan.answer, address: this.advertiseAddress });
        continue;
      }
      if (existing && !existing.removed) {
        const spec = plan.spec;
        // Same SDES key from the SRC: keep the session (its rollover counter), else re-key.
        if (sameKey(existing.offer, offer)) spec.srtp = null;
        await this.request(existing.worker, existing.key, { t: 'update', key: existing.key, ...spec });
        existing.offer = offer;
        existing.spool.answer = {
          ...plan.answer,
          port: existing.spool.answer.port,
          address: this.advertiseAddress,
          crypto: existing.spool.answer.crypto ?? plan.answer.crypto,
        };
        answers.push(existing.spool.answer);
        continue;
      }
      // New m-lines open in parallel (one round trip to the worker for the whole call, not one per leg).
      answers.push(this.openStream(call, offer, plan));
    }
    const settled = await Promise.allSettled(answers);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return settled.map((r) => (r as PromiseFulfilledResult<StreamAnswer>).value);
  }

  private async openStream(call: LiveCall, offer: StreamOffer, plan: ReturnType<typeof planStream>): Promise<StreamAnswer> {
    const worker = call.worker;
    const key = `${call.manifest.callId}#${offer.index}#${newId()}`;
    const spoolId = newId();
    const dek = randomBytes(32);
    const wrapped = this.ctx.keyring.wrapDek(call.manifest.tenantId, spoolId, dek);
    const file = `stream-${offer.index}-${call.manifest.streams.length}.esblob`;
    const paused = call.pausedBy.api || call.pausedBy.sip;
    worker.streams++;
    let reply: FromWorker;
    try {
      reply = await this.request(worker, key, {
        t: 'open',
        key,
        openedAt: call.manifest.openedAtMs,
        spoolPath: path.join(call.dir, file),
        spoolId,
        dek,
        paused,
        ...plan.spec,
      });
    } catch (err) {
      worker.streams--;
      throw err;
    } finally {
      dek.fill(0);
    }
    const port = (reply as Extract<FromWorker, { t: 'opened' }>).port;
    const answer: StreamAnswer = { ...plan.answer, port, address: this.advertiseAddress };
    const spool: SpoolStream = {
      index: offer.index,
      label: offer.label,
      file,
      spoolId,
      wrappedKey: wrapped.wrappedKey,
      kekId: wrapped.kekId,
      answer,
      codec: plan.codecName,
      storedRaw: answer.storedRaw,
      reason: answer.reason,
      ...(plan.spec.coded ? { coded: plan.spec.coded.codec } : {}),
    };
    call.manifest.streams.push(spool);
    const live: LiveStream = { key, worker, spool, stats: null, offer, removed: false };
    call.streams.set(offer.index, live);
    this.streamsByKey.set(key, { call, stream: live });
    // Paused or resumed while the worker was opening it: the open carried the state from before.
    const pausedNow = call.pausedBy.api || call.pausedBy.sip;
    if (pausedNow !== paused) await this.request(worker, key, { t: 'pause', key, paused: pausedNow });
    if ([...call.listeners].some((l) => l.label === null || l.label === offer.label)) worker.proc.send({ t: 'listen', key, on: true } satisfies ToWorker);
    return answer;
  }

  private async closeStream(call: LiveCall, s: LiveStream) {
    s.removed = true;
    const reply = (await this.request(s.worker, s.key, { t: 'close', key: s.key })) as Extract<FromWorker, { t: 'closed' }>;
    s.worker.streams--;
    s.spool.closed = true;
    s.spool.result = reply.result;
    s.stats = reply.result.stats;
    this.streamsByKey.delete(s.key);
    // A re-opened m-line index gets a new stream entry; this one stays in the manifest for finalisation.
    call.streams.delete(s.spool.index);
  }

  closeCall(callId: string, reason: CloseReason): Promise<CloseResult> {
    const call = this.calls.get(callId);
    const lost = this.lost.get(callId);
    if (lost) {
      this.lost.delete(callId);
      return lost;
    }
    if (!call) return Promise.resolve({ conversationId: null, quality: [], flags: [] });
    call.closing ??= this.doClose(call, reason);
    return call.closing;
  }

  private async doClose(call: LiveCall, reason: CloseReason): Promise<CloseResult> {
    const m = call.manifest;
    m.closedAtMs = Date.now();
    m.closeReason = reason;
    const open = m.pauses.find((p) => p.endMs === null);
    if (open) open.endMs = m.closedAtMs - m.openedAtMs;
    for (const s of [...call.streams.values()])
      if (!s.removed) await this.closeStream(call, s).catch((err) => this.ctx.log.error({ err, callId: m.callId }, 'closing an RTP stream failed'));
    call.listeners.clear();
    this.saveManifest(call);
    try {
      if (!this.o.finalise) {
        fs.rmSync(call.dir, { recursive: true, force: true });
        return { conversationId: null, quality: qualityOf(m), flags: [] };
      }
      return await finaliseSpool(this.ctx, call.dir, m, { cancelled: reason === 'cancel', save: (x) => writeManifest(call.dir, x, call.keys) });
    } finally {
      call.keys.dek.fill(0);
      this.calls.delete(m.callId);
    }
  }

  stats(callId: string): StreamQuality[] {
    const call = this.calls.get(callId);
    if (!call) return [];
    return [...call.streams.values()].filter((s) => s.stats).map((s) => toQuality(s.spool.label, s.stats!));
  }

  /** Live quality of every stream of every open call (the bench's drain check, a health view). */
  statsOfAll(): StreamQuality[] {
    return [...this.calls.keys()].flatMap((id) => this.stats(id));
  }

  subscribe(callId: string, label: string | null, onFrame: FrameListener): () => void {
    const call = this.calls.get(callId);
    if (!call) return () => {};
    const l = { label, onFrame };
    call.listeners.add(l);
    const sync = () => {
      for (const s of call.streams.values()) {
        if (s.removed) continue;
        const on = [...call.listeners].some((x) => x.label === null || x.label === s.spool.label);
        s.worker.proc.send({ t: 'listen', key: s.key, on } satisfies ToWorker);
      }
    };
    sync();
    return () => {
      if (call.listeners.delete(l)) sync();
    };
  }

  /** Stops the workers; calls still open stay in the spool and are finalised by the next start's recover(). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.calls.values()) this.saveManifest(call);
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.proc.exitCode !== null || w.proc.signalCode !== null) return resolve();
            w.proc.once('exit', () => resolve());
            w.proc.disconnect();
            setTimeout(() => w.proc.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  }

  private live(callId: string): LiveCall {
    const call = this.calls.get(callId);
    if (!call || call.closing) throw new Error(`no open recording ${callId}`);
    return call;
  }

  private saveManifest(call: LiveCall) {
    try {
      writeManifest(call.dir, call.manifest, call.keys);
    } catch (err) {
      this.ctx.log.error({ err, callId: call.manifest.callId }, 'writing the recorder spool manifest failed');
    }
  }
}

function sameKey(a: StreamOffer, b: StreamOffer) {
  return a.crypto.length > 0 && a.crypto.map((c) => c.keyParams).join() === b.crypto.map((c) => c.keyParams).join();
}

function rejected(offer: StreamOffer, reason: string): StreamAnswer {
  return { label: offer.label, index: offer.index, port: 0, address: '', codec: null, extraCodecs: [], crypto: null, reason, storedRaw: false };
}

/** What the pool answers for one m-line and what the worker needs to receive it. */
export function planStream(offer: StreamOffer, ourCrypto: CryptoOffer | null): { answer: StreamAnswer; spec: StreamSpec; codecName: string } {
  const audio = offer.codecs.filter((c) => c.name !== 'telephone-event' && c.name !== 'cn');
  const dtmf = offer.codecs.find((c) => c.name === 'telephone-event' && c.rate === 8000) ?? null;
  const cn = offer.codecs.filter((c) => c.name === 'cn');
  const g711 = audio.find((c) => AUDIO.has(c.name) && c.rate === 8000);
  const chosen: CodecOffer | undefined = g711 ?? audio.find((c) => CODED_CODECS.has(c.name)) ?? audio[0];
  const none = { answer: rejected(offer, ''), spec: { audioPts: [], rawPts: [], dtmfPt: null, cnPts: [], srtp: null } as StreamSpec, codecName: '' };
  if (!chosen) return { ...none, answer: rejected(offer, 'no audio codec offered') };
  let crypto: CryptoOffer | null = null;
  let srtp: StreamSpec['srtp'] = null;
  if (offer.crypto.length) {
    const theirs = offer.crypto.find((c) => isSupportedSuite(c.suite));
    if (!theirs) return { ...none, answer: rejected(offer, `no supported SRTP crypto suite (offered ${offer.crypto.map((c) => c.suite).join(', ')})`) };
    srtp = { suite: theirs.suite, keyParams: theirs.keyParams };
    // SDES: the answer carries our own key for our (unused, recvonly) direction, with the tag and suite chosen.
    crypto =
      ourCrypto && ourCrypto.suite === theirs.suite
        ? ourCrypto
        : { tag: theirs.tag, suite: theirs.suite, keyParams: `inline:${randomBytes(30).toString('base64')}` };
  }
  // G.722 and Opus are kept packet by packet and decoded by ffmpeg at finalisation, never in the receive loop.
  const coded = !g711 && CODED_CODECS.has(chosen.name) ? { pt: chosen.pt, codec: chosen.name as 'g722' | 'opus' } : null;
  const raw = !g711 && !coded;
  const reason = raw ? (RAW_REASONS[chosen.name] ?? `unsupported codec ${chosen.name.toUpperCase()}: the payloads are stored as received`) : null;
  // Every G.711 law offered stays accepted, so a later switch between them needs no new answer.
  const laws = audio.filter((c) => AUDIO.has(c.name) && c.rate === 8000);
  return {
    answer: {
      label: offer.label,
      index: offer.index,
      port: 1,
      address: '',
      codec: chosen,
      extraCodecs: [...(dtmf ? [dtmf] : []), ...cn],
      crypto,
      reason,
      storedRaw: raw,
    },
    spec: {
      audioPts: g711 ? laws.map((c) => [c.pt, c.name as 'pcmu' | 'pcma']) : [],
      rawPts: raw ? [chosen.pt] : [],
      coded,
      dtmfPt: dtmf?.pt ?? null,
      cnPts: cn.map((c) => c.pt),
      srtp,
    },
    codecName: chosen.name,
  };
}

export function qualityOf(m: SpoolManifest): StreamQuality[] {
  return m.streams.filter((s) => s.result).map((s) => toQuality(s.label, s.result!.stats, s.result!.intervals));
}

export type { StreamResult, AssuranceFlag };
