// Listen-in from the browser: a WebSocket of G.711 µ-law frames (src/recorder/live/frames.ts) fed to an AudioWorklet
// (web/public/live/pcmu-worklet.js) in an 8 kHz AudioContext, so nothing is resampled or decoded on the main thread.
import { useCallback, useEffect, useRef, useState } from 'react';
import { listenUrl } from '../../../api/live.ts';

export type ListenStatus = 'idle' | 'connecting' | 'listening' | 'ended' | 'error';

export interface ListenLeg {
  label: string;
  participant: string | null;
  role: 'agent' | 'customer' | 'unknown';
}

export interface ListenState {
  callId: string | null;
  status: ListenStatus;
  legs: ListenLeg[];
  frames: number;
  /** The server's error code and message, when it refused or the connection failed. */
  error: { code: string; message: string } | null;
}

/** Header of a binary frame: leg index (1 byte), time in ms (uint32 BE); the µ-law bytes follow. */
const HEADER = 5;

const INITIAL: ListenState = { callId: null, status: 'idle', legs: [], frames: 0, error: null };

export function useListen() {
  const [state, setState] = useState<ListenState>(INITIAL);
  const ws = useRef<WebSocket | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const node = useRef<AudioWorkletNode | null>(null);
  const frames = useRef(0);

  const stop = useCallback(() => {
    ws.current?.close();
    ws.current = null;
    node.current?.disconnect();
    node.current = null;
    void audio.current?.close().catch(() => undefined);
    audio.current = null;
  }, []);

  const start = useCallback(
    async (callId: string, label: string | null = null) => {
      stop();
      frames.current = 0;
      setState({ ...INITIAL, callId, status: 'connecting' });
      try {
        // Created on the user's click, so the browser lets it play.
        const ctx = new AudioContext({ sampleRate: 8000, latencyHint: 'interactive' });
        audio.current = ctx;
        await ctx.audioWorklet.addModule('/live/pcmu-worklet.js');
        const player = new AudioWorkletNode(ctx, 'pcmu-player', { outputChannelCount: [2] });
        player.connect(ctx.destination);
        node.current = player;
        const socket = new WebSocket(listenUrl(callId, label));
        socket.binaryType = 'arraybuffer';
        ws.current = socket;
        socket.onmessage = (e) => {
          if (typeof e.data === 'string') {
            const m = JSON.parse(e.data) as { type: string; legs?: ListenLeg[]; code?: string; message?: string };
            if (m.type === 'hello') {
              const legs = m.legs ?? [];
              // The calling side left, the called side right, as in the player; a single leg in the middle.
              legs.forEach((l, i) => player.port.postMessage({ type: 'pan', leg: i, pan: legs.length < 2 ? 0 : i === 0 ? -0.6 : 0.6 }));
              setState((s) => ({ ...s, status: 'listening', legs }));
            } else if (m.type === 'error') setState((s) => ({ ...s, status: 'error', error: { code: m.code ?? 'ERROR', message: m.message ?? '' } }));
            else if (m.type === 'end') setState((s) => ({ ...s, status: 'ended' }));
            return;
          }
          const buf = e.data as ArrayBuffer;
          const leg = new Uint8Array(buf, 0, 1)[0]!;
          const pcmu = buf.slice(HEADER);
          player.port.postMessage({ type: 'frame', leg, pcmu }, [pcmu]);
          frames.current++;
          if (frames.current % 25 === 1) setState((s) => ({ ...s, frames: frames.current }));
        };
        socket.onclose = (e) => {
          setState((s) =>
            s.status === 'error' || s.status === 'ended'
              ? s
              : e.code === 1000
                ? { ...s, status: 'ended' }
                : { ...s, status: 'error', error: s.error ?? { code: String(e.code), message: e.reason } },
          );
        };
      } catch (e) {
        setState((s) => ({ ...s, status: 'error', error: { code: 'AUDIO', message: e instanceof Error ? e.message : String(e) } }));
      }
    },
    [stop],
  );

  const mute = useCallback((leg: number, muted: boolean) => node.current?.port.postMessage({ type: 'mute', leg, muted }), []);

  useEffect(() => stop, [stop]);

  return { ...state, start, stop: () => (stop(), setState(INITIAL)), mute };
}
