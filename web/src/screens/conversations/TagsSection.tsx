// The tags on a conversation (with their comments) and the categories it is filed under, which someone who may tag
// changes here with a multi-select (archived categories are kept where they are but not offered).
import { ActionIcon, Badge, Button, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories, useSetCategories } from '../../api/categories.ts';
import { useRemoveTag } from '../../api/conversations.ts';
import type { AppliedTag } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconClose, IconEdit } from '../../components/icons.tsx';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { ColorDot, EmptyNote, Section, TagLine } from './parts.tsx';
import { useHighlights } from './search/Highlighted.tsx';

export function TagsSection({ conversationId, tags, card }: { conversationId: string; tags: AppliedTag[]; card?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const remove = useRemoveTag(conversationId);
  const highlights = useHighlights();
  const mayRemove = can(me, 'tags.apply');
  const plain = tags.filter((x) => x.kind !== 'category');
  const categories = tags.filter((x) => x.kind === 'category');

  return (
    <Section title={t('conversations.tags.title')} card={card}>
      {plain.length === 0 ? (
        <EmptyNote>{t('conversations.tags.none')}</EmptyNote>
      ) : (
        <Stack gap={8} data-testid="conversation-tags">
          {plain.map((tag) => (
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
      <CategoriesBlock conversationId={conversationId} applied={categories} mayEdit={mayRemove} />
    </Section>
  );
}

export function CategoryBadge({ name, color }: { name: string; color: string }) {
  return (
    <Badge variant="light" color="gray" radius="sm" leftSection={<ColorDot color={color} />} styles={{ label: { textTransform: 'none' } }}>
      {name}
    </Badge>
  );
}

function CategoriesBlock({ conversationId, applied, mayEdit }: { conversationId: string; applied: AppliedTag[]; mayEdit: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  return (
    <Stack gap={6} mt="sm" data-testid="conversation-categories">
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Text size="xs" fw={600} c="dimmed">
          {t('conversations.categories.title')}
        </Text>
        {mayEdit && !editing && (
          <Button size="compact-xs" variant="subtle" leftSection={<IconEdit size={12} />} onClick={() => setEditing(true)}>
            {t('conversations.categories.edit')}
          </Button>
        )}
      </Group>
      {editing ? (
        <CategoriesEditor conversationId={conversationId} applied={applied} onDone={() => setEditing(false)} />
      ) : applied.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('conversations.categories.none')}
        </Text>
      ) : (
        <Group gap={4}>
          {applied.map((c) => (
            <CategoryBadge key={c.tagId} name={c.name} color={c.color} />
          ))}
        </Group>
      )}
    </Stack>
  );
}

function CategoriesEditor({ conversationId, applied, onDone }: { conversationId: string; applied: AppliedTag[]; onDone: () => void }) {
  const { t } = useTranslation();
  const all = useCategories();
  const save = useSetCategories(conversationId);
  const [value, setValue] = useState(applied.map((c) => c.tagId));
  const appliedIds = new Set(applied.map((c) => c.tagId));
  // Archived ones only where they already are (the server refuses to add them).
  const options = (all.data?.items ?? []).filter((c) => !c.archived || appliedIds.has(c.id));
  return (
    <Stack gap={6}>
      <MultiSelect
        size="xs"
        aria-label={t('conversations.categories.title')}
        placeholder={t('conversations.categories.pick')}
        data={options.map((c) => ({ value: c.id, label: c.archived ? t('conversations.categories.archivedName', { name: c.name }) : c.name }))}
        value={value}
        onChange={setValue}
        searchable
        clearable
        nothingFoundMessage={t('conversations.categories.noneDefined')}
        comboboxProps={{ withinPortal: true }}
        data-autofocus
      />
      <ErrorAlert error={all.error ?? save.error} />
      <Group gap="xs" justify="flex-end">
        <Button size="xs" variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button size="xs" loading={save.isPending} onClick={() => save.mutate(value, { onSuccess: onDone })}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
