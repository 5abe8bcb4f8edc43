import { Alert, Anchor, Button, Code, Group, NumberInput, Paper, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSaveSettings, useSettings } from '../../../api/system.ts';
import type { Settings } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatValue } from '../../../format.ts';
import { LANGUAGES } from '../../../i18n/index.ts';
import { languageName, REINDEX_JOB, SEARCH_LANGUAGES } from './searchLanguages.ts';
import { SPEECH_KEYS, SpeechSettings } from './SpeechSettings.tsx';
import { EMAIL_KEYS, EmailSettings } from './EmailSettings.tsx';
import { QUALITY_KEYS, QualitySettings } from './QualitySettings.tsx';

const NUMBER_FIELDS = [
  { key: 'sessionTimeoutHours', min: 1, max: 720 },
  { key: 'lockoutThreshold', min: 3, max: 20 },
  { key: 'lockoutMinutes', min: 1, max: 24 * 60 },
  { key: 'passwordMinLength', min: 8, max: 128 },
  { key: 'apiTokenMaxDays', min: 0, max: 3650 },
  { key: 'silenceMinSeconds', min: 1, max: 120 },
  { key: 'crosstalkMinSeconds', min: 1, max: 30 },
] as const;

const KNOWN = new Set<string>(['name', 'language', 'searchLanguage', ...NUMBER_FIELDS.map((f) => f.key), ...SPEECH_KEYS, ...EMAIL_KEYS, ...QUALITY_KEYS]);

export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings();
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <ErrorAlert error={settings.error} />
      {settings.data ? <SettingsForm initial={settings.data} /> : settings.isPending && <Skeleton h={320} radius="md" />}
    </>
  );
}

function SettingsForm({ initial }: { initial: Settings }) {
  const { t, i18n } = useTranslation();
  const save = useSaveSettings();
  const [form, setForm] = useState<Settings>(initial);
  useEffect(() => setForm(initial), [initial]);
  const set = (key: string, value: unknown) => {
    save.reset();
    setForm((f) => ({ ...f, [key]: value }));
  };
  const searchLanguages = useMemo(() => SEARCH_LANGUAGES.map((l) => ({ value: l, label: languageName(l, i18n.language) })), [i18n.language]);
  // A new search language starts a reindex job on the server: say so and point to its progress.
  const reindexing = save.isSuccess && save.variables?.searchLanguage !== undefined;

  // Compared by value: the speech settings hold lists and maps.
  const changed = Object.fromEntries(
    Object.entries(form).filter(([k, v]) => KNOWN.has(k) && JSON.stringify(v) !== JSON.stringify(initial[k as keyof Settings])),
  ) as Partial<Settings>;
  const dirty = Object.keys(changed).length > 0;
  const extras = Object.entries(initial).filter(([k]) => !KNOWN.has(k));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (dirty) save.mutate(changed);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Paper withBorder radius="md" p="lg">
          <Stack>
            <Title order={4}>{t('settings.sections.organisation')}</Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('settings.fields.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} required />
              <Select
                label={t('settings.fields.language')}
                description={t('settings.hints.language')}
                data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
                value={form.language}
                onChange={(v) => v && set('language', v)}
                allowDeselect={false}
              />
            </SimpleGrid>
            <Title order={4} mt="sm">
              {t('settings.sections.search')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('settings.fields.searchLanguage')}
                description={t('settings.hints.searchLanguage')}
                data={searchLanguages}
                value={typeof form.searchLanguage === 'string' ? form.searchLanguage : null}
                onChange={(v) => v && set('searchLanguage', v)}
                allowDeselect={false}
                data-testid="search-language"
              />
            </SimpleGrid>
            <Title order={4} mt="sm">
              {t('settings.sections.security')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {NUMBER_FIELDS.map(({ key, min, max }) => (
                <NumberInput
                  key={key}
                  label={t(`settings.fields.${key}`)}
                  description={t(`settings.hints.${key}`)}
                  value={form[key]}
                  onChange={(v) => typeof v === 'number' && set(key, v)}
                  min={min}
                  max={max}
                  allowDecimal={false}
                />
              ))}
            </SimpleGrid>
          </Stack>
        </Paper>
        <SpeechSettings form={form} set={set} />
        <EmailSettings form={form} set={set} dirty={dirty} />
        <QualitySettings form={form} set={set} />
        {extras.length > 0 && <ExtraSettings extras={extras} />}
        <ErrorAlert error={save.error} />
        {save.isSuccess && (
          <Alert color="green" variant="light">
            {t('settings.saved')}
            {reindexing && (
              <Text size="sm" mt={4} data-testid="reindex-started">
                {t('settings.reindexStarted', { language: languageName(String(save.variables?.searchLanguage), i18n.language) })}{' '}
                <Anchor component={Link} to={`/admin/jobs?type=${encodeURIComponent(REINDEX_JOB)}`} size="sm">
                  {t('settings.reindexProgress')}
                </Anchor>
              </Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" disabled={!dirty} onClick={() => setForm(initial)}>
            {t('common.reset')}
          </Button>
          <Button type="submit" disabled={!dirty} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Settings the server reports that this screen has no editor for yet, shown read-only. */
function ExtraSettings({ extras }: { extras: [string, unknown][] }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={4} mb="xs">
        {t('settings.sections.other')}
      </Title>
      <Table>
        <Table.Tbody>
          {extras.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w="40%">
                <Code>{k}</Code>
              </Table.Td>
              <Table.Td>{formatValue(v)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
