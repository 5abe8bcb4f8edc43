// The player's engine: one <audio> element plays the conversation's call segments one after the other on the
// conversation timeline (the stereo mix of each, or the soloed party's own WAV), skipping the gaps between them and
// the segments whose media is missing. The page that shows the player owns it (usePlayer), so the list, the preview
// pane and the player share one playback; the playhead time lives in a small store (Clock) that only the pieces that
// show it subscribe to, so the page does not re-render every frame.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { keys } from '../../../api/keys.ts';
import { useMedia, type MediaSegment } from '../../../api/media.ts';
import { buildModel, locate, toConversation, toDisplay, type PlayerModel } from './model.ts';

// ——— the playhead clock ——————————————————————————————————————————————————————————————————————————————————

export class Clock {
  /** Conversation ms. */
  ms = 0;
  private readonly listeners = new Set<() => void>();
  set(ms: number) {
    if (ms === this.ms || !Number.isFinite(ms)) return;
    this.ms = ms;
    for (const fn of this.listeners) fn();
  }
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };
  get = () => this.ms;
}

const noSubscribe = () => () => {};

/** The playhead (conversation ms), or what `select` makes of it (re-renders only when that changes). */
export function useClock<T = number>(clock: Clock | null | undefined, select?: (ms: number) => T): T {
  const read = () => {
    const ms = clock?.ms ?? 0;
    return select ? select(ms) : (ms as T);
  };
  return useSyncExternalStore(clock?.subscribe ?? noSubscribe, read, read);
}

// ——— volume and mute, remembered on this browser ——————————————————————————————————————————————————————————

const LEVEL_KEY = 'earshot.player.level';

interface Level {
  volume: number;
  muted: boolean;
}

export function readLevel(): Level {
  try {
    const raw = JSON.parse(localStorage.getItem(LEVEL_KEY) ?? 'null') as Partial<Level> | null;
    const volume = typeof raw?.volume === 'number' && raw.volume >= 0 && raw.volume <= 1 ? raw.volume : 1;
    return { volume, muted: raw?.muted === true };
  } catch {
    return { volume: 1, muted: false };
  }
}

function writeLevel(level: Level) {
  try {
    localStorage.setItem(LEVEL_KEY, JSON.stringify(level));
  } catch {
    // private mode: not remembered
  }
}

// ——— the hook ——————————————————————————————————————————————————————————————————————————————————————————————

export interface PlayerNotice {
  kind: 'missingMedia' | 'segmentError';
  segmentId: string;
}

interface PlayRequest {
  conversationId: string;
  segmentId?: string;
}

export interface PlayerApi {
  conversationId: string | null;
  media: ReturnType<typeof useMedia>;
  model: PlayerModel | null;
  clock: Clock;
  /** Put on the player's <audio> element. */
  audioRef: (el: HTMLAudioElement | null) => void;
  playing: boolean;
  buffering: boolean;
  speed: number;
  volume: number;
  muted: boolean;
  /** The party heard alone, if any. */
  solo: string | null;
  /** The segment playing (or paused in). */
  segmentId: string | null;
  notice: PlayerNotice | null;
  dismissNotice: () => void;
  play: () => void;
  pause: () => void;
  toggle: () => void;
  /** Seek to a conversation time. */
  seek: (convMs: number) => void;
  /** Seek to a time of the display axis (what the waveform shows). */
  seekDisplay: (displayMs: number) => void;
  /** Move by display ms (−5 s rewind, ±10 s skip). */
  skip: (deltaMs: number) => void;
  /** Play a call segment from its start. */
  playSegment: (segmentId: string) => void;
  /** Play as soon as the conversation's media is loaded (a double-click on a row selects and plays). */
  playWhenReady: (conversationId: string, segmentId?: string) => void;
  setSpeed: (speed: number) => void;
  setVolume: (volume: number) => void;
  toggleMute: () => void;
  toggleSolo: (party: string) => void;
  /** Current conversation ms, read from the audio element itself (what the e2e test and the screen view sync on). */
  now: () => number;
}

/** A pause the engine did not ask for (a media key, the OS) is believed only this long after a source change. */
const SWITCH_GRACE_MS = 600;

export function usePlayer(conversationId: string | null): PlayerApi {
  const qc = useQueryClient();
  const media = useMedia(conversationId);
  const model = useMemo(() => (media.data && media.data.conversationId === conversationId ? buildModel(media.data) : null), [media.data, conversationId]);
  const [audio, setAudio] = useState<HTMLAudioElement | null>(null);
  const clock = useMemo(() => new Clock(), []);
  const [playing, setPlaying] = useState(false);
  const [buffering, setBuffering] = useState(false);
  const [speed, setSpeedState] = useState(1);
  const [level, setLevel] = useState(readLevel);
  const [solo, setSolo] = useState<string | null>(null);
  const [notice, setNotice] = useState<PlayerNotice | null>(null);
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [requests, setRequests] = useState(0);

  // What the engine's callbacks read: always the latest, whatever render they were made in.
  const st = useRef({
    conversationId,
    model,
    audio,
    speed,
    level,
    solo,
    pieceIndex: -1,
    src: null as string | null,
    pendingSeek: null as number | null,
    want: false,
    silent: false,
    switchedAt: 0,
    loop: 0,
    request: null as PlayRequest | null,
    audited: false,
  }).current;
  st.conversationId = conversationId;
  st.model = model;
  st.audio = audio;

  const engine = useMemo(() => {
    const seg = (id: string): MediaSegment | undefined => st.model?.segmentById.get(id);
    const startOf = (id: string) => seg(id)?.startMs ?? 0;

    const applyLevel = () => {
      if (!st.audio) return;
      st.audio.volume = st.level.volume;
      st.audio.muted = st.level.muted || st.silent;
    };

    /** The soloed party's own WAV, or the mix; a segment without the soloed party plays silent (the others are muted). */
    const sourceFor = (s: MediaSegment): { url: string | null; silent: boolean } => {
      if (!st.solo) return { url: s.mixUrl, silent: false };
      const own = s.streams.find((x) => x.party === st.solo);
      return own?.soloUrl ? { url: own.soloUrl, silent: false } : { url: s.mixUrl, silent: true };
    };

    /** Conversation ms now, from the audio element. */
    const now = (): number => {
      const m = st.model;
      const piece = m?.plan[st.pieceIndex];
      if (!m || !piece || !st.audio) return clock.ms;
      const local = st.pendingSeek ?? st.audio.currentTime;
      return startOf(piece.segmentId) + local * 1000;
    };

    const loop = () => {
      cancelAnimationFrame(st.loop);
      const frame = () => {
        tick();
        if (st.want) st.loop = requestAnimationFrame(frame);
      };
      st.loop = requestAnimationFrame(frame);
    };

    const start = () => {
      const a = st.audio;
      if (!a) return;
      st.want = true;
      setPlaying(true);
      a.play()?.catch((err: unknown) => {
        // A source change interrupts play(): the new source plays when its metadata is in.
        if (err instanceof DOMException && err.name === 'AbortError') return;
        if (st.audio === a && a.paused) {
          st.want = false;
          setPlaying(false);
        }
      });
      loop();
      if (!st.audited && st.conversationId) {
        // The first listen is audited by the server: show it in the Audit section.
        st.audited = true;
        const id = st.conversationId;
        setTimeout(() => void qc.invalidateQueries({ queryKey: keys.conversationAudit(id) }), 1500);
      }
    };

    const stop = () => {
      st.want = false;
      setPlaying(false);
      st.audio?.pause();
    };

    /** Past the last piece: stop at the end; the next play starts over. */
    const end = () => {
      const plan = st.model?.plan ?? [];
      stop();
      const last = [...plan].reverse().find((p) => p.playable);
      if (last) clock.set(last.toMs);
      st.pieceIndex = -1;
    };

    /** Plays piece `index` of the plan from conversation time `convMs` (skipping pieces without media). */
    const load = (index: number, convMs: number, autoplay: boolean) => {
      const m = st.model;
      const a = st.audio;
      if (!m || !a) return;
      let i = index;
      let at = convMs;
      while (i < m.plan.length && !m.plan[i]!.playable) {
        setNotice({ kind: 'missingMedia', segmentId: m.plan[i]!.segmentId });
        i++;
        at = m.plan[i]?.fromMs ?? at;
      }
      const piece = m.plan[i];
      const s = piece && seg(piece.segmentId);
      if (!piece || !s) return end();
      const { url, silent } = sourceFor(s);
      if (!url) return end();
      st.pieceIndex = i;
      st.silent = silent;
      setSegmentId(s.id);
      const local = Math.max(0, (at - s.startMs) / 1000);
      if (st.src !== url) {
        st.src = url;
        st.pendingSeek = local;
        st.switchedAt = performance.now();
        a.src = url;
        a.defaultPlaybackRate = st.speed;
        a.playbackRate = st.speed;
      } else if (st.pendingSeek !== null) {
        st.pendingSeek = local;
      } else {
        a.currentTime = local;
      }
      applyLevel();
      clock.set(at);
      if (autoplay) start();
    };

    const advance = () => {
      const plan = st.model?.plan ?? [];
      const next = st.pieceIndex + 1;
      if (st.pieceIndex < 0 || next >= plan.length) return end();
      load(next, plan[next]!.fromMs, st.want);
    };

    function tick() {
      const m = st.model;
      const piece = m?.plan[st.pieceIndex];
      if (!piece || st.pendingSeek !== null) return;
      const t = now();
      if (t >= piece.toMs) advance();
      else clock.set(t);
    }

    const seek = (convMs: number) => {
      const m = st.model;
      if (!m) return;
      setNotice(null);
      const loc = locate(m.plan, startOf, convMs);
      if (!loc) return end();
      load(loc.index, loc.convMs, st.want);
    };

    const play = () => {
      const m = st.model;
      if (!m || !st.audio) return;
      setNotice(null);
      if (st.pieceIndex < 0) {
        const loc = locate(m.plan, startOf, clock.ms) ?? locate(m.plan, startOf, m.plan[0]?.fromMs ?? 0);
        if (!loc) return;
        load(loc.index, loc.convMs, true);
      } else start();
    };

    const playSegment = (id: string) => {
      const s = seg(id);
      if (!s) return;
      seek(s.startMs);
      if (!st.want) play();
    };

    return {
      now,
      tick,
      advance,
      applyLevel,
      load,
      seek,
      play,
      pause: stop,
      playSegment,
      toggle: () => (st.want ? stop() : play()),
      seekDisplay: (d: number) => {
        const m = st.model;
        if (m) seek(toConversation(m.axis, d));
      },
      skip: (delta: number) => {
        const m = st.model;
        if (!m) return;
        const d = toDisplay(m.axis, now()) + delta;
        seek(toConversation(m.axis, Math.min(Math.max(0, d), m.playableEndMs)));
      },
      reloadCurrent: () => {
        if (st.pieceIndex >= 0) load(st.pieceIndex, now(), st.want);
      },
      reset: () => {
        cancelAnimationFrame(st.loop);
        st.pieceIndex = -1;
        st.src = null;
        st.pendingSeek = null;
        st.want = false;
        st.silent = false;
        st.audited = false;
        setPlaying(false);
        setBuffering(false);
        setSolo(null);
        st.solo = null;
        setNotice(null);
        setSegmentId(null);
        clock.set(0);
        const a = st.audio;
        if (a) {
          a.pause();
          a.removeAttribute('src');
          a.load();
        }
      },
    };
  }, [st, clock, qc]);

  // Another conversation: stop and start over (a play request for the new one stays).
  useEffect(() => {
    engine.reset();
    if (st.request && st.request.conversationId !== conversationId) st.request = null;
  }, [conversationId, engine, st]);

  // The audio element's events drive the engine.
  useEffect(() => {
    if (!audio) return;
    if (audio.getAttribute('src') !== st.src) {
      // A new element (the player was shown again): nothing is loaded in it.
      st.src = null;
      st.pendingSeek = null;
      st.pieceIndex = -1;
      st.want = false;
      setPlaying(false);
    }
    audio.preload = 'metadata';
    audio.defaultPlaybackRate = st.speed;
    audio.playbackRate = st.speed;
    engine.applyLevel();
    const onMeta = () => {
      if (st.pendingSeek !== null) {
        const target = st.pendingSeek;
        st.pendingSeek = null;
        if (Number.isFinite(audio.duration)) audio.currentTime = Math.min(target, Math.max(0, audio.duration - 0.05));
        else audio.currentTime = target;
      }
      audio.playbackRate = st.speed;
      if (st.want && audio.paused) void audio.play().catch(() => {});
    };
    const onEnded = () => {
      if (audio.ended && st.pendingSeek === null) engine.advance();
    };
    const onError = () => {
      if (!audio.error || !st.src || st.pieceIndex < 0) return;
      const piece = st.model?.plan[st.pieceIndex];
      if (piece) setNotice({ kind: 'segmentError', segmentId: piece.segmentId });
      st.pendingSeek = null;
      st.src = null;
      if (st.want) engine.advance();
    };
    const onPause = () => {
      // Not ours (a media key, the OS)? Believe it only when no source change is under way.
      setTimeout(() => {
        if (st.want && audio.paused && !audio.ended && st.pendingSeek === null && performance.now() - st.switchedAt > SWITCH_GRACE_MS) {
          st.want = false;
          setPlaying(false);
        }
      }, 0);
    };
    const onPlay = () => {
      if (!st.want && st.pieceIndex >= 0) {
        st.want = true;
        setPlaying(true);
        engine.tick();
      }
    };
    const onWaiting = () => setBuffering(true);
    const onPlaying = () => setBuffering(false);
    const onTime = () => engine.tick();
    const events: [string, () => void][] = [
      ['loadedmetadata', onMeta], ['ended', onEnded], ['error', onError], ['pause', onPause], ['play', onPlay],
      ['waiting', onWaiting], ['playing', onPlaying], ['canplay', onPlaying], ['timeupdate', onTime], ['seeked', onTime],
    ];
    for (const [e, fn] of events) audio.addEventListener(e, fn);
    return () => {
      for (const [e, fn] of events) audio.removeEventListener(e, fn);
    };
  }, [audio, engine, st]);

  // Volume and mute: applied and remembered for the next conversation.
  useEffect(() => {
    st.level = level;
    engine.applyLevel();
    writeLevel(level);
  }, [level, engine, st]);

  // A queued play request runs once the media is in.
  useEffect(() => {
    const r = st.request;
    if (!r || !model || !audio || r.conversationId !== conversationId || model.problem === 'pending') return;
    st.request = null;
    if (r.segmentId) engine.playSegment(r.segmentId);
    else engine.play();
  }, [requests, model, audio, conversationId, engine, st]);

  // A refetched manifest (polling, reprocessing) may change the media under the playhead: keep the place.
  useEffect(() => {
    if (model && st.pieceIndex >= model.plan.length) st.pieceIndex = -1;
  }, [model, st]);

  useEffect(() => () => cancelAnimationFrame(st.loop), [st]);

  const setSpeed = useCallback(
    (v: number) => {
      st.speed = v;
      setSpeedState(v);
      if (st.audio) {
        st.audio.defaultPlaybackRate = v;
        st.audio.playbackRate = v;
      }
    },
    [st],
  );

  return {
    conversationId,
    media,
    model,
    clock,
    audioRef: setAudio,
    playing,
    buffering,
    speed,
    volume: level.volume,
    muted: level.muted,
    solo,
    segmentId,
    notice,
    dismissNotice: useCallback(() => setNotice(null), []),
    play: engine.play,
    pause: engine.pause,
    toggle: engine.toggle,
    seek: engine.seek,
    seekDisplay: engine.seekDisplay,
    skip: engine.skip,
    playSegment: engine.playSegment,
    playWhenReady: useCallback(
      (id: string, segment?: string) => {
        st.request = { conversationId: id, segmentId: segment };
        setRequests((n) => n + 1);
      },
      [st],
    ),
    setSpeed,
    setVolume: useCallback((volume: number) => setLevel((l) => ({ volume, muted: volume === 0 ? l.muted : false })), []),
    toggleMute: useCallback(() => setLevel((l) => ({ ...l, muted: !l.muted })), []),
    toggleSolo: useCallback(
      (party: string) => {
        const next = st.solo === party ? null : party;
        st.solo = next;
        setSolo(next);
        engine.reloadCurrent();
      },
      [st, engine],
    ),
    now: engine.now,
  };
}

// ——— sharing one player on a page ————————————————————————————————————————————————————————————————————————

export const PlayerContext = createContext<PlayerApi | null>(null);

/** The page's player, if the page has one (the list and the detail view do). */
export const usePlayerContext = () => useContext(PlayerContext);
