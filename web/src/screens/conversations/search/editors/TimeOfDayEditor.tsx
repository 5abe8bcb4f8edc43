// Time of day: from / to as typed ("3" → 03:00, "3.5" → 03:30, "3:5" → 03:05); either end may stay empty.
import { Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageAt } from '../filterModel.ts';
import { previewTimeOfDay } from '../looseInput.ts';
import { EditorForm, HelpText, readsAs, type EditorProps } from './EditorForm.tsx';

type Range = { from?: string; to?: string };

export function TimeOfDayEditor({ value, apply, ...form }: EditorProps<Range>) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(value?.from ?? '');
  const [to, setTo] = useState(value?.to ?? '');
  const empty = !from.trim() && !to.trim();
  return (
    <EditorForm
      title={t('search.fields.timeOfDay')}
      onApply={() => apply({ from: from.trim(), to: to.trim() })}
      canApply={!empty}
      shownPaths={['timeOfDay.from', 'timeOfDay.to']}
      {...form}
    >
      <Group grow align="flex-start">
        <TextInput
          size="xs"
          label={t('search.timeOfDay.from')}
          placeholder="9"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          description={readsAs(from, previewTimeOfDay)}
          error={messageAt(form.error, 'timeOfDay.from')}
          maxLength={40}
          data-autofocus
        />
        <TextInput
          size="xs"
          label={t('search.timeOfDay.to')}
          placeholder="17:30"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          description={readsAs(to, previewTimeOfDay)}
          error={messageAt(form.error, 'timeOfDay.to')}
          maxLength={40}
        />
      </Group>
      <HelpText text={t('search.timeOfDay.help')} />
    </EditorForm>
  );
}
