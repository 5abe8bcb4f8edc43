import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveSite } from '../../../api/directory.ts';
import type { Site } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { timeZones, utcOffset } from './timeZones.ts';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function SiteFormModal({ site, onClose }: { site: Site | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveSite();
  const [name, setName] = useState(site?.name ?? '');
  const [timeZone, setTimeZone] = useState<string | null>(site?.timeZone ?? browserZone());
  const [submitted, setSubmitted] = useState(false);
  const zoneOptions = useMemo(() => timeZones().map((z) => ({ value: z, label: `${z} (${utcOffset(z)})` })), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim() || !timeZone) return;
    save.mutate({ id: site?.id, input: { name: name.trim(), timeZone } }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={site ? t('sites.editTitle') : t('sites.createTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('sites.fields.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={submitted && !name.trim() ? t('validation.required') : undefined}
            data-autofocus
          />
          <Select
            label={t('sites.fields.timeZone')}
            required
            data={zoneOptions}
            value={timeZone}
            onChange={setTimeZone}
            searchable
            limit={100}
            nothingFoundMessage={t('common.nothingFound')}
            error={submitted && !timeZone ? t('validation.required') : undefined}
          />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {site ? t('common.save') : t('sites.submitCreate')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
