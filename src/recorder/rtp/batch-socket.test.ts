// The RTP worker's receive paths (batch-socket.ts): the batch path (libc sockets, epoll, recvmmsg into one native
// batch area, kernel arrival times) where this machine has it, and node:dgram, its fallback. Real sockets on
// loopback; no timed assertions (the arrival-time test compares the kernel's times with the sender's own clock).
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, receivePathFor, receiveSetting, type PacketHandler, type Receiver, type RtpSocket } from './batch-socket.ts';
import { buildRtp, newHeader, parseRtp } from './packet.ts';
import { StreamTimeline } from './timeline.ts';

const HAS_BATCH = receivePathFor('batch') === 'batch';
const BASE = 41000 + (process.pid % 200) * 40;

const receivers: Receiver[] = [];
const senders: dgram.Socket[] = [];
afterEach(() => {
  for (const r of receivers.splice(0)) r.close();
  for (const s of senders.splice(0)) s.close();
});

function receiver(path: 'batch' | 'dgram', extra: { perSocket?: number; perSlice?: number; portMin?: number } = {}): Receiver {
  const portMin = extra.portMin ?? BASE;
  const r = createReceiver({ bindAddress: '127.0.0.1', portMin, portMax: portMin + 30, rcvbufBytes: 1 << 20, path, ...extra });
  receivers.push(r);
  return r;
}

async function sender(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  senders.push(s);
  return s;
}

const sendTo = (s: dgram.Socket, port: number, b: Buffer) => new Promise<void>((r, j) => s.send(b, port, '127.0.0.1', (e) => (e ? j(e) : r())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls (batch) or waits (dgram) until `done()` or a generous bound; no assertion on how long it took. */
async function until(r: Receiver, done: () => boolean) {
  for (let i = 0; i < 400 && !done(); i++) {
    r.poll();
    await sleep(10);
  }
}

interface Got {
  bytes: Buffer;
  arrival: number;
}
const collector =
  (into: Got[]): PacketHandler =>
  (buf, len, arrival) =>
    into.push({ bytes: Buffer.from(buf.subarray(0, len)), arrival });

describe('receive setting', () => {
  it('EARSHOT_RTP_RECEIVE picks dgram only when asked; anything else is the batch path (with its fallback)', () => {
    expect(receiveSetting({})).toBe('batch');
    expect(receiveSetting({ EARSHOT_RTP_RECEIVE: 'dgram' })).toBe('dgram');
    expect(receiveSetting({ EARSHOT_RTP_RECEIVE: ' DGRAM ' })).toBe('dgram');
    expect(receivePathFor('dgram')).toBe('dgram');
    expect(createReceiver({ bindAddress: '::1', portMin: BASE, portMax: BASE + 2, rcvbufBytes: 1 << 16 }).path).toBe('dgram');
  });
});

for (const path of ['batch', 'dgram'] as const) {
  describe.skipIf(path === 'batch' && !HAS_BATCH)(`${path} path`, () => {
    it('binds even ports cycling through the range (a busy one skipped, a released one not reused at once) and delivers datagrams whole, in order', async () => {
      const busy = dgram.createSocket('udp4');
      await new Promise<void>((r) => busy.bind(BASE + 2, '127.0.0.1', () => r()));
      senders.push(busy);
      const r = receiver(path);
      expect(r.path).toBe(path);
      const a: Got[] = [];
      const b: Got[] = [];
      const sa = await r.open(collector(a), () => {});
      const sb = await r.open(collector(b), () => {});
      expect([sa.port, sb.port]).toEqual([BASE, BASE + 4]);
      sa.close();
      const sc = await r.open(collector([]), () => {});
      expect(sc.port).toBe(BASE + 6);
      const tx = await sender();
      const packets = Array.from({ length: 40 }, (_, i) => buildRtp({ pt: 0, seq: i, ts: i * 160, ssrc: 7 }, Buffer.alloc(160 + (i % 3), i)));
      for (const p of packets) await sendTo(tx, sb.port, p);
      await until(r, () => b.length >= packets.length);
      expect(b.map((g) => g.bytes)).toEqual(packets);
      expect(a).toEqual([]);
      const t = Date.now();
      for (const g of b) expect(Math.abs(g.arrival - t)).toBeLessThan(60_000);
    });

    it('a socket closed while its datagrams wait is not called again; a handler that throws is reported once and the rest still comes', async () => {
      const r = receiver(path, { portMin: BASE + 100 });
      let calls = 0;
      const s: RtpSocket = await r.open(
        () => {
          calls++;
          s.close();
        },
        () => {},
      );
      const errors: Error[] = [];
      const thrown: Got[] = [];
      const t = await r.open(
        (buf, len, at) => {
          if (buf[0] === 0xee) throw new Error('malformed');
          thrown.push({ bytes: Buffer.from(buf.subarray(0, len)), arrival: at });
        },
        (e) => errors.push(e),
      );
      const tx = await sender();
      for (let i = 0; i < 5; i++) await sendTo(tx, s.port, Buffer.alloc(20, i));
      for (let i = 0; i < 6; i++) await sendTo(tx, t.port, Buffer.alloc(20, i % 2 ? 0xee : i));
      await until(r, () => thrown.length >= 3);
      await sleep(50);
      r.poll();
      expect(calls).toBe(1);
      expect(thrown.map((g) => g.bytes[0])).toEqual([0, 2, 4]);
      expect(errors.map((e) => e.message)).toEqual(['malformed']);
    });
  });
}

describe.skipIf(!HAS_BATCH)('batch path only', () => {
  it('takes the arrival time of each datagram from the kernel: jitter through one late drain is the jitter as sent', async () => {
    const r = receiver('batch', { portMin: BASE + 200 });
    const got: Got[] = [];
    const s = await r.open(collector(got), () => {});
    const tx = await sender();
    // 20 ms of audio per packet, sent 10 and 30 ms apart in turn: RFC 3550 jitter converges on 10 ms. Each send time
    // is taken from the sender's clock as it happens (a loaded machine stretches the pattern; the comparison holds).
    const sentAt: number[] = [];
    const n = 60;
    for (let i = 0; i < n; i++) {
      sentAt.push(performance.timeOrigin + performance.now());
      await sendTo(tx, s.port, buildRtp({ pt: 0, seq: i, ts: i * 160, ssrc: 9 }, Buffer.alloc(160, 0xff)));
      await sleep(i % 2 ? 30 : 10);
    }
    // Not one poll until all were sent: every packet lands in the same drain, a second or more after most were sent.
    r.poll();
    await until(r, () => got.length >= n);
    expect(got).toHaveLength(n);
    const jitter = (arrivals: number[]) => {
      const tl = new StreamTimeline(
        { audioPts: new Map([[0, 'pcmu']]), dtmfPt: null, cnPts: new Set(), chunkBytes: 8000, onSeal: () => {} },
        arrivals[0]! - 1000,
      );
      const h = newHeader();
      got.forEach((g, i) => {
        parseRtp(g.bytes, g.bytes.length, h);
        tl.push(g.bytes, h, arrivals[i]!);
      });
      return tl.snapshot().jitterMs;
    };
    const asSent = jitter(sentAt);
    const received = jitter(got.map((g) => g.arrival));
    const atDrain = jitter(got.map(() => got[got.length - 1]!.arrival + 1));
    expect(asSent).toBeGreaterThan(5);
    expect(Math.abs(received - asSent)).toBeLessThan(2);
    // What one poll time for the whole batch would have said instead.
    expect(Math.abs(atDrain - asSent)).toBeGreaterThan(5);
    for (let i = 0; i < n; i++) expect(got[i]!.arrival).toBeGreaterThanOrEqual(sentAt[i]! - 5);
  });

  it('bounds each slice (per socket and in all); what is left comes with the next slices, in order', async () => {
    const r = receiver('batch', { portMin: BASE + 300, perSocket: 4, perSlice: 10 });
    const a: Got[] = [];
    const b: Got[] = [];
    const sa = await r.open(collector(a), () => {});
    const sb = await r.open(collector(b), () => {});
    const tx = await sender();
    for (let i = 0; i < 30; i++) {
      await sendTo(tx, sa.port, Buffer.from([1, i]));
      await sendTo(tx, sb.port, Buffer.from([2, i]));
    }
    await sleep(50);
    r.poll();
    // One slice ran synchronously: at most 10 in all, at most 4 per socket per recvmmsg.
    expect(a.length + b.length).toBeLessThanOrEqual(10);
    expect(a.length + b.length).toBeGreaterThan(0);
    await until(r, () => a.length >= 30 && b.length >= 30);
    expect(a.map((g) => g.bytes[1])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(b.map((g) => g.bytes[1])).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('closing a socket hands out what already waits in it first (the last packets before a BYE), then nothing more', async () => {
    const r = receiver('batch', { portMin: BASE + 600 });
    const got: Got[] = [];
    const s = await r.open(collector(got), () => {});
    const tx = await sender();
    for (let i = 0; i < 100; i++) await sendTo(tx, s.port, Buffer.from([i]));
    await sleep(50);
    expect(got).toHaveLength(0);
    s.close();
    expect(got.map((g) => g.bytes[0])).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await sendTo(tx, s.port, Buffer.from([200]));
    await sleep(20);
    r.poll();
    expect(got).toHaveLength(100);
  });

  it('drops a datagram larger than a slot (counted) and goes on', async () => {
    const r = receiver('batch', { portMin: BASE + 400 });
    const got: Got[] = [];
    const s = await r.open(collector(got), () => {});
    const tx = await sender();
    await sendTo(tx, s.port, Buffer.alloc(100, 1));
    await sendTo(tx, s.port, Buffer.alloc(4000, 2));
    await sendTo(tx, s.port, Buffer.alloc(100, 3));
    await until(r, () => got.length >= 2);
    expect(got.map((g) => [g.bytes.length, g.bytes[0]])).toEqual([
      [100, 1],
      [100, 3],
    ]);
    expect(r.truncated).toBe(1);
  });

  it("reports a failing receive through the socket's error handler, as socket.on('error') does", async () => {
    const r = receiver('batch', { portMin: BASE + 500 });
    const errors: Error[] = [];
    const s = await r.open(
      () => {},
      (e) => errors.push(e),
    );
    // Put a file where the socket's descriptor was (the socket kept alive by a duplicate, so epoll still reports it
    // readable under that number): the next recvmmsg on that number fails with ENOTSOCK.
    const koffi = createRequire(import.meta.url)('koffi') as typeof KoffiModule;
    const libc = koffi.load('libc.so.6');
    const dup = libc.func('int dup(int)') as (fd: number) => number;
    const dup2 = libc.func('int dup2(int, int)') as (a: number, b: number) => number;
    const close = libc.func('int close(int)') as (fd: number) => number;
    const open = libc.func('int open(const char *, int)') as (p: string, f: number) => number;
    const fd = (s as unknown as { fd: number }).fd;
    const keep = dup(fd);
    const file = open('/dev/null', 0);
    expect(dup2(file, fd)).toBe(fd);
    close(file);
    const tx = await sender();
    await sendTo(tx, s.port, Buffer.alloc(20));
    await until(r, () => errors.length > 0);
    expect(errors[0]?.message).toMatch(/^recvmmsg: Socket operation on non-socket/);
    s.close();
    close(keep);
  });
});
