// Custom data: one condition on a custom field — a field, an operator and what it compares with. The basic
// operators come first; the rest are under "Advanced". Date operators are offered for date fields only.
import { Autocomplete, Checkbox, Group, NumberInput, Select, SimpleGrid, TagsInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomFieldDefinitions } from '../../../../api/conversations.ts';
import { useSearchOptions } from '../../../../api/search.ts';
import type { CustomDataCondition, CustomDataOp, CustomDataOpName, CustomFieldType } from '../../../../api/types.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { messageAt } from '../filterModel.ts';
import { EditorForm, HelpText, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

export const BASIC_OPERATORS: CustomDataOpName[] = ['starts_with', 'contains', 'lt', 'lte', 'gte', 'gt', 'in'];
export const ADVANCED_OPERATORS: CustomDataOpName[] = [
  'equals',
  'not_equals',
  'ends_with',
  'is_empty',
  'not_empty',
  'pattern',
  'regex',
  'before',
  'after',
  'between',
  'older_than_days',
  'newer_than_days',
];
const DATE_OPERATORS: CustomDataOpName[] = ['before', 'after', 'between', 'older_than_days', 'newer_than_days'];
const VALUE_OPERATORS: CustomDataOpName[] = ['starts_with', 'contains', 'ends_with', 'equals', 'not_equals', 'lt', 'lte', 'gte', 'gt'];

const allowed = (type: CustomFieldType, op: CustomDataOpName) => type === 'date' || !DATE_OPERATORS.includes(op);
const defaultOp = (type: CustomFieldType): CustomDataOpName => (type === 'option' ? 'in' : type === 'date' ? 'after' : 'contains');

/** What the inputs hold, whatever the operator (switching operators keeps what was typed). */
interface Draft {
  value: string;
  values: string[];
  pattern: string;
  date: string;
  from: string;
  to: string;
  days: number | string;
}

function draftOf(op: CustomDataOp | undefined): Draft {
  const d: Draft = { value: '', values: [], pattern: '', date: '', from: '', to: '', days: 30 };
  if (!op) return d;
  if ('value' in op) d.value = op.value;
  if ('values' in op) d.values = op.values;
  if ('pattern' in op) d.pattern = op.pattern;
  if ('date' in op) d.date = op.date;
  if ('from' in op) [d.from, d.to] = [op.from, op.to];
  if ('days' in op) d.days = op.days;
  return d;
}

/** The operator with its operand, or null while the inputs do not make one. */
export function buildOp(op: CustomDataOpName, d: Draft): CustomDataOp | null {
  switch (op) {
    case 'in':
      return d.values.length ? { op, values: d.values } : null;
    case 'is_empty':
    case 'not_empty':
      return { op };
    case 'pattern':
    case 'regex':
      return d.pattern.trim() ? { op, pattern: d.pattern.trim() } : null;
    case 'before':
    case 'after':
      return d.date ? { op, date: d.date } : null;
    case 'between':
      return d.from && d.to ? { op, from: d.from, to: d.to } : null;
    case 'older_than_days':
    case 'newer_than_days':
      return typeof d.days === 'number' && Number.isInteger(d.days) ? { op, days: d.days } : null;
    default:
      return d.value.trim() ? { op, value: d.value.trim() } : null;
  }
}

export function CustomDataEditor({ value, apply, path, ...form }: EditorProps<CustomDataCondition> & { path: string }) {
  const { t } = useTranslation();
  const options = useSearchOptions();
  // Fields an administrator took out of the filters are not offered (one already in this condition stays).
  const notFilters = new Set((useCustomFieldDefinitions().data?.items ?? []).filter((d) => !d.showInFilters).map((d) => d.key));
  const fields = (options.data?.customFields ?? []).filter((f) => !notFilters.has(f.key) || f.key === value?.fieldKey);
  const [fieldKey, setFieldKey] = useState<string | null>(value?.fieldKey ?? null);
  const [op, setOp] = useState<CustomDataOpName | null>(value?.op.op ?? null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(value?.op));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const field = fields.find((f) => f.key === fieldKey);
  const type: CustomFieldType = field?.type === 'date' || field?.type === 'option' ? field.type : 'text';
  const current = op && allowed(type, op) ? op : field ? defaultOp(type) : null;
  const built = fieldKey && current ? buildOp(current, draft) : null;
  const err = (p: string) => messageAt(form.error, `${path}.${p}`);
  const opLabel = (o: CustomDataOpName) => ({ value: o, label: t(`search.customData.ops.${o}`) });
  const dateInput = type === 'date';

  return (
    <EditorForm
      title={t('search.fields.customData')}
      onApply={() => built && fieldKey && apply({ fieldKey, op: built })}
      canApply={built !== null}
      shownPaths={['fieldKey', 'op', 'op.value', 'op.values', 'op.pattern', 'op.date', 'op.from', 'op.to', 'op.days'].map((p) => `${path}.${p}`)}
      {...form}
    >
      <ErrorAlert error={options.error} />
      <SimpleGrid cols={2} spacing="xs">
        <Select
          {...INLINE_COMBOBOX}
          size="xs"
          label={t('search.customData.field')}
          placeholder={t('search.customData.pickField')}
          data={fields.map((f) => ({ value: f.key, label: f.label }))}
          value={fieldKey}
          onChange={setFieldKey}
          searchable
          nothingFoundMessage={t('search.customData.noFields')}
          error={err('fieldKey')}
          data-autofocus
        />
        <Select
          {...INLINE_COMBOBOX}
          size="xs"
          label={t('search.customData.operator')}
          data={[
            { group: t('search.customData.basic'), items: BASIC_OPERATORS.filter((o) => allowed(type, o)).map(opLabel) },
            { group: t('search.customData.advanced'), items: ADVANCED_OPERATORS.filter((o) => allowed(type, o)).map(opLabel) },
          ]}
          value={current}
          onChange={(v) => v && setOp(v as CustomDataOpName)}
          allowDeselect={false}
          disabled={!field}
          maxDropdownHeight={280}
          error={err('op')}
        />
      </SimpleGrid>
      {field &&
        current &&
        VALUE_OPERATORS.includes(current) &&
        (type === 'option' ? (
          <Autocomplete
            {...INLINE_COMBOBOX}
            size="xs"
            label={t('search.customData.value')}
            data={field.options}
            value={draft.value}
            onChange={(v) => set({ value: v })}
            error={err('op.value')}
          />
        ) : (
          <TextInput
            size="xs"
            type={dateInput ? 'date' : 'text'}
            label={t('search.customData.value')}
            value={draft.value}
            onChange={(e) => set({ value: e.currentTarget.value })}
            error={err('op.value')}
            maxLength={1000}
          />
        ))}
      {field &&
        current === 'in' &&
        (field.options.length ? (
          <Checkbox.Group label={t('search.customData.values')} value={draft.values} onChange={(v) => set({ values: v })} error={err('op.values')}>
            <SimpleGrid cols={2} spacing={4} mt={4} mah={200} style={{ overflow: 'auto' }}>
              {field.options.map((o) => (
                <Checkbox key={o} size="xs" value={o} label={o} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        ) : (
          <TagsInput
            {...INLINE_COMBOBOX}
            size="xs"
            label={t('search.customData.values')}
            description={t('search.customData.valuesHint')}
            value={draft.values}
            onChange={(v) => set({ values: v })}
            error={err('op.values')}
          />
        ))}
      {field && (current === 'pattern' || current === 'regex') && (
        <>
          <TextInput
            size="xs"
            label={t(current === 'pattern' ? 'search.customData.pattern' : 'search.customData.regex')}
            value={draft.pattern}
            onChange={(e) => set({ pattern: e.currentTarget.value })}
            error={err('op.pattern')}
            ff={current === 'regex' ? 'monospace' : undefined}
          />
          <HelpText text={t(current === 'pattern' ? 'search.customData.patternHelp' : 'search.customData.regexHelp')} />
        </>
      )}
      {field && (current === 'before' || current === 'after') && (
        <TextInput
          size="xs"
          type="date"
          label={t('search.customData.date')}
          value={draft.date}
          onChange={(e) => set({ date: e.currentTarget.value })}
          error={err('op.date')}
        />
      )}
      {field && current === 'between' && (
        <Group grow>
          <TextInput
            size="xs"
            type="date"
            label={t('search.period.from')}
            value={draft.from}
            onChange={(e) => set({ from: e.currentTarget.value })}
            error={err('op.from')}
          />
          <TextInput
            size="xs"
            type="date"
            label={t('search.period.to')}
            value={draft.to}
            onChange={(e) => set({ to: e.currentTarget.value })}
            error={err('op.to')}
          />
        </Group>
      )}
      {field && (current === 'older_than_days' || current === 'newer_than_days') && (
        <NumberInput
          size="xs"
          w={140}
          label={t('search.period.days')}
          value={draft.days}
          onChange={(v) => set({ days: v })}
          min={0}
          max={36_600}
          allowDecimal={false}
          allowNegative={false}
          error={err('op.days')}
        />
      )}
    </EditorForm>
  );
}
