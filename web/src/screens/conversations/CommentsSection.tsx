// Comments on a conversation: pinned first, mentions shown as names, the author's edit and delete, anyone's pin, and
// a time marker taken from the player's position (clicking a comment's marker plays from there).
import { ActionIcon, Badge, Box, Button, Group, SegmentedControl, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateComment } from '../../api/comments.ts';
import { useAddComment, useDeleteComment } from '../../api/conversations.ts';
import type { CommentVisibility, ConversationComment } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconClock, IconEdit, IconLock, IconPin, IconTrash } from '../../components/icons.tsx';
import { formatDateTime, formatDuration, formatShortDateTime, parseDuration } from '../../format.ts';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { MentionText, MentionTextarea } from './comments/MentionTextarea.tsx';
import { toEditable, toStored, type Mentioned } from './comments/mentions.ts';
import { EmptyNote, PRE_WRAP, Section } from './parts.tsx';
import { usePlayerContext } from './player/usePlayer.ts';

const byPinnedThenTime = (a: ConversationComment, b: ConversationComment) => Number(b.pinned) - Number(a.pinned) || a.createdAt.localeCompare(b.createdAt);

export function CommentsSection({ conversationId, comments, card }: { conversationId: string; comments: ConversationComment[]; card?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const remove = useDeleteComment(conversationId);
  const update = useUpdateComment(conversationId);
  const [editing, setEditing] = useState<string | null>(null);
  const sorted = [...comments].sort(byPinnedThenTime);
  const mayWrite = can(me, 'comments.write');

  return (
    <Section title={t('conversations.comments.title', { n: comments.length })} card={card}>
      <Stack gap="sm">
        {sorted.length === 0 && <EmptyNote>{t('conversations.comments.none')}</EmptyNote>}
        {sorted.map((c) =>
          editing === c.id ? (
            <CommentForm key={c.id} conversationId={conversationId} comment={c} onDone={() => setEditing(null)} />
          ) : (
            <CommentItem
              key={c.id}
              comment={c}
              onDelete={c.authorId === me.id && mayWrite ? () => remove.mutate(c.id) : undefined}
              onEdit={c.authorId === me.id && mayWrite ? () => setEditing(c.id) : undefined}
              onPin={mayWrite ? () => update.mutate({ id: c.id, patch: { pinned: !c.pinned } }) : undefined}
              busy={(remove.isPending && remove.variables === c.id) || (update.isPending && update.variables?.id === c.id)}
            />
          ),
        )}
        <ErrorAlert error={remove.error ?? update.error} />
        {mayWrite && <CommentForm conversationId={conversationId} />}
      </Stack>
    </Section>
  );
}

interface ItemProps {
  comment: ConversationComment;
  onDelete?: () => void;
  onEdit?: () => void;
  onPin?: () => void;
  busy: boolean;
}

function CommentItem({ comment: c, onDelete, onEdit, onPin, busy }: ItemProps) {
  const { t, i18n } = useTranslation();
  const player = usePlayerContext();
  const playable = c.offsetMs !== null && !!player?.conversationId;
  return (
    <Box
      data-testid="comment"
      data-pinned={c.pinned || undefined}
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
          {c.edited && (
            <Text size="xs" c="dimmed" fs="italic" title={formatDateTime(c.updatedAt, i18n.language)} data-testid="comment-edited">
              {t('conversations.comments.edited')}
            </Text>
          )}
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
            <Badge
              size="xs"
              variant="outline"
              color="blue"
              ff="monospace"
              title={playable ? t('conversations.comments.playFrom') : t('conversations.comments.offset')}
              component={playable ? 'button' : 'span'}
              style={playable ? { cursor: 'pointer' } : undefined}
              onClick={playable ? () => (player!.seek(c.offsetMs!), player!.play()) : undefined}
              data-testid="comment-offset"
            >
              {formatDuration(c.offsetMs)}
            </Badge>
          )}
        </Group>
        <Group gap={0} wrap="nowrap">
          {onPin && (
            <Tooltip label={c.pinned ? t('conversations.comments.unpin') : t('conversations.comments.pin')}>
              <ActionIcon
                variant="subtle"
                color={c.pinned ? 'yellow' : 'gray'}
                size="sm"
                onClick={onPin}
                disabled={busy}
                aria-label={c.pinned ? t('conversations.comments.unpin') : t('conversations.comments.pin')}
                aria-pressed={c.pinned}
              >
                <IconPin size={14} />
              </ActionIcon>
            </Tooltip>
          )}
          {onEdit && (
            <Tooltip label={t('common.edit')}>
              <ActionIcon variant="subtle" color="gray" size="sm" onClick={onEdit} disabled={busy} aria-label={t('conversations.comments.edit')}>
                <IconEdit size={14} />
              </ActionIcon>
            </Tooltip>
          )}
          {onDelete && (
            <Tooltip label={t('common.delete')}>
              <ActionIcon variant="subtle" color="gray" size="sm" onClick={onDelete} loading={busy} aria-label={t('conversations.comments.delete')}>
                <IconTrash size={14} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
      <Text size="sm" mt={2} style={PRE_WRAP} data-testid="comment-text">
        <MentionText text={c.text} />
      </Text>
    </Box>
  );
}

/** A new comment, or the author's edit of one (`comment`). */
function CommentForm({ conversationId, comment, onDone }: { conversationId: string; comment?: ConversationComment; onDone?: () => void }) {
  const { t } = useTranslation();
  const add = useAddComment(conversationId);
  const update = useUpdateComment(conversationId);
  const player = usePlayerContext();
  const [initial] = useState(() => toEditable(comment?.text ?? ''));
  const [text, setText] = useState(initial.text);
  const [mentioned, setMentioned] = useState<Mentioned[]>(initial.mentioned);
  const [visibility, setVisibility] = useState<CommentVisibility>((comment?.visibility as CommentVisibility | undefined) ?? 'public');
  const [initialOffset] = useState(comment?.offsetMs != null ? formatDuration(comment.offsetMs) : '');
  const [offset, setOffset] = useState(initialOffset);
  // Shown to the second: an edit that leaves it alone keeps the stored milliseconds.
  const offsetMs = offset === initialOffset && comment ? comment.offsetMs : offset.trim() ? parseDuration(offset) : null;
  const badOffset = offset.trim() !== '' && offsetMs === null;
  const pending = add.isPending || update.isPending;
  const hasPlayer = !!player?.conversationId && player.conversationId === conversationId;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim() || badOffset) return;
    const stored = toStored(text.trim(), mentioned);
    if (comment) {
      update.mutate({ id: comment.id, patch: { text: stored, visibility, offsetMs } }, { onSuccess: onDone });
    } else {
      add.mutate(
        { text: stored, visibility, offsetMs: offsetMs ?? undefined },
        {
          onSuccess: () => {
            setText('');
            setOffset('');
            setMentioned([]);
          },
        },
      );
    }
  };

  return (
    <form onSubmit={submit} data-testid={comment ? 'comment-edit-form' : 'comment-form'}>
      <Stack gap={6}>
        <MentionTextarea
          mentionablePath={`/api/conversations/${encodeURIComponent(conversationId)}/mentionable`}
          label={comment ? t('conversations.comments.editLabel') : t('conversations.comments.add')}
          placeholder={t('conversations.comments.placeholder')}
          value={text}
          onChange={setText}
          mentioned={mentioned}
          onMention={(m) => setMentioned((list) => [...list, m])}
          autoFocus={!!comment}
          onSubmit={submit}
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
            {hasPlayer && (
              <Tooltip label={t('conversations.comments.atPlayer')}>
                <ActionIcon
                  variant="light"
                  size="md"
                  aria-label={t('conversations.comments.atPlayer')}
                  onClick={() => setOffset(formatDuration(Math.max(0, Math.round(player!.now()))))}
                  data-testid="comment-at-player"
                >
                  <IconClock size={14} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            {comment && (
              <Button size="xs" variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
            <Button size="xs" type="submit" loading={pending} disabled={!text.trim() || badOffset}>
              {comment ? t('common.save') : t('conversations.comments.post')}
            </Button>
          </Group>
        </Group>
        <ErrorAlert error={add.error ?? update.error} />
      </Stack>
    </form>
  );
}
