// Adding an offline interaction: the agent (found by name, extension or e-mail), when and how long, the channel, the
// customer, notes and an optional file. Saved, it opens as a conversation, ready to be reviewed.
import { Button, FileInput, Group, Modal, NumberInput, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { OFFLINE_CHANNELS, useCreateOffline, type OfflineChannel } from '../../../api/offline.ts';
import { AGENT_QUERY_MIN, useAgentSuggestions } from '../../../api/search.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPaperclip } from '../../../components/icons.tsx';

/** The value of a datetime-local input for a date, in the browser's zone. */
export function localInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function AddOfflineModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [agentSearch, setAgentSearch] = useState('');
  const [term] = useDebouncedValue(agentSearch, 250);
  const suggestions = useAgentSuggestions(term);
  const [agent, setAgent] = useState<{ id: string; name: string } | null>(null);
  const [when, setWhen] = useState(() => localInputValue(new Date(Date.now() - 30 * 60_000)));
  const [minutes, setMinutes] = useState<number>(10);
  const [channel, setChannel] = useState<OfflineChannel>('phone');
  const [title, setTitle] = useState('');
  const [customerName, setCustomerName] = useState('');
  const [customerContact, setCustomerContact] = useState('');
  const [notes, setNotes] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const create = useCreateOffline();
  const options = [...(agent ? [agent] : []), ...(suggestions.data?.items ?? []).filter((s) => s.id !== agent?.id)];
  const startedAt = when ? new Date(when) : null;
  const ready = agent && startedAt && !Number.isNaN(startedAt.getTime());

  const submit = () => {
    if (!ready) return;
    create.mutate(
      {
        meta: {
          agentUserId: agent.id,
          startedAt: startedAt.toISOString(),
          durationMinutes: minutes,
          channel,
          ...(title.trim() ? { title: title.trim() } : {}),
          customerName: customerName.trim() || null,
          customerContact: customerContact.trim() || null,
          notes: notes.trim(),
        },
        file,
      },
      { onSuccess: (o) => navigate(`/conversations/${encodeURIComponent(o.conversationId)}`) },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('offline.form.title')} size="lg">
      <Stack gap="sm">
        <Select
          label={t('offline.form.agent')}
          placeholder={t('offline.form.agentSearch', { n: AGENT_QUERY_MIN })}
          searchable
          required
          data={options.map((o) => ({ value: o.id, label: o.name }))}
          value={agent?.id ?? null}
          searchValue={agentSearch}
          onSearchChange={setAgentSearch}
          onChange={(id) => setAgent(options.find((o) => o.id === id) ?? null)}
          nothingFoundMessage={term.length >= AGENT_QUERY_MIN ? t('common.nothingFound') : undefined}
          filter={({ options: o }) => o}
          data-testid="offline-agent"
        />
        <Group grow>
          <TextInput type="datetime-local" label={t('offline.form.when')} value={when} onChange={(e) => setWhen(e.currentTarget.value)} required />
          <NumberInput label={t('offline.form.minutes')} min={0} max={1440} value={minutes} onChange={(v) => setMinutes(Number(v) || 0)} />
        </Group>
        <Select
          label={t('offline.form.channel')}
          data={OFFLINE_CHANNELS.map((c) => ({ value: c, label: t(`offline.channels.${c}`) }))}
          value={channel}
          onChange={(v) => v && setChannel(v as OfflineChannel)}
          allowDeselect={false}
        />
        <TextInput
          label={t('offline.form.titleField')}
          description={t('offline.form.titleHelp')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={200}
        />
        <Group grow>
          <TextInput label={t('offline.form.customer')} value={customerName} onChange={(e) => setCustomerName(e.currentTarget.value)} maxLength={200} />
          <TextInput label={t('offline.form.contact')} value={customerContact} onChange={(e) => setCustomerContact(e.currentTarget.value)} maxLength={200} />
        </Group>
        <Textarea label={t('offline.form.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} rows={4} maxLength={20000} />
        <FileInput
          label={t('offline.form.file')}
          description={t('offline.form.fileHelp')}
          value={file}
          onChange={setFile}
          clearable
          leftSection={<IconPaperclip size={14} />}
        />
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!ready} loading={create.isPending} data-testid="save-offline">
            {t('offline.form.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
