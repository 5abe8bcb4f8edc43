import { ActionIcon, Badge, Code, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../api/types.ts';
import { IconChevronDown, IconChevronRight } from '../../../components/icons.tsx';
import { formatDateTime, formatValue } from '../../../format.ts';
import { ChangesTable } from './ChangesTable.tsx';
import { EmptyRow } from '../../../components/TableStates.tsx';

const COLUMNS = 8;
/** About two lines of the Details column: longer string details open in full under the row. */
const DETAILS_CLAMP_CHARS = 90;

function actionColor(action: string): string {
  const a = action.toLowerCase();
  if (/delete|fail|locked|revoke/.test(a)) return 'red';
  if (/create|^login$|unlock/.test(a)) return 'green';
  if (/update|change|reset|move/.test(a)) return 'blue';
  return 'gray';
}

/** UUIDv7 ids share their time-based head; the tail tells them apart. The full id is in the tooltip. */
const shortId = (id: string) => (id.length > 14 ? `…${id.slice(-12)}` : id);

/** Details as "key: value · key: value" (spaces to break at, unlike raw JSON, which ran past the column's edge). */
export function summary(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  if (typeof details === 'object' && !Array.isArray(details)) {
    return Object.entries(details as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(' · ');
  }
  return formatValue(details);
}

export function AuditTable({ events, loading }: { events: AuditEvent[]; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table aria-label={t('audit.title')} highlightOnHover={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36} />
            <Table.Th>{t('audit.cols.time')}</Table.Th>
            <Table.Th>{t('audit.cols.initiator')}</Table.Th>
            <Table.Th>{t('audit.cols.ip')}</Table.Th>
            <Table.Th>{t('audit.cols.application')}</Table.Th>
            <Table.Th>{t('audit.cols.resource')}</Table.Th>
            <Table.Th>{t('audit.cols.action')}</Table.Th>
            <Table.Th>{t('audit.cols.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((ev) => {
            const expanded = open.has(ev.id);
            const text = summary(ev.details);
            // Long details are clamped to two lines in the row: the full text is on hover and when the row is opened.
            const expandable = !!ev.changes?.length || (ev.details !== null && typeof ev.details === 'object') || text.length > DETAILS_CLAMP_CHARS;
            return (
              <Fragment key={ev.id}>
                <Table.Tr>
                  <Table.Td>
                    {expandable && (
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="sm"
                        onClick={() => toggle(ev.id)}
                        aria-expanded={expanded}
                        aria-label={t('audit.toggleChanges')}
                      >
                        {expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                      </ActionIcon>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.at, i18n.language)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{ev.initiatorName ?? t('audit.system')}</Table.Td>
                  <Table.Td>{ev.clientIp ?? '—'}</Table.Td>
                  <Table.Td>{ev.application ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{ev.resourceType}</Text>
                    {ev.resourceId && (
                      <Text size="xs" c="dimmed" ff="monospace" title={ev.resourceId}>
                        {shortId(ev.resourceId)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={actionColor(ev.action)} tt="none" styles={{ label: { overflow: 'visible' } }}>
                      {ev.action}
                    </Badge>
                  </Table.Td>
                  <Table.Td miw={220} maw={360}>
                    <Text size="sm" lineClamp={2} title={text || undefined} style={{ overflowWrap: 'anywhere' }} data-testid="audit-details">
                      {text}
                    </Text>
                  </Table.Td>
                </Table.Tr>
                {expandable && expanded && (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMNS} p={0}>
                      <Stack gap="xs" p="md" bg="gray.0">
                        {ev.changes?.length ? <ChangesTable changes={ev.changes} /> : null}
                        {ev.details !== null && typeof ev.details === 'object' && (
                          <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                            {JSON.stringify(ev.details, null, 2)}
                          </Code>
                        )}
                        {typeof ev.details === 'string' && text.length > DETAILS_CLAMP_CHARS && (
                          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                            {ev.details}
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {t('audit.seq', { seq: ev.seq })}
                        </Text>
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
          {!loading && events.length === 0 && <EmptyRow colSpan={COLUMNS}>{t('audit.empty')}</EmptyRow>}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
