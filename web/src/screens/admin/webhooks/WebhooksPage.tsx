// Administration → Webhooks: endpoints that receive the organisation's events (signed POSTs), the secret shown once at
// creation and rotation, a test event, and each endpoint's delivery log with the receiver's answers and redelivery.
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconCopy, IconEdit, IconKey, IconRefresh, IconTrash } from '../../../components/icons.tsx';
import { EmptyRow } from '../../../components/TableStates.tsx';
import {
  useDeleteWebhook,
  useRedeliver,
  useRotateWebhookSecret,
  useSaveWebhook,
  useTestWebhook,
  useWebhookDeliveries,
  useWebhookDelivery,
  useWebhooks,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookInput,
} from './api.ts';

/** The URL refusals the server names (details.reason of WEBHOOK_URL_REFUSED), translated here. */
function urlOverrides(error: unknown, t: (k: string) => string): Record<string, string> | undefined {
  if (!(error instanceof ApiError) || error.code !== 'WEBHOOK_URL_REFUSED') return undefined;
  const reason = String(error.details?.reason ?? 'MALFORMED');
  return { WEBHOOK_URL_REFUSED: t(`webhooks.urlRefused.${reason}`) };
}

export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const list = useWebhooks();
  const save = useSaveWebhook();
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  const test = useTestWebhook();
  const [editing, setEditing] = useState<WebhookEndpoint | 'new' | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const current = items.find((e) => e.id === selected) ?? null;

  return (
    <Stack gap="lg" data-testid="webhooks-page">
      <Card withBorder padding={0}>
        <Group justify="space-between" p="sm" pb={0}>
          <Text fw={600}>{t('webhooks.title')}</Text>
          <Button size="xs" onClick={() => setEditing('new')} data-testid="webhook-add">
            {t('webhooks.add')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed" px="sm" pb="sm">
          {t('webhooks.help')}
        </Text>
        <ErrorAlert error={list.error ?? remove.error ?? test.error ?? (editing ? null : save.error)} />
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('webhooks.name')}</Table.Th>
              <Table.Th>{t('webhooks.url')}</Table.Th>
              <Table.Th>{t('webhooks.events')}</Table.Th>
              <Table.Th>{t('webhooks.status')}</Table.Th>
              <Table.Th>{t('webhooks.lastSuccess')}</Table.Th>
              <Table.Th>{t('webhooks.enabled')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && !list.isLoading && <EmptyRow colSpan={7}>{t('webhooks.none')}</EmptyRow>}
            {items.map((e) => (
              <Table.Tr key={e.id} data-testid="webhook-row" bg={e.id === selected ? 'var(--mantine-color-blue-light)' : undefined}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => setSelected(e.id === selected ? null : e.id)}>
                    {e.name}
                  </Button>
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Text size="sm">{e.url}</Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={e.events.map((ev) => t(`webhooks.eventNames.${ev}`, { defaultValue: ev })).join(', ')} multiline w={300}>
                    <Badge variant="light">{t('webhooks.eventCount', { count: e.events.length })}</Badge>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <EndpointStatus e={e} />
                </Table.Td>
                <Table.Td>{fmt(e.lastSuccessAt)}</Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={t('webhooks.enabled')}
                    checked={e.enabled}
                    onChange={(ev) => save.mutate({ id: e.id, input: { enabled: ev.currentTarget.checked } })}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('webhooks.sendTest')}>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('webhooks.sendTest')}
                        onClick={() => test.mutate(e.id, { onSuccess: () => setSelected(e.id) })}
                      >
                        <IconRefresh size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('webhooks.edit')}>
                      <ActionIcon variant="subtle" aria-label={t('webhooks.edit')} onClick={() => setEditing(e)}>
                        <IconEdit size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('webhooks.rotate')}>
                      <ActionIcon variant="subtle" aria-label={t('webhooks.rotate')} onClick={() => setRotating(e)}>
                        <IconKey size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <ActionIcon variant="subtle" color="red" aria-label={t('webhooks.delete', { name: e.name })} onClick={() => setDeleting(e)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>

      {current && <DeliveriesCard endpoint={current} />}

      {editing && (
        <EndpointForm
          endpoint={editing === 'new' ? null : editing}
          events={list.data?.events.map((e) => e.type) ?? []}
          onClose={() => setEditing(null)}
          onCreated={(s) => setSecret(s)}
        />
      )}
      <Modal opened={!!rotating} onClose={() => setRotating(null)} title={t('webhooks.rotateTitle')}>
        <Stack>
          <Text size="sm">{t('webhooks.rotateHelp')}</Text>
          <ErrorAlert error={rotate.error} />
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() =>
                rotate.mutate(
                  { id: rotating!.id, expirePrevious: true },
                  { onSuccess: (r) => (setRotating(null), setSecret({ name: r.name, secret: r.secret })) },
                )
              }
            >
              {t('webhooks.rotateNow')}
            </Button>
            <Button
              onClick={() =>
                rotate.mutate(
                  { id: rotating!.id, expirePrevious: false },
                  { onSuccess: (r) => (setRotating(null), setSecret({ name: r.name, secret: r.secret })) },
                )
              }
            >
              {t('webhooks.rotateKeep')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={!!deleting} onClose={() => setDeleting(null)} title={t('webhooks.deleteTitle')}>
        <Stack>
          <Text size="sm">{t('webhooks.deleteConfirm', { name: deleting?.name ?? '' })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => remove.mutate(deleting!.id, { onSuccess: () => (setDeleting(null), setSelected(null)) })}>
              {t('webhooks.deleteButton')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={!!secret} onClose={() => setSecret(null)} title={t('webhooks.secretTitle', { name: secret?.name ?? '' })} size="lg">
        <Stack>
          <Alert color="yellow" variant="light">
            {t('webhooks.secretOnce')}
          </Alert>
          <Group wrap="nowrap" gap="xs">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="webhook-secret">
              {secret?.secret}
            </Code>
            <CopyButton value={secret?.secret ?? ''}>
              {({ copied, copy }) => (
                <ActionIcon variant="subtle" onClick={copy} aria-label={t('webhooks.copy')} color={copied ? 'teal' : undefined}>
                  <IconCopy size={16} />
                </ActionIcon>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            {t('webhooks.verifyHelp')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={() => setSecret(null)}>{t('webhooks.secretStored')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function EndpointStatus({ e }: { e: WebhookEndpoint }) {
  const { t, i18n } = useTranslation();
  if (!e.enabled)
    return (
      <Tooltip label={e.disabledReason ?? ''} multiline w={320} disabled={!e.disabledReason}>
        <Badge color="red" variant="light">
          {t('webhooks.state.disabled')}
        </Badge>
      </Tooltip>
    );
  if (e.failureStreak > 0)
    return (
      <Tooltip
        label={t('webhooks.failingSince', { count: e.failureStreak, time: e.failingSince ? new Date(e.failingSince).toLocaleString(i18n.language) : '' })}
      >
        <Badge color="orange" variant="light">
          {t('webhooks.state.failing')}
        </Badge>
      </Tooltip>
    );
  return (
    <Badge color="green" variant="light">
      {t('webhooks.state.active')}
    </Badge>
  );
}

function EndpointForm({
  endpoint,
  events,
  onClose,
  onCreated,
}: {
  endpoint: WebhookEndpoint | null;
  events: string[];
  onClose: () => void;
  onCreated: (s: { name: string; secret: string }) => void;
}) {
  const { t } = useTranslation();
  const save = useSaveWebhook();
  const [draft, setDraft] = useState<WebhookInput>({
    name: endpoint?.name ?? '',
    url: endpoint?.url ?? 'https://',
    events: (endpoint?.events ?? []) as WebhookInput['events'],
  });
  const submit = () =>
    save.mutate(
      { id: endpoint?.id, input: { name: draft.name.trim(), url: draft.url.trim(), events: draft.events } },
      {
        onSuccess: (r) => {
          onClose();
          if (!endpoint && 'secret' in r) onCreated({ name: r.name, secret: (r as WebhookEndpointWithSecret).secret });
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={endpoint ? t('webhooks.editTitle') : t('webhooks.addTitle')} size="lg">
      <Stack>
        <ErrorAlert error={save.error} overrides={urlOverrides(save.error, t)} />
        <TextInput
          label={t('webhooks.name')}
          required
          value={draft.name}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, name: v }));
          }}
          data-testid="webhook-name"
        />
        <TextInput
          label={t('webhooks.url')}
          description={t('webhooks.urlHelp')}
          required
          value={draft.url}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, url: v }));
          }}
          data-testid="webhook-url"
        />
        <Checkbox.Group label={t('webhooks.events')} value={draft.events} onChange={(v) => setDraft((d) => ({ ...d, events: v as WebhookInput['events'] }))}>
          <Stack gap={6} mt="xs">
            {events.map((ev) => (
              <Checkbox key={ev} value={ev} label={t(`webhooks.eventNames.${ev}`, { defaultValue: ev })} description={<Code>{ev}</Code>} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            onClick={submit}
            loading={save.isPending}
            disabled={!draft.name.trim() || !draft.url.trim() || draft.events.length === 0}
            data-testid="webhook-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DeliveriesCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<string>('all');
  const list = useWebhookDeliveries(endpoint.id, status === 'all' ? null : status);
  const redeliver = useRedeliver();
  const [open, setOpen] = useState<string | null>(null);
  const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const color = (s: string) => (s === 'succeeded' ? 'green' : s === 'failed' ? 'red' : 'blue');
  const items = list.data?.items ?? [];
  return (
    <Card withBorder padding={0} data-testid="webhook-deliveries">
      <Group justify="space-between" p="sm">
        <Text fw={600}>{t('webhooks.deliveriesOf', { name: endpoint.name })}</Text>
        <SegmentedControl
          size="xs"
          value={status}
          onChange={setStatus}
          data={['all', 'pending', 'succeeded', 'failed'].map((s) => ({ value: s, label: t(`webhooks.filter.${s}`) }))}
        />
      </Group>
      <ErrorAlert error={list.error ?? redeliver.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('webhooks.event')}</Table.Th>
            <Table.Th>{t('webhooks.created')}</Table.Th>
            <Table.Th>{t('webhooks.status')}</Table.Th>
            <Table.Th>{t('webhooks.attempts')}</Table.Th>
            <Table.Th>{t('webhooks.response')}</Table.Th>
            <Table.Th>{t('webhooks.nextAttempt')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && !list.isLoading && <EmptyRow colSpan={7}>{t('webhooks.noDeliveries')}</EmptyRow>}
          {items.map((d) => (
            <Table.Tr key={d.id} data-testid="webhook-delivery-row">
              <Table.Td>
                <Button variant="subtle" size="compact-sm" onClick={() => setOpen(d.id)}>
                  <Code>{d.eventType}</Code>
                </Button>
              </Table.Td>
              <Table.Td>{fmt(d.createdAt)}</Table.Td>
              <Table.Td>
                <Badge color={color(d.status)} variant="light">
                  {t(`webhooks.filter.${d.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  {d.lastStatusCode ?? '—'}
                  {d.lastError ? ` · ${d.lastError}` : ''}
                  {d.lastDurationMs !== null ? ` · ${t('webhooks.ms', { ms: d.lastDurationMs })}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>{d.status === 'pending' ? fmt(d.nextAttemptAt) : '—'}</Table.Td>
              <Table.Td>
                {d.status !== 'pending' && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => redeliver.mutate({ id: endpoint.id, deliveryId: d.id })}
                    data-testid="webhook-redeliver"
                  >
                    {t('webhooks.redeliver')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {open && <DeliveryModal endpointId={endpoint.id} deliveryId={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function DeliveryModal({ endpointId, deliveryId, onClose }: { endpointId: string; deliveryId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const d = useWebhookDelivery(endpointId, deliveryId);
  const pretty = (s: string) => {
    try {
      return JSON.stringify(JSON.parse(s), null, 2);
    } catch {
      return s;
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('webhooks.deliveryTitle')} size="xl">
      <ErrorAlert error={d.error} />
      {d.data && (
        <Stack>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('webhooks.at')}</Table.Th>
                <Table.Th>{t('webhooks.response')}</Table.Th>
                <Table.Th>{t('webhooks.duration')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.data.attemptLog.map((a) => (
                <Table.Tr key={`${a.attempt}-${a.at}`}>
                  <Table.Td>
                    {a.attempt}
                    {a.manual ? ` (${t('webhooks.manual')})` : ''}
                  </Table.Td>
                  <Table.Td>{new Date(a.at).toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge color={a.ok ? 'green' : 'red'} variant="light" mr="xs">
                      {a.statusCode ?? '—'}
                    </Badge>
                    {a.error && (
                      <Text span size="sm">
                        {a.error}
                      </Text>
                    )}
                    {a.responseExcerpt && (
                      <Code block mt={4}>
                        {a.responseExcerpt}
                      </Code>
                    )}
                  </Table.Td>
                  <Table.Td>{t('webhooks.ms', { ms: a.durationMs })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text fw={600} size="sm">
            {t('webhooks.body')}
          </Text>
          <Code block>{pretty(d.data.body)}</Code>
        </Stack>
      )}
    </Modal>
  );
}
