import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.ts';
import { splitChannels } from './channels.ts';
import { decodeToPcm16 } from './decode.ts';
import { setFfmpegPath } from './ffmpeg.ts';
import type { PcmReader } from './mix.ts';
import { assertSegmentsReady, checkSegments, encodeMp3, MediaExportError, mp3ExportFilename, mp3Settings, type Mp3Segment } from './mp3.ts';
import { expectMediaError, haveFfmpeg } from './test-fixtures.ts';
import { synthSpeechLike } from './wav-write.ts';

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of stream) parts.push(b);
  return Buffer.concat(parts);
}

function rms(s: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i]! * s[i]!;
  return Math.sqrt(sum / Math.max(1, s.length));
}

/** A reader over samples that fails (as a blob store would) for reads that touch bytes at or after failAt. */
function failingReader(samples: Int16Array, failAt: number): { reader: PcmReader; pcmBytes: number } {
  const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return {
    pcmBytes: bytes.length,
    reader: async (offset, length) => {
      if (offset + length > failAt && offset < bytes.length - 2) {
        throw new DomainError('INTEGRITY_FAILURE', 'Blob b-7 failed its integrity check: chunk 3 does not decrypt');
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}

const silence = (ms: number, rate: number) => new Int16Array(Math.round((ms * rate) / 1000));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-mp3-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A stand-in ffmpeg that only leaves a trace that it was started (and fails). */
function fakeFfmpeg(script: string): string {
  const file = path.join(tmp, `ffmpeg-${Math.random().toString(36).slice(2)}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

describe('names and settings', () => {
  it('names the export <conversationId>_<UTC timestamp>.mp3', () => {
    expect(mp3ExportFilename('c-123', new Date('2024-01-31T15:45:00.123Z'))).toBe('c-123_20240131T154500Z.mp3');
    expect(mp3ExportFilename('../a b/c', new Date('2024-01-31T15:45:00Z'))).toBe('a_b_c_20240131T154500Z.mp3');
  });

  it('encodes 8 kHz calls at 16 kHz (ISO MPEG-2, not 2.5) and follows wideband segments up', () => {
    expect(mp3Settings([{ segmentId: 's', sampleRate: 8000, parties: [] }])).toEqual({ sampleRate: 16000, bitrateKbps: 32, channels: 2 });
    expect(
      mp3Settings([
        { segmentId: 's', sampleRate: 8000, parties: [] },
        { segmentId: 't', sampleRate: 44100, parties: [] },
      ]),
    ).toMatchObject({
      sampleRate: 44100,
    });
    expect(mp3Settings([{ segmentId: 's', sampleRate: 8000, parties: [] }], { channels: 1 })).toEqual({ sampleRate: 16000, bitrateKbps: 24, channels: 1 });
  });
});

describe('pre-flight', () => {
  afterEach(() => setFfmpegPath(undefined));

  it('names the first bad segment and counts the others', () => {
    expect(() => assertSegmentsReady([{ segmentId: 'a', contactId: 'k1', ok: true }])).not.toThrow();
    let err: unknown;
    try {
      assertSegmentsReady([
        { segmentId: 'a', contactId: 'k1', ok: true },
        { segmentId: 'b', contactId: 'k2', ok: false, reason: 'its recording was deleted by retention' },
        { segmentId: 'c', contactId: 'k3', ok: false },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MediaExportError);
    const e = err as MediaExportError;
    expect(e.reason).toBe('SEGMENT_MEDIA_UNAVAILABLE');
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(
      'Segment b (contact k2) has no usable media: its recording was deleted by retention. No file was produced. 1 more segment(s) have the same problem.',
    );
    expect(e.details).toMatchObject({ segmentId: 'b', contactId: 'k2', segmentIds: ['b', 'c'] });
  });

  it('finds missing, empty and short streams', async () => {
    const ok = synthSpeechLike(200, 8000, 1);
    const missing: PcmReader = async () => {
      throw new DomainError('NOT_FOUND', 'Blob b-9 was not found');
    };
    const short: PcmReader = async (offset, length) => new Uint8Array(offset > 100 ? 0 : length);
    const checks = await checkSegments([
      { segmentId: 's1', contactId: 'k1', sampleRate: 8000, parties: [{ samples: ok, side: 'calling' }] },
      {
        segmentId: 's2',
        contactId: 'k2',
        sampleRate: 8000,
        parties: [
          { samples: ok, side: 'calling' },
          { reader: missing, pcmBytes: 800, side: 'called' },
        ],
      },
      { segmentId: 's3', sampleRate: 8000, parties: [] },
      { segmentId: 's4', sampleRate: 8000, parties: [{ samples: new Int16Array(0), side: 'called', label: 'stream x' }] },
      { segmentId: 's5', sampleRate: 8000, parties: [{ reader: short, pcmBytes: 800, side: 'called', label: 'stream y' }] },
    ]);
    expect(checks).toEqual([
      { segmentId: 's1', contactId: 'k1', ok: true },
      { segmentId: 's2', contactId: 'k2', ok: false, reason: 'Blob b-9 was not found' },
      { segmentId: 's3', contactId: null, ok: false, reason: 'it has no audio streams' },
      { segmentId: 's4', contactId: null, ok: false, reason: 'stream x is empty' },
      { segmentId: 's5', contactId: null, ok: false, reason: 'stream y ends before its recorded length of 800 bytes' },
    ]);
  });

  it('rejects before ffmpeg is started when a segment is missing: no file is produced', async () => {
    const marker = path.join(tmp, 'started');
    setFfmpegPath(fakeFfmpeg(`touch ${marker}; exit 1`));
    const missing: PcmReader = async () => {
      throw new DomainError('NOT_FOUND', 'Blob b-9 was not found');
    };
    const segments: Mp3Segment[] = [
      { segmentId: 'seg-1', contactId: 'k1', sampleRate: 8000, parties: [{ samples: synthSpeechLike(300, 8000, 1), side: 'calling' }] },
      { segmentId: 'seg-2', contactId: 'k2', sampleRate: 8000, parties: [{ reader: missing, pcmBytes: 4000, side: 'called' }] },
    ];
    await expect(encodeMp3(segments)).rejects.toMatchObject({
      reason: 'SEGMENT_MEDIA_UNAVAILABLE',
      message: expect.stringMatching(/^Segment seg-2 \(contact k2\) has no usable media: Blob b-9 was not found/),
      details: expect.objectContaining({ segmentId: 'seg-2' }),
    });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('fails with FFMPEG_MISSING when there is no ffmpeg', async () => {
    setFfmpegPath(null);
    const seg: Mp3Segment = { segmentId: 's', sampleRate: 8000, parties: [{ samples: synthSpeechLike(100, 8000, 1), side: 'calling' }] };
    await expectMediaError(() => encodeMp3([seg]), 'UNSUPPORTED_MEDIA_TYPE', 'FFMPEG_MISSING', /ffmpeg is needed to export MP3/);
    setFfmpegPath('/nonexistent/ffmpeg');
    await expectMediaError(() => encodeMp3([seg]), 'UNSUPPORTED_MEDIA_TYPE', 'FFMPEG_MISSING', /ENOENT/);
  });

  it('reports an ffmpeg failure with its message, before any byte', async () => {
    setFfmpegPath(fakeFfmpeg(`echo "[error] Unknown encoder 'libmp3lame'" >&2; exit 1`));
    const seg: Mp3Segment = { segmentId: 's', sampleRate: 8000, parties: [{ samples: synthSpeechLike(100, 8000, 1), side: 'calling' }] };
    const err = await encodeMp3([seg]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaExportError);
    expect(err).toMatchObject({ reason: 'ENCODE_FAILED', code: 'INTERNAL' });
    expect((err as Error).message).toBe("MP3 encoding failed: Unknown encoder 'libmp3lame' (this ffmpeg has no libmp3lame encoder)");
  });

  it('validates its input', async () => {
    await expect(encodeMp3([])).rejects.toThrow(/no segments/);
    const seg: Mp3Segment = { segmentId: 's', sampleRate: 8000, parties: [{ samples: new Int16Array(10), side: 'calling' }] };
    await expect(encodeMp3([seg], { gapMs: -1 })).rejects.toThrow(/gap/);
    await expect(encodeMp3([{ ...seg, sampleRate: 0 }])).rejects.toThrow(/sample rate/);
    await expect(encodeMp3([seg], { sampleRate: 17000 })).rejects.toThrow(/17000 Hz/);
    await expect(encodeMp3([seg], { quality: 12 })).rejects.toThrow(/quality/);
  });
});

describe.skipIf(!haveFfmpeg())('encodeMp3 with ffmpeg', () => {
  it('merges segments of different rates, with the stereo placement and the gap, into an MP3 of the right length', async () => {
    // Segment 1 (8 kHz): only the calling party speaks; segment 2 (16 kHz): only the called party.
    const s1 = synthSpeechLike(3000, 8000, 1);
    const s2 = synthSpeechLike(2000, 16000, 2);
    const segments: Mp3Segment[] = [
      {
        segmentId: 'a',
        sampleRate: 8000,
        parties: [
          { samples: s1, side: 'calling' },
          { samples: silence(3000, 8000), side: 'called' },
        ],
      },
      {
        segmentId: 'b',
        sampleRate: 16000,
        parties: [
          { samples: silence(2000, 16000), side: 'calling' },
          { samples: s2, side: 'called' },
        ],
        gapBeforeMs: 1500,
      },
    ];
    const mp3 = await collect(await encodeMp3(segments));
    expect(mp3.subarray(0, 3).toString('latin1')).not.toBe('ID3'); // bare frames: no tag to leak metadata
    expect(mp3[0]).toBe(0xff);
    const decoded = await decodeToPcm16(mp3, 'export.mp3');
    expect(decoded.sampleRate).toBe(16000);
    expect(decoded.channels).toBe(2);
    // 3 s + 1.5 s + 2 s, plus at most the encoder delay and the last frame's padding.
    expect(decoded.durationMs).toBeGreaterThanOrEqual(6500 - 20);
    expect(decoded.durationMs).toBeLessThanOrEqual(6500 + 150);

    const [left, right] = splitChannels(decoded.samples, 2);
    const at = (ms: number) => Math.round((ms * 16000) / 1000);
    const first = { l: rms(left!.subarray(at(100), at(2900))), r: rms(right!.subarray(at(100), at(2900))) };
    const gap = { l: rms(left!.subarray(at(3200), at(4300))), r: rms(right!.subarray(at(3200), at(4300))) };
    const second = { l: rms(left!.subarray(at(4600), at(6400))), r: rms(right!.subarray(at(4600), at(6400))) };
    // Both channels carry audio; calling louder on the left by 1/0.6, called louder on the right.
    expect(first.l).toBeGreaterThan(500);
    expect(first.r).toBeGreaterThan(300);
    expect(first.l / first.r).toBeGreaterThan(1.45);
    expect(first.l / first.r).toBeLessThan(1.9);
    expect(second.r / second.l).toBeGreaterThan(1.45);
    expect(second.r / second.l).toBeLessThan(1.9);
    expect(Math.max(gap.l, gap.r)).toBeLessThan(20);
  });

  it('mixes down to mono on request', async () => {
    const seg: Mp3Segment = {
      segmentId: 'a',
      sampleRate: 8000,
      parties: [
        { samples: synthSpeechLike(1000, 8000, 1), side: 'calling' },
        { samples: synthSpeechLike(1000, 8000, 2), side: 'called' },
      ],
    };
    const decoded = await decodeToPcm16(await collect(await encodeMp3([seg], { channels: 1 })), 'mono.mp3');
    expect(decoded.channels).toBe(1);
    expect(Math.abs(decoded.durationMs - 1000)).toBeLessThan(150);
    expect(rms(decoded.samples)).toBeGreaterThan(500);
  });

  it('fails the stream, naming the segment, when media breaks after the first bytes went out', async () => {
    // The checks read the first and last samples only; chunk damage at 40 s of 60 s shows up mid-encode.
    const broken = synthSpeechLike(60_000, 8000, 2);
    const segments: Mp3Segment[] = [
      { segmentId: 'bad-1', contactId: 'k1', sampleRate: 8000, parties: [{ ...failingReader(broken, 40 * 16000), side: 'called' }] },
      { segmentId: 'ok-2', sampleRate: 8000, parties: [{ samples: synthSpeechLike(2000, 8000, 1), side: 'calling' }] },
    ];
    const stream = await encodeMp3(segments, { blockFrames: 4096 });
    let received = 0;
    const err = await (async () => {
      for await (const b of stream) received += (b as Buffer).length;
    })().catch((e: unknown) => e);
    expect(received).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(MediaExportError);
    expect(err).toMatchObject({ reason: 'SEGMENT_MEDIA_UNAVAILABLE', details: expect.objectContaining({ segmentId: 'bad-1', cause: 'INTEGRITY_FAILURE' }) });
    expect((err as Error).message).toMatch(/^Segment bad-1 \(contact k1\): its media could not be read: Blob b-7 failed its integrity check/);
  });

  it('rejects before the first byte when a later segment breaks early', async () => {
    const segments: Mp3Segment[] = [
      { segmentId: 'ok-1', sampleRate: 8000, parties: [{ samples: synthSpeechLike(2000, 8000, 1), side: 'calling' }] },
      { segmentId: 'bad-2', sampleRate: 8000, parties: [{ ...failingReader(synthSpeechLike(8000, 8000, 2), 20_000), side: 'called' }] },
    ];
    // Every input is fed from the start, so this is found before ffmpeg has output anything.
    await expect(encodeMp3(segments, { blockFrames: 4096 })).rejects.toMatchObject({
      reason: 'SEGMENT_MEDIA_UNAVAILABLE',
      details: expect.objectContaining({ segmentId: 'bad-2' }),
    });
  });

  it('stops ffmpeg when cancelled', async () => {
    const ac = new AbortController();
    const seg: Mp3Segment = { segmentId: 'long', sampleRate: 8000, parties: [{ samples: synthSpeechLike(60_000, 8000, 3), side: 'calling' }] };
    const stream = await encodeMp3([seg], { signal: ac.signal, blockFrames: 4096 });
    let chunks = 0;
    const err = await (async () => {
      for await (const _ of stream) if (++chunks === 1) ac.abort();
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'ENCODE_ABORTED' });
  });
});
