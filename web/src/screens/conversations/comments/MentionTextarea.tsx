// A comment textarea with an @mention picker: typing @ lists the people who may see the conversation (the server
// decides who), ↑/↓ and Enter or a click pick one, Escape closes the list. The text shows @Name; toStored() writes
// the tokens on save.
import { Box, Group, Paper, Text, Textarea, UnstyledButton } from '@mantine/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMentionable } from '../../../api/comments.ts';
import { insertMention, mentionQuery, splitMentions as splitForDisplay, type Mentioned } from './mentions.ts';

interface Props {
  /** Where the picker's people come from: GET /api/conversations/:id/mentionable or /api/evaluations/:id/mentionable. */
  mentionablePath: string;
  value: string;
  onChange: (text: string) => void;
  mentioned: Mentioned[];
  onMention: (m: Mentioned) => void;
  label: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** Ctrl/⌘+Enter. */
  onSubmit?: () => void;
}

export function MentionTextarea({ mentionablePath, value, onChange, mentioned, onMention, label, placeholder, autoFocus, onSubmit }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const people = useMentionable(mentionablePath, query?.query ?? null);
  const items = query ? (people.data?.items ?? []) : [];
  const open = query !== null && (items.length > 0 || people.isFetched);

  const track = (text: string, caret: number) => {
    const q = mentionQuery(text, caret);
    setQuery(q);
    if (q?.query !== query?.query) setActive(0);
  };

  const pick = (user: { id: string; name: string }) => {
    if (!query) return;
    const next = insertMention(value, query, user.name);
    onChange(next.text);
    if (!mentioned.some((m) => m.id === user.id)) onMention({ id: user.id, name: user.name });
    setQuery(null);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && items.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(items[Math.min(active, items.length - 1)]!);
        return;
      }
    }
    if (open && e.key === 'Escape') {
      e.preventDefault();
      setQuery(null);
      return;
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmit) {
      e.preventDefault();
      onSubmit();
    }
  };

  return (
    <Box pos="relative">
      <Textarea
        ref={ref}
        aria-label={label}
        placeholder={placeholder}
        description={t('conversations.comments.mentionHint')}
        value={value}
        autoFocus={autoFocus}
        onChange={(e) => {
          onChange(e.currentTarget.value);
          track(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length);
        }}
        onKeyDown={onKeyDown}
        onClick={(e) => track(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        autosize
        minRows={2}
        maxRows={6}
        aria-expanded={open}
        aria-autocomplete="list"
      />
      {open && (
        <Paper
          withBorder
          shadow="md"
          radius="sm"
          p={4}
          pos="absolute"
          left={0}
          right={0}
          style={{ zIndex: 300, top: '100%' }}
          role="listbox"
          aria-label={t('conversations.comments.mentionList')}
          data-testid="mention-list"
        >
          {items.length === 0 ? (
            <Text size="xs" c="dimmed" p={6}>
              {t('conversations.comments.mentionNone')}
            </Text>
          ) : (
            items.map((u, i) => (
              <UnstyledButton
                key={u.id}
                role="option"
                aria-selected={i === active}
                w="100%"
                px={8}
                py={4}
                bg={i === active ? 'blue.0' : undefined}
                style={{ borderRadius: 4 }}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(u)}
              >
                <Group gap={8} wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {u.name}
                  </Text>
                  <Text size="xs" c="dimmed" truncate>
                    {u.email}
                  </Text>
                </Group>
              </UnstyledButton>
            ))
          )}
        </Paper>
      )}
    </Box>
  );
}

/** Shows a comment's text with its mentions as names. */
export function MentionText({ text }: { text: string }) {
  return (
    <>
      {splitForDisplay(text).map((p, i) =>
        p.kind === 'text' ? (
          <span key={i}>{p.text}</span>
        ) : (
          <Text key={i} span fw={600} c="blue.7" data-testid="mention" data-user-id={p.userId}>
            @{p.name}
          </Text>
        ),
      )}
    </>
  );
}
