import { Box, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../api/types.ts';
import { useTimes } from '../../../format.ts';
import { EmptyNote, PRE_WRAP } from '../parts.tsx';
import { Highlighted, useHighlights } from '../search/Highlighted.tsx';
import { messageRanges, useInsightMarks } from '../analytics/marks.ts';

/** A chat message with the segment it belongs to (a thread may join several chat segments). */
export type ThreadMessage = ChatMessage & { segmentId?: string };

/** Chat bubbles: the customer on the left, agents on the right, others on the left in grey; the sender's name
 * starts each run of messages, and a new day gets its date. */
export function ChatThread({ messages, zone }: { messages: ThreadMessage[]; /** The conversation's time zone (its site's). */ zone?: string | null }) {
  const { t } = useTranslation();
  const times = useTimes();
  // A new day in the zone the times are shown in.
  const day = (iso: string) => times.date(iso, zone);
  const highlights = useHighlights();
  // What the Analytics tab points at (an indicator's mentions, a next step): marked, the first one brought into view.
  const insight = useInsightMarks();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (insight?.marks.length) ref.current?.querySelector('[data-insight]')?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [insight]);
  if (messages.length === 0) {
    return <EmptyNote>{t('conversations.chat.none')}</EmptyNote>;
  }
  return (
    <Stack gap={4} data-testid="chat-thread" px={4} ref={ref}>
      {messages.map((m, i) => {
        const prev = messages[i - 1];
        const mine = m.senderRole === 'agent';
        const newDay = !prev || day(prev.sentAt) !== day(m.sentAt);
        const newRun = newDay || !prev || prev.senderKey !== m.senderKey;
        const marked = messageRanges(insight?.marks, m.sentAt);
        return (
          <Box key={`${m.sentAt}-${m.seq}-${i}`}>
            {newDay && i > 0 && (
              <Text size="xs" c="dimmed" ta="center" my="xs">
                {times.dateTime(m.sentAt, zone)}
              </Text>
            )}
            <Stack gap={2} align={mine ? 'flex-end' : 'flex-start'} mt={newRun && i > 0 ? 8 : 0}>
              {newRun && (
                <Text size="xs" c="dimmed" fw={600} px={4}>
                  {m.senderName ?? m.senderKey}
                  {m.senderRole !== 'customer' && m.senderRole !== 'agent' ? ` · ${t('conversations.roles.other')}` : ''}
                </Text>
              )}
              <Box
                data-testid="chat-bubble"
                data-insight={marked.length ? '' : undefined}
                data-side={mine ? 'right' : 'left'}
                maw="78%"
                px={12}
                py={7}
                bg={mine ? 'blue.6' : m.senderRole === 'customer' ? 'gray.1' : 'yellow.0'}
                c={mine ? 'white' : undefined}
                style={{
                  borderRadius: 14,
                  borderBottomRightRadius: mine ? 4 : 14,
                  borderBottomLeftRadius: mine ? 14 : 4,
                }}
              >
                <Text size="sm" style={PRE_WRAP}>
                  <Highlighted
                    text={m.text}
                    ranges={marked.length ? [...(highlights.chatMessage(m.segmentId, m.seq) ?? []), ...marked] : highlights.chatMessage(m.segmentId, m.seq)}
                  />
                </Text>
              </Box>
              <Text size="10px" c="dimmed" px={4} title={`${times.dateTime(m.sentAt, zone)} · ${times.title(m.sentAt, zone)}`}>
                {times.time(m.sentAt, zone)}
              </Text>
            </Stack>
          </Box>
        );
      })}
    </Stack>
  );
}
