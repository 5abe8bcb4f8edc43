// Small visual pieces shared by the list, the preview pane and the detail view.
import { Badge, Box, DataList, Group, Paper, Stack, Text, Tooltip, type MantineColor } from '@mantine/core';
import type { ComponentType, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppliedTag, ConversationSummary, Participant, TextRange } from '../../api/types.ts';
import { IconChat, IconEdit, IconInbound, IconInternal, IconMail, IconMonitor, IconOutbound, IconPhone } from '../../components/icons.tsx';
import { formatDuration } from '../../format.ts';
import { Highlighted } from './search/Highlighted.tsx';

type Icon = ComponentType<{ size?: number; stroke?: number }>;

// The server sends directions and kinds as strings: lookups fall back for a value these tables do not know.
const DIRECTION: Record<string, { Icon: Icon; color: MantineColor }> = {
  inbound: { Icon: IconInbound, color: 'teal.7' },
  outbound: { Icon: IconOutbound, color: 'blue.7' },
  internal: { Icon: IconInternal, color: 'gray.6' },
};

/** Segment kinds and channels share icons and colours everywhere (list, timeline, detail). */
export const KIND: Record<string, { Icon: Icon; color: MantineColor }> = {
  call: { Icon: IconPhone, color: 'blue' },
  chat: { Icon: IconChat, color: 'teal' },
  email: { Icon: IconMail, color: 'grape' },
  screen: { Icon: IconMonitor, color: 'indigo' },
  // An offline interaction: entered by hand (src/quality/offline).
  offline: { Icon: IconEdit, color: 'orange' },
};

/** An icon that assistive technology reads by its label (and a mouse user sees as a tooltip). */
export function LabelledIcon({ Icon, label, color, size = 16 }: { Icon: Icon; label: string; color?: MantineColor; size?: number }) {
  return (
    <Tooltip label={label} withinPortal openDelay={300}>
      <Box component="span" role="img" aria-label={label} c={color} display="inline-flex" style={{ lineHeight: 0 }}>
        <Icon size={size} />
      </Box>
    </Tooltip>
  );
}

export function DirectionIcon({ direction, size }: { direction: string; size?: number }) {
  const { t } = useTranslation();
  const d = DIRECTION[direction] ?? DIRECTION.internal;
  return <LabelledIcon Icon={d.Icon} color={d.color} size={size} label={t(`conversations.direction.${direction}`)} />;
}

export function ChannelIcons({ channels, hasScreen }: { channels: string[]; hasScreen: boolean }) {
  const { t } = useTranslation();
  const kinds = hasScreen ? [...channels, 'screen'] : channels;
  return (
    <Group gap={6} wrap="nowrap">
      {kinds.map((k) => (
        <LabelledIcon key={k} Icon={(KIND[k] ?? KIND.call).Icon} color="gray.7" label={t(`conversations.kind.${k}`)} />
      ))}
    </Group>
  );
}

/** Tag colours are theme names ("red") or CSS colours ("#e8590c"). */
export const cssColor = (color: string) => (/^(#|rgb|hsl|var\()/i.test(color) ? color : `var(--mantine-color-${color}-filled, ${color})`);

export function ColorDot({ color, size = 8 }: { color: string; size?: number }) {
  return <Box component="span" w={size} h={size} bg={cssColor(color)} style={{ borderRadius: '50%', flexShrink: 0, display: 'inline-block' }} />;
}

/** One applied tag: colour dot, name, data value and the comment under it (search matches in it marked). */
export function TagLine({
  tag,
  action,
  commentRanges,
}: {
  tag: Pick<AppliedTag, 'name' | 'color' | 'comment' | 'dataValue'>;
  action?: ReactNode;
  commentRanges?: TextRange[];
}) {
  return (
    <Group gap={8} wrap="nowrap" align="flex-start">
      <Box pt={6}>
        <ColorDot color={tag.color} />
      </Box>
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Text size="sm" fw={500}>
          {tag.name}
          {tag.dataValue ? (
            <Text span c="dimmed" size="sm">
              {' '}
              · {tag.dataValue}
            </Text>
          ) : null}
        </Text>
        {tag.comment && (
          <Text size="xs" c="dimmed" style={PRE_WRAP}>
            <Highlighted text={tag.comment} ranges={commentRanges} />
          </Text>
        )}
      </Stack>
      {action}
    </Group>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  const { Icon, color } = KIND[kind] ?? KIND.call;
  return (
    <Badge variant="light" color={color} leftSection={<Icon size={12} />} tt="none">
      {t(`conversations.kind.${kind}`)}
    </Badge>
  );
}

/** The customer side of a conversation, as the list and the headers show it: who, and how to reach them. */
export function customerOf(c: Pick<ConversationSummary, 'participants' | 'title'>) {
  const customers = c.participants.filter((p) => p.role === 'customer');
  const first = customers[0];
  const name = first?.name ?? first?.phone ?? first?.email ?? c.title;
  const contact = [first?.phone, first?.email].find((v) => v && v !== name) ?? null;
  return { name, contact, more: Math.max(0, customers.length - 1) };
}

/** The agents who handled the conversation, by name, without repeats. */
export function agentNames(c: Pick<ConversationSummary, 'participants' | 'agent'>): string[] {
  const names = c.participants.filter((p) => p.role === 'agent').map((p) => p.userName ?? p.name ?? p.extension ?? p.partyKey);
  if (c.agent) names.unshift(c.agent.name);
  return [...new Set(names)];
}

/** Long free text (comments, chat messages, email bodies): keep the author's line breaks, never overflow. */
export const PRE_WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;

/** The quiet line a section shows when it has nothing to list. */
export function EmptyNote({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** Talk time means something for calls; a chat or email thread has none to show. */
export const talkTime = (c: Pick<ConversationSummary, 'talkTimeMs' | 'channels'>) =>
  c.talkTimeMs > 0 || c.channels.includes('call') ? formatDuration(c.talkTimeMs) : '—';

export const participantName = (p: Participant) => p.name ?? p.userName ?? p.phone ?? p.email ?? p.extension ?? p.partyKey;

/** Label/value rows, the one way facts are listed in the preview and the detail view. */
export function Facts({ items, labelWidth = 120 }: { items: [label: string, value: ReactNode][]; labelWidth?: number }) {
  return (
    <DataList gap={6} size="sm" labelWidth={labelWidth}>
      {items.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
          <DataList.ItemValue style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{value ?? '—'}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

/** A titled block; `card` puts it on its own bordered surface (detail view), otherwise it sits in a pane (preview). */
export function Section({ title, actions, card, children }: { title: string; actions?: ReactNode; card?: boolean; children: ReactNode }) {
  return (
    <Paper component="section" aria-label={title} withBorder={card} radius="md" p={card ? 'md' : 0} bg={card ? 'white' : 'transparent'}>
      <Group justify="space-between" mb="xs" wrap="nowrap" mih={28}>
        <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.04em' }}>
          {title}
        </Text>
        {actions && (
          <Group gap={6} wrap="nowrap">
            {actions}
          </Group>
        )}
      </Group>
      {children}
    </Paper>
  );
}
