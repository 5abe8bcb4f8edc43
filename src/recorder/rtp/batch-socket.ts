// How an RTP worker receives its streams' datagrams: one UDP socket per stream either way, through one of two paths.
//
// - 'batch' (Linux, koffi loads, libc has the calls): the sockets are made through libc (socket, SO_RCVBUF and
//   SO_RCVBUFFORCE best effort, SO_TIMESTAMPNS, bind), registered in one epoll instance per worker, and drained from
//   the worker's poll: epoll_wait(timeout 0), then recvmmsg(MSG_DONTWAIT) per ready socket into one preallocated
//   native batch area reused for every call. Each slot of that area has a Buffer view made once, so a packet costs
//   no Buffer, no address object, no event and no garbage; its arrival time is the kernel's (SCM_TIMESTAMPNS,
//   CLOCK_REALTIME = Date.now()'s clock, in fractional ms), so packets drained together keep their own times and the
//   jitter figures stay those of the network, not of the poll.
// - 'dgram' (everything else, or EARSHOT_RTP_RECEIVE=dgram): node:dgram, one 'message' event per datagram, arrival
//   time Date.now() in the event.
//
// Both hand the worker (buf, len, arrivalMs) per datagram, `buf` starting at the datagram. On the batch path `buf` is
// the slot's view, valid only during the call: the handler copies what it keeps (the timeline already does).
// Each poll slice is bounded (packets per socket and in all), so at 1,500 calls the event loop is never held long;
// a socket left with data is level-triggered in epoll and drained by the next slice (scheduled at once with
// setImmediate when the budget ran out, so IPC and timers run in between). SO_RCVBUF absorbs the wait.
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';

type Koffi = typeof KoffiModule;

export type ReceivePath = 'batch' | 'dgram';

/** Called per datagram: `buf[0..len)` is the datagram; `arrivalMs` is on Date.now()'s clock (fractional on batch). */
export type PacketHandler = (buf: Buffer, len: number, arrivalMs: number) => void;

export interface RtpSocket {
  readonly port: number;
  /**
   * Closes the socket. On the batch path what already waits in it is handed out first (the last packets before a
   * BYE are the call's); then delivery stops at once (also for packets of a batch being handed out), and the socket
   * leaves epoll before it is closed.
   */
  close(): void;
}

export interface ReceiverOptions {
  bindAddress: string;
  /** Even ports in [portMin, portMax] are handed out cycling. */
  portMin: number;
  portMax: number;
  rcvbufBytes: number;
  /** 'dgram' forces node:dgram; 'batch' (default) uses it when available, else falls back to dgram. */
  path?: ReceivePath;
  /** Datagrams taken from one socket per recvmmsg call, and at most per slice (default 32). */
  perSocket?: number;
  /** Datagrams handed out per poll slice across all sockets before the rest waits for the next slice (default 2048). */
  perSlice?: number;
}

export interface Receiver {
  readonly path: ReceivePath;
  /** A new socket on the next free even port of the range. */
  open(onPacket: PacketHandler, onError: (err: Error) => void): Promise<RtpSocket>;
  /** Batch path: drains ready sockets (one bounded slice, more slices follow by setImmediate). dgram: nothing. */
  poll(): void;
  /** Datagrams dropped because they did not fit a slot (larger than any RTP packet the recorder takes). */
  readonly truncated: number;
  close(): void;
}

/** Even ports cycling through the range, so a just-closed port is not reused at once (late packets of an ended call). */
class PortCycle {
  private next = 0;
  private readonly used = new Set<number>();
  readonly span: number;
  constructor(
    private readonly min: number,
    max: number,
  ) {
    this.span = Math.floor((max - min) / 2) + 1;
  }

  /** Tries ports in cycle order until `tryBind` accepts one. */
  async take(tryBind: (port: number) => boolean | Promise<boolean>): Promise<number> {
    for (let tries = 0; tries < this.span; tries++) {
      const port = this.min + 2 * ((this.next + tries) % this.span);
      if (this.used.has(port)) continue;
      if (await tryBind(port)) {
        this.next = (this.next + tries + 1) % this.span;
        this.used.add(port);
        return port;
      }
    }
    throw new Error(`no free RTP port in ${this.min}-${this.min + 2 * (this.span - 1)}`);
  }

  release(port: number) {
    this.used.delete(port);
  }
}

export function createReceiver(o: ReceiverOptions): Receiver {
  if ((o.path ?? 'batch') === 'batch') {
    const lib = loadBatchLib();
    if (lib && net.isIPv4(o.bindAddress)) return new BatchReceiver(lib, o);
  }
  return new DgramReceiver(o);
}

/** The path `createReceiver` takes for this setting on this machine (the bench prints it). */
export function receivePathFor(setting: string | undefined): ReceivePath {
  return setting !== 'dgram' && loadBatchLib() ? 'batch' : 'dgram';
}

/** EARSHOT_RTP_RECEIVE: 'batch' (default) or 'dgram'. */
export function receiveSetting(env: NodeJS.ProcessEnv = process.env): ReceivePath {
  const v = env.EARSHOT_RTP_RECEIVE?.trim().toLowerCase();
  return v === 'dgram' ? 'dgram' : 'batch';
}

// ---- dgram --------------------------------------------------------------------------------------------------------

class DgramReceiver implements Receiver {
  readonly path = 'dgram' as const;
  readonly truncated = 0;
  private readonly ports: PortCycle;
  constructor(private readonly o: ReceiverOptions) {
    this.ports = new PortCycle(o.portMin, o.portMax);
  }

  async open(onPacket: PacketHandler, onError: (err: Error) => void): Promise<RtpSocket> {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: this.o.rcvbufBytes });
    const port = await this.ports.take(
      (p) =>
        new Promise<boolean>((resolve) => {
          const onErr = () => resolve(false);
          socket.once('error', onErr);
          socket.bind({ port: p, address: this.o.bindAddress, exclusive: true }, () => {
            socket.off('error', onErr);
            resolve(true);
          });
        }),
    );
    let open = true;
    let threw = false;
    socket.on('message', (msg, rinfo) => {
      if (!open) return;
      try {
        onPacket(msg, rinfo.size, Date.now());
      } catch (err) {
        // As on the batch path: the datagram is lost, reported once, and the worker goes on.
        if (!threw) onError(err as Error);
        threw = true;
      }
    });
    socket.on('error', onError);
    return {
      port,
      close: () => {
        if (!open) return;
        open = false;
        this.ports.release(port);
        socket.close();
      },
    };
  }

  poll() {}
  close() {}
}

// ---- batch (Linux: epoll + recvmmsg through koffi) ----------------------------------------------------------------

// Linux constants (asm-generic; the same on x86_64 and aarch64).
const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;
const SO_TIMESTAMPNS = 35;
const SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
const EPOLL_CLOEXEC = 0o2000000;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLLIN = 0x1;
const EPOLLERR = 0x8;
const MSG_DONTWAIT = 0x40;
const MSG_TRUNC = 0x20;
const MSG_CTRUNC = 0x8;
const EINTR = 4;
const EAGAIN = 11;

// LP64 layouts: struct mmsghdr (msghdr 56 bytes + msg_len, padded to 64), struct iovec 16, a control area per slot
// with room for one SCM_TIMESTAMPNS (cmsghdr 16 + timespec 16) and some spare.
const MMSG = 64;
const OFF_IOV = 16;
const OFF_IOVLEN = 24;
const OFF_CONTROL = 32;
const OFF_CONTROLLEN = 40;
const OFF_FLAGS = 48;
const OFF_LEN = 56;
const IOV = 16;
const CTRL = 64;
/** Bytes per slot: more than any RTP packet (1,500-byte MTU); a larger datagram is truncated and dropped. */
const SLOT_BYTES = 2048;
/** Slots in the batch area: the most one recvmmsg takes. */
const SLOTS = 64;
const MAX_EVENTS = 256;

interface BatchLib {
  koffi: Koffi;
  socket: (domain: number, type: number, protocol: number) => number;
  setsockopt: (fd: number, level: number, name: number, value: Buffer, len: number) => number;
  getsockopt: (fd: number, level: number, name: number, value: Buffer, len: Buffer) => number;
  bind: (fd: number, addr: Buffer, len: number) => number;
  close: (fd: number) => number;
  epollCreate1: (flags: number) => number;
  epollCtl: (ep: number, op: number, fd: number, ev: Buffer | null) => number;
  epollWait: (ep: number, events: unknown, max: number, timeout: number) => number;
  recvmmsg: (fd: number, vec: unknown, n: number, flags: number, timeout: null) => number;
  strerror: (e: number) => string;
  /** x86_64 packs struct epoll_event (12 bytes); other LP64 ABIs align it (16). */
  eventBytes: number;
}

let batchLib: BatchLib | null | undefined;

/** libc's calls through koffi (loaded lazily: a machine without koffi or not on Linux receives through dgram). */
function loadBatchLib(): BatchLib | null {
  if (batchLib !== undefined) return batchLib;
  batchLib = null;
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64') || os.endianness() !== 'LE') return null;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as Koffi;
    const libc = koffi.load('libc.so.6');
    batchLib = {
      koffi,
      socket: libc.func('int socket(int, int, int)'),
      setsockopt: libc.func('int setsockopt(int, int, int, const void *, uint32_t)'),
      getsockopt: libc.func('int getsockopt(int, int, int, void *, void *)'),
      bind: libc.func('int bind(int, const void *, uint32_t)'),
      close: libc.func('int close(int)'),
      epollCreate1: libc.func('int epoll_create1(int)'),
      epollCtl: libc.func('int epoll_ctl(int, int, int, void *)'),
      epollWait: libc.func('int epoll_wait(int, void *, int, int)'),
      recvmmsg: libc.func('int recvmmsg(int, void *, unsigned int, int, void *)'),
      strerror: libc.func('const char *strerror(int)'),
      eventBytes: process.arch === 'x64' ? 12 : 16,
    };
  } catch {
    batchLib = null;
  }
  return batchLib;
}

interface BatchSocket extends RtpSocket {
  fd: number;
  open: boolean;
  onPacket: PacketHandler;
  onError: (err: Error) => void;
  /** A handler that threw is reported once, not per packet. */
  threw: boolean;
}

class BatchReceiver implements Receiver {
  readonly path = 'batch' as const;
  truncated = 0;
  private readonly ports: PortCycle;
  private readonly ep: number;
  private readonly vec: unknown;
  private readonly events: unknown;
  private readonly u32: Uint32Array;
  private readonly ev32: Uint32Array;
  private readonly slots: Buffer[] = [];
  private readonly ctrlIdx: number[] = [];
  private readonly byFd: (BatchSocket | undefined)[] = [];
  private readonly perSocket: number;
  private readonly perSlice: number;
  private readonly int = Buffer.alloc(4);
  private readonly evBuf: Buffer;
  private again: NodeJS.Immediate | null = null;
  private closed = false;
  /** True while datagrams of the batch area are being handed out. */
  private handing = false;

  constructor(
    private readonly lib: BatchLib,
    private readonly o: ReceiverOptions,
  ) {
    this.ports = new PortCycle(o.portMin, o.portMax);
    this.perSocket = Math.max(1, Math.min(SLOTS, o.perSocket ?? 32));
    this.perSlice = Math.max(1, o.perSlice ?? 2048);
    const { koffi } = lib;
    this.ep = lib.epollCreate1(EPOLL_CLOEXEC);
    if (this.ep < 0) throw new Error(`epoll_create1: ${lib.strerror(koffi.errno())}`);
    // One arena: [mmsghdr × SLOTS][iovec × SLOTS][control × SLOTS][payload × SLOTS], pointers written once.
    const ctrlAt = SLOTS * (MMSG + IOV);
    const payloadAt = ctrlAt + SLOTS * CTRL;
    const size = payloadAt + SLOTS * SLOT_BYTES;
    this.vec = koffi.alloc('uint8_t', size);
    const base = koffi.address(this.vec);
    const ab = koffi.view(this.vec, size);
    const view = new DataView(ab);
    this.u32 = new Uint32Array(ab);
    const bytes = Buffer.from(ab);
    bytes.fill(0);
    for (let i = 0; i < SLOTS; i++) {
      const h = i * MMSG;
      const iov = SLOTS * MMSG + i * IOV;
      view.setBigUint64(iov, base + BigInt(payloadAt + i * SLOT_BYTES), true);
      view.setBigUint64(iov + 8, BigInt(SLOT_BYTES), true);
      view.setBigUint64(h + OFF_IOV, base + BigInt(iov), true);
      view.setBigUint64(h + OFF_IOVLEN, 1n, true);
      view.setBigUint64(h + OFF_CONTROL, base + BigInt(ctrlAt + i * CTRL), true);
      view.setBigUint64(h + OFF_CONTROLLEN, BigInt(CTRL), true);
      this.slots.push(bytes.subarray(payloadAt + i * SLOT_BYTES, payloadAt + (i + 1) * SLOT_BYTES));
      this.ctrlIdx.push((ctrlAt + i * CTRL) / 4);
    }
    this.events = koffi.alloc('uint8_t', MAX_EVENTS * lib.eventBytes);
    this.ev32 = new Uint32Array(koffi.view(this.events, MAX_EVENTS * lib.eventBytes));
    this.evBuf = Buffer.alloc(16);
  }

  private fail(call: string): Error {
    return new Error(`${call}: ${this.lib.strerror(this.lib.koffi.errno())}`);
  }

  async open(onPacket: PacketHandler, onError: (err: Error) => void): Promise<RtpSocket> {
    if (this.closed) throw new Error('receiver closed');
    const lib = this.lib;
    const fd = lib.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw this.fail('socket');
    let port: number;
    try {
      const int = this.int;
      int.writeInt32LE(Math.min(this.o.rcvbufBytes, 0x7fffffff), 0);
      // Capped by net.core.rmem_max; SO_RCVBUFFORCE (CAP_NET_ADMIN) goes past it when the process may.
      lib.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, int, 4);
      lib.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, int, 4);
      int.writeInt32LE(1, 0);
      if (lib.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, int, 4) < 0) throw this.fail('setsockopt(SO_TIMESTAMPNS)');
      const addr = Buffer.alloc(16);
      addr.writeUInt16LE(AF_INET, 0);
      const ip = this.o.bindAddress.split('.').map(Number);
      for (let i = 0; i < 4; i++) addr[4 + i] = ip[i]!;
      port = await this.ports.take((p) => {
        addr.writeUInt16BE(p, 2);
        return lib.bind(fd, addr, 16) === 0;
      });
      const ev = this.evBuf;
      ev.fill(0);
      ev.writeUInt32LE(EPOLLIN, 0);
      ev.writeUInt32LE(fd, lib.eventBytes === 12 ? 4 : 8);
      if (lib.epollCtl(this.ep, EPOLL_CTL_ADD, fd, ev) < 0) {
        const err = this.fail('epoll_ctl');
        this.ports.release(port);
        throw err;
      }
    } catch (err) {
      lib.close(fd);
      throw err;
    }
    const s: BatchSocket = {
      fd,
      port,
      open: true,
      threw: false,
      onPacket,
      onError,
      close: () => {
        if (!s.open) return;
        // What already arrived belongs to the stream (its last packets before the BYE): handed out before the socket
        // goes, up to a bound. Not from inside a handler of this receiver: the batch area is in use.
        if (!this.handing && !this.closed) for (let n = 0, k = SLOTS; k === SLOTS && n < 1024; n += k) k = this.drain(s, SLOTS);
        s.open = false;
        // Out of epoll before the close: the number may be reused by the next socket at once.
        lib.epollCtl(this.ep, EPOLL_CTL_DEL, fd, null);
        if (this.byFd[fd] === s) this.byFd[fd] = undefined;
        lib.close(fd);
        this.ports.release(port);
      },
    };
    this.byFd[fd] = s;
    return s;
  }

  poll(): void {
    if (this.closed || this.again) return;
    if (this.slice()) {
      this.again = setImmediate(() => {
        this.again = null;
        this.poll();
      });
    }
  }

  /** One bounded slice; true when the budget ran out with sockets possibly still holding data. */
  private slice(): boolean {
    const lib = this.lib;
    const evStride = lib.eventBytes / 4;
    const fdAt = lib.eventBytes === 12 ? 1 : 2;
    let budget = this.perSlice;
    // Level-triggered epoll returns a socket again while it holds data, and rotates its ready list between calls, so
    // a few rounds cover every ready socket without starving any.
    for (let round = 0; round < 64 && budget > 0; round++) {
      const n = lib.epollWait(this.ep, this.events, MAX_EVENTS, 0);
      if (n <= 0) return false;
      for (let e = 0; e < n && budget > 0; e++) {
        const flags = this.ev32[e * evStride]!;
        const s = this.byFd[this.ev32[e * evStride + fdAt]!];
        if (!s || !s.open) continue;
        if (flags & EPOLLERR) this.socketError(s);
        budget -= this.drain(s, Math.min(this.perSocket, budget));
      }
      if (n < MAX_EVENTS && budget > 0) return false;
    }
    return budget <= 0;
  }

  /** One recvmmsg of up to `max` datagrams from `s`, handed out in order; returns how many it took. */
  private drain(s: BatchSocket, max: number): number {
    const lib = this.lib;
    const u32 = this.u32;
    const k = lib.recvmmsg(s.fd, this.vec, max, MSG_DONTWAIT, null);
    if (k < 0) {
      const e = lib.koffi.errno();
      if (e !== EAGAIN && e !== EINTR) s.onError(new Error(`recvmmsg: ${lib.strerror(e)}`));
      return 0;
    }
    let fallback = -1;
    this.handing = true;
    for (let i = 0; i < k; i++) {
      const h = (i * MMSG) / 4;
      const len = u32[h + OFF_LEN / 4]!;
      const mflags = u32[h + OFF_FLAGS / 4]!;
      const clen = u32[h + OFF_CONTROLLEN / 4]!;
      // The kernel wrote what it used: the next call needs the full control area again.
      u32[h + OFF_CONTROLLEN / 4] = CTRL;
      if (!s.open) continue;
      if (mflags & MSG_TRUNC) {
        this.truncated++;
        continue;
      }
      let arrival: number;
      const c = this.ctrlIdx[i]!;
      // cmsghdr { size_t len; int level; int type; } then struct timespec { time_t sec; long nsec; } (LP64).
      if (clen >= 32 && !(mflags & MSG_CTRUNC) && u32[c + 2] === SOL_SOCKET && u32[c + 3] === SCM_TIMESTAMPNS) {
        arrival = (u32[c + 4]! + u32[c + 5]! * 4294967296) * 1000 + u32[c + 6]! / 1e6;
      } else arrival = fallback < 0 ? (fallback = Date.now()) : fallback;
      try {
        s.onPacket(this.slots[i]!, len, arrival);
      } catch (err) {
        // Never the worker: a handler that throws loses that datagram, is reported once, and the batch goes on.
        if (!s.threw) {
          s.threw = true;
          s.onError(err as Error);
        }
      }
    }
    this.handing = false;
    return k;
  }

  private socketError(s: BatchSocket) {
    const v = Buffer.alloc(4);
    const l = Buffer.alloc(4);
    l.writeUInt32LE(4, 0);
    if (this.lib.getsockopt(s.fd, SOL_SOCKET, SO_ERROR, v, l) === 0 && v.readInt32LE(0) !== 0) s.onError(new Error(this.lib.strerror(v.readInt32LE(0))));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.again) clearImmediate(this.again);
    for (const s of this.byFd) s?.close();
    this.lib.close(this.ep);
    // The arenas stay allocated: a Buffer view of them may still be referenced (the process is ending anyway).
  }
}
