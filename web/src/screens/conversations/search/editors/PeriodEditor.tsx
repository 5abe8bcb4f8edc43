// Time period: the presets, Last / Older than N days, or a custom range of whole days.
import { Group, NumberInput, Radio, SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Period } from '../../../../api/types.ts';
import { messageAt } from '../filterModel.ts';
import { EditorForm, type EditorProps } from './EditorForm.tsx';

const FIXED = [
  'all_time',
  'today',
  'yesterday',
  'last_10',
  'last_30',
  'last_90',
  'this_week',
  'previous_week',
  'this_month',
  'previous_month',
  'this_quarter',
  'previous_quarter',
  'this_year',
  'previous_year',
] as const;
const CHOICES = [...FIXED, 'last_n', 'older_than', 'custom'] as const;
type Choice = (typeof CHOICES)[number];
const LAST_PRESETS: Record<string, Choice> = { 10: 'last_10', 30: 'last_30', 90: 'last_90' };

function choiceOf(p: Period | null | undefined): Choice {
  if (p === undefined) return 'last_90';
  if (p === null) return 'all_time';
  if (p.kind === 'last_days') return LAST_PRESETS[p.days] ?? 'last_n';
  if (p.kind === 'older_than_days') return 'older_than';
  return p.kind;
}

export function PeriodEditor({ value, apply, ...form }: EditorProps<Period | null>) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Choice>(choiceOf(value));
  const [days, setDays] = useState<number | string>(value && 'days' in value ? value.days : 7);
  const [from, setFrom] = useState(value?.kind === 'custom' ? value.from : '');
  const [to, setTo] = useState(value?.kind === 'custom' ? value.to : '');

  const period = ((): Period | null => {
    const n = typeof days === 'number' ? days : Number.NaN;
    switch (choice) {
      case 'last_10':
        return { kind: 'last_days', days: 10 };
      case 'last_30':
        return { kind: 'last_days', days: 30 };
      case 'last_90':
        return { kind: 'last_days', days: 90 };
      case 'last_n':
        return Number.isInteger(n) ? { kind: 'last_days', days: n } : null;
      case 'older_than':
        return Number.isInteger(n) ? { kind: 'older_than_days', days: n } : null;
      case 'custom':
        return from && to ? { kind: 'custom', from, to } : null;
      default:
        return { kind: choice };
    }
  })();

  return (
    <EditorForm
      title={t('search.fields.period')}
      onApply={() => period && apply(period)}
      canApply={period !== null}
      shownPaths={['period.days', 'period.from', 'period.to']}
      {...form}
    >
      <Radio.Group value={choice} onChange={(v) => setChoice(v as Choice)} aria-label={t('search.fields.period')}>
        <SimpleGrid cols={2} spacing="xs" verticalSpacing={6}>
          {CHOICES.map((c) => (
            <Radio key={c} value={c} size="xs" label={t(`search.period.${c}`)} />
          ))}
        </SimpleGrid>
      </Radio.Group>
      {(choice === 'last_n' || choice === 'older_than') && (
        <NumberInput
          size="xs"
          label={t('search.period.days')}
          value={days}
          onChange={setDays}
          min={choice === 'last_n' ? 1 : 0}
          max={36_600}
          allowDecimal={false}
          allowNegative={false}
          error={messageAt(form.error, 'period.days')}
          w={140}
        />
      )}
      {choice === 'custom' && (
        <Group grow>
          <TextInput
            size="xs"
            type="date"
            label={t('search.period.from')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            error={messageAt(form.error, 'period.from')}
          />
          <TextInput
            size="xs"
            type="date"
            label={t('search.period.to')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={messageAt(form.error, 'period.to')}
          />
        </Group>
      )}
    </EditorForm>
  );
}
