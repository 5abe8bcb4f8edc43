// The Settings screen's quality section (issue 11): whether agents must acknowledge or dispute their evaluations, and
// after how many days an unanswered one is acknowledged automatically (0: never).
import { NumberInput, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../api/types.ts';

export const QUALITY_KEYS = ['qualityRequireAcknowledgement', 'qualityAutoAcknowledgeDays'] as const;

export function QualitySettings({ form, set }: { form: Settings; set: (key: string, value: unknown) => void }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="lg" data-testid="quality-settings">
      <Stack>
        <Title order={4}>{t('settings.sections.quality')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.quality.description')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Switch
            label={t('settings.quality.requireAcknowledgement')}
            description={t('settings.quality.requireAcknowledgementHint')}
            checked={Boolean(form.qualityRequireAcknowledgement)}
            onChange={(e) => set('qualityRequireAcknowledgement', e.currentTarget.checked)}
            data-testid="quality-require-ack"
          />
          <NumberInput
            label={t('settings.quality.autoAcknowledgeDays')}
            description={t('settings.quality.autoAcknowledgeDaysHint')}
            value={form.qualityAutoAcknowledgeDays}
            onChange={(v) => typeof v === 'number' && set('qualityAutoAcknowledgeDays', v)}
            min={0}
            max={365}
            allowDecimal={false}
            disabled={!form.qualityRequireAcknowledgement}
            data-testid="quality-auto-ack-days"
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
