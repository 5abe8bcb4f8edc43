// The insights filters (issue 10 item 9): indicators mentioned or not and by whom, topics (any of them), and the
// sentiment and engagement scores as ranges on the 0–100 scale the Analytics tab shows. The server checks them
// (src/search/filter.ts); these editors only build what it accepts.
import { Group, MultiSelect, NumberInput, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIndicatorCategories, useTopics } from '../../../../api/insights.ts';
import type { SearchFilterInput } from '../../../../api/types.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { messageAt } from '../filterModel.ts';
import { ConditionsEditor, type ConditionsEditorProps } from './ConditionsEditor.tsx';
import { EditorForm, HelpText, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

type Indicators = NonNullable<SearchFilterInput['indicators']>;
type By = 'anyone' | 'agent' | 'customer';
const BYS: By[] = ['anyone', 'agent', 'customer'];

/** Indicators: each condition is "mentioned" or "not mentioned", by the agent, the customer or anyone. */
export function IndicatorsEditor({ value, apply, ...form }: EditorProps<Indicators>) {
  const { t } = useTranslation();
  const categories = useIndicatorCategories();
  // Grouped by category as Administration → Indicators & topics shows them.
  const data = (categories.data?.items ?? [])
    .filter((c) => c.indicators.length > 0)
    .map((c) => ({ group: c.name, items: c.indicators.map((i) => ({ value: i.id, label: i.name })) }));
  return (
    <ConditionsEditor<By>
      {...form}
      value={value as ConditionsEditorProps<By>['value']}
      apply={(v) => apply(v as Indicators | undefined)}
      field="indicators"
      itemKey="indicatorId"
      qualifierKey="by"
      qualifiers={BYS}
      defaultQualifier="anyone"
      i18n={{
        prefix: 'search.indicators',
        item: 'search.indicators.indicator',
        qualifier: 'search.indicators.by',
        qualifierOption: (b) => t(`search.indicators.byOptions.${b}`),
      }}
      items={data}
      testId="indicator-condition"
      widths={{ mode: 130, qualifier: 120 }}
      before={
        <>
          <ErrorAlert error={categories.error} />
          {!categories.isPending && data.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('search.indicators.none')}
            </Text>
          )}
        </>
      }
      after={<HelpText text={t('search.indicators.help')} />}
    />
  );
}

/** Topics: conversations where any of the picked topics came up. */
export function TopicsEditor({ value, apply, ...form }: EditorProps<string[]>) {
  const { t } = useTranslation();
  const topics = useTopics();
  const [picked, setPicked] = useState<string[]>(value ?? []);
  return (
    <EditorForm title={t('search.fields.topics')} onApply={() => apply(picked.length ? picked : undefined)} shownPaths={['topics']} {...form}>
      <ErrorAlert error={topics.error} />
      <MultiSelect
        {...INLINE_COMBOBOX}
        size="xs"
        aria-label={t('search.fields.topics')}
        placeholder={t('search.topics.placeholder')}
        data={(topics.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
        value={picked}
        onChange={setPicked}
        searchable
        nothingFoundMessage={t('common.nothingFound')}
        error={messageAt(form.error, 'topics')}
        disabled={topics.isPending}
        data-autofocus
      />
      <HelpText text={t('search.topics.help')} />
    </EditorForm>
  );
}

type Range = { min: number; max: number };

/** The sentiment labels' ranges on the score as shown (src/analytics/insights/sentiment.ts: below 40, above 60). */
export const SENTIMENT_RANGES = {
  negative: { min: 0, max: 39 },
  neutral: { min: 40, max: 60 },
  positive: { min: 61, max: 100 },
} as const satisfies Record<string, Range>;

/** A range on a 0–100 score: one of the named ranges (when given) or a custom one; a missing end is open. */
function ScoreRangeEditor({
  field,
  presets,
  value,
  apply,
  ...form
}: EditorProps<{ min?: number; max?: number }> & { field: 'sentiment' | 'engagement'; presets: Record<string, Range> }) {
  const { t } = useTranslation();
  const named = Object.entries(presets).find(([, r]) => r.min === (value?.min ?? 0) && r.max === (value?.max ?? 100))?.[0];
  const first = Object.keys(presets)[0];
  const [choice, setChoice] = useState<string>(value ? (named ?? 'custom') : (first ?? 'custom'));
  const [min, setMin] = useState<number | string>(value?.min ?? '');
  const [max, setMax] = useState<number | string>(value?.max ?? '');
  const custom = choice === 'custom';
  const num = (v: number | string) => (typeof v === 'number' ? v : undefined);
  const title = t(`search.fields.${field}`);
  return (
    <EditorForm
      title={title}
      onApply={() => apply(custom ? { min: num(min) ?? 0, max: num(max) ?? 100 } : presets[choice])}
      canApply={!custom || num(min) !== undefined || num(max) !== undefined}
      shownPaths={[`${field}.min`, `${field}.max`]}
      {...form}
    >
      {Object.keys(presets).length > 0 && (
        <Radio.Group value={choice} onChange={setChoice} aria-label={title}>
          <Stack gap={6}>
            {[...Object.keys(presets), 'custom'].map((p) => (
              <Radio
                key={p}
                value={p}
                size="xs"
                label={p === 'custom' ? t('search.scoreRange.custom') : t(`search.${field}.${p}`, { min: presets[p]!.min, max: presets[p]!.max })}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {custom && (
        <Group grow align="flex-start">
          <NumberInput
            size="xs"
            label={t('search.scoreRange.min')}
            placeholder="0"
            min={0}
            max={100}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            value={min}
            onChange={setMin}
            error={messageAt(form.error, `${field}.min`)}
          />
          <NumberInput
            size="xs"
            label={t('search.scoreRange.max')}
            placeholder="100"
            min={0}
            max={100}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            value={max}
            onChange={setMax}
            error={messageAt(form.error, `${field}.max`)}
          />
        </Group>
      )}
      <HelpText text={t(`search.${field}.help`)} />
    </EditorForm>
  );
}

export function SentimentEditor(props: EditorProps<{ min?: number; max?: number }>) {
  return <ScoreRangeEditor {...props} field="sentiment" presets={SENTIMENT_RANGES} />;
}

export function EngagementEditor(props: EditorProps<{ min?: number; max?: number }>) {
  return <ScoreRangeEditor {...props} field="engagement" presets={{}} />;
}
