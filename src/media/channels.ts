// Channel helpers: split interleaved PCM into one stream per channel, interleave back, mix down, and map the
// channels of an uploaded call recording to the parties of the call (one audio Stream per party).
import { mediaError, quoteName } from './errors.ts';
import { MAX_CHANNELS } from './wav.ts';

function checkChannels(samples: Int16Array, channels: number): void {
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new RangeError(`channels must be an integer from 1 to ${MAX_CHANNELS} (got ${channels})`);
  }
  if (samples.length % channels !== 0) {
    throw new RangeError(`${samples.length} samples do not divide into ${channels} channels`);
  }
}

/**
 * Splits interleaved samples into one array per channel. A mono input is returned as is (no copy); otherwise
 * each channel is a new array.
 */
export function splitChannels(samples: Int16Array, channels: number): Int16Array[] {
  checkChannels(samples, channels);
  if (channels === 1) return [samples];
  const frames = samples.length / channels;
  const out: Int16Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Int16Array(frames));
  if (channels === 2) {
    const left = out[0]!;
    const right = out[1]!;
    for (let f = 0, i = 0; f < frames; f++, i += 2) {
      left[f] = samples[i]!;
      right[f] = samples[i + 1]!;
    }
    return out;
  }
  for (let c = 0; c < channels; c++) {
    const dst = out[c]!;
    for (let f = 0, i = c; f < frames; f++, i += channels) dst[f] = samples[i]!;
  }
  return out;
}

/** Interleaves equally long per-channel arrays (the inverse of splitChannels). */
export function interleave(perChannel: readonly Int16Array[]): Int16Array {
  const channels = perChannel.length;
  if (channels < 1 || channels > MAX_CHANNELS) throw new RangeError(`1 to ${MAX_CHANNELS} channels expected (got ${channels})`);
  const frames = perChannel[0]!.length;
  for (const ch of perChannel) {
    if (ch.length !== frames) throw new RangeError('all channels must have the same length');
  }
  if (channels === 1) return perChannel[0]!.slice();
  const out = new Int16Array(frames * channels);
  for (let c = 0; c < channels; c++) {
    const src = perChannel[c]!;
    for (let f = 0, i = c; f < frames; f++, i += channels) out[i] = src[f]!;
  }
  return out;
}

export interface MixdownOptions {
  /**
   * Gain applied to the sum of the channels. Default 1 / channels (the average, which cannot clip). A call
   * recording where the parties mostly take turns sounds better with a higher gain (e.g. 0.7 for stereo, as the
   * corpus mu-law mixes use); the result is clipped to 16 bits.
   */
  gain?: number;
}

/** Mixes interleaved multi-channel samples down to mono: round(gain * sum of channels), clipped to 16 bits. */
export function mixdown(samples: Int16Array, channels: number, options: MixdownOptions = {}): Int16Array {
  checkChannels(samples, channels);
  const gain = options.gain ?? 1 / channels;
  if (!Number.isFinite(gain)) throw new RangeError(`gain must be a finite number (got ${gain})`);
  const frames = samples.length / channels;
  const out = new Int16Array(frames);
  if (channels === 1 && gain === 1) {
    out.set(samples);
    return out;
  }
  if (channels === 2) {
    for (let f = 0, i = 0; f < frames; f++, i += 2) {
      const v = Math.round((samples[i]! + samples[i + 1]!) * gain);
      out[f] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return out;
  }
  for (let f = 0, i = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, i++) sum += samples[i]!;
    const v = Math.round(sum * gain);
    out[f] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** Channel index (as a string, JSON-style: "0", "1", ...) -> party key (e.g. "agent", "customer"). */
export type ChannelMap = Readonly<Record<string, string>>;

export interface StreamAssignment {
  channel: number;
  /** The party heard on this channel; null for a mono recording without a map (all parties mixed). */
  party: string | null;
}

const PARTY_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Validates a channel map against a recording and returns the party of each channel, in channel order.
 *
 * - A multi-channel file needs a map: every channel mapped exactly once, each to a different party, and no index
 *   the file does not have (`{"0": "agent", "1": "customer"}` for the usual stereo call).
 * - A mono file needs no map (its one stream is the mix of all parties: party null) or a map of index 0 only.
 *   (A mono file that is one party's own leg is the caller's business: it knows the party without a map.)
 *
 * Throws VALIDATION_FAILED with details.reason CHANNEL_MAP_MISMATCH and a message naming the file and saying what
 * is wrong.
 */
export function assignStreams(probe: { channels: number }, channelMap: ChannelMap | null | undefined, filename = 'audio'): StreamAssignment[] {
  const name = quoteName(filename);
  const channels = probe.channels;
  const fail = (problem: string, extra?: Record<string, unknown>) =>
    mediaError('CHANNEL_MAP_MISMATCH', `The channel map does not fit ${name}: ${problem}`, { filename, channels, ...extra });
  const example = channels === 2 ? ' such as {"0": "agent", "1": "customer"}' : '';
  const indexes = Array.from({ length: channels }, (_, i) => i).join(', ');
  const has = `${name} has ${channels} channel${channels === 1 ? '' : 's'} (${channels === 1 ? 'index 0' : `indexes ${indexes}`})`;
  const checkParty = (value: unknown, where: string) => {
    if (typeof value !== 'string' || !PARTY_KEY.test(value)) {
      throw fail(
        `${where} is ${JSON.stringify(value)?.slice(0, 70) ?? String(value)}, which is not a party key (letters, digits, "_", ".", ":", "-"; at most 64 characters)`,
      );
    }
    return value;
  };

  if (channelMap != null && (typeof channelMap !== 'object' || Array.isArray(channelMap))) {
    throw fail(`it must be an object of channel index to party, such as {"0": "agent", "1": "customer"}`);
  }
  const entries = channelMap == null ? [] : Object.entries(channelMap);
  if (entries.length === 0) {
    if (channels === 1) return [{ channel: 0, party: null }];
    throw mediaError('CHANNEL_MAP_MISMATCH', `${has} but no channel map was given; map every channel to a party${example}`, { filename, channels });
  }

  const byChannel = new Map<number, string>();
  const byParty = new Map<string, number>();
  for (const [key, value] of entries) {
    if (!/^(0|[1-9][0-9]*)$/.test(key)) {
      throw fail(`"${key.slice(0, 40)}" is not a channel index (use "0" for the first channel, "1" for the second, ...)`, { index: key });
    }
    const index = Number(key);
    if (index >= channels) {
      throw fail(`it maps channel ${index}, but ${has}`, { index });
    }
    const p = checkParty(value, `channel ${index}'s party`);
    const other = byParty.get(p);
    if (other !== undefined) {
      throw fail(`party "${p}" is mapped to both channel ${other} and channel ${index}; each channel must carry a different party`, { party: p });
    }
    byChannel.set(index, p);
    byParty.set(p, index);
  }
  const unmapped = [];
  for (let c = 0; c < channels; c++) if (!byChannel.has(c)) unmapped.push(c);
  if (unmapped.length) {
    const which = unmapped.length > 1 ? `channels ${unmapped.join(', ')} are` : `channel ${unmapped[0]} is`;
    throw fail(`${which} not mapped; ${has} and each must be mapped to a party${example}`, { unmapped });
  }
  return Array.from({ length: channels }, (_, c) => ({ channel: c, party: byChannel.get(c)! }));
}
