// The conversation detail's archive line: "Archived to primary on …, secondary on …" for whoever sees the conversation,
// with the file's place for archive managers; copies still waiting or failed say so. Nothing when never archived.
import { Badge, Code, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Timestamp } from '../../../../components/Timestamp.tsx';
import { Section } from '../../../conversations/parts.tsx';
import { useConversationArchive } from './api.ts';

export function ConversationArchive({ conversationId, hasMedia }: { conversationId: string; hasMedia: boolean }) {
  const { t } = useTranslation();
  const q = useConversationArchive(conversationId, hasMedia);
  const items = q.data?.items ?? [];
  if (!hasMedia || items.length === 0) return null;
  return (
    <Section card title={t('compliance.archive.conversationTitle')}>
      <Stack gap={6} data-testid="conversation-archive">
        {items.map((i) => (
          <Group key={i.id} gap="xs" wrap="nowrap" align="flex-start">
            <Badge size="sm" variant="light" color={i.status === 'done' ? 'green' : i.status === 'failed' ? 'red' : 'gray'}>
              {t(`compliance.archive.roles.${i.role}`)}
            </Badge>
            <div>
              <Text size="sm">
                {i.status === 'done' ? (
                  <>
                    {t('compliance.archive.archivedOn')} <Timestamp iso={i.archivedAt} />
                    {i.encrypted ? ` · ${t('compliance.archive.encrypted')}` : ''}
                  </>
                ) : (
                  t(`compliance.archive.status.${i.status}`, { defaultValue: i.status })
                )}
              </Text>
              {i.where && (
                <Text size="xs" c="dimmed">
                  <Code>{i.where}</Code>
                </Text>
              )}
            </div>
          </Group>
        ))}
      </Stack>
    </Section>
  );
}
