import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useAddTag, useTagDefinitions } from '../../api/conversations.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ColorDot } from './parts.tsx';

export const TAG_COMMENT_MAX = 1000;

interface Props {
  conversationId: string;
  appliedTagIds: string[];
  onClose: () => void;
}

/** Pick a tag and (optionally, or when the tag demands it) say why. Mounted only while open. */
export function AddTagModal({ conversationId, appliedTagIds, onClose }: Props) {
  const { t } = useTranslation();
  const definitions = useTagDefinitions();
  const add = useAddTag(conversationId);
  const [tagId, setTagId] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [submitted, setSubmitted] = useState(false);

  // Archived tags stay on their conversations but are not put on new ones.
  const all = (definitions.data?.items ?? []).filter((d) => !d.archived);
  const tag = all.find((d) => d.id === tagId) ?? null;
  const length = comment.trim().length;
  const tooLong = comment.length > TAG_COMMENT_MAX;
  const missing = !!tag?.commentRequired && length === 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!tagId || tooLong || missing) return;
    add.mutate({ tagId, comment: length ? comment.trim() : undefined }, { onSuccess: onClose });
  };

  const reason = add.error instanceof ApiError ? add.error.details?.reason : undefined;
  const serverError =
    reason === 'COMMENT_TOO_LONG'
      ? t('conversations.tags.tooLong', { max: TAG_COMMENT_MAX })
      : reason === 'COMMENT_REQUIRED'
        ? t('conversations.tags.commentRequired')
        : add.error instanceof ApiError && add.error.status === 409
          ? t('conversations.tags.alreadyTagged')
          : null;

  return (
    <Modal opened onClose={onClose} title={t('conversations.tags.addTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={definitions.error} />
          <Select
            label={t('conversations.tags.tag')}
            placeholder={t('conversations.tags.pick')}
            data={all.map((d) => ({ value: d.id, label: d.name, disabled: appliedTagIds.includes(d.id) }))}
            renderOption={({ option }) => {
              const def = all.find((d) => d.id === option.value);
              return (
                <Group gap={8} wrap="nowrap">
                  <ColorDot color={def?.color ?? 'gray'} />
                  <Text size="sm">{option.label}</Text>
                  {option.disabled && (
                    <Text size="xs" c="dimmed">
                      {t('conversations.tags.applied')}
                    </Text>
                  )}
                </Group>
              );
            }}
            leftSection={tag ? <ColorDot color={tag.color} /> : undefined}
            value={tagId}
            onChange={setTagId}
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            error={submitted && !tagId ? t('validation.required') : undefined}
            disabled={definitions.isPending}
            data-autofocus
            comboboxProps={{ withinPortal: true }}
          />
          <Textarea
            label={t('conversations.tags.comment')}
            description={tag?.commentRequired ? t('conversations.tags.commentRequiredHint') : t('conversations.tags.commentHint')}
            withAsterisk={!!tag?.commentRequired}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={8}
            error={
              tooLong ? t('conversations.tags.tooLong', { max: TAG_COMMENT_MAX }) : submitted && missing ? t('conversations.tags.commentRequired') : undefined
            }
          />
          <Text size="xs" c={tooLong ? 'red' : 'dimmed'} ta="right" mt={-10} data-testid="tag-comment-counter" aria-live="polite">
            {t('conversations.tags.counter', { n: comment.length, max: TAG_COMMENT_MAX })}
          </Text>
          <ErrorAlert error={serverError ? new Error(serverError) : add.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} disabled={tooLong}>
              {t('conversations.tags.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
