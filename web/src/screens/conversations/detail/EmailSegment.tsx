import { Box, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MailAddress, Segment } from '../../../api/types.ts';
import { IconPaperclip } from '../../../components/icons.tsx';
import { Timestamp } from '../../../components/Timestamp.tsx';
import { EmptyNote, Facts, PRE_WRAP } from '../parts.tsx';
import { Highlighted, useHighlights } from '../search/Highlighted.tsx';
import { emailRanges, useInsightMarks } from '../analytics/marks.ts';

const address = (a: MailAddress) => (a.name ? `${a.name} <${a.address}>` : a.address);

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One email: the envelope, the body as plain text (never HTML), and the names of its attachments. */
export function EmailSegment({ segment, zone }: { segment: Segment; /** The conversation's time zone (its site's). */ zone?: string | null }) {
  const { t } = useTranslation();
  const highlights = useHighlights();
  const mail = segment.email;
  // What the Analytics tab points at (an indicator's mentions, a next step) in this e-mail: marked and scrolled to.
  const insight = useInsightMarks();
  const marked = emailRanges(insight?.marks, segment.id, mail?.subject, mail?.text ?? '');
  const ref = useRef<HTMLDivElement>(null);
  const isMarked = marked.subject.length + marked.body.length > 0;
  useEffect(() => {
    if (isMarked) ref.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [insight, isMarked]);
  if (!mail) {
    return <EmptyNote>{t('conversations.email.missing')}</EmptyNote>;
  }
  return (
    <Stack gap="sm" ref={ref} data-insight={isMarked ? '' : undefined}>
      <Facts
        labelWidth={80}
        items={[
          [t('conversations.email.from'), address(mail.from)],
          [t('conversations.email.to'), mail.to.map(address).join(', ') || '—'],
          ...(mail.cc.length ? ([[t('conversations.email.cc'), mail.cc.map(address).join(', ')]] as [string, string][]) : []),
          [t('conversations.email.sent'), <Timestamp key="sent" iso={mail.sentAt ?? segment.startedAt} zone={zone} />],
          [
            t('conversations.email.subject'),
            <Text key="s" size="sm" fw={600}>
              {mail.subject ? <Highlighted text={mail.subject} ranges={[...(highlights.emailSubject(segment.id) ?? []), ...marked.subject]} /> : '—'}
            </Text>,
          ],
        ]}
      />
      <Box p="sm" bg="gray.0" data-testid="email-body" style={{ borderRadius: 'var(--mantine-radius-sm)', maxHeight: 420, overflow: 'auto' }}>
        <Text size="sm" style={PRE_WRAP}>
          <Highlighted text={mail.text} ranges={[...(highlights.emailBody(segment.id) ?? []), ...marked.body]} />
        </Text>
      </Box>
      {mail.attachments.length > 0 && (
        <Group gap="xs">
          {mail.attachments.map((a, i) => (
            <Group key={`${a.filename}-${i}`} gap={4} wrap="nowrap" px={8} py={2} bg="gray.1" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
              <IconPaperclip size={13} />
              <Text size="xs">{a.filename}</Text>
              <Text size="xs" c="dimmed">
                {formatSize(a.size)}
              </Text>
            </Group>
          ))}
        </Group>
      )}
    </Stack>
  );
}
