// Screen recordings in step with the audio: every monitor on the left, a focused (2×) view on the right of the area
// the user hovers on a monitor (the recordings carry no cursor track yet, so it cannot follow the agent's cursor by
// itself), a message while no screen was recorded, and a button to open a monitor full size in a new window.
import { ActionIcon, AspectRatio, Box, Group, Text, Tooltip } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MediaSegment } from '../../../api/media.ts';
import { IconMonitor, IconOpen } from '../../../components/icons.tsx';
import { screensAt, type PlayerModel } from './model.ts';
import { useClock, type PlayerApi } from './usePlayer.ts';

/** Drift (s) before a video is moved back in step with the audio. */
const MAX_DRIFT = 0.3;
const THUMB_WIDTH = 128;
const FOCUS_WIDTH = 340;
const FOCUS_ZOOM = 2;

interface Focus {
  segmentId: string;
  /** The point of interest, 0..1 of the monitor's width and height. */
  x: number;
  y: number;
}

const monitorLabel = (s: MediaSegment, t: (k: string, o?: Record<string, unknown>) => string) =>
  s.monitor !== null ? t('conversations.media.monitor', { n: s.monitor }) : t('conversations.kind.screen');

export function ScreenView({ player, model }: { player: PlayerApi; model: PlayerModel }) {
  const { t } = useTranslation();
  const activeKey = useClock(player.clock, (ms) =>
    screensAt(model.screens, ms)
      .map((s) => s.id)
      .join(','),
  );
  const active = model.screens.filter((s) => activeKey.split(',').includes(s.id));
  const videos = useRef(new Map<string, HTMLVideoElement>());
  const [focus, setFocus] = useState<Focus | null>(null);
  const focused = active.find((s) => s.id === focus?.segmentId && s.videoUrl) ?? active.find((s) => s.videoUrl) ?? null;

  // Keep every showing video at the audio's time, playing when it plays, at its speed.
  useEffect(() => {
    const sync = () => {
      const ms = player.clock.ms;
      for (const s of model.screens) {
        const v = videos.current.get(s.id);
        if (!v) continue;
        const on = ms >= s.startMs && ms < s.endMs;
        if (!on) {
          if (!v.paused) v.pause();
          continue;
        }
        const target = (ms - s.startMs) / 1000;
        if (v.readyState >= 1 && Math.abs(v.currentTime - target) > MAX_DRIFT) v.currentTime = target;
        if (v.playbackRate !== player.speed) v.playbackRate = player.speed;
        if (player.playing && v.paused) void v.play().catch(() => {});
        if (!player.playing && !v.paused) v.pause();
      }
    };
    sync();
    return player.clock.subscribe(sync);
  }, [player.clock, player.playing, player.speed, model.screens]);

  // The focused view: a 2× crop of the focused monitor around the point of interest, drawn each frame.
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!focused) return;
    let raf = 0;
    const draw = () => {
      const v = videos.current.get(focused.id);
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (v && c && ctx && v.videoWidth > 0) {
        const w = c.clientWidth * devicePixelRatio;
        const h = c.clientHeight * devicePixelRatio;
        if (c.width !== w) c.width = w;
        if (c.height !== h) c.height = h;
        const sw = v.videoWidth / FOCUS_ZOOM;
        const sh = v.videoHeight / FOCUS_ZOOM;
        const fx = focus?.segmentId === focused.id ? focus.x : 0.5;
        const fy = focus?.segmentId === focused.id ? focus.y : 0.5;
        const sx = Math.min(v.videoWidth - sw, Math.max(0, fx * v.videoWidth - sw / 2));
        const sy = Math.min(v.videoHeight - sh, Math.max(0, fy * v.videoHeight - sh / 2));
        ctx.drawImage(v, sx, sy, sw, sh, 0, 0, w, h);
      }
      raf = requestAnimationFrame(draw);
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [focused, focus]);

  const openFull = (s: MediaSegment) => {
    const at = Math.max(0, (player.clock.ms - s.startMs) / 1000);
    window.open(`${s.videoUrl}#t=${at.toFixed(1)}`, '_blank', 'noopener');
  };

  return (
    <Group align="flex-start" gap="md" wrap="nowrap" data-testid="screen-view" aria-label={t('player.screens')} role="region">
      <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 6, flexShrink: 0, width: Math.min(2, Math.max(1, active.length)) * (THUMB_WIDTH + 6) }}>
        {model.screens.map((s) => {
          const on = active.includes(s);
          return (
            <Box key={s.id} display={on ? undefined : 'none'} w={THUMB_WIDTH}>
              <Group justify="space-between" gap={4} wrap="nowrap" mb={2}>
                <Group gap={4} wrap="nowrap">
                  <IconMonitor size={12} />
                  <Text size="xs" fw={600}>
                    {monitorLabel(s, t)}
                  </Text>
                </Group>
                {s.videoUrl && (
                  <Tooltip label={t('player.openScreen')} withinPortal>
                    <ActionIcon size="xs" variant="subtle" onClick={() => openFull(s)} aria-label={t('player.openScreen')} data-testid="screen-open">
                      <IconOpen size={12} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
              <AspectRatio ratio={16 / 9}>
                {s.videoUrl ? (
                  <Box
                    component="video"
                    ref={(el: HTMLVideoElement | null) => {
                      if (el) videos.current.set(s.id, el);
                      else videos.current.delete(s.id);
                    }}
                    src={s.videoUrl}
                    muted
                    playsInline
                    preload="auto"
                    data-testid="screen-video"
                    onLoadedMetadata={(e) => {
                      const v = e.currentTarget as HTMLVideoElement;
                      v.currentTime = Math.max(0, (player.clock.ms - s.startMs) / 1000);
                    }}
                    onPointerMove={(e) => {
                      const r = e.currentTarget.getBoundingClientRect();
                      setFocus({ segmentId: s.id, x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height });
                    }}
                    style={{
                      background: 'black',
                      borderRadius: 4,
                      cursor: 'crosshair',
                      outline: focused?.id === s.id ? '2px solid var(--mantine-color-blue-5)' : undefined,
                    }}
                  />
                ) : (
                  <NoScreen text={t('player.screenMissing')} />
                )}
              </AspectRatio>
            </Box>
          );
        })}
        {active.length === 0 && (
          <Box w={THUMB_WIDTH}>
            <AspectRatio ratio={16 / 9}>
              <NoScreen text={t('player.noScreen')} testId="no-screen" />
            </AspectRatio>
          </Box>
        )}
      </Box>
      <Box style={{ flex: 1, minWidth: 0, maxWidth: FOCUS_WIDTH }}>
        <Text size="xs" c="dimmed" mb={2}>
          {focused ? t('player.focus', { monitor: monitorLabel(focused, t) }) : t('player.focusNone')}
        </Text>
        <AspectRatio ratio={16 / 9}>
          {focused ? (
            <canvas ref={canvas} data-testid="screen-focus" style={{ width: '100%', height: '100%', background: 'black', borderRadius: 4 }} />
          ) : (
            <NoScreen text={t('player.noScreen')} />
          )}
        </AspectRatio>
      </Box>
    </Group>
  );
}

function NoScreen({ text, testId }: { text: string; testId?: string }) {
  return (
    <Box bg="gray.1" style={{ borderRadius: 4, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 8 }} data-testid={testId}>
      <Text size="xs" c="dimmed" ta="center">
        {text}
      </Text>
    </Box>
  );
}
