import { describe, expect, it } from 'vitest';
import { isWav, parseWav, readWavSamples } from './wav.ts';
import { chunk, expectMediaError, fmtBody, ksGuid, riff } from './test-fixtures.ts';

const pcm = (n: number) => Buffer.alloc(n, 1);

describe('parseWav: layouts', () => {
  it('reads a canonical 44-byte-header PCM file', () => {
    const buf = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', pcm(8000 * 4))]);
    expect(parseWav(buf, 'a.wav')).toEqual({
      format: 'pcm',
      bitsPerSample: 16,
      sampleRate: 8000,
      channels: 2,
      dataOffset: 44,
      dataBytes: 32000,
      frames: 8000,
      durationMs: 1000,
      blockAlign: 4,
    });
    expect(isWav(buf)).toBe(true);
  });

  it('walks LIST, fact and odd-sized chunks (with their pad byte) before data', () => {
    const buf = riff([
      chunk('LIST', Buffer.from('INFOISFT\x05\x00\x00\x00sox!!', 'latin1')), // 17 bytes: odd, padded
      chunk('fmt ', fmtBody({ tag: 7, bits: 8, extra: Buffer.from([0, 0]) })),
      chunk('fact', Buffer.from([0x40, 0x1f, 0, 0])),
      chunk('junk', Buffer.alloc(3)),
      chunk('data', pcm(8000)),
    ]);
    const info = parseWav(buf);
    expect(info).toMatchObject({ format: 'mulaw', bitsPerSample: 8, channels: 1, frames: 8000, durationMs: 1000 });
    expect(buf.toString('latin1', info.dataOffset - 8, info.dataOffset - 4)).toBe('data');
  });

  it('tolerates a writer that forgot the pad byte after an odd chunk', () => {
    const buf = riff([chunk('LIST', Buffer.alloc(5), { pad: false }), chunk('fmt ', fmtBody()), chunk('data', pcm(1600))]);
    expect(parseWav(buf).frames).toBe(800);
  });

  it('reads the fmt chunk after the data chunk', () => {
    const buf = riff([chunk('data', pcm(1600)), chunk('fmt ', fmtBody())]);
    expect(parseWav(buf)).toMatchObject({ dataOffset: 20, frames: 800 });
  });

  it('stops at the declared data size when chunks follow the data', () => {
    const buf = riff([chunk('fmt ', fmtBody()), chunk('data', pcm(1600)), chunk('LIST', Buffer.alloc(100))]);
    expect(parseWav(buf)).toMatchObject({ dataBytes: 1600, frames: 800 });
  });

  it('reads to the end of the file when a streaming writer left the data size at 0 or 0xFFFFFFFF', () => {
    for (const size of [0, 0xffffffff]) {
      const buf = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', pcm(4003), { size, pad: false })], { size: 0xffffffff });
      expect(parseWav(buf)).toMatchObject({ dataBytes: 4000, frames: 1000, durationMs: 125 });
    }
  });

  it('accepts data shorter than declared by less than a frame, dropping the partial frame', () => {
    const buf = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', pcm(4002), { size: 4004, pad: false })]);
    expect(parseWav(buf)).toMatchObject({ dataBytes: 4000, frames: 1000 });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE PCM, mu-law and A-law', () => {
    const pcm24 = riff([chunk('fmt ', fmtBody({ tag: 0xfffe, channels: 2, bits: 24, sampleRate: 48000 })), chunk('data', pcm(48000 * 6))]);
    expect(parseWav(pcm24)).toMatchObject({ format: 'pcm', bitsPerSample: 24, channels: 2, sampleRate: 48000, frames: 48000, durationMs: 1000 });
    const mulaw = riff([chunk('fmt ', fmtBody({ tag: 0xfffe, bits: 8, guid: ksGuid(7) })), chunk('data', pcm(80))]);
    expect(parseWav(mulaw).format).toBe('mulaw');
    const alaw = riff([chunk('fmt ', fmtBody({ tag: 0xfffe, bits: 8, guid: ksGuid(6) })), chunk('data', pcm(80))]);
    expect(parseWav(alaw).format).toBe('alaw');
  });

  it('reads RF64 through its ds64 chunk', () => {
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(0n, 0);
    ds64.writeBigUInt64LE(1600n, 8);
    ds64.writeBigUInt64LE(800n, 16);
    const buf = riff([chunk('ds64', ds64), chunk('fmt ', fmtBody()), chunk('data', pcm(1600), { size: 0xffffffff }), chunk('LIST', Buffer.alloc(10))], {
      magic: 'RF64',
      size: 0xffffffff,
    });
    expect(parseWav(buf)).toMatchObject({ frames: 800, dataBytes: 1600 });
  });

  it('accepts up to 8 channels and 4-192 kHz', () => {
    expect(parseWav(riff([chunk('fmt ', fmtBody({ channels: 8 })), chunk('data', pcm(160))])).channels).toBe(8);
    expect(parseWav(riff([chunk('fmt ', fmtBody({ sampleRate: 4000 })), chunk('data', pcm(160))])).sampleRate).toBe(4000);
    expect(parseWav(riff([chunk('fmt ', fmtBody({ sampleRate: 192000 })), chunk('data', pcm(160))])).sampleRate).toBe(192000);
  });

  it('reads only the header: a gigabyte of samples parses in no time', () => {
    const head = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', Buffer.alloc(0), { size: 2 ** 30 })]);
    const buf = Buffer.concat([head, Buffer.allocUnsafe(2 ** 30)]);
    const t0 = performance.now();
    expect(parseWav(buf).frames).toBe(2 ** 28);
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('parses the beginning of a longer file against its total length', () => {
    const buf = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', pcm(40000))]);
    expect(parseWav(buf.subarray(0, 100), 'head.wav', buf.length)).toMatchObject({ dataOffset: 44, frames: 10000 });
    const streamed = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', pcm(40000), { size: 0xffffffff })]);
    expect(parseWav(streamed.subarray(0, 100), 'head.wav', streamed.length)).toMatchObject({ frames: 10000 });
  });

  it('accepts a Uint8Array as well as a Buffer', () => {
    const buf = riff([chunk('fmt ', fmtBody()), chunk('data', Buffer.from([1, 0, 255, 255]))]);
    const u8 = new Uint8Array(buf);
    const info = parseWav(u8);
    expect(Array.from(readWavSamples(u8, info))).toEqual([1, -1]);
  });
});

describe('parseWav: broken files say what is wrong', () => {
  const ok = (fmt = fmtBody()) => riff([chunk('fmt ', fmt), chunk('data', pcm(1600))]);

  it('empty file', async () => {
    await expectMediaError(() => parseWav(Buffer.alloc(0), 'empty.wav'), 'VALIDATION_FAILED', 'EMPTY_AUDIO', /"empty\.wav" is empty/);
  });

  it('wrong magic', async () => {
    await expectMediaError(
      () => parseWav(Buffer.from('OggS\0\x02\0\0\0\0\0\0\0\0'), 'x.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'NOT_WAV',
      /"x\.wav" is not a WAV file/,
    );
    await expectMediaError(() => parseWav(riff([], { form: 'AVI ' }), 'movie.wav'), 'UNSUPPORTED_MEDIA_TYPE', 'NOT_WAV', /RIFF file of type "AVI "/);
  });

  it('truncated header', async () => {
    const full = ok();
    await expectMediaError(() => parseWav(full.subarray(0, 10), 'cut.wav'), 'VALIDATION_FAILED', 'TRUNCATED_AUDIO', /"cut\.wav" is truncated/);
    await expectMediaError(() => parseWav(full.subarray(0, 30), 'cut.wav'), 'VALIDATION_FAILED', 'TRUNCATED_AUDIO', /"fmt " chunk declares 16 bytes/);
    await expectMediaError(() => parseWav(full.subarray(0, 39), 'cut.wav'), 'VALIDATION_FAILED', 'TRUNCATED_AUDIO', /before the data chunk/);
  });

  it('missing fmt chunk', async () => {
    const buf = riff([chunk('LIST', Buffer.alloc(4)), chunk('data', pcm(1600))]);
    await expectMediaError(() => parseWav(buf, 'nofmt.wav'), 'VALIDATION_FAILED', 'CORRUPT_AUDIO', /"nofmt\.wav" .*no fmt chunk/);
  });

  it('missing data chunk', async () => {
    const buf = riff([chunk('fmt ', fmtBody()), chunk('LIST', Buffer.alloc(4))]);
    await expectMediaError(() => parseWav(buf, 'nodata.wav'), 'VALIDATION_FAILED', 'CORRUPT_AUDIO', /"nodata\.wav" .*no data chunk/);
  });

  it('data shorter than declared: says how much is missing', async () => {
    const buf = riff([chunk('fmt ', fmtBody()), chunk('data', pcm(8000), { size: 16000 })]);
    const err = await expectMediaError(
      () => parseWav(buf, 'upload.wav'),
      'VALIDATION_FAILED',
      'TRUNCATED_AUDIO',
      /"upload\.wav" is truncated: its data chunk declares 16000 bytes \(1 s\) but only 8000 are present; 0\.5 s \(8000 bytes\) of audio are missing/,
    );
    expect(err.details).toMatchObject({ filename: 'upload.wav', missingBytes: 8000 });
  });

  it('unsupported format tags are named', async () => {
    const adpcm = ok(fmtBody({ tag: 0x11, bits: 4, blockAlign: 256 }));
    await expectMediaError(
      () => parseWav(adpcm, 'adpcm.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CODEC',
      /^"adpcm\.wav": IMA ADPCM \(tag 0x11\) is not supported; convert to PCM or G\.711$/,
    );
    await expectMediaError(() => parseWav(ok(fmtBody({ tag: 3, bits: 32 })), 'f.wav'), 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CODEC', /IEEE float \(tag 0x3\)/);
    await expectMediaError(
      () => parseWav(ok(fmtBody({ tag: 0x31, bits: 0 })), 'g.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CODEC',
      /GSM 6\.10 \(tag 0x31\)/,
    );
    await expectMediaError(
      () => parseWav(ok(fmtBody({ tag: 0x1234 })), 'u.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CODEC',
      /tag 0x1234\) is not supported/,
    );
  });

  it('unsupported PCM sample sizes', async () => {
    await expectMediaError(
      () => parseWav(ok(fmtBody({ bits: 32 })), 'i32.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CODEC',
      /32-bit PCM, which is not supported/,
    );
    await expectMediaError(() => parseWav(ok(fmtBody({ bits: 12, blockAlign: 2 })), 'i12.wav'), 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CODEC', /12-bit PCM/);
  });

  it('WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID', async () => {
    const guid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    await expectMediaError(
      () => parseWav(ok(fmtBody({ tag: 0xfffe, guid })), 'ext.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CODEC',
      /"ext\.wav" uses an unknown WAVE_FORMAT_EXTENSIBLE sub-format \{67452301-AB89-EFCD-0123-456789ABCDEF\}/,
    );
    await expectMediaError(
      () => parseWav(ok(fmtBody({ tag: 0xfffe, guid: ksGuid(3), bits: 32 })), 'extf.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CODEC',
      /IEEE float \(tag 0x3, in WAVE_FORMAT_EXTENSIBLE\)/,
    );
    const short = fmtBody({ tag: 0xfffe }).subarray(0, 18);
    await expectMediaError(() => parseWav(ok(short), 'short.wav'), 'VALIDATION_FAILED', 'CORRUPT_AUDIO', /EXTENSIBLE fmt chunk is 18 bytes/);
  });

  it('zero channels, too many channels', async () => {
    await expectMediaError(
      () => parseWav(ok(fmtBody({ channels: 0, blockAlign: 0 })), 'zero.wav'),
      'VALIDATION_FAILED',
      'CORRUPT_AUDIO',
      /"zero\.wav" .*declares 0 channels/,
    );
    await expectMediaError(
      () => parseWav(ok(fmtBody({ channels: 9 })), 'nine.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_CHANNELS',
      /"nine\.wav" has 9 channels; at most 8/,
    );
  });

  it('absurd sample rates', async () => {
    await expectMediaError(() => parseWav(ok(fmtBody({ sampleRate: 0 })), 'r.wav'), 'VALIDATION_FAILED', 'CORRUPT_AUDIO', /sample rate of 0 Hz/);
    await expectMediaError(
      () => parseWav(ok(fmtBody({ sampleRate: 2000 })), 'r.wav'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_SAMPLE_RATE',
      /2000 Hz, outside the supported 4000-192000 Hz/,
    );
    await expectMediaError(() => parseWav(ok(fmtBody({ sampleRate: 384000 })), 'r.wav'), 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_SAMPLE_RATE', /384000 Hz/);
  });

  it('zero frames', async () => {
    const empty = riff([chunk('fmt ', fmtBody()), chunk('data', Buffer.alloc(0))]);
    await expectMediaError(() => parseWav(empty, 'silence.wav'), 'VALIDATION_FAILED', 'EMPTY_AUDIO', /"silence\.wav" contains no audio/);
    const oneByte = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', Buffer.alloc(3), { pad: false })]);
    await expectMediaError(() => parseWav(oneByte, 'partial.wav'), 'VALIDATION_FAILED', 'EMPTY_AUDIO');
  });

  it('a fmt chunk that is too short', async () => {
    await expectMediaError(() => parseWav(ok(fmtBody().subarray(0, 14)), 'f.wav'), 'VALIDATION_FAILED', 'CORRUPT_AUDIO', /fmt chunk is 14 bytes long/);
  });

  it('G.711 with a bits field that contradicts its block alignment', async () => {
    await expectMediaError(
      () => parseWav(ok(fmtBody({ tag: 7, bits: 16, blockAlign: 2 })), 'm.wav'),
      'VALIDATION_FAILED',
      'CORRUPT_AUDIO',
      /mu-law with 16 bits/,
    );
    // A wrong bits field with a one-byte block alignment is still plainly G.711.
    expect(parseWav(ok(fmtBody({ tag: 7, bits: 16, blockAlign: 1 }))).bitsPerSample).toBe(8);
  });

  it('quotes and cleans the file name', async () => {
    await expectMediaError(() => parseWav(Buffer.from('nope'), 'evil\nname\u0007.wav'), 'UNSUPPORTED_MEDIA_TYPE', 'NOT_WAV', /^"evilname\.wav" is not/);
  });
});
