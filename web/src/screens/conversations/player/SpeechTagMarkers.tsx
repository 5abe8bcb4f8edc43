// Speech tag hits on the combined waveform: a mark in the tag's colour over each spotted phrase, with the phrase and
// the confidence level on hover; a click plays from there.
import { Box, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConversationSpeechTags } from '../../../api/speechTags.ts';
import { formatDuration } from '../../../format.ts';
import { msToX, toDisplay, type PlayerModel, type View } from './model.ts';

export function SpeechTagMarkers({ model, view, width, onSeek }: { model: PlayerModel; view: View; width: number; onSeek: (convMs: number) => void }) {
  const { t } = useTranslation();
  const hits = useConversationSpeechTags(model.manifest.conversationId).data?.items ?? [];
  return (
    <>
      {hits.map((h) => {
        const x = msToX(view, width, toDisplay(model.axis, h.startMs));
        const x2 = h.endMs === null ? x : msToX(view, width, toDisplay(model.axis, h.endMs));
        if (x2 < -6 || x > width + 6) return null;
        const label = t('speechTags.marker', {
          name: h.name,
          phrase: h.phrase,
          level: t(`speechTags.levels.${h.level}`),
          percent: Math.round(h.confidence * 100),
          time: formatDuration(h.startMs),
        });
        return (
          <Tooltip key={h.id} label={label} withinPortal multiline w={280}>
            <Box
              component="button"
              type="button"
              data-marker="speech-tag"
              data-testid="speech-tag-marker"
              data-level={h.level}
              aria-label={label}
              onClick={() => onSeek(h.startMs)}
              pos="absolute"
              top={2}
              style={{
                left: x - 1,
                width: Math.max(6, x2 - x + 2),
                height: 8,
                padding: 0,
                border: `1px solid ${h.color}`,
                borderRadius: 3,
                background: h.color,
                // Fainter for a less certain hit.
                opacity: h.level === 'certainly' ? 0.95 : h.level === 'probably' ? 0.7 : 0.45,
                cursor: 'pointer',
              }}
            />
          </Tooltip>
        );
      })}
    </>
  );
}
