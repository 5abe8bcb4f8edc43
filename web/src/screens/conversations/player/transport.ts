// The player's transport: one <audio> element plays the conversation's call segments one after the other on the
// conversation timeline (the stereo mix of each, or the soloed party's own WAV), skipping the gaps between them and
// the segments whose media is missing. Plain TypeScript over an audio element, so it is tested without React; the
// hook (usePlayer) feeds it the model, the element and the settings, and hears back through `TransportEvents`.
import type { MediaSegment } from '../../../api/media.ts';
import type { Clock } from './clock.ts';
import type { Level } from './level.ts';
import { laneKey, locate, toConversation, toDisplay, type PlayerModel } from './model.ts';

export interface PlayerNotice {
  kind: 'missingMedia' | 'segmentError';
  segmentId: string;
}

/** What the transport tells the page (React state setters in the app). */
export interface TransportEvents {
  playing: (playing: boolean) => void;
  buffering: (buffering: boolean) => void;
  notice: (notice: PlayerNotice | null) => void;
  segment: (segmentId: string | null) => void;
  /** The first play of a conversation (the server audits it). */
  firstPlay: (conversationId: string) => void;
}

/** A pause the transport did not ask for (a media key, the OS) is believed only this long after a source change. */
export const SWITCH_GRACE_MS = 600;

export class Transport {
  conversationId: string | null = null;
  model: PlayerModel | null = null;
  audio: HTMLAudioElement | null = null;
  speed = 1;
  level: Level = { volume: 1, muted: false };
  /** The party heard alone, if any. */
  solo: string | null = null;

  private pieceIndex = -1;
  private src: string | null = null;
  /** Where to go in the new source once its metadata is in (s). */
  private pendingSeek: number | null = null;
  /** Whether the user wants it playing (the element may be paused meanwhile, switching sources). */
  private want = false;
  /** The soloed party is not in this segment: the mix plays muted. */
  private silent = false;
  private switchedAt = 0;
  private frame = 0;
  private audited = false;

  constructor(
    private readonly clock: Clock,
    private readonly events: TransportEvents,
  ) {}

  private seg(id: string): MediaSegment | undefined {
    return this.model?.segmentById.get(id);
  }

  private startOf = (id: string) => this.seg(id)?.startMs ?? 0;

  applyLevel() {
    if (!this.audio) return;
    this.audio.volume = this.level.volume;
    this.audio.muted = this.level.muted || this.silent;
  }

  setSpeed(speed: number) {
    this.speed = speed;
    if (this.audio) {
      this.audio.defaultPlaybackRate = speed;
      this.audio.playbackRate = speed;
    }
  }

  /** The soloed party's own WAV, or the mix; a segment without the soloed party plays silent (the others are muted). */
  private sourceFor(s: MediaSegment): { url: string | null; silent: boolean } {
    if (!this.solo) return { url: s.mixUrl, silent: false };
    const own = s.streams.find((x) => laneKey(x) === this.solo);
    return own?.soloUrl ? { url: own.soloUrl, silent: false } : { url: s.mixUrl, silent: true };
  }

  /** Conversation ms now, from the audio element. */
  now = (): number => {
    const piece = this.model?.plan[this.pieceIndex];
    if (!piece || !this.audio) return this.clock.ms;
    const local = this.pendingSeek ?? this.audio.currentTime;
    return this.startOf(piece.segmentId) + local * 1000;
  };

  private loop() {
    cancelAnimationFrame(this.frame);
    const frame = () => {
      this.tick();
      if (this.want) this.frame = requestAnimationFrame(frame);
    };
    this.frame = requestAnimationFrame(frame);
  }

  private setPlaying(playing: boolean) {
    this.want = playing;
    this.events.playing(playing);
  }

  private start() {
    const a = this.audio;
    if (!a) return;
    this.setPlaying(true);
    a.play()?.catch((err: unknown) => {
      // A source change interrupts play(): the new source plays when its metadata is in.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (this.audio === a && a.paused) this.setPlaying(false);
    });
    this.loop();
    if (!this.audited && this.conversationId) {
      this.audited = true;
      this.events.firstPlay(this.conversationId);
    }
  }

  pause = () => {
    this.setPlaying(false);
    this.audio?.pause();
  };

  /** Past the last piece: stop at the end; the next play starts over. */
  private end() {
    const plan = this.model?.plan ?? [];
    this.pause();
    const last = [...plan].reverse().find((p) => p.playable);
    if (last) this.clock.set(last.toMs);
    this.pieceIndex = -1;
  }

  /** Plays piece `index` of the plan from conversation time `convMs` (skipping pieces without media). */
  private load(index: number, convMs: number, autoplay: boolean) {
    const m = this.model;
    const a = this.audio;
    if (!m || !a) return;
    let i = index;
    let at = convMs;
    while (i < m.plan.length && !m.plan[i]!.playable) {
      this.events.notice({ kind: 'missingMedia', segmentId: m.plan[i]!.segmentId });
      i++;
      at = m.plan[i]?.fromMs ?? at;
    }
    const piece = m.plan[i];
    const s = piece && this.seg(piece.segmentId);
    if (!piece || !s) return this.end();
    const { url, silent } = this.sourceFor(s);
    if (!url) return this.end();
    this.pieceIndex = i;
    this.silent = silent;
    this.events.segment(s.id);
    const local = Math.max(0, (at - s.startMs) / 1000);
    if (this.src !== url) {
      this.src = url;
      this.pendingSeek = local;
      this.switchedAt = performance.now();
      a.src = url;
      a.defaultPlaybackRate = this.speed;
      a.playbackRate = this.speed;
    } else if (this.pendingSeek !== null) {
      this.pendingSeek = local;
    } else {
      a.currentTime = local;
    }
    this.applyLevel();
    this.clock.set(at);
    if (autoplay) this.start();
  }

  private advance() {
    const plan = this.model?.plan ?? [];
    const next = this.pieceIndex + 1;
    if (this.pieceIndex < 0 || next >= plan.length) return this.end();
    this.load(next, plan[next]!.fromMs, this.want);
  }

  /** Moves the clock on, and to the next piece at the end of this one. */
  tick() {
    const piece = this.model?.plan[this.pieceIndex];
    if (!piece || this.pendingSeek !== null) return;
    const t = this.now();
    if (t >= piece.toMs) this.advance();
    else this.clock.set(t);
  }

  /** Seek to a conversation time. */
  seek = (convMs: number) => {
    const m = this.model;
    if (!m) return;
    this.events.notice(null);
    const loc = locate(m.plan, this.startOf, convMs);
    if (!loc) return this.end();
    this.load(loc.index, loc.convMs, this.want);
  };

  play = () => {
    const m = this.model;
    if (!m || !this.audio) return;
    this.events.notice(null);
    if (this.pieceIndex < 0) {
      const loc = locate(m.plan, this.startOf, this.clock.ms) ?? locate(m.plan, this.startOf, m.plan[0]?.fromMs ?? 0);
      if (!loc) return;
      this.load(loc.index, loc.convMs, true);
    } else this.start();
  };

  toggle = () => (this.want ? this.pause() : this.play());

  /** Play a call segment from its start. */
  playSegment = (id: string) => {
    const s = this.seg(id);
    if (!s) return;
    this.seek(s.startMs);
    if (!this.want) this.play();
  };

  /** Seek to a time of the display axis (what the waveform shows). */
  seekDisplay = (displayMs: number) => {
    const m = this.model;
    if (m) this.seek(toConversation(m.axis, displayMs));
  };

  /** Move by display ms (−5 s rewind, ±10 s skip). */
  skip = (deltaMs: number) => {
    const m = this.model;
    if (!m) return;
    const d = toDisplay(m.axis, this.now()) + deltaMs;
    this.seek(toConversation(m.axis, Math.min(Math.max(0, d), m.playableEndMs)));
  };

  /** Hear one party alone (or all again): the current piece reloads from its source for that. */
  setSolo(party: string | null) {
    this.solo = party;
    if (this.pieceIndex >= 0) this.load(this.pieceIndex, this.now(), this.want);
  }

  /** A refetched manifest (polling, reprocessing) may have fewer pieces: forget a place that is gone. */
  setModel(model: PlayerModel | null) {
    this.model = model;
    if (model && this.pieceIndex >= model.plan.length) this.pieceIndex = -1;
  }

  /** Another conversation: stop and start over. */
  reset() {
    cancelAnimationFrame(this.frame);
    this.pieceIndex = -1;
    this.src = null;
    this.pendingSeek = null;
    this.silent = false;
    this.audited = false;
    this.solo = null;
    this.setPlaying(false);
    this.events.buffering(false);
    this.events.notice(null);
    this.events.segment(null);
    this.clock.set(0);
    const a = this.audio;
    if (a) {
      a.pause();
      a.removeAttribute('src');
      a.load();
    }
  }

  /** Drives the transport from an audio element's events; returns the detach. */
  attach(audio: HTMLAudioElement): () => void {
    this.audio = audio;
    if (audio.getAttribute('src') !== this.src) {
      // A new element (the player was shown again): nothing is loaded in it.
      this.src = null;
      this.pendingSeek = null;
      this.pieceIndex = -1;
      this.setPlaying(false);
    }
    audio.preload = 'metadata';
    audio.defaultPlaybackRate = this.speed;
    audio.playbackRate = this.speed;
    this.applyLevel();
    const onMeta = () => {
      if (this.pendingSeek !== null) {
        const target = this.pendingSeek;
        this.pendingSeek = null;
        if (Number.isFinite(audio.duration)) audio.currentTime = Math.min(target, Math.max(0, audio.duration - 0.05));
        else audio.currentTime = target;
      }
      audio.playbackRate = this.speed;
      if (this.want && audio.paused) void audio.play().catch(() => {});
    };
    const onEnded = () => {
      if (audio.ended && this.pendingSeek === null) this.advance();
    };
    const onError = () => {
      if (!audio.error || !this.src || this.pieceIndex < 0) return;
      const piece = this.model?.plan[this.pieceIndex];
      if (piece) this.events.notice({ kind: 'segmentError', segmentId: piece.segmentId });
      this.pendingSeek = null;
      this.src = null;
      if (this.want) this.advance();
    };
    const onPause = () => {
      // Not ours (a media key, the OS)? Believe it only when no source change is under way.
      setTimeout(() => {
        if (this.want && audio.paused && !audio.ended && this.pendingSeek === null && performance.now() - this.switchedAt > SWITCH_GRACE_MS) {
          this.setPlaying(false);
        }
      }, 0);
    };
    const onPlay = () => {
      if (!this.want && this.pieceIndex >= 0) {
        this.setPlaying(true);
        this.tick();
      }
    };
    const onWaiting = () => this.events.buffering(true);
    const onPlaying = () => this.events.buffering(false);
    const onTime = () => this.tick();
    const events: [string, () => void][] = [
      ['loadedmetadata', onMeta],
      ['ended', onEnded],
      ['error', onError],
      ['pause', onPause],
      ['play', onPlay],
      ['waiting', onWaiting],
      ['playing', onPlaying],
      ['canplay', onPlaying],
      ['timeupdate', onTime],
      ['seeked', onTime],
    ];
    for (const [e, fn] of events) audio.addEventListener(e, fn);
    return () => {
      for (const [e, fn] of events) audio.removeEventListener(e, fn);
    };
  }

  dispose() {
    cancelAnimationFrame(this.frame);
  }
}
