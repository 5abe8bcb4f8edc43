// Playback and export of a long call: a synthetic 2-hour call with 4 parties (8 kHz, speech-like, two on each side).
//   node --import tsx bench/media-export.bench.ts        (EARSHOT_BENCH_HOURS=2 by default)
// Targets: merged MP3 export >= 200x real time; first 64 KiB of the stereo mix (at the start, and at 1 h 30 min)
// <= 300 ms from a cold renderer, with the PCM in memory and in the encrypted blob store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { Keyring } from '../src/platform/crypto/keys.ts';
import { FsBackend } from '../src/platform/blobs/fs-backend.ts';
import { BlobStore } from '../src/platform/blobs/service.ts';
import { computePeaks, encodePeaks, encodePeakSlice, peaksByteRange, readPeaksHeader } from '../src/media/peaks.ts';
import { createTenant } from '../src/platform/blobs/testing.ts';
import { createStereoMix, int16Source, type MixParty, type PcmReader } from '../src/media/mix.ts';
import { encodeMp3, mp3Settings, type Mp3Segment } from '../src/media/mp3.ts';
import { synthSpeechLike } from '../src/media/wav-write.ts';

export interface MediaExportBenchResult {
  hours: number;
  mp3: Array<{ source: string; seconds: number; timesRealTime: number; bytes: number }>;
  firstByte: Array<{ source: string; at: string; coldMs: number; medianMs: number }>;
  firstWaveform: { coldMs: number; medianMs: number };
  targetMet: boolean;
}

const RATE = 8000;
const SIDES = ['calling', 'called', 'calling', 'called'] as const;
const MP3_TARGET = 200;
const FIRST_BYTE_TARGET_MS = 300;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Speech-like audio for each party: a distinct 20-minute signal, repeated to the call's length (synthesis is slow). */
function synthParty(seconds: number, seed: number): Int16Array {
  const pieceSeconds = Math.min(seconds, 20 * 60);
  const piece = synthSpeechLike(pieceSeconds * 1000, RATE, seed);
  const out = new Int16Array(seconds * RATE);
  for (let o = 0; o < out.length; o += piece.length) out.set(piece.subarray(0, Math.min(piece.length, out.length - o)), o);
  return out;
}

async function exportSeconds(segment: Mp3Segment): Promise<{ seconds: number; bytes: number }> {
  const t = performance.now();
  let bytes = 0;
  for await (const chunk of await encodeMp3([segment])) bytes += (chunk as Buffer).length;
  return { seconds: (performance.now() - t) / 1000, bytes };
}

export async function runMediaExportBench(opts: { hours?: number; log?: (line: string) => void } = {}): Promise<MediaExportBenchResult> {
  const hours = opts.hours ?? Number(process.env.EARSHOT_BENCH_HOURS ?? 2);
  const log = opts.log ?? ((l: string) => console.log(l));
  const callSeconds = Math.round(hours * 3600);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-media-bench-'));
  const handle = openDatabase(`sqlite:${path.join(dir, 'bench.db')}`);
  const backends: FsBackend[] = [];
  try {
    await migrate(handle.db, handle.adapter);
    const tenant = await createTenant(handle.db, handle.adapter);
    const keyring = new Keyring(randomBytes(32));
    const newStore = () => {
      const backend = new FsBackend(path.join(dir, 'media'));
      backends.push(backend);
      return new BlobStore({ db: handle.db, adapter: handle.adapter, backend, keyring });
    };

    const t0 = performance.now();
    const pcm = SIDES.map((_, i) => synthParty(callSeconds, 101 + i));
    const store = newStore();
    const blobIds: string[] = [];
    for (const p of pcm) {
      blobIds.push((await store.put(tenant, Buffer.from(p.buffer, p.byteOffset, p.byteLength), { contentType: 'audio/L16;rate=8000' })).id);
    }
    const settings = mp3Settings([{ segmentId: 'x', sampleRate: RATE, parties: [] }]);
    log(
      `earshot media export bench: ${hours} h call, 4 parties at ${RATE} Hz (${((pcm[0]!.byteLength * 4) / 2 ** 20).toFixed(0)} MiB of PCM), ` +
        `MP3 ${settings.sampleRate} Hz stereo ${settings.bitrateKbps} kbit/s; ${os.cpus().length} CPUs, node ${process.version}; ` +
        `set-up ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const blobReader =
      (s: BlobStore, id: string): PcmReader =>
      (offset, length) =>
        s.readAll(tenant, id, { start: offset, end: offset + length - 1 });
    const memoryParties = (): MixParty[] => pcm.map((p, i) => ({ ...int16Source(p), side: SIDES[i]!, label: `party ${i + 1}` }));
    const blobParties = (s: BlobStore): MixParty[] =>
      pcm.map((p, i) => ({ reader: blobReader(s, blobIds[i]!), pcmBytes: p.byteLength, side: SIDES[i]!, label: `blob ${blobIds[i]}` }));

    // (1) MP3 export speed, wall time from the call to the last byte.
    const mp3: MediaExportBenchResult['mp3'] = [];
    for (const [source, parties] of [
      ['in memory', memoryParties()],
      ['encrypted blob store', blobParties(newStore())],
    ] as const) {
      const { seconds, bytes } = await exportSeconds({ segmentId: 'bench', sampleRate: RATE, parties });
      const expected = (callSeconds * settings.bitrateKbps * 1000) / 8;
      if (Math.abs(bytes - expected) > expected * 0.02) throw new Error(`MP3 of ${bytes} bytes, expected about ${expected}`);
      const x = callSeconds / seconds;
      mp3.push({ source, seconds, timesRealTime: x, bytes });
      log(
        `MP3 export, ${source.padEnd(21)} ${seconds.toFixed(1).padStart(6)} s  ${x.toFixed(0).padStart(5)}x real time  ` +
          `${(bytes / 2 ** 20).toFixed(1)} MiB  ${x >= MP3_TARGET ? 'met' : 'MISSED'} (>= ${MP3_TARGET}x)`,
      );
    }

    // (2) First 64 KiB of the stereo mix, from a renderer (and, for the blob store, a store) made just before.
    const firstByte: MediaExportBenchResult['firstByte'] = [];
    const seekTo = Math.min(90 * 60, callSeconds - 10);
    const positions = [
      { at: 'start', byte: 0 },
      { at: `${Math.floor(seekTo / 3600)} h ${Math.floor((seekTo % 3600) / 60)} min`, byte: 44 + seekTo * RATE * 4 },
    ];
    for (const source of ['in memory', 'encrypted blob store'] as const) {
      for (const pos of positions) {
        const times: number[] = [];
        for (let run = 0; run < 7; run++) {
          const t = performance.now();
          const parties = source === 'in memory' ? memoryParties() : blobParties(newStore());
          const mix = createStereoMix({ sampleRate: RATE, parties });
          const bytes = await mix.render(pos.byte, pos.byte + 65535);
          times.push(performance.now() - t);
          if (bytes.length !== 65536) throw new Error('short render');
        }
        const coldMs = times[0]!;
        const medianMs = median(times);
        firstByte.push({ source, at: pos.at, coldMs, medianMs });
        const ok = coldMs <= FIRST_BYTE_TARGET_MS && medianMs <= FIRST_BYTE_TARGET_MS;
        log(
          `first 64 KiB of the mix, ${source.padEnd(21)} at ${pos.at.padEnd(12)} cold ${coldMs.toFixed(1).padStart(6)} ms  ` +
            `median ${medianMs.toFixed(1).padStart(6)} ms  ${ok ? 'met' : 'MISSED'} (<= ${FIRST_BYTE_TARGET_MS} ms)`,
        );
      }
    }
    // (3) First waveform: what the player fetches before drawing — each stream's peaks header and its coarsest level,
    // read (and decrypted) by byte range from the encrypted store, for the 4 parties of the 2-hour call.
    const peakIds: string[] = [];
    for (const p of pcm) peakIds.push((await store.put(tenant, encodePeaks(computePeaks(p, RATE)), { contentType: 'application/x-earshot-peaks' })).id);
    const waveTimes: number[] = [];
    for (let run = 0; run < 7; run++) {
      const s = newStore();
      const t = performance.now();
      await Promise.all(
        peakIds.map(async (id) => {
          const size = (await s.stat(tenant, id)).size;
          const header = readPeaksHeader(await s.readAll(tenant, id, { start: 0, end: Math.min(size, 20 + 8 * 16) - 1 }));
          const level = header.levels.length - 1;
          const r = peaksByteRange(header, level, 0, (header.totalSamples * 1000) / header.sampleRate);
          const data = await s.readAll(tenant, id, { start: r.offset, end: r.offset + r.length - 1 });
          return encodePeakSlice({
            level,
            sampleRate: header.sampleRate,
            samplesPerBucket: header.levels[level]!.samplesPerBucket,
            firstBucket: 0,
            startMs: 0,
            data: new Int8Array(data.buffer, data.byteOffset, data.length),
          });
        }),
      );
      waveTimes.push(performance.now() - t);
    }
    const firstWaveform = { coldMs: waveTimes[0]!, medianMs: median(waveTimes) };
    log(
      `first waveform (4 streams: peaks header + coarsest level, encrypted store) cold ${firstWaveform.coldMs.toFixed(1)} ms  ` +
        `median ${firstWaveform.medianMs.toFixed(1)} ms  ${firstWaveform.coldMs <= FIRST_BYTE_TARGET_MS ? 'met' : 'MISSED'} (<= ${FIRST_BYTE_TARGET_MS} ms)`,
    );
    const targetMet =
      mp3.every((m) => m.timesRealTime >= MP3_TARGET) &&
      firstByte.every((f) => f.coldMs <= FIRST_BYTE_TARGET_MS && f.medianMs <= FIRST_BYTE_TARGET_MS) &&
      firstWaveform.coldMs <= FIRST_BYTE_TARGET_MS;
    log(`targets (MP3 >= ${MP3_TARGET}x real time, first audio byte <= ${FIRST_BYTE_TARGET_MS} ms): ${targetMet ? 'met' : 'MISSED'}`);
    return { hours, mp3, firstByte, firstWaveform, targetMet };
  } finally {
    for (const b of backends) await b.close();
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const r = await runMediaExportBench();
  process.exitCode = r.targetMet ? 0 : 1;
}
