// Speech tags: each condition includes or excludes a tag at a confidence (certainly ≥ 65 %, probably ≥ 50 %,
// maybe ≥ 40 %). Every include must be there, no exclude may be.
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchOptions } from '../../../../api/search.ts';
import type { Confidence, SearchFilterInput } from '../../../../api/types.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { ConditionsEditor, type ConditionsEditorProps } from './ConditionsEditor.tsx';
import type { EditorProps } from './EditorForm.tsx';

type SpeechTags = NonNullable<SearchFilterInput['speechTags']>;
const CONFIDENCES: Confidence[] = ['certainly', 'probably', 'maybe'];

export function SpeechTagsEditor({ value, apply, ...form }: EditorProps<SpeechTags>) {
  const { t } = useTranslation();
  const options = useSearchOptions();
  const speechTags = options.data?.speechTags ?? [];
  return (
    <ConditionsEditor<Confidence>
      {...form}
      value={value as ConditionsEditorProps<Confidence>['value']}
      apply={(v) => apply(v as SpeechTags | undefined)}
      field="speechTags"
      itemKey="tagId"
      qualifierKey="confidence"
      qualifiers={CONFIDENCES}
      defaultQualifier="probably"
      i18n={{
        prefix: 'search.speechTags',
        item: 'search.speechTags.tag',
        qualifier: 'search.speechTags.confidence',
        qualifierOption: (c) => t(`search.speechTags.${c}`),
      }}
      items={speechTags.map((s) => ({ value: s.id, label: s.name }))}
      testId="speech-tag-condition"
      widths={{ mode: 110, qualifier: 150 }}
      before={
        <>
          <ErrorAlert error={options.error} />
          {!options.isPending && speechTags.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('search.speechTags.none')}
            </Text>
          )}
        </>
      }
    />
  );
}
