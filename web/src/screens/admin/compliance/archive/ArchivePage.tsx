// Administration → Compliance → Archiving: the settings (on/off, file name template with a live example, time zone,
// original or OpenPGP-encrypted copies), the primary and the optional secondary target (folder, SFTP, S3, FTP/FTPS,
// each with a connection test; plain FTP is flagged as insecure), and the transfers with Run now and Retry failed.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { Timestamp } from '../../../../components/Timestamp.tsx';
import { formatDateTime } from '../../../../format.ts';
import {
  useArchive,
  useArchiveItems,
  usePreviewTemplate,
  useRemoveTarget,
  useRetryFailed,
  useRunNow,
  useSaveConfig,
  useSaveTarget,
  useTestTarget,
  type ArchiveOverview,
  type Role,
  type TargetInput,
  type TargetView,
} from './api.ts';

const KINDS = ['folder', 'sftp', 's3', 'ftp'] as const;
type Kind = (typeof KINDS)[number];
const STATUS_COLOR: Record<string, string> = { done: 'green', pending: 'gray', uploading: 'blue', failed: 'red', skipped: 'yellow' };

export function ArchivePage() {
  const { t } = useTranslation();
  const archive = useArchive();
  if (archive.error) return <ErrorAlert error={archive.error} />;
  if (!archive.data) return null;
  const d = archive.data;
  return (
    <Stack gap="lg" maw={980} data-testid="archive-page">
      <div>
        <Title order={3}>{t('compliance.archive.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('compliance.archive.description')}
        </Text>
      </div>
      <SettingsCard data={d} />
      <TargetCard role="primary" target={d.primary} folderRoot={d.folderRoot} />
      <TargetCard role="secondary" target={d.secondary} folderRoot={d.folderRoot} />
      <Transfers data={d} />
    </Stack>
  );
}

function SettingsCard({ data }: { data: ArchiveOverview }) {
  const { t, i18n } = useTranslation();
  const save = useSaveConfig();
  const preview = usePreviewTemplate();
  const c = data.config;
  const [enabled, setEnabled] = useState(c.enabled);
  const [template, setTemplate] = useState(c.nameTemplate);
  const [timeZone, setTimeZone] = useState(c.timeZone);
  const [encryption, setEncryption] = useState<'none' | 'pgp'>(c.encryption);
  const [publicKey, setPublicKey] = useState(c.publicKey ?? '');
  const [includeOlder, setIncludeOlder] = useState(c.includeOlder);
  useEffect(() => {
    setEnabled(c.enabled);
    setTemplate(c.nameTemplate);
    setTimeZone(c.timeZone);
    setEncryption(c.encryption);
    setPublicKey(c.publicKey ?? '');
    setIncludeOlder(c.includeOlder);
  }, [c.enabled, c.nameTemplate, c.timeZone, c.encryption, c.publicKey, c.includeOlder]);
  // The example follows the template as it is typed (the server parses it: one set of rules).
  const { mutate: previewMutate } = preview;
  useEffect(() => {
    const id = setTimeout(() => previewMutate({ nameTemplate: template, timeZone }), 300);
    return () => clearTimeout(id);
  }, [template, timeZone, previewMutate]);
  const zones = useMemo(() => {
    const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    return [...new Set(['UTC', ...list, timeZone])];
  }, [timeZone]);
  const dirty =
    enabled !== c.enabled ||
    template !== c.nameTemplate ||
    timeZone !== c.timeZone ||
    encryption !== c.encryption ||
    (publicKey || null) !== (c.publicKey ?? null) ||
    includeOlder !== c.includeOlder;

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={4}>{t('compliance.archive.settings')}</Title>
          <Switch
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
            label={t('compliance.archive.enabled')}
            disabled={!data.primary && !c.enabled}
            data-testid="archive-enabled"
          />
        </Group>
        {!data.primary && (
          <Text size="sm" c="dimmed">
            {t('compliance.archive.needPrimary')}
          </Text>
        )}
        <TextInput
          label={t('compliance.archive.template')}
          description={t('compliance.archive.templateHint')}
          value={template}
          onChange={(e) => setTemplate(e.currentTarget.value)}
          ff="monospace"
          data-testid="archive-template"
          error={preview.error ? (preview.error as Error).message : undefined}
        />
        {preview.data && !preview.error && (
          <Text size="sm" data-testid="archive-template-example">
            {t('compliance.archive.example')} <Code>{preview.data.example}</Code>
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {t('compliance.archive.fields')} {data.fields.map((f) => `%{${f}}`).join(' ')} · {t('compliance.archive.timeFormat')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('compliance.archive.timeZone')}
            data={zones}
            value={timeZone}
            onChange={(v) => v && setTimeZone(v)}
            searchable
            allowDeselect={false}
          />
          <Checkbox
            mt="xl"
            label={t('compliance.archive.includeOlder')}
            description={c.enabledAt ? t('compliance.archive.includeOlderSince', { time: formatDateTime(c.enabledAt, i18n.language) }) : undefined}
            checked={includeOlder}
            onChange={(e) => setIncludeOlder(e.currentTarget.checked)}
          />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('compliance.archive.copies')}
          </Text>
          <SegmentedControl
            value={encryption}
            onChange={(v) => setEncryption(v as 'none' | 'pgp')}
            data={[
              { value: 'none', label: t('compliance.archive.original') },
              { value: 'pgp', label: t('compliance.archive.pgp') },
            ]}
            data-testid="archive-encryption"
          />
          <Text size="xs" c="dimmed" mt={4}>
            {encryption === 'pgp' ? t('compliance.archive.pgpHint') : t('compliance.archive.originalHint')}
          </Text>
        </div>
        {encryption === 'pgp' && (
          <Textarea
            label={t('compliance.archive.publicKey')}
            description={
              c.publicKeyFingerprint
                ? t('compliance.archive.publicKeyCurrent', { fingerprint: c.publicKeyFingerprint, ids: c.publicKeyUserIds.join(', ') })
                : undefined
            }
            placeholder={t('compliance.archive.placeholders.pgpKey')}
            autosize
            minRows={3}
            maxRows={10}
            ff="monospace"
            value={publicKey}
            onChange={(e) => setPublicKey(e.currentTarget.value)}
          />
        )}
        <ErrorAlert error={save.error} />
        <Group>
          <Button
            onClick={() => save.mutate({ enabled, nameTemplate: template, timeZone, encryption, publicKey: publicKey || null, includeOlder })}
            loading={save.isPending}
            disabled={!dirty}
            data-testid="archive-save-settings"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

type Form = Record<string, string | number | boolean | null>;

const initialForm = (t: TargetView | null): Form => ({ ...(t?.settings as Form | undefined) });

function TargetCard({ role, target, folderRoot }: { role: Role; target: TargetView | null; folderRoot: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind | null>((target?.kind as Kind) ?? (role === 'primary' ? 'folder' : null));
  const [form, setForm] = useState<Form>(initialForm(target));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [forgetHostKey, setForgetHostKey] = useState(false);
  const save = useSaveTarget(role);
  const remove = useRemoveTarget(role);
  const test = useTestTarget(role);
  useEffect(() => {
    setKind((target?.kind as Kind) ?? (role === 'primary' ? 'folder' : null));
    setForm(initialForm(target));
    setSecrets({});
    setForgetHostKey(false);
  }, [target, role]);
  const set = (k: string, v: string | number | boolean | null) => setForm((f) => ({ ...f, [k]: v }));
  const text = (k: string, label: string, extra: { description?: string; placeholder?: string } = {}) => (
    <TextInput
      key={k}
      label={label}
      value={String(form[k] ?? '')}
      onChange={(e) => set(k, e.currentTarget.value)}
      autoComplete="off"
      data-testid={`archive-${role}-${k}`}
      {...extra}
    />
  );
  const secret = (k: 'password' | 'privateKey' | 'passphrase' | 'secretAccessKey', label: string) => {
    const stored = target?.kind === kind && target?.secretsSet[k];
    return k === 'privateKey' ? (
      <Textarea
        key={k}
        label={label}
        description={stored ? t('compliance.archive.secretStored') : undefined}
        autosize
        minRows={2}
        maxRows={6}
        ff="monospace"
        placeholder={t('compliance.archive.placeholders.sshKey')}
        value={secrets[k] ?? ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          setSecrets((s) => ({ ...s, [k]: v }));
        }}
      />
    ) : (
      <PasswordInput
        key={k}
        label={label}
        description={stored ? t('compliance.archive.secretStored') : undefined}
        value={secrets[k] ?? ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          setSecrets((s) => ({ ...s, [k]: v }));
        }}
        autoComplete="new-password"
        data-testid={`archive-${role}-${k}`}
      />
    );
  };
  const body = (): TargetInput | null => {
    if (!kind) return null;
    const s = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== '' && v !== null && v !== undefined));
    const keep: Record<string, string[]> = {
      folder: ['path'],
      sftp: ['host', 'port', 'username', 'directory'],
      s3: ['bucket', 'region', 'endpoint', 'forcePathStyle', 'prefix', 'accessKeyId', 'storageClass'],
      ftp: ['host', 'port', 'username', 'directory', 'security', 'allowUntrustedCertificate'],
    };
    const settings = Object.fromEntries(Object.entries(s).filter(([k]) => keep[kind]!.includes(k)));
    const sec = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v));
    return {
      kind,
      settings: settings as TargetInput['settings'],
      ...(Object.keys(sec).length ? { secrets: sec } : {}),
      ...(forgetHostKey ? { hostKey: null } : {}),
    };
  };
  const insecure = kind === 'ftp' && (form.security ?? 'explicit') === 'none';

  return (
    <Paper withBorder radius="md" p="lg" data-testid={`archive-target-${role}`}>
      <Stack>
        <Group justify="space-between">
          <div>
            <Title order={4}>{t(`compliance.archive.roles.${role}`)}</Title>
            <Text size="sm" c="dimmed">
              {t(`compliance.archive.roleHints.${role}`)}
            </Text>
          </div>
          {target && (
            <Group gap="xs">
              {(['done', 'pending', 'failed'] as const).map((s) =>
                target.counts[s] ? (
                  <Badge key={s} color={STATUS_COLOR[s]} variant="light">
                    {t(`compliance.archive.status.${s}`)}: {target.counts[s]}
                  </Badge>
                ) : null,
              )}
            </Group>
          )}
        </Group>
        {target && (
          <Text size="sm">
            {t('compliance.archive.copiesTo')} <Code>{target.where}</Code>
            {target.lastArchivedAt && (
              <>
                {' · '}
                {t('compliance.archive.lastCopy')} <Timestamp iso={target.lastArchivedAt} />
              </>
            )}
          </Text>
        )}
        <Select
          label={t('compliance.archive.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`compliance.archive.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => setKind(v as Kind | null)}
          clearable={role === 'secondary' && !target}
          placeholder={t('compliance.archive.noSecondary')}
          data-testid={`archive-${role}-kind`}
        />
        {kind === 'folder' && text('path', t('compliance.archive.folderPath'), { description: t('compliance.archive.folderHint', { root: folderRoot }) })}
        {kind === 'sftp' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('host', t('compliance.archive.host'))}
            <NumberInput
              label={t('compliance.archive.port')}
              value={Number(form.port ?? 22)}
              onChange={(v) => typeof v === 'number' && set('port', v)}
              min={1}
              max={65535}
            />
            {text('username', t('compliance.archive.username'))}
            {text('directory', t('compliance.archive.directory'), { placeholder: t('compliance.archive.placeholders.sftpDirectory') })}
            {secret('password', t('compliance.archive.password'))}
            {secret('passphrase', t('compliance.archive.passphrase'))}
          </SimpleGrid>
        )}
        {kind === 'sftp' && secret('privateKey', t('compliance.archive.privateKey'))}
        {kind === 'sftp' && target?.kind === 'sftp' && (
          <Group gap="xs">
            <Text size="sm">
              {t('compliance.archive.hostKey')} <Code>{target.hostKey ?? t('compliance.archive.hostKeyNone')}</Code>
            </Text>
            {target.hostKey && (
              <Checkbox
                size="xs"
                label={t('compliance.archive.forgetHostKey')}
                checked={forgetHostKey}
                onChange={(e) => setForgetHostKey(e.currentTarget.checked)}
              />
            )}
          </Group>
        )}
        {kind === 's3' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('bucket', t('compliance.archive.bucket'))}
            {text('region', t('compliance.archive.region'), { placeholder: t('compliance.archive.placeholders.region') })}
            {text('endpoint', t('compliance.archive.endpoint'), {
              description: t('compliance.archive.endpointHint'),
              placeholder: t('compliance.archive.placeholders.endpoint'),
            })}
            {text('prefix', t('compliance.archive.prefix'), { placeholder: t('compliance.archive.placeholders.prefix') })}
            {text('accessKeyId', t('compliance.archive.accessKeyId'))}
            {secret('secretAccessKey', t('compliance.archive.secretAccessKey'))}
            {text('storageClass', t('compliance.archive.storageClass'), { placeholder: t('compliance.archive.placeholders.storageClass') })}
            <Checkbox
              mt="xl"
              label={t('compliance.archive.forcePathStyle')}
              checked={Boolean(form.forcePathStyle ?? !!form.endpoint)}
              onChange={(e) => set('forcePathStyle', e.currentTarget.checked)}
            />
          </SimpleGrid>
        )}
        {kind === 'ftp' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('host', t('compliance.archive.host'))}
            <Select
              label={t('compliance.archive.security')}
              data={(['explicit', 'implicit', 'none'] as const).map((s) => ({ value: s, label: t(`compliance.archive.securities.${s}`) }))}
              value={String(form.security ?? 'explicit')}
              onChange={(v) => v && set('security', v)}
              allowDeselect={false}
              data-testid={`archive-${role}-security`}
            />
            <NumberInput
              label={t('compliance.archive.port')}
              value={Number(form.port ?? (form.security === 'implicit' ? 990 : 21))}
              onChange={(v) => typeof v === 'number' && set('port', v)}
              min={1}
              max={65535}
            />
            {text('username', t('compliance.archive.username'))}
            {secret('password', t('compliance.archive.password'))}
            {text('directory', t('compliance.archive.directory'), { placeholder: t('compliance.archive.placeholders.ftpDirectory') })}
            {form.security !== 'none' && (
              <Checkbox
                label={t('compliance.archive.allowUntrusted')}
                checked={Boolean(form.allowUntrustedCertificate)}
                onChange={(e) => set('allowUntrustedCertificate', e.currentTarget.checked)}
              />
            )}
          </SimpleGrid>
        )}
        {insecure && (
          <Alert color="orange" variant="light" title={t('compliance.archive.insecureTitle')} data-testid={`archive-${role}-insecure`}>
            {t('compliance.archive.insecure')}
          </Alert>
        )}
        <ErrorAlert error={save.error ?? remove.error ?? test.error} />
        {test.data && (
          <Alert color={test.data.ok ? 'green' : 'red'} variant="light" data-testid={`archive-${role}-test-result`}>
            {test.data.ok ? t('compliance.archive.testOk', { ms: test.data.ms }) : t('compliance.archive.testFailed')} {test.data.message}
            {test.data.hostKey && (
              <Text size="xs" mt={4}>
                {t('compliance.archive.hostKeySeen')} <Code>{test.data.hostKey}</Code>
              </Text>
            )}
          </Alert>
        )}
        {!test.data && target?.lastTest && (
          <Text size="xs" c={target.lastTest.ok ? 'dimmed' : 'red'}>
            {t('compliance.archive.lastTest')} <Timestamp iso={target.lastTest.at} /> — {target.lastTest.message}
          </Text>
        )}
        {kind && (
          <Group>
            <Button onClick={() => save.mutate(body()!)} loading={save.isPending} data-testid={`archive-${role}-save`}>
              {t('common.save')}
            </Button>
            <Button variant="default" onClick={() => test.mutate(body())} loading={test.isPending} data-testid={`archive-${role}-test`}>
              {t('compliance.archive.test')}
            </Button>
            {target && (
              <Button variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
                {t('compliance.archive.remove')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function Transfers({ data }: { data: ArchiveOverview }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const items = useArchiveItems(status, role);
  const run = useRunNow();
  const retry = useRetryFailed();
  const rows = items.data?.pages.flatMap((p) => p.items) ?? [];
  const failed = (data.primary?.counts.failed ?? 0) + (data.secondary?.counts.failed ?? 0);
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={4}>{t('compliance.archive.transfers')}</Title>
          <Group gap="xs">
            {data.run && (
              <Text size="xs" c="dimmed" data-testid="archive-last-run">
                {t('compliance.archive.lastRun', { status: t(`compliance.archive.runStatus.${data.run.status}`, { defaultValue: data.run.status }) })}{' '}
                <Timestamp iso={data.run.at} />
                {data.run.note ? ` — ${data.run.note}` : ''}
              </Text>
            )}
            <Button size="xs" variant="default" onClick={() => retry.mutate()} loading={retry.isPending} disabled={!failed}>
              {t('compliance.archive.retryFailed', { n: failed })}
            </Button>
            <Button size="xs" onClick={() => run.mutate()} loading={run.isPending} disabled={!data.config.enabled} data-testid="archive-run-now">
              {t('compliance.archive.runNow')}
            </Button>
          </Group>
        </Group>
        {run.data && !run.data.queued && (
          <Text size="xs" c="dimmed">
            {t('compliance.archive.alreadyRunning')}
          </Text>
        )}
        <ErrorAlert error={items.error ?? run.error ?? retry.error} />
        <Group gap="xs">
          <Select
            size="xs"
            placeholder={t('compliance.archive.allStatuses')}
            data={(['done', 'pending', 'uploading', 'failed', 'skipped'] as const).map((s) => ({ value: s, label: t(`compliance.archive.status.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
          />
          <Select
            size="xs"
            placeholder={t('compliance.archive.allTargets')}
            data={(['primary', 'secondary'] as const).map((r) => ({ value: r, label: t(`compliance.archive.roles.${r}`) }))}
            value={role}
            onChange={setRole}
            clearable
          />
        </Group>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('compliance.archive.noTransfers')}
          </Text>
        ) : (
          <Table fz="xs" data-testid="archive-transfers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('compliance.archive.conversation')}</Table.Th>
                <Table.Th>{t('compliance.archive.target')}</Table.Th>
                <Table.Th>{t('compliance.archive.file')}</Table.Th>
                <Table.Th>{t('compliance.archive.state')}</Table.Th>
                <Table.Th>{t('compliance.archive.when')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    <a href={`/conversations/${encodeURIComponent(i.conversation.id)}`}>{i.conversation.title ?? i.conversation.id}</a>
                  </Table.Td>
                  <Table.Td>
                    {t(`compliance.archive.roles.${i.role}`)} ({t(`compliance.archive.kinds.${i.kind}`, { defaultValue: i.kind })})
                    {i.targetRetired ? ` · ${t('compliance.archive.retired')}` : ''}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" title={i.sha256 ? t('compliance.archive.sha256', { hash: i.sha256 }) : undefined}>
                      {i.path ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[i.status] ?? 'gray'} variant="light" title={i.lastError ?? undefined}>
                      {t(`compliance.archive.status.${i.status}`, { defaultValue: i.status })}
                    </Badge>
                    {i.lastError && (
                      <Text size="10px" c="dimmed" lineClamp={2}>
                        {i.lastError}
                        {i.nextAttemptAt ? ` — ${t('compliance.archive.nextAttempt')} ${formatDateTime(i.nextAttemptAt, i18n.language, 'compact')}` : ''}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{i.archivedAt ? <Timestamp iso={i.archivedAt} /> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {items.hasNextPage && (
          <Button variant="subtle" size="xs" onClick={() => void items.fetchNextPage()} loading={items.isFetchingNextPage}>
            {t('compliance.archive.more')}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
