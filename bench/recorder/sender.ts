// Load generator for `npm run bench:recorder`, in its own process so its CPU is not the recorder's: N streams of
// 20 ms G.711 packets (optionally SRTP) on one 20 ms timer, built per packet from one template per stream (no
// per-call packet arrays: 2,000 streams × 20 s would be hundreds of MB). Reports packets sent and how late ticks ran.
import dgram from 'node:dgram';
import { createSrtpSession, type SrtpSession } from '../../src/recorder/srtp/srtp.ts';

interface Job {
  streams: { port: number; ssrc: number; keyParams: string | null }[];
  seconds: number;
  address: string;
}

process.once('message', (job: Job) => {
  const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
  socket.bind(0, '127.0.0.1', () => run(job, socket));
});

function run(job: Job, socket: dgram.Socket) {
  const audio = Buffer.alloc(8000);
  for (let i = 0; i < audio.length; i++) audio[i] = (Math.imul(i + 1, 2654435761) >>> 24) % 0x7e;
  const streams = job.streams.map((s) => {
    const buf = Buffer.alloc(12 + 160 + 16);
    buf[0] = 0x80;
    buf[1] = 0;
    buf.writeUInt32BE(s.ssrc >>> 0, 8);
    const srtp: SrtpSession | null = s.keyParams ? createSrtpSession('AES_CM_128_HMAC_SHA1_80', s.keyParams, 'outbound') : null;
    return { ...s, buf, srtp };
  });
  const ticks = job.seconds * 50;
  let tick = 0;
  let sent = 0;
  let lateMax = 0;
  const start = performance.now();
  const step = () => {
    const tickStart = performance.now();
    const late = performance.now() - (start + tick * 20);
    if (late > lateMax) lateMax = late;
    const off = (tick % 50) * 160;
    for (const s of streams) {
      const b = s.buf;
      b.writeUInt16BE(tick & 0xffff, 2);
      b.writeUInt32BE((tick * 160) >>> 0, 4);
      audio.copy(b, 12, off, off + 160);
      const len = s.srtp ? s.srtp.protect(b, 172) : 172;
      // send copies nothing: the buffer is reused next tick, so send a copy of the bytes.
      socket.send(Buffer.from(b.subarray(0, len)), s.port, job.address);
      sent++;
    }
    tick++;
    if (tick >= ticks) {
      setTimeout(() => {
        process.send!({ sent, lateMaxMs: Math.round(lateMax) });
        socket.close();
        process.exit(0);
      }, 200);
      return;
    }
    // Paced from this tick, not from the start: a sender that fell behind (a busy machine) must not catch up in a
    // burst, which would measure the kernel's socket buffers instead of the recorder.
    setTimeout(step, Math.max(0, 20 - (performance.now() - tickStart)));
  };
  step();
}
