// The per-stream timeline on its own: packets in, µ-law bytes out, positions by RTP timestamp on the wall clock.
import { describe, expect, it } from 'vitest';
import { buildRtp, newHeader, parseRtp } from './packet.ts';
import { ALAW_TO_ULAW, StreamTimeline } from './timeline.ts';

function make(openedAt = 0) {
  const sealed: Buffer[] = [];
  const t = new StreamTimeline(
    {
      audioPts: new Map([
        [0, 'pcmu' as const],
        [8, 'pcma' as const],
      ]),
      dtmfPt: 101,
      cnPts: new Set([13]),
      chunkBytes: 800,
      onSeal: (b) => sealed.push(Buffer.from(b)),
    },
    openedAt,
  );
  const h = newHeader();
  const push = (seq: number, ts: number, arrival: number, payload: Buffer, pt = 0, ssrc = 7) => {
    const p = buildRtp({ pt, seq: seq & 0xffff, ts: ts >>> 0, ssrc }, payload);
    expect(parseRtp(p, p.length, h)).toBe(true);
    t.push(p, h, arrival);
  };
  const all = () => {
    const rest = Buffer.from(t.finish());
    return Buffer.concat([...sealed, rest]);
  };
  return { t, push, all };
}

const frame = (v: number) => Buffer.alloc(160, v);

describe('StreamTimeline', () => {
  it('reorders, drops duplicates and fills a loss with silence, across the sequence and timestamp wrap', () => {
    const { t, push, all } = make();
    const seq0 = 65530;
    const ts0 = 0xffffffff - 800 + 1;
    const order = [0, 1, 3, 2, 4, 4, 6, 7, 8, 9]; // 3/2 swapped, 4 twice, 5 lost
    for (const i of order) push(seq0 + i, ts0 + i * 160, i * 20, frame(i + 1));
    const out = all();
    expect(out.length).toBe(10 * 160);
    for (let i = 0; i < 10; i++) expect(out[i * 160]).toBe(i === 5 ? 0xff : i + 1);
    const s = t.snapshot();
    expect(s).toMatchObject({ received: 9, expected: 10, duplicate: 1, late: 0 });
  });

  it('a packet behind what is written is late; a leg starting later starts with silence', () => {
    const { t, push, all } = make();
    push(100, 1000, 500, frame(1)); // 500 ms after the call opened
    for (let i = 1; i < 22; i++) push(100 + i + 1, 1000 + (i + 1) * 160, 500 + i * 20, frame(2));
    push(101, 1160, 800, frame(9)); // far too late: its slot was filled with silence
    const out = all();
    expect(out.subarray(0, 4000).every((b) => b === 0xff)).toBe(true);
    expect(out[4000]).toBe(1);
    expect(out[4160]).toBe(0xff);
    expect(t.snapshot().late).toBe(1);
  });

  it('DTMF is an event, CN and DTMF time is silence, A-law is stored as µ-law', () => {
    const { t, push, all } = make();
    push(1, 0, 0, frame(0x10));
    const ev = (dur: number, end: boolean) => Buffer.from([11, end ? 0x80 : 0, dur >> 8, dur & 0xff]);
    push(2, 160, 20, ev(160, false), 101);
    push(3, 160, 40, ev(320, true), 101);
    push(4, 160, 41, ev(320, true), 101);
    push(5, 480, 60, Buffer.from([0x40]), 13);
    push(6, 640, 80, frame(0xd5), 8);
    const out = all();
    expect(t.dtmf).toEqual([{ digit: '#', offsetMs: 20, durationMs: 40 }]);
    expect(out.length).toBe(5 * 160);
    expect(out.subarray(160, 640).every((b) => b === 0xff)).toBe(true);
    expect(out[640]).toBe(ALAW_TO_ULAW[0xd5]);
  });

  it('paused: nothing kept; after resume the audio lands at its wall-clock time', () => {
    const { t, push, all } = make();
    push(1, 0, 0, frame(1));
    t.pause();
    push(2, 160, 20, frame(2));
    t.resume();
    // The SRC resumes with a jump in sequence and timestamp (or without: the wall clock decides).
    push(500, 99999, 1000, frame(3));
    const out = all();
    expect(out.length).toBe(1000 * 8 + 160);
    expect(out[0]).toBe(1);
    expect(out.subarray(160, 8000).every((b) => b === 0xff)).toBe(true);
    expect(out[8000]).toBe(3);
    expect(t.snapshot()).toMatchObject({ discarded: 1, received: 2, expected: 2 });
  });

  it('seals whole chunks only; live frames are 20 ms of µ-law from the live edge', () => {
    const { t, push } = make();
    for (let i = 0; i < 12; i++) push(i, i * 160, i * 20, frame(i + 1));
    t.liveFromNow();
    const frames: number[] = [];
    push(12, 12 * 160, 240, frame(50));
    t.liveFrames((f, at) => frames.push(f[0]!, at));
    expect(frames).toEqual([50, 240]);
    const sealed: number[] = [];
    (t as unknown as { o: { onSeal: (b: Buffer) => void } }).o.onSeal = (b) => sealed.push(b.length);
    t.seal();
    expect(sealed).toEqual([1600]);
  });
});
