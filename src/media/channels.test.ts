import { describe, expect, it } from 'vitest';
import { assignStreams, interleave, mixdown, splitChannels } from './channels.ts';
import { expectMediaError } from './test-fixtures.ts';

describe('splitChannels / interleave', () => {
  it('splits stereo and multi-channel and interleaves back', () => {
    const stereo = Int16Array.of(1, -1, 2, -2, 3, -3);
    const [l, r] = splitChannels(stereo, 2);
    expect(Array.from(l!)).toEqual([1, 2, 3]);
    expect(Array.from(r!)).toEqual([-1, -2, -3]);
    expect(interleave([l!, r!])).toEqual(stereo);
    const three = Int16Array.of(1, 2, 3, 4, 5, 6);
    expect(splitChannels(three, 3).map((c) => Array.from(c))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(interleave(splitChannels(three, 3))).toEqual(three);
  });

  it('returns a mono input as is', () => {
    const mono = Int16Array.of(1, 2, 3);
    expect(splitChannels(mono, 1)[0]).toBe(mono);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => splitChannels(new Int16Array(3), 2)).toThrow(/do not divide/);
    expect(() => splitChannels(new Int16Array(4), 0)).toThrow(RangeError);
    expect(() => interleave([new Int16Array(2), new Int16Array(3)])).toThrow(/same length/);
  });

  it('splits an hour of 8 kHz stereo', () => {
    const hour = new Int16Array(8000 * 3600 * 2);
    const [l, r] = splitChannels(hour, 2);
    expect(l!.length + r!.length).toBe(hour.length);
  });
});

describe('mixdown', () => {
  it('averages by default and applies a gain with rounding and clipping', () => {
    const s = Int16Array.of(100, 300, -32768, -32768, 32767, 32767, 1, 2);
    expect(Array.from(mixdown(s, 2))).toEqual([200, -32768, 32767, 2]);
    expect(Array.from(mixdown(s, 2, { gain: 0.7 }))).toEqual([280, -32768, 32767, 2]);
    expect(Array.from(mixdown(Int16Array.of(5, -5), 1))).toEqual([5, -5]);
    expect(Array.from(mixdown(Int16Array.of(1, 2, 3, 4, 5, 6), 3))).toEqual([2, 5]);
  });
});

describe('assignStreams', () => {
  const stereo = { channels: 2 };
  const mono = { channels: 1 };

  it('maps each channel of a stereo call to its party', () => {
    expect(assignStreams(stereo, { 0: 'agent', 1: 'customer' })).toEqual([
      { channel: 0, party: 'agent' },
      { channel: 1, party: 'customer' },
    ]);
    expect(assignStreams(stereo, { '1': 'agent', '0': 'customer' })).toEqual([
      { channel: 0, party: 'customer' },
      { channel: 1, party: 'agent' },
    ]);
  });

  it('a mono file needs no map (mixed) or a map of channel 0 only', () => {
    expect(assignStreams(mono, undefined)).toEqual([{ channel: 0, party: null }]);
    expect(assignStreams(mono, null)).toEqual([{ channel: 0, party: null }]);
    expect(assignStreams(mono, {})).toEqual([{ channel: 0, party: null }]);
    expect(assignStreams(mono, { 0: 'agent' }, 'a.wav')).toEqual([{ channel: 0, party: 'agent' }]);
  });

  it('says what is wrong', async () => {
    const bad = (probe: { channels: number }, map: unknown, message: RegExp) =>
      expectMediaError(() => assignStreams(probe, map as never, 'call.wav'), 'VALIDATION_FAILED', 'CHANNEL_MAP_MISMATCH', message);
    await bad(
      stereo,
      undefined,
      /^"call\.wav" has 2 channels \(indexes 0, 1\) but no channel map was given; map every channel to a party such as \{"0": "agent", "1": "customer"\}$/,
    );
    await bad(stereo, { 0: 'agent' }, /channel 1 is not mapped/);
    await bad({ channels: 4 }, { 0: 'a', 3: 'b' }, /channels 1, 2 are not mapped/);
    await bad(stereo, { 0: 'agent', 1: 'customer', 2: 'supervisor' }, /it maps channel 2, but "call\.wav" has 2 channels/);
    await bad(mono, { 1: 'agent' }, /it maps channel 1, but "call\.wav" has 1 channel \(index 0\)/);
    await bad(mono, { 0: 'agent', 1: 'customer' }, /it maps channel 1/);
    await bad(stereo, { 0: 'agent', 1: 'agent' }, /party "agent" is mapped to both channel 0 and channel 1/);
    await bad(stereo, { left: 'agent', 1: 'customer' }, /"left" is not a channel index/);
    await bad(stereo, { '01': 'agent', 1: 'customer' }, /"01" is not a channel index/);
    await bad(stereo, { 0: '', 1: 'customer' }, /channel 0's party is "", which is not a party key/);
    await bad(stereo, { 0: 7, 1: 'customer' }, /channel 0's party is 7/);
    await bad(stereo, ['agent', 'customer'], /must be an object of channel index to party/);
  });
});
