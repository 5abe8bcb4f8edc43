// Days of the week: any of them (ISO 1 = Monday … 7 = Sunday), named in the UI language.
import { Checkbox, Group } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resolveLocale } from '../../../../format.ts';
import { EditorForm, type EditorProps } from './EditorForm.tsx';

/** Weekday names, Monday first: 2024-01-01 was a Monday. */
export function weekdayNames(lang: string, width: 'long' | 'short' = 'long'): string[] {
  const f = new Intl.DateTimeFormat(resolveLocale(lang), { weekday: width, timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => {
    const name = f.format(new Date(Date.UTC(2024, 0, 1 + i)));
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  });
}

export function DaysOfWeekEditor({ value, apply, ...form }: EditorProps<number[]>) {
  const { t, i18n } = useTranslation();
  const names = useMemo(() => weekdayNames(i18n.language), [i18n.language]);
  const [days, setDays] = useState<string[]>((value ?? []).map(String));
  return (
    <EditorForm title={t('search.fields.daysOfWeek')} onApply={() => apply(days.length ? days.map(Number).sort((a, b) => a - b) : undefined)} {...form}>
      <Checkbox.Group value={days} onChange={setDays} aria-label={t('search.fields.daysOfWeek')}>
        <Group gap="sm">
          {names.map((name, i) => (
            <Checkbox key={name} size="xs" value={String(i + 1)} label={name} />
          ))}
        </Group>
      </Checkbox.Group>
    </EditorForm>
  );
}
