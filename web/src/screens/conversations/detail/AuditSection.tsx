// The conversation's audit trail in the detail view: who played, downloaded, exported or reprocessed it, and when.
import { Skeleton, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConversationAudit } from '../../../api/media.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../format.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { EmptyNote, Section } from '../parts.tsx';

/** Actions with a label of ours; others show the server's label. */
const KNOWN = new Set([
  'PLAYBACK',
  'RECORDING_DOWNLOADED',
  'TRANSCRIPT_DOWNLOADED',
  'TRANSCRIPT_VIEW_UNREDACTED',
  'SPEECH_RETRANSCRIBE',
  'MEDIA_REPROCESS',
  'CONVERSATION_EXPORT',
  'CONVERSATION_INGEST',
  'MEDIA_PLAYBACK',
  'MEDIA_DOWNLOAD',
]);

export function AuditSection({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const allowed = can(me, 'audit.view');
  const audit = useConversationAudit(conversationId, allowed);
  if (!allowed) return null;
  const items = audit.data?.items ?? [];
  return (
    <Section card title={t('conversations.audit.title')}>
      <ErrorAlert error={audit.error} />
      {audit.isPending ? (
        <Skeleton h={48} />
      ) : items.length === 0 ? (
        <EmptyNote>{t('conversations.audit.none')}</EmptyNote>
      ) : (
        <Table fz="xs" verticalSpacing={4} horizontalSpacing={6} data-testid="conversation-audit">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('conversations.audit.at')}</Table.Th>
              <Table.Th>{t('conversations.audit.action')}</Table.Th>
              <Table.Th>{t('conversations.audit.initiator')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id} data-testid="audit-row" data-action={e.action} title={e.details ?? undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, i18n.language, 'compact')}</Table.Td>
                <Table.Td>
                  <Text size="xs" fw={500}>
                    {KNOWN.has(e.action) ? t(`conversations.audit.actions.${e.action}`) : e.label}
                  </Text>
                  {e.details && (
                    <Text size="10px" c="dimmed" lineClamp={2}>
                      {e.details}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{e.initiator ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
