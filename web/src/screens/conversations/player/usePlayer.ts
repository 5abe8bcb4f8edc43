// The player's hook: the conversation's media manifest and its playback model, the transport (transport.ts) that
// plays it through one <audio> element, the remembered volume (level.ts) and the playhead clock (clock.ts). The page
// that shows the player owns it (usePlayer), so the list, the preview pane and the player share one playback.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { keys } from '../../../api/keys.ts';
import { useMedia } from '../../../api/media.ts';
import { Clock } from './clock.ts';
import { readSpeed, useLevel, writeSpeed, type Level } from './level.ts';
import { buildModel, SPEEDS, type PlayerModel } from './model.ts';
import { Transport, type PlayerNotice } from './transport.ts';

export { Clock, useClock } from './clock.ts';
export type { PlayerNotice } from './transport.ts';

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

export function usePlayer(conversationId: string | null): PlayerApi {
  const qc = useQueryClient();
  const media = useMedia(conversationId);
  const model = useMemo(() => (media.data && media.data.conversationId === conversationId ? buildModel(media.data) : null), [media.data, conversationId]);
  const [audio, setAudio] = useState<HTMLAudioElement | null>(null);
  const [playing, setPlaying] = useState(false);
  const [buffering, setBuffering] = useState(false);
  const [speed, setSpeedState] = useState(() => readSpeed(SPEEDS));
  const [solo, setSoloState] = useState<string | null>(null);
  const [notice, setNotice] = useState<PlayerNotice | null>(null);
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [request, setRequest] = useState<PlayRequest | null>(null);

  const clock = useMemo(() => new Clock(), []);
  const transport = useMemo(
    () =>
      new Transport(clock, {
        playing: setPlaying,
        buffering: setBuffering,
        notice: setNotice,
        segment: setSegmentId,
        // The first listen is audited by the server: show it in the Audit section.
        firstPlay: (id) => setTimeout(() => void qc.invalidateQueries({ queryKey: keys.conversationAudit(id) }), 1500),
      }),
    [clock, qc],
  );
  // The remembered speed applies from the first play.
  if (transport.speed !== speed) transport.setSpeed(speed);
  // What the transport's callbacks read: always the latest, whatever render they were made in.
  transport.conversationId = conversationId;
  transport.model = model;
  transport.audio = audio;

  // Another conversation: stop and start over (a play request for the new one stays).
  useEffect(() => {
    transport.reset();
    setSoloState(null);
    setRequest((r) => (r && r.conversationId !== conversationId ? null : r));
  }, [conversationId, transport]);

  // The audio element's events drive the transport.
  useEffect(() => (audio ? transport.attach(audio) : undefined), [audio, transport]);

  const { level, setVolume, toggleMute } = useLevel(
    useCallback(
      (l: Level) => {
        transport.level = l;
        transport.applyLevel();
      },
      [transport],
    ),
  );

  // A queued play request runs once the media is in.
  useEffect(() => {
    if (!request || !model || !audio || request.conversationId !== conversationId || model.problem === 'pending') return;
    setRequest(null);
    if (request.segmentId) transport.playSegment(request.segmentId);
    else transport.play();
  }, [request, model, audio, conversationId, transport]);

  // A refetched manifest (polling, reprocessing) may change the media under the playhead: keep the place.
  useEffect(() => transport.setModel(model), [model, transport]);

  useEffect(() => () => transport.dispose(), [transport]);

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
    play: transport.play,
    pause: transport.pause,
    toggle: transport.toggle,
    seek: transport.seek,
    seekDisplay: transport.seekDisplay,
    skip: transport.skip,
    playSegment: transport.playSegment,
    playWhenReady: useCallback((id: string, segment?: string) => setRequest({ conversationId: id, segmentId: segment }), []),
    setSpeed: useCallback(
      (v: number) => {
        transport.setSpeed(v);
        setSpeedState(v);
        writeSpeed(v);
      },
      [transport],
    ),
    setVolume,
    toggleMute,
    toggleSolo: useCallback(
      (party: string) => {
        const next = transport.solo === party ? null : party;
        transport.setSolo(next);
        setSoloState(next);
      },
      [transport],
    ),
    now: transport.now,
  };
}

// ——— sharing one player on a page ————————————————————————————————————————————————————————————————————————

export const PlayerContext = createContext<PlayerApi | null>(null);

/** The page's player, if the page has one (the list and the detail view do). */
export const usePlayerContext = () => useContext(PlayerContext);
