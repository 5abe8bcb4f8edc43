// Duration: a bucket, or a custom talk time range as typed ("3" = 3 min, "3.5" = 3 min 30 s, "1:3:5").
import { Group, Radio, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DurationBucket, SearchFilterInput } from '../../../../api/types.ts';
import { messageAt } from '../filterModel.ts';
import { previewTalkTime } from '../looseInput.ts';
import { EditorForm, HelpText, readsAs, type EditorProps } from './EditorForm.tsx';

export const DURATION_BUCKETS: DurationBucket[] = ['very_short', 'short', 'normal', 'long', 'very_long'];
type Duration = NonNullable<SearchFilterInput['duration']>;

export function DurationEditor({ value, apply, ...form }: EditorProps<Duration>) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<string>(typeof value === 'string' ? value : value ? 'custom' : 'normal');
  const [min, setMin] = useState(value && typeof value === 'object' ? (value.min ?? '') : '');
  const [max, setMax] = useState(value && typeof value === 'object' ? (value.max ?? '') : '');
  const custom = choice === 'custom';
  return (
    <EditorForm
      title={t('search.fields.duration')}
      onApply={() => apply(custom ? { min: min.trim(), max: max.trim() } : (choice as DurationBucket))}
      canApply={!custom || !!(min.trim() || max.trim())}
      shownPaths={['duration.min', 'duration.max']}
      {...form}
    >
      <Radio.Group value={choice} onChange={setChoice} aria-label={t('search.fields.duration')}>
        <Stack gap={6}>
          {[...DURATION_BUCKETS, 'custom'].map((b) => (
            <Radio key={b} value={b} size="xs" label={t(`search.duration.${b}`)} />
          ))}
        </Stack>
      </Radio.Group>
      {custom && (
        <>
          <Group grow align="flex-start">
            <TextInput
              size="xs"
              label={t('search.duration.min')}
              placeholder="3"
              value={min}
              onChange={(e) => setMin(e.currentTarget.value)}
              description={readsAs(min, previewTalkTime)}
              error={messageAt(form.error, 'duration.min')}
              maxLength={40}
            />
            <TextInput
              size="xs"
              label={t('search.duration.max')}
              placeholder="5:30"
              value={max}
              onChange={(e) => setMax(e.currentTarget.value)}
              description={readsAs(max, previewTalkTime)}
              error={messageAt(form.error, 'duration.max')}
              maxLength={40}
            />
          </Group>
          <HelpText text={t('search.duration.help')} />
        </>
      )}
    </EditorForm>
  );
}
