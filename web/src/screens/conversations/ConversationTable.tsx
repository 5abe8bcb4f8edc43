import { ActionIcon, Checkbox, Group, HoverCard, Menu, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { Fragment, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary, CustomFieldDefinition, SearchHighlight, SearchRow } from '../../api/types.ts';
import { IconColumns, IconComment, IconQuality, IconTag } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/TableStates.tsx';
import { Timestamp } from '../../components/Timestamp.tsx';
import { Highlighted } from './search/Highlighted.tsx';
import { useSpeechTagSummary } from '../../api/speechTags.ts';
import { SpeechTagIcon } from './SpeechTagIcon.tsx';
import { ComplianceStates } from './anonymize/ComplianceStates.tsx';
import { agentNames, ChannelIcons, customerOf, DirectionIcon, LabelledIcon, TagLine, talkTime } from './parts.tsx';
import { ReviewedCell } from '../quality/evaluations/ReviewHistory.tsx';
import { canReview, ReviewDialog } from '../quality/evaluations/ReviewDialog.tsx';
import { useCurrentUser } from '../shell/currentUser.tsx';

interface Props {
  rows: SearchRow[];
  loading: boolean;
  fieldColumns: CustomFieldDefinition[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  /** Double-click: plays a row with a call in the docked player (the page decides); Enter still opens. */
  onActivate?: (id: string) => void;
  /** Columns the user hid (keys of OPTIONAL_COLUMNS, `field:<key>` for custom fields). */
  hidden?: ReadonlySet<string>;
  /** The list's width in px (0: unknown). Columns that do not fit are left out, least useful first, rather than cut
   * off at the edge (the preview pane beside the list leaves it about 730 px at 1440 px). */
  availableWidth?: number;
  /** Rows ticked for a bulk action (categories); without onCheck there is no checkbox column. */
  checked?: ReadonlySet<string>;
  onCheck?: (ids: string[], checked: boolean) => void;
}

/** The checkbox column of the multi-select. */
const CHECK_WIDTH = 40;

const FIELD_WIDTH = 140;
const COUNT_WIDTH = 52;
/** The columns a user may hide (participants and start always show) and their widths. Start is wide enough for the
 * longest compact date and time of the UI's locales ("Nov 30, 2026, 09:13 AM" in en-US: 173 px) so it never runs under the tag count. */
export const OPTIONAL_COLUMNS = ['type', 'agent', 'talkTime', 'tags', 'comments', 'reviewed'] as const;
const WIDTH = { type: 104, agent: 128, talkTime: 84, start: 200, tags: COUNT_WIDTH, comments: COUNT_WIDTH, reviewed: 96 } as const;
/** Below this the participant names would be cut too short: the list scrolls sideways instead. */
const PARTICIPANTS_MIN_WIDTH = 164;
export const fieldColumnKey = (f: Pick<CustomFieldDefinition, 'key'>) => `field:${f.key}`;
type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
/** Which columns go first when the list is too narrow: custom fields (the last first), then these in order. */
const DROP_ORDER: OptionalColumn[] = ['reviewed', 'talkTime', 'comments', 'type', 'agent', 'tags'];

/** The columns to draw in `available` px (0: all of them) and the table's resulting minimum width. */
export function fitColumns<F>(shown: readonly OptionalColumn[], fields: readonly F[], available: number) {
  const width = (cols: readonly OptionalColumn[], n: number) =>
    PARTICIPANTS_MIN_WIDTH + WIDTH.start + cols.reduce((sum, k) => sum + WIDTH[k], 0) + n * FIELD_WIDTH;
  let cols = [...shown];
  let n = fields.length;
  if (available > 0) {
    while (n > 0 && width(cols, n) > available) n--;
    for (const k of DROP_ORDER) {
      if (width(cols, n) <= available) break;
      cols = cols.filter((c) => c !== k);
    }
  }
  return { shown: cols, fields: fields.slice(0, n), minWidth: width(cols, n) };
}
// Fixed columns cut what does not fit (the full value is in the cell's title) instead of painting over the next one.
const NUM = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

const NONE: ReadonlySet<string> = new Set();

export function ConversationTable({
  rows,
  loading,
  fieldColumns: allFields,
  selectedId,
  onSelect,
  onOpen,
  onActivate = onOpen,
  hidden = NONE,
  availableWidth = 0,
  checked = NONE,
  onCheck,
}: Props) {
  const { t } = useTranslation();
  const checkWidth = onCheck ? CHECK_WIDTH : 0;
  const {
    shown,
    fields: fieldColumns,
    minWidth,
  } = fitColumns(
    OPTIONAL_COLUMNS.filter((k) => !hidden.has(k)),
    allFields.filter((f) => !hidden.has(fieldColumnKey(f))),
    availableWidth > 0 ? Math.max(1, availableWidth - checkWidth) : 0,
  );
  const show = (key: OptionalColumn) => shown.includes(key);
  const columns = 2 + shown.length + fieldColumns.length + (onCheck ? 1 : 0);
  const allChecked = rows.length > 0 && rows.every((r) => checked.has(r.id));
  const someChecked = !allChecked && rows.some((r) => checked.has(r.id));
  const speechTags = useSpeechTagSummary(rows.map((r) => r.id));
  // Review from the row itself (as from the preview pane and the page): the same dialog, for whoever may review or plan.
  const mayReview = canReview(useCurrentUser());
  const [reviewing, setReviewing] = useState<string | null>(null);

  const onKey = (e: KeyboardEvent, id: string) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    if (e.key === 'Enter' && id === selectedId) onOpen(id);
    else onSelect(id);
  };

  return (
    <>
      <Table
        stickyHeader
        verticalSpacing={6}
        horizontalSpacing="sm"
        fz="sm"
        aria-label={t('nav.conversations')}
        // Fixed layout: the narrow columns keep their widths and the names share the rest (and truncate).
        style={{ tableLayout: 'fixed', minWidth: minWidth + checkWidth }}
        data-min-width={minWidth + checkWidth}
      >
        <Table.Thead>
          <Table.Tr>
            {onCheck && (
              <Table.Th w={CHECK_WIDTH}>
                <Checkbox
                  size="xs"
                  aria-label={t('conversations.selection.selectAll')}
                  checked={allChecked}
                  indeterminate={someChecked}
                  onChange={(e) =>
                    onCheck(
                      rows.map((r) => r.id),
                      e.currentTarget.checked,
                    )
                  }
                  data-testid="check-all"
                />
              </Table.Th>
            )}
            {show('type') && <Table.Th w={WIDTH.type}>{t('conversations.cols.type')}</Table.Th>}
            <Table.Th>{t('conversations.cols.participants')}</Table.Th>
            {show('agent') && <Table.Th w={WIDTH.agent}>{t('conversations.cols.agent')}</Table.Th>}
            {show('talkTime') && (
              <Table.Th w={WIDTH.talkTime} ta="right">
                {t('conversations.cols.talkTime')}
              </Table.Th>
            )}
            <Table.Th w={WIDTH.start}>{t('conversations.cols.start')}</Table.Th>
            {show('tags') && (
              <Table.Th w={WIDTH.tags}>
                <LabelledIcon Icon={IconTag} label={t('conversations.cols.tags')} size={15} />
              </Table.Th>
            )}
            {show('comments') && (
              <Table.Th w={WIDTH.comments}>
                <LabelledIcon Icon={IconComment} label={t('conversations.cols.comments')} size={15} />
              </Table.Th>
            )}
            {show('reviewed') && <Table.Th w={WIDTH.reviewed}>{t('conversations.cols.reviewed')}</Table.Th>}
            {fieldColumns.map((f) => (
              <Table.Th key={f.id} w={FIELD_WIDTH}>
                <Text size="sm" fw={700} truncate="end" title={f.label}>
                  {f.label}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading && rows.length === 0 && <SkeletonRows rows={10} columns={columns} />}
          {rows.map((c) => {
            const selected = c.id === selectedId;
            const customer = customerOf(c);
            const hit = c.highlight;
            return (
              <Fragment key={c.id}>
                <Table.Tr
                  data-testid="conversation-row"
                  data-id={c.id}
                  aria-selected={selected}
                  tabIndex={0}
                  onClick={() => onSelect(c.id)}
                  onDoubleClick={() => onActivate(c.id)}
                  onKeyDown={(e) => onKey(e, c.id)}
                  bg={selected ? 'var(--mantine-color-blue-light)' : undefined}
                  style={{
                    cursor: 'pointer',
                    boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-blue-6)' : undefined,
                    borderBottom: hit ? 'none' : undefined,
                  }}
                >
                  {onCheck && (
                    // The tick box selects for a bulk action only: clicking it neither previews nor plays.
                    <Table.Td onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
                      <Checkbox
                        size="xs"
                        aria-label={t('conversations.selection.select', { name: customer.name })}
                        checked={checked.has(c.id)}
                        onChange={(e) => onCheck([c.id], e.currentTarget.checked)}
                        data-testid="row-check"
                      />
                    </Table.Td>
                  )}
                  {show('type') && (
                    <Table.Td>
                      <Group gap={8} wrap="nowrap">
                        <DirectionIcon direction={c.direction} />
                        <ChannelIcons channels={c.channels} hasScreen={c.hasScreen} />
                        <SpeechTagIcon tags={speechTags.get(c.id)} />
                      </Group>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Text size="sm" fw={500} truncate="end" title={customer.name}>
                      {customer.name}
                      {customer.more > 0 && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          +{customer.more}
                        </Text>
                      )}
                    </Text>
                    {customer.contact && (
                      <Text size="xs" c="dimmed" truncate="end" title={customer.contact}>
                        {customer.contact}
                      </Text>
                    )}
                    <ComplianceStates conversation={c} compact />
                  </Table.Td>
                  {show('agent') && (
                    <Table.Td>
                      <Text size="sm" truncate="end" title={agentNames(c).join(', ')}>
                        {agentNames(c).join(', ') || '—'}
                      </Text>
                    </Table.Td>
                  )}
                  {show('talkTime') && (
                    <Table.Td ta="right" style={NUM}>
                      {talkTime(c)}
                    </Table.Td>
                  )}
                  <Table.Td style={NUM}>
                    {/* In the site's zone (as the time-of-day filters read it) unless the user chose theirs; the zone on hover. */}
                    <Timestamp iso={c.startedAt} zone={c.timeZone} style="compact" />
                  </Table.Td>
                  {show('tags') && (
                    <Table.Td>
                      <TagCount conversation={c} />
                    </Table.Td>
                  )}
                  {show('comments') && (
                    <Table.Td>
                      {c.commentCount > 0 && (
                        <Group gap={4} wrap="nowrap" c="dimmed" aria-label={t('conversations.commentCount', { n: c.commentCount })}>
                          <IconComment size={14} />
                          <Text size="xs">{c.commentCount}</Text>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                  {show('reviewed') && (
                    <Table.Td onDoubleClick={(e) => e.stopPropagation()}>
                      <Group gap={4} wrap="nowrap" justify="space-between">
                        <ReviewedCell review={c.review} />
                        {mayReview && (
                          <ActionIcon
                            size="sm"
                            variant="subtle"
                            aria-label={`${t('conversations.actions.review')}: ${c.title}`}
                            title={t('conversations.actions.review')}
                            onClick={(e) => {
                              e.stopPropagation();
                              setReviewing(c.id);
                            }}
                          >
                            <IconQuality size={14} />
                          </ActionIcon>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                  {fieldColumns.map((f) => (
                    <Table.Td key={f.id}>
                      <Text size="sm" truncate="end" title={c.customFields[f.key]}>
                        {c.customFields[f.key] ?? ''}
                      </Text>
                    </Table.Td>
                  ))}
                </Table.Tr>
                {hit && (
                  <HighlightRow
                    hit={hit}
                    columns={columns}
                    selected={selected}
                    onClick={() => onSelect(c.id)}
                    onDoubleClick={() => onActivate(c.id)}
                    id={c.id}
                  />
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
      {reviewing && <ReviewDialog conversationId={reviewing} onClose={() => setReviewing(null)} />}
    </>
  );
}

/** Under a row found by a text query: the line with the first match, the matches marked, and how many there are. */
function HighlightRow({
  id,
  hit,
  columns,
  selected,
  onClick,
  onDoubleClick,
}: {
  id: string;
  hit: SearchHighlight;
  columns: number;
  selected: boolean;
  onClick: () => void;
  onDoubleClick: () => void;
}) {
  const { t } = useTranslation();
  // Which field the line is from (a contact id, an email address, the transcript, …): a match in an id has no
  // sentence around it, so the name of the field is what tells the user why the row is there.
  const field = hit.field;
  return (
    <Table.Tr
      data-testid="conversation-highlight"
      data-id={id}
      onClick={onClick}
      onDoubleClick={onDoubleClick}
      bg={selected ? 'var(--mantine-color-blue-light)' : undefined}
      style={{ cursor: 'pointer', boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-blue-6)' : undefined }}
    >
      <Table.Td colSpan={columns} pt={0}>
        <Group gap={8} wrap="nowrap" align="baseline">
          <Text size="xs" c="blue.7" fw={600} style={{ whiteSpace: 'nowrap' }} data-testid="highlight-count">
            {hit.count === 1 ? t('search.matchOne') : t('search.matches', { n: hit.count })}
          </Text>
          {field && (
            <Text size="xs" c="dimmed" fw={600} style={{ whiteSpace: 'nowrap' }} data-testid="highlight-field" data-field={field}>
              {t('search.matchedIn', { field: t(`search.matchFields.${field}`, { defaultValue: field }) })}
            </Text>
          )}
          <Text size="xs" c="dimmed" lineClamp={2} style={{ flex: 1, minWidth: 0 }} data-testid="highlight-snippet">
            <Highlighted text={hit.text} ranges={hit.ranges} />
          </Text>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The number of tags; hovering (or focusing) it lists them with their comments. */
function TagCount({ conversation: c }: { conversation: ConversationSummary }) {
  const { t } = useTranslation();
  if (c.tags.length === 0) return null;
  return (
    <HoverCard width={280} shadow="md" withinPortal openDelay={150} position="bottom-end">
      <HoverCard.Target>
        <UnstyledButton onClick={(e) => e.stopPropagation()} aria-label={t('conversations.tagCount', { n: c.tags.length })} data-testid="tag-count">
          <Group gap={4} wrap="nowrap" c="blue.7">
            <IconTag size={14} />
            <Text size="xs" fw={600}>
              {c.tags.length}
            </Text>
          </Group>
        </UnstyledButton>
      </HoverCard.Target>
      <HoverCard.Dropdown>
        <Stack gap={8}>
          {c.tags.map((tag) => (
            <TagLine key={tag.tagId} tag={tag} />
          ))}
        </Stack>
      </HoverCard.Dropdown>
    </HoverCard>
  );
}

/** The columns chooser: a checkbox per column that may be hidden (custom-field columns included). */
export function ColumnsMenu({
  fieldColumns,
  hidden,
  onChange,
}: {
  fieldColumns: CustomFieldDefinition[];
  hidden: ReadonlySet<string>;
  onChange: (hidden: string[]) => void;
}) {
  const { t } = useTranslation();
  const items: [key: string, label: string][] = [
    ...OPTIONAL_COLUMNS.map((k) => [k, t(`conversations.cols.${k}`)] as [string, string]),
    ...fieldColumns.map((f) => [fieldColumnKey(f), f.label] as [string, string]),
  ];
  const toggle = (key: string) => onChange(hidden.has(key) ? [...hidden].filter((k) => k !== key) : [...hidden, key]);
  return (
    <Menu closeOnItemClick={false} position="bottom-end" shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('conversations.columns.choose')} title={t('conversations.columns.choose')} data-testid="columns-button" px={6} py={4}>
          <IconColumns size={16} />
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown data-testid="columns-menu">
        <Menu.Label>{t('conversations.columns.title')}</Menu.Label>
        {items.map(([key, label]) => (
          // The checkbox is only drawn: a click on a real checkbox's label also clicks its input, which toggled twice.
          <Menu.Item
            key={key}
            data-checked={!hidden.has(key)}
            onClick={() => toggle(key)}
            data-column={key}
            leftSection={<Checkbox checked={!hidden.has(key)} readOnly tabIndex={-1} size="xs" aria-hidden style={{ pointerEvents: 'none' }} />}
          >
            {label}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item onClick={() => onChange([])} disabled={hidden.size === 0}>
          {t('conversations.columns.showAll')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
