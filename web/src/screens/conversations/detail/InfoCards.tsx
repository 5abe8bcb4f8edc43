// The side column of the detail view: participants, custom data and the segments' other metadata.
import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConversationDetail, PartyRole } from '../../../api/types.ts';
import { Timestamp } from '../../../components/Timestamp.tsx';
import { ColorDot, EmptyNote, Facts, KindBadge, participantName, Section } from '../parts.tsx';
import { legsOf } from '../timeline.ts';

const ROLE_COLOR: Record<string, string> & Record<PartyRole, string> = { customer: 'teal', agent: 'blue', other: 'gray' };
const ROLE_ORDER: readonly string[] = ['customer', 'agent', 'other'] satisfies PartyRole[];

export function ParticipantsCard({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useTranslation();
  // With several call legs (a transfer, a consultation), who was in which, and the agents in the order of the legs.
  const multiLeg = conversation.segments.filter((s) => s.kind === 'call').length > 1;
  const legs = new Map(conversation.participants.map((p) => [p.id, multiLeg ? legsOf(conversation.segments, p.id) : []]));
  const firstLeg = (id: string) => legs.get(id)?.[0] ?? Number.MAX_SAFE_INTEGER;
  const people = [...conversation.participants].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || firstLeg(a.id) - firstLeg(b.id));
  return (
    <Section card title={t('conversations.participants.title')}>
      <Stack gap="xs" data-testid="participants">
        {people.map((p) => {
          const contact = [p.phone, p.email, p.extension ? t('conversations.participants.ext', { extension: p.extension }) : null].filter(Boolean);
          return (
            <Group key={p.id} gap="sm" wrap="nowrap" align="flex-start">
              <Badge size="sm" variant="light" color={ROLE_COLOR[p.role] ?? 'gray'} w={84} tt="none" style={{ flexShrink: 0 }}>
                {t(`conversations.roles.${p.role}`)}
              </Badge>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {participantName(p)}
                </Text>
                {contact.length > 0 && (
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {contact.join(' · ')}
                  </Text>
                )}
                {(legs.get(p.id)?.length ?? 0) > 0 && (
                  <Text size="xs" c="dimmed" data-testid="participant-legs">
                    {t(legs.get(p.id)!.length === 1 ? 'player.leg' : 'player.legs', { legs: legs.get(p.id)!.join(', ') })}
                  </Text>
                )}
                {p.userName && (
                  <Text size="xs" c="blue.7">
                    {t('conversations.participants.linkedUser', { name: p.userName })}
                  </Text>
                )}
              </Stack>
            </Group>
          );
        })}
      </Stack>
    </Section>
  );
}

export function CustomDataCard({ data }: { data: Record<string, string> }) {
  const { t } = useTranslation();
  const entries = Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Section card title={t('conversations.customData.title')}>
      {entries.length === 0 ? <EmptyNote>{t('conversations.customData.none')}</EmptyNote> : <Facts items={entries} />}
    </Section>
  );
}

/** Per segment: the system's data tags (badges) and the metadata the recording system sent along. */
export function MetadataCard({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useTranslation();
  const segments = conversation.segments.filter((s) => s.dataTags.length > 0 || Object.keys(s.metadata).length > 0);
  return (
    <Section card title={t('conversations.metadata.title')}>
      <Stack gap="md">
        <Facts
          items={[
            [
              t('conversations.metadata.conversationId'),
              <Text key="id" size="xs" ff="monospace">
                {conversation.id}
              </Text>,
            ],
            ...(conversation.engagementId ? ([[t('conversations.metadata.engagementId'), conversation.engagementId]] as [string, string][]) : []),
          ]}
        />
        {segments.map((s) => (
          <Stack key={s.id} gap={6}>
            <Group gap="xs">
              <KindBadge kind={s.kind} />
              <Text size="xs" c="dimmed">
                <Timestamp iso={s.startedAt} zone={conversation.timeZone} />
              </Text>
            </Group>
            {s.dataTags.length > 0 && (
              <Group gap={6}>
                {s.dataTags.map((d) => (
                  <Badge key={d.tagId} variant="outline" color="gray" tt="none" leftSection={<ColorDot color={d.color} />}>
                    {d.name}: {d.value}
                  </Badge>
                ))}
              </Group>
            )}
            <Facts items={Object.entries(s.metadata).sort(([a], [b]) => a.localeCompare(b))} />
          </Stack>
        ))}
      </Stack>
    </Section>
  );
}
