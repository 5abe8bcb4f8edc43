// SHA-256 on a worker thread, fed through shared memory: hashing a large upload then runs beside its encryption
// instead of after it on the main thread (node's Hash is synchronous; both together would halve write throughput).
import { Worker } from 'node:worker_threads';

// Plain JS so it runs the same under tsx, vitest and a build.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const jobs = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'start') jobs.set(m.job, { hash: createHash('sha256'), mem: new Uint8Array(m.sab) });
  else if (m.op === 'data') {
    const j = jobs.get(m.job);
    if (j) j.hash.update(j.mem.subarray(m.off, m.off + m.len));
    parentPort.postMessage({ op: 'free', job: m.job, slot: m.slot });
  } else if (m.op === 'end') {
    const j = jobs.get(m.job);
    jobs.delete(m.job);
    if (j) parentPort.postMessage({ op: 'digest', job: m.job, hex: j.hash.digest('hex') });
  } else if (m.op === 'abort') jobs.delete(m.job);
});
`;

const SLOT_SIZE = 1024 * 1024;
const SLOTS = 4;

type Msg = { op: 'free'; job: number; slot: number } | { op: 'digest'; job: number; hex: string };

interface JobHooks {
  free(slot: number): void;
  digest(hex: string): void;
  fail(err: Error): void;
}

/** One shared worker per process, started on first use; it does not keep the process alive when idle. */
class HashThread {
  private static current: HashThread | undefined;
  private readonly worker: Worker;
  private readonly jobs = new Map<number, JobHooks>();
  private nextJob = 1;
  private dead: Error | undefined;

  static get(): HashThread {
    if (!HashThread.current || HashThread.current.dead) HashThread.current = new HashThread();
    return HashThread.current;
  }

  private constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (m: Msg) => {
      const j = this.jobs.get(m.job);
      if (!j) return;
      if (m.op === 'free') j.free(m.slot);
      else j.digest(m.hex);
    });
    const die = (err: Error) => {
      this.dead = err;
      for (const j of this.jobs.values()) j.fail(err);
      this.jobs.clear();
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`hash worker exited (${code})`)));
  }

  open(sab: SharedArrayBuffer, hooks: JobHooks): number {
    if (this.dead) throw this.dead;
    const job = this.nextJob++;
    if (this.jobs.size === 0) this.worker.ref(); // pending hashes keep the process alive
    this.jobs.set(job, hooks);
    this.worker.postMessage({ op: 'start', job, sab });
    return job;
  }

  post(msg: Record<string, unknown>): void {
    this.worker.postMessage(msg);
  }

  close(job: number): void {
    if (this.jobs.delete(job) && this.jobs.size === 0) this.worker.unref();
  }
}

const sabPool: SharedArrayBuffer[] = [];

/** Incremental SHA-256 whose work happens on the hash thread. update() copies the bytes, so callers may reuse them. */
export class OffThreadSha256 {
  private readonly thread = HashThread.get();
  private readonly sab = sabPool.pop() ?? new SharedArrayBuffer(SLOT_SIZE * SLOTS);
  private readonly mem = Buffer.from(this.sab);
  private readonly job: number;
  private readonly free: number[] = [];
  private waiter: (() => void) | undefined;
  private slot = -1;
  private fill = 0;
  private failed: Error | undefined;
  private result: { resolve(hex: string): void; reject(err: Error): void } | undefined;
  private done = false;

  constructor() {
    for (let i = 0; i < SLOTS; i++) this.free.push(i);
    this.job = this.thread.open(this.sab, {
      free: (slot) => {
        this.free.push(slot);
        this.wake();
      },
      digest: (hex) => this.finish(() => this.result?.resolve(hex)),
      fail: (err) => {
        this.failed = err;
        this.wake();
        this.finish(() => this.result?.reject(err));
      },
    });
  }

  async update(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      if (this.slot < 0) {
        while (this.free.length === 0 && !this.failed) await new Promise<void>((r) => (this.waiter = r));
        if (this.failed) throw this.failed;
        this.slot = this.free.shift()!;
        this.fill = 0;
      }
      const base = this.slot * SLOT_SIZE;
      const n = Math.min(SLOT_SIZE - this.fill, data.length - off);
      data.copy(this.mem, base + this.fill, off, off + n);
      this.fill += n;
      off += n;
      if (this.fill === SLOT_SIZE) this.send();
    }
  }

  /** Hex digest; the hasher cannot be used afterwards. */
  digest(): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    const p = new Promise<string>((resolve, reject) => (this.result = { resolve, reject }));
    if (this.slot >= 0 && this.fill > 0) this.send();
    this.thread.post({ op: 'end', job: this.job });
    return p;
  }

  /** Gives up (the upload failed); safe to call more than once. */
  abort(): void {
    if (this.done) return;
    this.thread.post({ op: 'abort', job: this.job });
    this.finish(() => {});
  }

  private send(): void {
    this.thread.post({ op: 'data', job: this.job, slot: this.slot, off: this.slot * SLOT_SIZE, len: this.fill });
    this.slot = -1;
    this.fill = 0;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private finish(then: () => void): void {
    if (this.done) return;
    this.done = true;
    this.thread.close(this.job);
    // Reuse the memory only once the worker cannot touch it again (no slot in flight).
    if (!this.failed && this.free.length + (this.slot >= 0 ? 1 : 0) === SLOTS && sabPool.length < 8) sabPool.push(this.sab);
    then();
  }
}
