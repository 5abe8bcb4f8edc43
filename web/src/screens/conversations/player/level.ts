// Volume, mute and speed, remembered on this browser for the next conversation.
import { useCallback, useEffect, useState } from 'react';

const LEVEL_KEY = 'earshot.player.level';

export interface Level {
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

/** The remembered level, and how to change it; `apply` runs on every change (and first with the stored one). */
export function useLevel(apply: (level: Level) => void) {
  const [level, setLevel] = useState(readLevel);
  useEffect(() => {
    apply(level);
    writeLevel(level);
  }, [level, apply]);
  return {
    level,
    // Turning the volume up unmutes; down to 0 keeps the mute as it was.
    setVolume: useCallback((volume: number) => setLevel((l) => ({ volume, muted: volume === 0 ? l.muted : false })), []),
    toggleMute: useCallback(() => setLevel((l) => ({ ...l, muted: !l.muted })), []),
  };
}

const SPEED_KEY = 'earshot.player.speed';

/** The remembered playback speed, if it is one the player offers; 1 otherwise. */
export function readSpeed(offered: readonly number[]): number {
  try {
    const v = Number(localStorage.getItem(SPEED_KEY));
    return offered.includes(v) ? v : 1;
  } catch {
    return 1;
  }
}

export function writeSpeed(speed: number) {
  try {
    localStorage.setItem(SPEED_KEY, String(speed));
  } catch {
    // private mode: not remembered
  }
}
