// The full-text search box. Enter runs the search; a malformed query is refused by the server with a message that
// says where, shown under the box (and the caret goes there) while the list keeps its results.
import { ActionIcon, CloseButton, Code, Group, Popover, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { describeError } from '../../../components/errors.ts';
import { IconHelp, IconSearch } from '../../../components/icons.tsx';
import { isQueryError } from './filterModel.ts';
import { useApplySearch, useSearch } from './SearchContext.tsx';

export function SearchBar() {
  const { t, i18n } = useTranslation();
  const { q, filter, error: listError, page } = useSearch();
  const run = useApplySearch();
  const [text, setText] = useState(q);
  const input = useRef<HTMLInputElement>(null);

  // Back/forward, a saved search or Reset change the query in the URL: the box follows.
  useEffect(() => setText(q), [q]);

  const submit = (value: string) => run.mutate({ q: value, filter }, { onError: (e) => placeCaret(input.current, e) });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(text);
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
        leftSection={<IconSearch size={16} />}
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
                  if (q) submit('');
                }}
              />
            )}
            <SyntaxHelp />
          </Group>
        }
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          if (run.error) run.reset();
        }}
        error={message}
        errorProps={{ 'data-testid': 'search-error' }}
        data-testid="search-input"
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

function SyntaxHelp() {
  const { t } = useTranslation();
  return (
    <Popover width={380} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('search.syntax.title')}>
          <IconHelp size={16} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('search.syntax.title')}
          </Text>
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
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
