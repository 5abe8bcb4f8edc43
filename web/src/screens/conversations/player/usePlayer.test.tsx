// The player's hook and transport against a fake API and a scripted <audio> element (happy-dom plays no media): the
// call segments play one after the other, skipping the gap between them and the one whose media is missing; a seek
// switches the source and lands once its metadata is in; solo plays the party's own WAV (silent where the party is
// absent); the end stops at the end; volume, mute and speed reach the element.
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MediaManifest, MediaPartyStream, MediaSegment } from '../../../api/media.ts';
import { appWrapper, fakeApi } from '../../../test/render.tsx';
import { usePlayer } from './usePlayer.ts';

/** What the transport uses of an HTMLAudioElement; the test plays the browser's part by dispatching its events. */
class ScriptedAudio extends EventTarget {
  private attrs = new Map<string, string>();
  currentTime = 0;
  duration = 30;
  paused = true;
  ended = false;
  error: MediaError | null = null;
  volume = 1;
  muted = false;
  preload = '';
  playbackRate = 1;
  defaultPlaybackRate = 1;
  plays = 0;
  get src() {
    return this.attrs.get('src') ?? '';
  }
  set src(v: string) {
    this.attrs.set('src', v);
  }
  getAttribute(name: string) {
    return this.attrs.get(name) ?? null;
  }
  removeAttribute(name: string) {
    this.attrs.delete(name);
  }
  play() {
    this.plays++;
    this.paused = false;
    this.dispatchEvent(new Event('play'));
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
  }
  load() {}
  /** The browser has read the new source's header. */
  metadata() {
    this.dispatchEvent(new Event('loadedmetadata'));
  }
  /** The browser plays on to `seconds`. */
  playTo(seconds: number) {
    this.currentTime = seconds;
    this.dispatchEvent(new Event('timeupdate'));
  }
}

const stream = (party: string, soloUrl: string | null): MediaPartyStream => ({
  id: `st-${party}`,
  party,
  participantId: null,
  role: party === 'cust' ? 'customer' : 'agent',
  side: null,
  name: null,
  status: 'ok',
  reason: null,
  sampleRate: 8000,
  durationMs: 0,
  talkMs: 0,
  soloUrl,
  peaksUrl: null,
  peaks: null,
});

const call = (id: string, startMs: number, endMs: number, extra: Partial<MediaSegment> = {}): MediaSegment => ({
  id,
  kind: 'call',
  contactId: id,
  startMs,
  endMs,
  recordedAt: '2026-01-01T00:00:00.000Z',
  monitor: null,
  mixUrl: `/mix/${id}`,
  downloadWavUrl: null,
  videoUrl: null,
  streams: [stream('cust', `/solo/${id}/cust`), stream('agent', `/solo/${id}/agent`)],
  ...extra,
});

// 0–30 s the first call, 30–40 s a call whose media is missing, a gap, 60–90 s a call where the agent is not recorded.
// Asserted rather than annotated: `crosstalk` is sent whether or not this checkout's manifest type has it yet.
const manifest = {
  conversationId: 'c1',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 90_000,
  status: 'partial',
  holdCount: 0,
  segments: [call('s1', 0, 30_000), call('lost', 30_000, 40_000, { mixUrl: null }), call('s2', 60_000, 90_000, { streams: [stream('cust', '/solo/s2/cust')] })],
  events: [],
  marks: [],
  wrapUp: null,
  exportMp3Url: '/export.mp3',
  crosstalk: { measurable: true, reason: null, message: null },
} as MediaManifest;

async function loaded() {
  const api = fakeApi({ 'GET /api/conversations/c1/media': () => manifest, 'GET /api/conversations/c1/audit': () => ({ items: [] }) });
  const { wrapper } = appWrapper();
  const hook = renderHook(() => usePlayer('c1'), { wrapper });
  const audio = new ScriptedAudio();
  act(() => hook.result.current.audioRef(audio as unknown as HTMLAudioElement));
  await waitFor(() => expect(hook.result.current.model).not.toBeNull());
  return { api, player: () => hook.result.current, audio };
}

describe('usePlayer', () => {
  it('plays the first call from the start, then the next playable one, skipping the gap and the missing media', async () => {
    const { player, audio } = await loaded();
    act(() => player().play());
    expect(audio.src).toBe('/mix/s1');
    expect(player().playing).toBe(true);
    expect(player().segmentId).toBe('s1');
    act(() => audio.metadata());
    act(() => audio.playTo(12.5));
    expect(player().clock.ms).toBe(12_500);

    // The first call ends: the missing one is reported and skipped, the next starts at its own beginning.
    act(() => audio.playTo(30));
    expect(player().notice).toEqual({ kind: 'missingMedia', segmentId: 'lost' });
    expect(audio.src).toBe('/mix/s2');
    expect(player().clock.ms).toBe(60_000);
    act(() => audio.metadata());
    expect(audio.currentTime).toBe(0);
    expect(player().playing).toBe(true);
  });

  it('seeks into another segment: the new source lands at the time once its metadata is in', async () => {
    const { player, audio } = await loaded();
    act(() => player().seek(75_000));
    expect(audio.src).toBe('/mix/s2');
    expect(player().now()).toBe(75_000);
    act(() => audio.metadata());
    expect(audio.currentTime).toBe(15);
    expect(player().playing).toBe(false);
    // Within the same source a seek moves the element at once.
    act(() => player().seek(80_000));
    expect(audio.currentTime).toBe(20);
    expect(player().clock.ms).toBe(80_000);
  });

  it('solo plays the party alone, and the mix muted where that party was not recorded', async () => {
    const { player, audio } = await loaded();
    act(() => player().play());
    act(() => audio.metadata());
    act(() => audio.playTo(5));
    act(() => player().toggleSolo('agent'));
    expect(player().solo).toBe('agent');
    expect(audio.src).toBe('/solo/s1/agent');
    expect(player().now()).toBe(5_000);
    expect(audio.muted).toBe(false);
    act(() => player().seek(61_000));
    expect(audio.src).toBe('/mix/s2');
    expect(audio.muted).toBe(true);
    act(() => player().toggleSolo('agent'));
    expect(player().solo).toBeNull();
    expect(audio.muted).toBe(false);
    // Still playing after the source switches: the space bar's toggle pauses, and plays again.
    act(() => audio.metadata());
    expect(player().playing).toBe(true);
    act(() => player().toggle());
    expect([player().playing, audio.paused]).toEqual([false, true]);
    act(() => player().toggle());
    expect([player().playing, audio.paused]).toEqual([true, false]);
  });

  it('stops at the end of the last call; the next play starts over', async () => {
    const { player, audio } = await loaded();
    act(() => player().seek(89_000));
    act(() => audio.metadata());
    act(() => player().play());
    act(() => audio.playTo(30));
    expect(player().playing).toBe(false);
    expect(player().clock.ms).toBe(90_000);
    act(() => player().play());
    expect(player().playing).toBe(true);
  });

  it('keeps the volume and mute for the next time, and sets the speed on the element', async () => {
    const { player, audio } = await loaded();
    act(() => player().setVolume(0.4));
    act(() => player().toggleMute());
    expect([audio.volume, audio.muted]).toEqual([0.4, true]);
    expect(JSON.parse(localStorage.getItem('earshot.player.level')!)).toEqual({ volume: 0.4, muted: true });
    act(() => player().setSpeed(1.5));
    expect([audio.playbackRate, audio.defaultPlaybackRate]).toEqual([1.5, 1.5]);
  });

  it('remembers the speed like the volume: the next player starts at it (issue 16)', async () => {
    localStorage.removeItem('earshot.player.speed');
    const first = await loaded();
    expect(first.player().speed).toBe(1);
    act(() => first.player().setSpeed(1.25));
    expect(localStorage.getItem('earshot.player.speed')).toBe('1.25');
    const next = await loaded();
    expect(next.player().speed).toBe(1.25);
    act(() => next.player().play());
    expect(next.audio.playbackRate).toBe(1.25);
    // A stored speed the player does not offer is not used.
    localStorage.setItem('earshot.player.speed', '9');
    expect((await loaded()).player().speed).toBe(1);
  });
});
