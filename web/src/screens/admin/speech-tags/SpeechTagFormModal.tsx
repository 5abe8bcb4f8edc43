import { Button, ColorInput, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveSpeechTag, type SpeechTag } from '../../../api/speechTags.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

const PHRASE_MAX = 200;
/** The languages transcripts are analysed in (the search analyzer's list). */
const LANGUAGES = ['en', 'fr', 'es', 'pt', 'de', 'ru', 'cs'];
const SWATCHES = ['#e03131', '#e8590c', '#f59f00', '#2f9e44', '#1098ad', '#1c7ed6', '#7048e8', '#d6336c', '#868e96'];

export function languageName(code: string, uiLanguage: string) {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function SpeechTagFormModal({ tag, onClose }: { tag: SpeechTag | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const save = useSaveSpeechTag();
  const [name, setName] = useState(tag?.name ?? '');
  const [phrase, setPhrase] = useState(tag?.phrase ?? '');
  const [language, setLanguage] = useState<string>(tag?.language ?? '');
  const [party, setParty] = useState<string>(tag?.party ?? '');
  const [color, setColor] = useState(tag?.color ?? '#e8590c');
  const [submitted, setSubmitted] = useState(false);
  const phraseLength = [...phrase.trim().replace(/\s+/g, ' ')].length;
  const phraseError = !submitted
    ? undefined
    : phraseLength === 0
      ? t('validation.required')
      : phraseLength > PHRASE_MAX
        ? t('speechTags.phraseTooLong', { max: PHRASE_MAX, n: phraseLength })
        : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim() || phraseLength === 0 || phraseLength > PHRASE_MAX || !/^#[0-9a-fA-F]{6}$/.test(color)) return;
    const input = {
      name: name.trim(),
      phrase: phrase.trim(),
      language: language || null,
      party: (party || null) as 'agent' | 'customer' | null,
      color,
    };
    save.mutate({ id: tag?.id, input }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={tag ? t('speechTags.editTitle', { name: tag.name }) : t('speechTags.createTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('speechTags.fields.name')}
            required
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.currentTarget.value)}
            error={submitted && !name.trim() ? t('validation.required') : undefined}
            data-autofocus
          />
          <TextInput
            label={t('speechTags.fields.phrase')}
            description={t('speechTags.fields.phraseHint', { max: PHRASE_MAX })}
            required
            value={phrase}
            onChange={(e) => setPhrase(e.currentTarget.value)}
            error={phraseError}
          />
          <Select
            label={t('speechTags.fields.party')}
            data={[
              { value: '', label: t('speechTags.party.any') },
              { value: 'agent', label: t('speechTags.party.agent') },
              { value: 'customer', label: t('speechTags.party.customer') },
            ]}
            value={party}
            onChange={(v) => setParty(v ?? '')}
            allowDeselect={false}
          />
          <Select
            label={t('speechTags.fields.language')}
            data={[{ value: '', label: t('speechTags.anyLanguage') }, ...LANGUAGES.map((l) => ({ value: l, label: languageName(l, i18n.language) }))]}
            value={language}
            onChange={(v) => setLanguage(v ?? '')}
            allowDeselect={false}
          />
          <ColorInput label={t('speechTags.fields.color')} value={color} onChange={setColor} format="hex" swatches={SWATCHES} required />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {tag ? t('common.save') : t('speechTags.submitCreate')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
