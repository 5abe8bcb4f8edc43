import { Alert, Button, Code, Group, NumberInput, Paper, Select, SimpleGrid, Skeleton, Stack, Table, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveSettings, useSettings } from '../../../api/system.ts';
import type { Settings } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatValue } from '../../../format.ts';
import { LANGUAGES } from '../../../i18n/index.ts';

const NUMBER_FIELDS = [
  { key: 'sessionTimeoutHours', min: 1, max: 24 * 90 },
  { key: 'lockoutThreshold', min: 1, max: 100 },
  { key: 'lockoutMinutes', min: 1, max: 24 * 60 },
  { key: 'passwordMinLength', min: 8, max: 128 },
] as const;

const KNOWN = new Set<string>(['name', 'language', ...NUMBER_FIELDS.map((f) => f.key)]);

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
  const { t } = useTranslation();
  const save = useSaveSettings();
  const [form, setForm] = useState<Settings>(initial);
  useEffect(() => setForm(initial), [initial]);
  const set = (key: string, value: unknown) => {
    save.reset();
    setForm((f) => ({ ...f, [key]: value }));
  };

  const changed = Object.fromEntries(
    Object.entries(form).filter(([k, v]) => KNOWN.has(k) && v !== initial[k]),
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
        {extras.length > 0 && <ExtraSettings extras={extras} />}
        <ErrorAlert error={save.error} />
        {save.isSuccess && (
          <Alert color="green" variant="light">
            {t('settings.saved')}
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
