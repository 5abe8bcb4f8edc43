// WAV download of one call segment, named <contactId>.wav. Built on the ranged renderer, so the download has a
// Content-Length up front and honours Range (a resumed download reads only what is missing).
//
// Layouts:
//  - 'stereo' (default): the player's placement (calling 100 % L / 60 % R, called the mirror); plays anywhere and
//    sounds like what the reviewer heard.
//  - 'per-party': one channel per party, samples unchanged; lossless, for transcription or forensic tools. More
//    than two parties make a WAVE_FORMAT_EXTENSIBLE file (68-byte header), as the WAVE spec asks.
import { createPerPartyWav, createStereoMix, type MixParty, type RangedWav, type StreamOptions } from './mix.ts';
import { safeFilePart } from './mp3.ts';

export type SegmentWavLayout = 'stereo' | 'per-party';

export interface SegmentWavInput {
  contactId: string;
  sampleRate: number;
  parties: readonly MixParty[];
  layout?: SegmentWavLayout;
  /** Length in frames; default the end of the longest party. */
  frames?: number;
}

export interface SegmentWavExport {
  filename: string;
  contentType: 'audio/wav';
  /** The whole file's size, for Content-Length (and Content-Range). */
  totalBytes: number;
  /** The ranged file itself, for a Range request: wav.render(start, end) or wav.stream(start, end). */
  wav: RangedWav;
  /** The whole file as a stream of blocks. */
  body(options?: StreamOptions): AsyncGenerator<Buffer>;
}

/** `<contactId>.wav`, with characters unsafe in a file name or a header replaced by "_". */
export function segmentWavFilename(contactId: string): string {
  return `${safeFilePart(contactId)}.wav`;
}

export function exportSegmentWav(input: SegmentWavInput): SegmentWavExport {
  if (!input.parties.length) throw new RangeError('a segment WAV needs at least one party');
  const layout = input.layout ?? 'stereo';
  const wav =
    layout === 'stereo'
      ? createStereoMix({ sampleRate: input.sampleRate, parties: input.parties, frames: input.frames })
      : createPerPartyWav({ sampleRate: input.sampleRate, parties: input.parties, frames: input.frames });
  return {
    filename: segmentWavFilename(input.contactId),
    contentType: 'audio/wav',
    totalBytes: wav.totalBytes,
    wav,
    body: (options) => wav.stream(0, wav.totalBytes - 1, options),
  };
}
