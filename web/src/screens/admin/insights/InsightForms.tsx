// The dialogs of Administration → Indicators & topics. What is sent is what was typed (trimmed, empty lines left
// out); the server checks the rules and its message is shown in the dialog, which stays open.
import { Button, Group, Modal, SegmentedControl, Select, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useIndicatorCategories,
  useSaveCategory,
  useSaveIndicator,
  useSaveTopic,
  type Indicator,
  type IndicatorCategory,
  type Speaker,
  type Topic,
} from '../../../api/insights.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

const SPEAKERS: Speaker[] = ['agent', 'customer', 'both'];

function FormModal({
  title,
  onClose,
  onSubmit,
  error,
  loading,
  submitLabel,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  error: unknown;
  loading: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {children}
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={loading}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function CategoryModal({ category, onClose }: { category: IndicatorCategory | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveCategory();
  const [name, setName] = useState(category?.name ?? '');
  return (
    <FormModal
      title={category ? t('insightsAdmin.renameCategory', { name: category.name }) : t('insightsAdmin.newCategory')}
      onClose={onClose}
      onSubmit={() => save.mutate({ id: category?.id, name: name.trim() }, { onSuccess: onClose })}
      error={save.error}
      loading={save.isPending}
      submitLabel={category ? t('common.save') : t('insightsAdmin.create')}
    >
      <TextInput label={t('insightsAdmin.fields.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
    </FormModal>
  );
}

export function IndicatorModal({ indicator, categoryId, onClose }: { indicator: Indicator | null; categoryId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveIndicator();
  const categories = useIndicatorCategories();
  const [name, setName] = useState(indicator?.name ?? '');
  const [category, setCategory] = useState(indicator?.categoryId ?? categoryId);
  const [speaker, setSpeaker] = useState<Speaker>(indicator?.speaker ?? 'both');
  const [keywords, setKeywords] = useState<string[]>(indicator?.keywords.map((k) => k.text) ?? []);
  const submit = () =>
    save.mutate(
      { id: indicator?.id, input: { categoryId: category, name: name.trim(), speaker, keywords: keywords.map((k) => k.trim()).filter(Boolean) } },
      { onSuccess: onClose },
    );
  return (
    <FormModal
      title={indicator ? t('insightsAdmin.editNamed', { name: indicator.name }) : t('insightsAdmin.newIndicator')}
      onClose={onClose}
      onSubmit={submit}
      error={save.error}
      loading={save.isPending}
      submitLabel={indicator ? t('common.save') : t('insightsAdmin.create')}
    >
      <TextInput label={t('insightsAdmin.fields.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
      <Select
        label={t('insightsAdmin.fields.category')}
        data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={category}
        onChange={(v) => v && setCategory(v)}
        allowDeselect={false}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('insightsAdmin.fields.speaker')}
        </Text>
        <SegmentedControl
          value={speaker}
          onChange={(v) => setSpeaker(v as Speaker)}
          data={SPEAKERS.map((s) => ({ value: s, label: t(`insightsAdmin.speaker.${s}`) }))}
          aria-label={t('insightsAdmin.fields.speaker')}
        />
      </Stack>
      <TagsInput
        label={t('insightsAdmin.fields.keywords')}
        description={t('insightsAdmin.keywordsHint')}
        value={keywords}
        onChange={setKeywords}
        splitChars={[',']}
        acceptValueOnBlur
        clearable
        data-testid="indicator-keywords"
      />
    </FormModal>
  );
}

/** One guiding sentence a line (a sentence may hold commas). */
export const sentencesOf = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

export function TopicModal({ topic, onClose }: { topic: Topic | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveTopic();
  const [name, setName] = useState(topic?.name ?? '');
  const [text, setText] = useState(topic?.sentences.join('\n') ?? '');
  const n = sentencesOf(text).length;
  return (
    <FormModal
      title={topic ? t('insightsAdmin.editNamed', { name: topic.name }) : t('insightsAdmin.newTopic')}
      onClose={onClose}
      onSubmit={() => save.mutate({ id: topic?.id, input: { name: name.trim(), sentences: sentencesOf(text) } }, { onSuccess: onClose })}
      error={save.error}
      loading={save.isPending}
      submitLabel={topic ? t('common.save') : t('insightsAdmin.create')}
    >
      <TextInput label={t('insightsAdmin.fields.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
      <Textarea
        label={t('insightsAdmin.fields.sentences')}
        description={t('insightsAdmin.sentencesHint', { n })}
        // A fixed height: Mantine's autosize measures with a window listener the tests' DOM does not give it.
        rows={7}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
    </FormModal>
  );
}
