import { ActionIcon, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRemoveTag } from '../../api/conversations.ts';
import type { AppliedTag } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconClose } from '../../components/icons.tsx';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { EmptyNote, Section, TagLine } from './parts.tsx';
import { useHighlights } from './search/Highlighted.tsx';

export function TagsSection({ conversationId, tags, card }: { conversationId: string; tags: AppliedTag[]; card?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const remove = useRemoveTag(conversationId);
  const highlights = useHighlights();
  const mayRemove = can(me, 'tags.apply');

  return (
    <Section title={t('conversations.tags.title')} card={card}>
      {tags.length === 0 ? (
        <EmptyNote>{t('conversations.tags.none')}</EmptyNote>
      ) : (
        <Stack gap={8} data-testid="conversation-tags">
          {tags.map((tag) => (
            <TagLine
              key={tag.tagId}
              tag={tag}
              commentRanges={highlights.tagComment(tag.tagId)}
              action={
                mayRemove && (
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="sm"
                    aria-label={t('conversations.tags.remove', { name: tag.name })}
                    loading={remove.isPending && remove.variables === tag.tagId}
                    onClick={() => remove.mutate(tag.tagId)}
                  >
                    <IconClose size={14} />
                  </ActionIcon>
                )
              }
            />
          ))}
        </Stack>
      )}
      <ErrorAlert error={remove.error} />
    </Section>
  );
}
