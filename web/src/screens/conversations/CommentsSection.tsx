import { ActionIcon, Badge, Box, Button, Group, SegmentedControl, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddComment, useDeleteComment } from '../../api/conversations.ts';
import type { CommentVisibility, ConversationComment } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconLock, IconPin, IconTrash } from '../../components/icons.tsx';
import { formatDateTime, formatDuration, formatShortDateTime, parseDuration } from '../../format.ts';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { EmptyNote, PRE_WRAP, Section } from './parts.tsx';

const byPinnedThenTime = (a: ConversationComment, b: ConversationComment) => Number(b.pinned) - Number(a.pinned) || a.createdAt.localeCompare(b.createdAt);

export function CommentsSection({ conversationId, comments, card }: { conversationId: string; comments: ConversationComment[]; card?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const remove = useDeleteComment(conversationId);
  const sorted = [...comments].sort(byPinnedThenTime);

  return (
    <Section title={t('conversations.comments.title', { n: comments.length })} card={card}>
      <Stack gap="sm">
        {sorted.length === 0 && <EmptyNote>{t('conversations.comments.none')}</EmptyNote>}
        {sorted.map((c) => (
          <CommentItem
            key={c.id}
            comment={c}
            onDelete={c.authorId === me.id && can(me, 'comments.write') ? () => remove.mutate(c.id) : undefined}
            deleting={remove.isPending && remove.variables === c.id}
          />
        ))}
        <ErrorAlert error={remove.error} />
        {can(me, 'comments.write') && <CommentForm conversationId={conversationId} />}
      </Stack>
    </Section>
  );
}

function CommentItem({ comment: c, onDelete, deleting }: { comment: ConversationComment; onDelete?: () => void; deleting: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Box
      data-testid="comment"
      p="xs"
      bg={c.pinned ? 'yellow.0' : 'gray.0'}
      style={{ borderRadius: 'var(--mantine-radius-sm)', border: `1px solid var(--mantine-color-${c.pinned ? 'yellow-3' : 'gray-2'})` }}
    >
      <Group gap={6} wrap="nowrap" justify="space-between" align="flex-start">
        <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            {c.authorName}
          </Text>
          <Text size="xs" c="dimmed" title={formatDateTime(c.createdAt, i18n.language)}>
            {formatShortDateTime(c.createdAt, i18n.language)}
          </Text>
          {c.pinned && (
            <Badge size="xs" variant="light" color="yellow" leftSection={<IconPin size={10} />}>
              {t('conversations.comments.pinned')}
            </Badge>
          )}
          {c.visibility === 'private' && (
            <Badge size="xs" variant="light" color="gray" leftSection={<IconLock size={10} />}>
              {t('conversations.comments.private')}
            </Badge>
          )}
          {c.offsetMs !== null && (
            <Badge size="xs" variant="outline" color="blue" ff="monospace" title={t('conversations.comments.offset')}>
              {formatDuration(c.offsetMs)}
            </Badge>
          )}
        </Group>
        {onDelete && (
          <Tooltip label={t('common.delete')}>
            <ActionIcon variant="subtle" color="gray" size="sm" onClick={onDelete} loading={deleting} aria-label={t('conversations.comments.delete')}>
              <IconTrash size={14} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Text size="sm" mt={2} style={PRE_WRAP}>
        {c.text}
      </Text>
    </Box>
  );
}

function CommentForm({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const add = useAddComment(conversationId);
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<CommentVisibility>('public');
  const [offset, setOffset] = useState('');
  const offsetMs = offset.trim() ? parseDuration(offset) : undefined;
  const badOffset = offsetMs === null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || badOffset) return;
    add.mutate(
      { text: text.trim(), visibility, offsetMs },
      {
        onSuccess: () => {
          setText('');
          setOffset('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap={6}>
        <Textarea
          aria-label={t('conversations.comments.add')}
          placeholder={t('conversations.comments.placeholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={6}
        />
        <Group gap="xs" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <SegmentedControl
              size="xs"
              value={visibility}
              onChange={(v) => setVisibility(v as CommentVisibility)}
              aria-label={t('conversations.comments.visibility')}
              data={[
                { value: 'public', label: t('conversations.comments.public') },
                { value: 'private', label: t('conversations.comments.private') },
              ]}
            />
            <TextInput
              size="xs"
              w={78}
              placeholder="m:ss"
              aria-label={t('conversations.comments.offset')}
              title={t('conversations.comments.offsetHint')}
              value={offset}
              onChange={(e) => setOffset(e.currentTarget.value)}
              error={badOffset}
              ff="monospace"
            />
          </Group>
          <Button size="xs" type="submit" loading={add.isPending} disabled={!text.trim() || badOffset}>
            {t('conversations.comments.post')}
          </Button>
        </Group>
        <ErrorAlert error={add.error} />
      </Stack>
    </form>
  );
}
