// An include/exclude condition list (speech tags at a confidence, indicators by a speaker): each row says "has" or
// "has not", picks an item and qualifies it. Every include must hold and no exclude may. The server's error paths
// count rows by position within include / exclude, so a message lands on the row it is about.
import { ActionIcon, Button, Group, Select, Stack, type ComboboxData } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IconClose, IconPlus } from '../../../../components/icons.tsx';
import { messageAt } from '../filterModel.ts';
import { EditorForm, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

type Mode = 'include' | 'exclude';
interface Row<Q extends string> {
  mode: Mode;
  item: string | null;
  qualifier: Q;
}
/** A condition as the filter carries it: the item under `itemKey`, the qualifier under `qualifierKey`. */
type Condition = Record<string, string | undefined>;
export interface Conditions {
  include?: Condition[];
  exclude?: Condition[];
}

export interface ConditionsEditorProps<Q extends string> extends Omit<EditorProps<Conditions>, 'value' | 'apply'> {
  value: Conditions | null | undefined;
  apply: (value: { include: Condition[]; exclude: Condition[] } | undefined) => void;
  /** The filter's field ('speechTags', 'indicators'): the editor's title and the error paths. */
  field: string;
  itemKey: string;
  qualifierKey: string;
  qualifiers: readonly Q[];
  defaultQualifier: Q;
  /** The i18n prefix holding mode, include, exclude, the item's and qualifier's labels, remove and add. */
  i18n: { prefix: string; item: string; qualifier: string; qualifierOption: (q: Q) => string };
  items: ComboboxData;
  /** Above the rows: load errors, "none defined yet". */
  before?: ReactNode;
  /** Below the Add button: help. */
  after?: ReactNode;
  testId: string;
  widths: { mode: number; qualifier: number };
}

export function ConditionsEditor<Q extends string>(props: ConditionsEditorProps<Q>) {
  const { value, apply, field, itemKey, qualifierKey, qualifiers, defaultQualifier, i18n, items, before, after, testId, widths, ...form } = props;
  const { t } = useTranslation();
  const emptyRow = (): Row<Q> => ({ mode: 'include', item: null, qualifier: defaultQualifier });
  const [rows, setRows] = useState<Row<Q>[]>(() => {
    const side = (mode: Mode, cs: Condition[] | undefined) =>
      (cs ?? []).map((c) => ({ mode, item: c[itemKey] ?? null, qualifier: (c[qualifierKey] as Q | undefined) ?? defaultQualifier }));
    const r = [...side('include', value?.include), ...side('exclude', value?.exclude)];
    return r.length ? r : [emptyRow()];
  });
  const set = (i: number, patch: Partial<Row<Q>>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const complete = rows.filter((r) => r.item !== null);
  const pathOf = (i: number) => {
    const r = rows[i]!;
    return `${field}.${r.mode}.${complete.filter((c) => c.mode === r.mode).indexOf(r)}`;
  };
  const submit = () => {
    if (complete.length === 0) return apply(undefined);
    const side = (mode: Mode) => complete.filter((r) => r.mode === mode).map((r) => ({ [itemKey]: r.item!, [qualifierKey]: r.qualifier }));
    apply({ include: side('include'), exclude: side('exclude') });
  };
  const p = i18n.prefix;

  return (
    <EditorForm
      title={t(`search.fields.${field}`)}
      onApply={submit}
      shownPaths={rows.flatMap((_, i) => [`${pathOf(i)}.${itemKey}`, `${pathOf(i)}.${qualifierKey}`])}
      {...form}
    >
      {before}
      <Stack gap={6}>
        {rows.map((r, i) => (
          <Group key={i} gap={6} wrap="nowrap" align="flex-start" data-testid={testId}>
            <Select
              {...INLINE_COMBOBOX}
              size="xs"
              w={widths.mode}
              aria-label={t(`${p}.mode`)}
              data={(['include', 'exclude'] as const).map((m) => ({ value: m, label: t(`${p}.${m}`) }))}
              value={r.mode}
              onChange={(v) => v && set(i, { mode: v as Mode })}
              allowDeselect={false}
            />
            <Select
              {...INLINE_COMBOBOX}
              size="xs"
              style={{ flex: 1 }}
              aria-label={t(i18n.item)}
              placeholder={t(i18n.item)}
              data={items}
              value={r.item}
              onChange={(v) => set(i, { item: v })}
              searchable
              nothingFoundMessage={t('common.nothingFound')}
              error={messageAt(form.error, `${pathOf(i)}.${itemKey}`)}
            />
            <Select
              {...INLINE_COMBOBOX}
              size="xs"
              w={widths.qualifier}
              aria-label={t(i18n.qualifier)}
              data={qualifiers.map((q) => ({ value: q, label: i18n.qualifierOption(q) }))}
              value={r.qualifier}
              onChange={(v) => v && set(i, { qualifier: v as Q })}
              allowDeselect={false}
            />
            <ActionIcon variant="subtle" color="gray" mt={4} aria-label={t(`${p}.remove`)} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
              <IconClose size={14} />
            </ActionIcon>
          </Group>
        ))}
      </Stack>
      <Button variant="subtle" size="compact-xs" w="fit-content" leftSection={<IconPlus size={12} />} onClick={() => setRows((rs) => [...rs, emptyRow()])}>
        {t(`${p}.add`)}
      </Button>
      {after}
    </EditorForm>
  );
}
