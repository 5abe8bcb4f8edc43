// The full-text search box. The search runs when the user stops typing (debounced; the request of a search typed
// over is cancelled) and at once on Enter. A malformed query is refused by the server with a message that says
// where, shown under the box (Enter also moves the caret there) while the list keeps its results.
import { ActionIcon, CloseButton, Code, Group, Loader, Popover, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import enStopWords from '../../../../../src/search/analyzer/stopwords/en.ts';
import frStopWords from '../../../../../src/search/analyzer/stopwords/fr.ts';
import { ApiError } from '../../../api/client.ts';
import { describeError } from '../../../components/errors.ts';
import { IconHelp, IconSearch } from '../../../components/icons.tsx';
import { isQueryError } from './filterModel.ts';
import { useApplySearch, useSearch } from './SearchContext.tsx';

/** How long the box waits after the last key before it searches. */
export const TYPING_DEBOUNCE_MS = 400;

export function SearchBar() {
  const { t, i18n } = useTranslation();
  const { q, filter, error: listError, page } = useSearch();
  const run = useApplySearch();
  const [text, setText] = useState(q);
  const input = useRef<HTMLInputElement>(null);
  const inFlight = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The query this box just switched the list to: the URL echoing it back must not overwrite what was typed since.
  const own = useRef<string | null>(null);
  // Searches run while typing replace one another in the history: Back returns to the search before the typing.
  const typing = useRef(false);

  // Back/forward, a saved search or Reset change the query in the URL: the box follows.
  useEffect(() => {
    const mine = own.current !== null && own.current === q;
    own.current = null;
    if (!mine) setText(q);
  }, [q]);

  const cancelPending = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    inFlight.current?.abort();
    inFlight.current = null;
    own.current = null;
  };
  useEffect(() => cancelPending, []);

  const submit = (value: string, fromTyping: boolean) => {
    cancelPending();
    const controller = new AbortController();
    inFlight.current = controller;
    // The first search typed in a row adds a history entry, the next ones replace it.
    const replace = fromTyping && typing.current;
    own.current = value.trim() !== q ? value.trim() : null;
    run.mutate(
      { q: value, filter, signal: controller.signal, replace },
      {
        onSuccess: (done) => {
          if (done && fromTyping) typing.current = true;
        },
        // Only Enter moves the caret: while typing, the message under the box is enough.
        onError: (e) => {
          own.current = null;
          if (!fromTyping) placeCaret(input.current, e);
        },
        onSettled: () => {
          if (inFlight.current === controller) inFlight.current = null;
        },
      },
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    typing.current = false;
    submit(text, false);
  };

  const onType = (value: string) => {
    setText(value);
    if (run.error) run.reset();
    cancelPending();
    if (value.trim() === q.trim()) return;
    timer.current = setTimeout(() => submit(value, true), TYPING_DEBOUNCE_MS);
  };

  // The refusal of what was just typed, else that of the query in the URL (a bookmark, a saved search).
  const queryError = isQueryError(run.error) ? run.error : !run.isPending && text === q && isQueryError(listError) ? listError : null;
  const message = queryError ? describeError(queryError, t, i18n.language) : run.error ? describeError(run.error, t, i18n.language) : undefined;
  const ignored = !queryError && text === q ? (page?.ignored ?? []) : [];

  return (
    <form onSubmit={onSubmit} role="search" style={{ flex: 1, minWidth: 240, maxWidth: 640 }}>
      <TextInput
        ref={input}
        aria-label={t('search.box.label')}
        placeholder={t('search.box.placeholder')}
        // While a search typed is on its way, the magnifier turns into a spinner.
        leftSection={run.isPending ? <Loader size={14} data-testid="search-pending" /> : <IconSearch size={16} />}
        rightSectionWidth={text ? 60 : 32}
        rightSectionPointerEvents="all"
        rightSection={
          <Group gap={0} wrap="nowrap">
            {text && (
              <CloseButton
                size="sm"
                aria-label={t('search.box.clear')}
                onClick={() => {
                  setText('');
                  typing.current = false;
                  if (q) submit('', false);
                  else cancelPending();
                }}
              />
            )}
            <SyntaxHelp />
          </Group>
        }
        value={text}
        onChange={(e) => onType(e.currentTarget.value)}
        onBlur={() => {
          typing.current = false;
        }}
        error={message}
        errorProps={{ 'data-testid': 'search-error' }}
        data-testid="search-input"
        data-searching={run.isPending || undefined}
      />
      {ignored.length > 0 && (
        <Text size="xs" c="dimmed" mt={4} data-testid="search-ignored">
          {t('search.box.ignored', { words: ignored.join(', ') })}
        </Text>
      )}
    </form>
  );
}

/** Puts the caret where the server says the query goes wrong. */
function placeCaret(el: HTMLInputElement | null, error: unknown) {
  if (!el || !(error instanceof ApiError)) return;
  const position = error.details?.position;
  el.focus();
  if (typeof position === 'number' && position >= 0 && position <= el.value.length) el.setSelectionRange(position, position);
}

const SYNTAX = [
  ['billing refund', 'all'],
  ['"internet bill"', 'phrase'],
  ['+billing', 'must'],
  ['-refund', 'exclude'],
  ['billing OR invoice', 'or'],
  ['billing AND NOT refund', 'not'],
  ['(billing OR invoice) -refund', 'group'],
] as const;

/** The stop word lists the help shows: those of the UI language (French or English). */
const STOP_WORDS: Record<string, string> = { en: enStopWords, fr: frStopWords };
export function stopWordsFor(language: string): string[] {
  const list = STOP_WORDS[language.slice(0, 2)] ?? enStopWords;
  return [...new Set(list.split(/\s+/).filter(Boolean))];
}

function SyntaxHelp() {
  const { t, i18n } = useTranslation();
  return (
    <Popover width={400} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('search.syntax.title')} data-testid="search-help">
          <IconHelp size={16} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown data-testid="search-help-panel">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('search.syntax.title')}
          </Text>
          <Text size="xs">{t('search.syntax.asYouType')}</Text>
          <Table fz="xs" verticalSpacing={4} withRowBorders={false}>
            <Table.Tbody>
              {SYNTAX.map(([example, key]) => (
                <Table.Tr key={key}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Code>{example}</Code>
                  </Table.Td>
                  <Table.Td>{t(`search.syntax.${key}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            {t('search.syntax.note')}
          </Text>
          <Text size="xs" fw={600}>
            {t('search.syntax.accentsTitle')}
          </Text>
          <Text size="xs" data-testid="search-help-accents">
            {t('search.syntax.accents')}
          </Text>
          <Text size="xs" fw={600}>
            {t('search.syntax.stopWordsTitle')}
          </Text>
          <Text size="xs">{t('search.syntax.stopWords')}</Text>
          <ScrollArea.Autosize mah={96} type="auto">
            <Text size="xs" c="dimmed" data-testid="search-help-stopwords">
              {stopWordsFor(i18n.language).join(' · ')}
            </Text>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
