import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { interleave } from './channels.ts';
import { decodeToPcm16, detectContainer, probeAudio } from './decode.ts';
import { setFfmpegPath } from './ffmpeg.ts';
import { faststartMp4 } from './mp4.ts';
import { encodeWav, seededRandom, synthSpeechLike } from './wav-write.ts';
import { expectMediaError, haveFfmpeg, runFfmpeg } from './test-fixtures.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const withTail = (head: Buffer) => Buffer.concat([head, Buffer.alloc(64)]);

function id3(payload: Buffer): Buffer {
  const tag = Buffer.alloc(10 + 20);
  tag.write('ID3', 0, 'latin1');
  tag[3] = 4;
  tag[9] = 20; // syncsafe size
  return Buffer.concat([tag, payload]);
}

describe('detectContainer: by magic bytes, not by name', () => {
  it.each([
    ['wav', withTail(Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'))],
    ['wav', withTail(Buffer.from('RF64\xff\xff\xff\xffWAVE', 'latin1'))],
    ['mp3', withTail(id3(hex('fffb9064')))],
    ['mp3', withTail(hex('fffb9064'))],
    ['mp3', withTail(hex('fff3'))], // MPEG-2 layer III
    ['mp3', withTail(hex('ffe3'))], // MPEG-2.5 layer III
    ['mp3', withTail(id3(Buffer.alloc(0)))], // an ID3 tag and nothing recognisable after it: MP3, let ffmpeg judge
    ['aac', withTail(hex('fff15080'))],
    ['aac', withTail(id3(hex('fff15080')))],
    ['flac', withTail(id3(Buffer.from('fLaC')))],
    ['ogg', withTail(Buffer.from('OggS'))],
    ['flac', withTail(Buffer.from('fLaC'))],
    ['mp4', withTail(Buffer.from('\0\0\0\x20ftypM4A ', 'latin1'))],
    ['webm', withTail(hex('1a45dfa3'))],
  ])('%s', (expected, buf) => {
    expect(detectContainer(buf)).toBe(expected);
  });

  it('recognises nothing else', () => {
    expect(detectContainer(Buffer.from('<html><body>not audio</body></html>'))).toBeUndefined();
    expect(detectContainer(withTail(hex('ffe8')))).toBeUndefined(); // reserved MPEG version
    expect(detectContainer(Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1'))).toBeUndefined();
    expect(detectContainer(Buffer.alloc(0))).toBeUndefined();
  });

  it('refuses unknown content with a message naming the file and its first bytes', async () => {
    await expectMediaError(
      () => decodeToPcm16(Buffer.from('%PDF-1.7 ...'), 'call.mp3'),
      'UNSUPPORTED_MEDIA_TYPE',
      'UNKNOWN_CONTAINER',
      /^"call\.mp3" is not a recognised audio file \(WAV, MP3, .*; it starts with 25 50 44 46 2d 31 2e 37\)$/,
    );
    await expectMediaError(() => probeAudio(Buffer.alloc(0), 'x.wav'), 'VALIDATION_FAILED', 'EMPTY_AUDIO', /"x\.wav" is empty/);
  });

  it('a WAV named .mp3 is still decoded as WAV', async () => {
    const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(500, 8000, 1) });
    expect(await probeAudio(wav, 'misnamed.mp3')).toMatchObject({ container: 'wav', codec: 'pcm_s16le', durationMs: 500 });
  });
});

describe('decodeToPcm16: WAV', () => {
  it('passes WAV errors through with their reason', async () => {
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: new Int16Array(16000) });
    await expectMediaError(() => decodeToPcm16(wav.subarray(0, 20000), 'cut.wav'), 'VALIDATION_FAILED', 'TRUNCATED_AUDIO', /"cut\.wav" is truncated/);
  });

  it('decodes an hour of 8 kHz stereo 16-bit', async () => {
    const frames = 8000 * 3600;
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: new Int16Array(frames * 2).fill(1234) });
    const decoded = await decodeToPcm16(wav, 'hour.wav');
    expect(decoded).toMatchObject({ sampleRate: 8000, channels: 2, durationMs: 3_600_000 });
    expect(decoded.samples.length).toBe(frames * 2);
    expect(decoded.samples[frames * 2 - 1]).toBe(1234);
  });
});

describe('ffmpeg missing', () => {
  afterEach(() => setFfmpegPath(undefined));

  it('says ffmpeg is needed and how to get it', async () => {
    setFfmpegPath(null);
    const mp3 = withTail(id3(hex('fffb9064')));
    const err = await expectMediaError(
      () => decodeToPcm16(mp3, 'call.mp3'),
      'UNSUPPORTED_MEDIA_TYPE',
      'FFMPEG_MISSING',
      /^ffmpeg is needed to decode MP3; install it \(for example "apt-get install ffmpeg"\) to accept "call\.mp3"$/,
    );
    expect(err.details).toMatchObject({ filename: 'call.mp3', container: 'mp3' });
    await expectMediaError(() => probeAudio(withTail(Buffer.from('OggS')), 'a.opus'), 'UNSUPPORTED_MEDIA_TYPE', 'FFMPEG_MISSING', /decode Ogg/);
  });

  it('treats a configured binary that does not exist as missing', async () => {
    setFfmpegPath('/nonexistent/ffmpeg');
    await expectMediaError(() => decodeToPcm16(withTail(hex('fffb9064')), 'x.mp3'), 'UNSUPPORTED_MEDIA_TYPE', 'FFMPEG_MISSING');
  });
});

describe('faststartMp4', () => {
  const box = (type: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(8 + body.length, 0);
    h.write(type, 4, 'latin1');
    return Buffer.concat([h, body]);
  };
  const stco = (offsets: number[]) => {
    const b = Buffer.alloc(8 + 4 * offsets.length);
    b.writeUInt32BE(offsets.length, 4);
    offsets.forEach((o, i) => b.writeUInt32BE(o, 8 + 4 * i));
    return box('stco', b);
  };

  it('moves moov before mdat and shifts the chunk offsets by its size', () => {
    const ftyp = box('ftyp', Buffer.from('M4A \0\0\0\0', 'latin1'));
    const mdat = box('mdat', Buffer.from('AAAABBBB'));
    const chunkOffsets = [ftyp.length + 8, ftyp.length + 12];
    const moov = box('moov', box('trak', box('mdia', box('minf', box('stbl', stco(chunkOffsets))))));
    const file = Buffer.concat([ftyp, mdat, moov]);
    const fast = faststartMp4(file);
    expect(fast.length).toBe(file.length);
    expect(fast.toString('latin1', ftyp.length + 4, ftyp.length + 8)).toBe('moov');
    const moved = fast.subarray(ftyp.length, ftyp.length + moov.length);
    const at = moved.indexOf('stco') + 4 + 8;
    const shifted = [moved.readUInt32BE(at), moved.readUInt32BE(at + 4)];
    expect(shifted).toEqual(chunkOffsets.map((o) => o + moov.length));
    expect(fast.toString('latin1', shifted[0]!, shifted[0]! + 4)).toBe('AAAA');
    expect(fast.toString('latin1', shifted[1]!, shifted[1]! + 4)).toBe('BBBB');
    // Already fast: unchanged.
    expect(faststartMp4(fast)).toBe(fast);
  });
});

describe.skipIf(!haveFfmpeg())('decodeToPcm16: through ffmpeg', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'earshot-media-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const speech = synthSpeechLike(3000, 8000, 5);
  const pcmBytes = (s: Int16Array) => Buffer.from(s.buffer, s.byteOffset, s.byteLength);
  const encode = (args: string[], samples = speech, channels = 1) =>
    runFfmpeg(['-f', 's16le', '-ar', '8000', '-ac', String(channels), '-i', 'pipe:0', ...args], pcmBytes(samples));

  it('decodes a mono MP3 made from generated PCM', async () => {
    const mp3 = encode(['-f', 'mp3', 'pipe:1']);
    expect(detectContainer(mp3)).toBe('mp3');
    const decoded = await decodeToPcm16(mp3, 'speech.mp3');
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.channels).toBe(1);
    expect(decoded.samples.length).toBe(Math.round((decoded.durationMs * 8000) / 1000));
    // MP3 adds encoder delay and pads to whole frames (576 samples at 8 kHz); without a LAME header on a pipe
    // the decoder cannot trim them.
    expect(Math.abs(decoded.durationMs - 3000)).toBeLessThan(250);
    expect(await probeAudio(mp3, 'speech.mp3')).toEqual({ container: 'mp3', codec: 'mp3', sampleRate: 8000, channels: 1, durationMs: decoded.durationMs });
  });

  it('decodes a stereo MP3 with both channels', async () => {
    const stereo = interleave([speech, synthSpeechLike(3000, 8000, 6)]);
    const mp3 = encode(['-f', 'mp3', 'pipe:1'], stereo, 2);
    const decoded = await decodeToPcm16(mp3, 'stereo.mp3');
    expect(decoded.channels).toBe(2);
    expect(Math.abs(decoded.durationMs - 3000)).toBeLessThan(250);
  });

  it('decodes FLAC losslessly (the PCM assembly is exact)', async () => {
    const flac = encode(['-f', 'flac', 'pipe:1']);
    const decoded = await decodeToPcm16(flac, 'speech.flac');
    expect(decoded).toMatchObject({ sampleRate: 8000, channels: 1, durationMs: 3000 });
    expect(decoded.samples).toEqual(speech);
  });

  it('decodes Ogg Opus (at 48 kHz)', async () => {
    const ogg = encode(['-c:a', 'libopus', '-b:a', '24k', '-f', 'ogg', 'pipe:1']);
    expect(detectContainer(ogg)).toBe('ogg');
    const probe = await probeAudio(ogg, 'speech.opus');
    expect(probe).toMatchObject({ container: 'ogg', codec: 'opus', sampleRate: 48000, channels: 1 });
    expect(Math.abs(probe.durationMs - 3000)).toBeLessThan(100);
  });

  it('decodes an M4A whose moov box comes after the audio (as most encoders write it)', async () => {
    const long = synthSpeechLike(120_000, 8000, 9);
    const file = path.join(tmp, 'long.m4a');
    encode(['-c:a', 'aac', '-b:a', '32k', file], long);
    const m4a = readFileSync(file);
    expect(m4a.indexOf('moov')).toBeGreaterThan(m4a.indexOf('mdat'));
    expect(m4a.length).toBeGreaterThan(256 * 1024); // larger than ffmpeg's pipe read-ahead
    const probe = await probeAudio(m4a, 'long.m4a');
    expect(probe).toMatchObject({ container: 'mp4', codec: 'aac', sampleRate: 8000, channels: 1 });
    expect(Math.abs(probe.durationMs - 120_000)).toBeLessThan(250);
  });

  it("a corrupt MP3 (random bytes after an ID3 header) is CORRUPT_AUDIO with ffmpeg's reason", async () => {
    const rnd = seededRandom(99);
    const junk = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(rnd() * 256)));
    const bad = id3(junk);
    expect(detectContainer(bad)).toBe('mp3');
    const err = await expectMediaError(
      () => decodeToPcm16(bad, 'broken.mp3'),
      'VALIDATION_FAILED',
      'CORRUPT_AUDIO',
      /^"broken\.mp3" could not be decoded as MP3: .+/,
    );
    expect(err.details).toMatchObject({ filename: 'broken.mp3', container: 'mp3' });
    expect(String(err.details?.ffmpeg)).not.toBe('');
  });

  it('a truncated M4A header is CORRUPT_AUDIO', async () => {
    const file = path.join(tmp, 'short.m4a');
    encode(['-c:a', 'aac', file]);
    const m4a = readFileSync(file);
    await expectMediaError(
      () => decodeToPcm16(m4a.subarray(0, 2000), 'short.m4a'),
      'VALIDATION_FAILED',
      'CORRUPT_AUDIO',
      /"short\.m4a" could not be decoded as M4A\/MP4/,
    );
  });

  it('enforces the output size and time limits', async () => {
    const mp3 = encode(['-f', 'mp3', 'pipe:1']);
    await expectMediaError(
      () => decodeToPcm16(mp3, 'big.mp3', { maxPcmBytes: 10_000 }),
      'VALIDATION_FAILED',
      'AUDIO_TOO_LONG',
      /"big\.mp3" decodes to more than/,
    );
    await expectMediaError(() => decodeToPcm16(mp3, 'slow.mp3', { timeoutMs: 1 }), 'VALIDATION_FAILED', 'DECODE_TIMEOUT', /Decoding "slow\.mp3" took longer/);
  });
});
