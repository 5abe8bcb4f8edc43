// Subscribe to an indicator: e-mails with its mentions continuously (as they happen), daily, weekly or monthly, for
// all its keywords or a chosen few. Shown to those who see reports (supervisors); the server decides who may.
import { ActionIcon, Button, Group, MultiSelect, Popover, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteSubscription, useIndicators, useSaveSubscription, useSubscriptions, type Frequency } from '../../../api/insights.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconBell, IconSubscribed } from '../../../components/icons.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';

export const FREQUENCIES: Frequency[] = ['continuous', 'daily', 'weekly', 'monthly'];

export function SubscribeButton({ indicatorId, name }: { indicatorId: string; name: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const allowed = can(me, 'reports.view');
  const [opened, setOpened] = useState(false);
  const subs = useSubscriptions(allowed);
  if (!allowed) return null;
  const current = subs.data?.items.find((s) => s.indicatorId === indicatorId) ?? null;
  const label = current ? t('subscriptions.edit', { name }) : t('subscriptions.subscribe', { name });
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" withArrow shadow="md" width={320} withinPortal trapFocus>
      <Popover.Target>
        <Tooltip label={label} withinPortal>
          <ActionIcon
            variant={current ? 'light' : 'subtle'}
            color={current ? 'grape' : 'gray'}
            size="sm"
            onClick={() => setOpened((o) => !o)}
            aria-label={label}
            data-testid="subscribe-button"
          >
            {current ? <IconSubscribed size={14} /> : <IconBell size={14} />}
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>{opened && <SubscribeForm indicatorId={indicatorId} name={name} current={current} onDone={() => setOpened(false)} />}</Popover.Dropdown>
    </Popover>
  );
}

function SubscribeForm({
  indicatorId,
  name,
  current,
  onDone,
}: {
  indicatorId: string;
  name: string;
  current: { id: string; frequency: Frequency; keywordIds: string[] | null } | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const indicators = useIndicators();
  const save = useSaveSubscription();
  const del = useDeleteSubscription();
  const [frequency, setFrequency] = useState<Frequency>(current?.frequency ?? 'daily');
  const [keywordIds, setKeywordIds] = useState<string[]>(current?.keywordIds ?? []);
  const keywords = indicators.data?.items.find((i) => i.id === indicatorId)?.keywords ?? [];
  return (
    <Stack gap="sm" data-testid="subscribe-form">
      <Text size="sm" fw={600}>
        {t('subscriptions.title', { name })}
      </Text>
      <SegmentedControl
        size="xs"
        value={frequency}
        onChange={(v) => setFrequency(v as Frequency)}
        data={FREQUENCIES.map((f) => ({ value: f, label: t(`subscriptions.frequency.${f}`) }))}
        aria-label={t('subscriptions.frequencyLabel')}
      />
      {keywords.length > 0 && (
        <MultiSelect
          size="xs"
          label={t('subscriptions.keywords')}
          placeholder={keywordIds.length ? undefined : t('subscriptions.allKeywords')}
          data={keywords.filter((k) => k.id).map((k) => ({ value: k.id!, label: k.text }))}
          value={keywordIds}
          onChange={setKeywordIds}
          comboboxProps={{ withinPortal: false }}
          clearable
        />
      )}
      <ErrorAlert error={save.error ?? del.error} />
      <Group justify="space-between">
        {current ? (
          <Button size="xs" variant="subtle" color="red" loading={del.isPending} onClick={() => del.mutate(current.id, { onSuccess: onDone })}>
            {t('subscriptions.unsubscribe')}
          </Button>
        ) : (
          <span />
        )}
        <Button
          size="xs"
          loading={save.isPending}
          onClick={() =>
            save.mutate({ id: current?.id, input: { indicatorId, frequency, keywordIds: keywordIds.length ? keywordIds : null } }, { onSuccess: onDone })
          }
          data-testid="subscribe-save"
        >
          {current ? t('common.save') : t('subscriptions.submit')}
        </Button>
      </Group>
    </Stack>
  );
}
