// In a conversation list row: a mark when speech tags were spotted in the conversation; hovering lists them with
// their best confidence level.
import { Group, HoverCard, Stack, Text, UnstyledButton, Box } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SpeechTagSummary } from '../../api/speechTags.ts';
import { IconSpeechTag } from '../../components/icons.tsx';

type Tags = SpeechTagSummary['items'][number]['tags'];

export function SpeechTagIcon({ tags }: { tags: Tags | undefined }) {
  const { t } = useTranslation();
  if (!tags || tags.length === 0) return null;
  const label = t('speechTags.listIcon', { names: tags.map((s) => s.name).join(', ') });
  return (
    <HoverCard width={260} shadow="md" withinPortal openDelay={150} position="bottom-start">
      <HoverCard.Target>
        <UnstyledButton onClick={(e) => e.stopPropagation()} aria-label={label} data-testid="speech-tag-icon" c="grape.7" style={{ display: 'inline-flex' }}>
          <IconSpeechTag size={15} />
        </UnstyledButton>
      </HoverCard.Target>
      <HoverCard.Dropdown>
        <Stack gap={6}>
          {tags.map((s) => (
            <Group key={s.tagId} gap={8} wrap="nowrap">
              <Box w={10} h={10} style={{ borderRadius: 3, background: s.color, flexShrink: 0 }} aria-hidden />
              <Text size="sm" style={{ flex: 1 }}>
                {s.name}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`speechTags.levels.${s.level}`)}
                {s.hits > 1 ? ` · ${s.hits}×` : ''}
              </Text>
            </Group>
          ))}
        </Stack>
      </HoverCard.Dropdown>
    </HoverCard>
  );
}
