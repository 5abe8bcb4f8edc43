// The Settings screen's speech section: the engine (with what the server can run), per-language overrides, the words
// the engines should expect, the PII types redaction hides, and "Transcribe all calls again".
import { ActionIcon, Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Settings } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { languageName, SEARCH_LANGUAGES } from './searchLanguages.ts';
import { ENGINE_CHOICES, RETRANSCRIBE_JOB, useRetranscribeAll, useSpeechEngines, vocabularyFromText } from './speechApi.ts';

/** The PII types the server knows (src/speech/model.ts PII_TYPES), in the order shown. */
export const PII_TYPE_CHOICES = [
  'card_number',
  'card_expiry',
  'card_security_code',
  'phone_number',
  'email',
  'date_of_birth',
  'national_id',
  'street_address',
] as const;

export const SPEECH_KEYS = ['speechEngine', 'speechEngineByLanguage', 'speechVocabulary', 'piiTypes'] as const;

export function SpeechSettings({ form, set }: { form: Settings; set: (key: string, value: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const engines = useSpeechEngines();
  const byId = new Map((engines.data?.engines ?? []).map((e) => [e.id, e]));
  const engineLabel = (id: string) => {
    const name = t(`settings.speech.engines.${id}`);
    const e = byId.get(id);
    if (!e) return name;
    return `${name} — ${e.available ? t('settings.speech.available') : t('settings.speech.unavailable')}`;
  };
  const engineData = ENGINE_CHOICES.map((id) => ({ value: id, label: engineLabel(id) }));
  const overrides = Object.entries(form.speechEngineByLanguage ?? {});
  const freeLanguages = SEARCH_LANGUAGES.filter((l) => !(l in (form.speechEngineByLanguage ?? {})));

  // The textarea keeps what is typed (blank lines while typing); the form gets the cleaned list.
  const [vocabulary, setVocabulary] = useState(() => (form.speechVocabulary ?? []).join('\n'));
  const stored = useMemo(() => JSON.stringify(form.speechVocabulary ?? []), [form.speechVocabulary]);
  useEffect(() => {
    // A reset or a save from elsewhere: show the stored list.
    if (JSON.stringify(vocabularyFromText(vocabulary)) !== stored) setVocabulary((JSON.parse(stored) as string[]).join('\n'));
    // Only when the stored list changes, not on each keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stored]);

  const setOverride = (lang: string, engine: string | null, remove = false) => {
    const next = { ...(form.speechEngineByLanguage ?? {}) };
    if (remove) delete next[lang];
    else if (engine) next[lang] = engine;
    set('speechEngineByLanguage', next);
  };

  return (
    <Paper withBorder radius="md" p="lg" data-testid="speech-settings">
      <Stack>
        <Title order={4}>{t('settings.sections.speech')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.speech.description')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('settings.speech.engine')}
            description={t('settings.speech.engineHint')}
            data={engineData}
            value={form.speechEngine}
            onChange={(v) => v && set('speechEngine', v)}
            allowDeselect={false}
            data-testid="speech-engine"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('settings.speech.availability')}
            </Text>
            {engines.isPending && <Text size="sm">…</Text>}
            <ErrorAlert error={engines.error} />
            {engines.data?.engines.map((e) => (
              <Group key={e.id} gap="xs" wrap="nowrap" align="flex-start">
                <Badge color={e.available ? 'green' : 'gray'} variant="light" miw={110}>
                  {e.available ? t('settings.speech.available') : t('settings.speech.unavailable')}
                </Badge>
                <Text size="sm">
                  {t(`settings.speech.engines.${e.id}`, { defaultValue: e.label })}
                  {e.reason && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      — {e.reason}
                    </Text>
                  )}
                </Text>
              </Group>
            ))}
            {engines.data && !engines.data.anyAvailable && (
              <Alert color="yellow" variant="light" data-testid="no-engine">
                {t('settings.speech.noEngine')}
              </Alert>
            )}
          </Stack>
        </SimpleGrid>

        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('settings.speech.overrides')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('settings.speech.overridesHint')}
          </Text>
          {overrides.length > 0 && (
            <Table maw={520}>
              <Table.Tbody>
                {overrides.map(([lang, engine]) => (
                  <Table.Tr key={lang}>
                    <Table.Td>{languageName(lang, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('settings.speech.engineFor', { language: languageName(lang, i18n.language) })}
                        data={engineData}
                        value={engine}
                        onChange={(v) => setOverride(lang, v)}
                        allowDeselect={false}
                        size="xs"
                      />
                    </Table.Td>
                    <Table.Td w={40}>
                      <ActionIcon variant="subtle" color="red" aria-label={t('settings.speech.removeOverride')} onClick={() => setOverride(lang, null, true)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {freeLanguages.length > 0 && (
            <Group>
              <Select
                placeholder={t('settings.speech.addOverride')}
                aria-label={t('settings.speech.addOverride')}
                data={freeLanguages.map((l) => ({ value: l, label: languageName(l, i18n.language) }))}
                value={null}
                onChange={(v) => v && setOverride(v, 'auto')}
                leftSection={<IconPlus size={14} />}
                size="xs"
                w={220}
              />
            </Group>
          )}
        </Stack>

        <Textarea
          label={t('settings.speech.vocabulary')}
          description={t('settings.speech.vocabularyHint')}
          value={vocabulary}
          onChange={(e) => {
            setVocabulary(e.currentTarget.value);
            set('speechVocabulary', vocabularyFromText(e.currentTarget.value));
          }}
          rows={5}
          data-testid="speech-vocabulary"
        />

        <Checkbox.Group
          label={t('settings.speech.piiTypes')}
          description={t('settings.speech.piiTypesHint')}
          value={form.piiTypes ?? []}
          onChange={(v) =>
            set(
              'piiTypes',
              PII_TYPE_CHOICES.filter((p) => v.includes(p)),
            )
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
            {PII_TYPE_CHOICES.map((p) => (
              <Checkbox key={p} value={p} label={t(`settings.speech.pii.${p}`)} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>

        <RetranscribeAll />
      </Stack>
    </Paper>
  );
}

function RetranscribeAll() {
  const { t } = useTranslation();
  const run = useRetranscribeAll();
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" onClick={() => run.mutate()} loading={run.isPending} data-testid="retranscribe-all">
          {t('settings.speech.retranscribe')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('settings.speech.retranscribeHint')}
        </Text>
      </Group>
      <ErrorAlert error={run.error} />
      {run.isSuccess && (
        <Alert color="green" variant="light" data-testid="retranscribe-started">
          {t('settings.speech.retranscribeStarted')}{' '}
          <Anchor component={Link} to={`/admin/jobs?type=${encodeURIComponent(RETRANSCRIBE_JOB)}`} size="sm">
            {t('settings.speech.retranscribeProgress')}
          </Anchor>
        </Alert>
      )}
    </Stack>
  );
}
