// The heading and key facts of one conversation, shared by the preview pane and the detail view.
import { Group, Stack, Text, Title, type TitleOrder } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../api/types.ts';
import { Timestamp } from '../../components/Timestamp.tsx';
import { formatDuration, useTimes } from '../../format.ts';
import { agentNames, ChannelIcons, customerOf, DirectionIcon, Facts, talkTime } from './parts.tsx';
import { ComplianceStates } from './anonymize/ComplianceStates.tsx';

export function ConversationHeading({ conversation: c, order }: { conversation: ConversationSummary; order: TitleOrder }) {
  const { t } = useTranslation();
  const times = useTimes();
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Title order={order} style={{ overflowWrap: 'anywhere' }}>
        {c.title}
      </Title>
      <Group gap={8} c="dimmed" wrap="wrap">
        <DirectionIcon direction={c.direction} size={15} />
        <ChannelIcons channels={c.channels} hasScreen={c.hasScreen} />
        <Text size="xs" c="dimmed" title={times.title(c.startedAt, c.timeZone)}>
          {[times.dateTime(c.startedAt, c.timeZone), c.talkTimeMs > 0 ? formatDuration(c.talkTimeMs) : null, t(`conversations.direction.${c.direction}`)]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </Group>
      <ComplianceStates conversation={c} />
    </Stack>
  );
}

/** Preview: who and when at a glance. Detail: who handled it and when it last changed (participants are listed apart). */
export function SummaryFacts({ conversation: c, detail }: { conversation: ConversationSummary; detail?: boolean }) {
  const { t } = useTranslation();
  const customer = customerOf(c);
  const agents = agentNames(c).join(', ') || '—';
  const items: [string, ReactNode][] = detail
    ? [
        [t('conversations.facts.handledBy'), agents],
        [t('conversations.facts.started'), <Timestamp key="s" iso={c.startedAt} zone={c.timeZone} />],
        [t('conversations.facts.ended'), <Timestamp key="e" iso={c.endedAt} zone={c.timeZone} />],
        [t('conversations.facts.lastUpdate'), <Timestamp key="u" iso={c.updatedAt} zone={c.timeZone} />],
        [t('conversations.facts.talkTime'), talkTime(c)],
        [t('conversations.facts.direction'), t(`conversations.direction.${c.direction}`)],
      ]
    : [
        [t('conversations.facts.customer'), customer.contact ? `${customer.name} · ${customer.contact}` : customer.name],
        [t('conversations.facts.agent'), agents],
        [
          t('conversations.facts.channels'),
          c.channels
            .map((ch) => t(`conversations.kind.${ch}`))
            .concat(c.hasScreen ? [t('conversations.kind.screen')] : [])
            .join(', '),
        ],
        [t('conversations.facts.started'), <Timestamp key="s" iso={c.startedAt} zone={c.timeZone} />],
        [t('conversations.facts.talkTime'), talkTime(c)],
      ];
  return <Facts items={items} labelWidth={detail ? 150 : 110} />;
}
