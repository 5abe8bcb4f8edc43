// Speech tags: each condition includes or excludes a tag at a confidence (certainly ≥ 65 %, probably ≥ 50 %,
// maybe ≥ 40 %). Every include must be there, no exclude may be.
import { ActionIcon, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchOptions } from '../../../../api/search.ts';
import type { Confidence, SearchFilterInput } from '../../../../api/types.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { IconClose, IconPlus } from '../../../../components/icons.tsx';
import { messageAt } from '../filterModel.ts';
import { EditorForm, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

type SpeechTags = NonNullable<SearchFilterInput['speechTags']>;
interface Row {
  mode: 'include' | 'exclude';
  tagId: string | null;
  confidence: Confidence;
}
const CONFIDENCES: Confidence[] = ['certainly', 'probably', 'maybe'];

const rowsOf = (v: SpeechTags | null | undefined): Row[] => [
  ...(v?.include ?? []).map((c) => ({ mode: 'include' as const, ...c })),
  ...(v?.exclude ?? []).map((c) => ({ mode: 'exclude' as const, ...c })),
];

export function SpeechTagsEditor({ value, apply, ...form }: EditorProps<SpeechTags>) {
  const { t } = useTranslation();
  const options = useSearchOptions();
  const speechTags = options.data?.speechTags ?? [];
  const [rows, setRows] = useState<Row[]>(() => {
    const r = rowsOf(value);
    return r.length ? r : [{ mode: 'include', tagId: null, confidence: 'probably' }];
  });
  const set = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const complete = rows.filter((r): r is Row & { tagId: string } => r.tagId !== null);
  // Paths of the server's errors are by position within include / exclude.
  const pathOf = (i: number) => {
    const r = rows[i]!;
    const n = complete.filter((c) => c.mode === r.mode).indexOf(r as Row & { tagId: string });
    return `speechTags.${r.mode}.${n}`;
  };

  const submit = () => {
    if (complete.length === 0) return apply(undefined);
    const side = (mode: Row['mode']) => complete.filter((r) => r.mode === mode).map(({ tagId, confidence }) => ({ tagId, confidence }));
    apply({ include: side('include'), exclude: side('exclude') });
  };

  return (
    <EditorForm
      title={t('search.fields.speechTags')}
      onApply={submit}
      shownPaths={rows.flatMap((_, i) => [`${pathOf(i)}.tagId`, `${pathOf(i)}.confidence`])}
      {...form}
    >
      <ErrorAlert error={options.error} />
      {!options.isPending && speechTags.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('search.speechTags.none')}
        </Text>
      )}
      <Stack gap={6}>
        {rows.map((r, i) => (
          <Group key={i} gap={6} wrap="nowrap" align="flex-start" data-testid="speech-tag-condition">
            <Select
              {...INLINE_COMBOBOX}
              size="xs"
              w={110}
              aria-label={t('search.speechTags.mode')}
              data={(['include', 'exclude'] as const).map((m) => ({ value: m, label: t(`search.speechTags.${m}`) }))}
              value={r.mode}
              onChange={(v) => v && set(i, { mode: v as Row['mode'] })}
              allowDeselect={false}
            />
            <Select
              {...INLINE_COMBOBOX}
              size="xs"
              style={{ flex: 1 }}
              aria-label={t('search.speechTags.tag')}
              placeholder={t('search.speechTags.tag')}
              data={speechTags.map((s) => ({ value: s.id, label: s.name }))}
              value={r.tagId}
              onChange={(v) => set(i, { tagId: v })}
              searchable
              error={messageAt(form.error, `${pathOf(i)}.tagId`)}
            />
            <Select
              {...INLINE_COMBOBOX}
              size="xs"
              w={150}
              aria-label={t('search.speechTags.confidence')}
              data={CONFIDENCES.map((c) => ({ value: c, label: t(`search.speechTags.${c}`) }))}
              value={r.confidence}
              onChange={(v) => v && set(i, { confidence: v as Confidence })}
              allowDeselect={false}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              mt={4}
              aria-label={t('search.speechTags.remove')}
              onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
            >
              <IconClose size={14} />
            </ActionIcon>
          </Group>
        ))}
      </Stack>
      <Button
        variant="subtle"
        size="compact-xs"
        w="fit-content"
        leftSection={<IconPlus size={12} />}
        onClick={() => setRows((rs) => [...rs, { mode: 'include', tagId: null, confidence: 'probably' }])}
      >
        {t('search.speechTags.add')}
      </Button>
    </EditorForm>
  );
}
