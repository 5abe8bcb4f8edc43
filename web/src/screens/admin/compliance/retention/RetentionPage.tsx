// Administration → Compliance → Retention (lifecycle.manage): the default period and scope, ordered rules by group,
// channel, direction, tag or category, a dry-run preview of what the next purge deletes, the explicit confirmation a
// policy that deletes everything needs, the last purge and the recent deletions (by a person, a policy, anonymization).
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../../../api/categories.ts';
import { isApiError } from '../../../../api/client.ts';
import { useGroups } from '../../../../api/directory.ts';
import { useTags } from '../../../../api/tags.ts';
import { ConfirmModal } from '../../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { IconChevronDown, IconChevronUp, IconEdit, IconPlus, IconTrash } from '../../../../components/icons.tsx';
import { formatDateTime, formatNumber } from '../../../../format.ts';
import {
  useDeletions,
  usePreviewRetention,
  useRetention,
  useRunPurge,
  useSaveRetention,
  type RetentionConditions,
  type RetentionPreview,
  type RetentionPut,
} from './api.ts';

type Scope = 'media' | 'conversation';
type Draft = Omit<RetentionPut, 'confirmDeleteAll'>;
type RuleDraft = Draft['rules'][number];

const CHANNELS = ['call', 'chat', 'email'] as const;
const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;

export function formatBytes(n: number, lang: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return new Intl.NumberFormat(lang, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
}

export function RetentionPage() {
  const { t, i18n } = useTranslation();
  const policy = useRetention();
  const save = useSaveRetention();
  const preview = usePreviewRetention();
  const run = useRunPurge();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [editing, setEditing] = useState<{ index: number | null; rule: RuleDraft } | null>(null);
  const [confirmAll, setConfirmAll] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (policy.data && !draft)
      setDraft({
        default: { periodDays: policy.data.default.periodDays, scope: policy.data.default.scope as Scope },
        rules: policy.data.rules.map((r) => ({
          name: r.name,
          enabled: r.enabled,
          periodDays: r.periodDays,
          scope: r.scope as Scope,
          conditions: r.conditions,
        })),
      });
  }, [policy.data, draft]);

  if (!draft) return <ErrorAlert error={policy.error} />;

  const change = (next: Draft) => {
    setDraft(next);
    setSaved(false);
    preview.reset();
  };
  const moveRule = (i: number, by: -1 | 1) => {
    const rules = [...draft.rules];
    const [r] = rules.splice(i, 1);
    rules.splice(i + by, 0, r!);
    change({ ...draft, rules });
  };
  const doSave = async (confirmDeleteAll: boolean) => {
    try {
      await save.mutateAsync({ ...draft, confirmDeleteAll: confirmDeleteAll || undefined });
      setConfirmAll(null);
      setSaved(true);
    } catch (e) {
      if (isApiError(e) && e.details?.reason === 'RETENTION_DELETES_ALL') {
        save.reset();
        setConfirmAll(Number(e.details.conversations ?? 0));
      }
    }
  };
  const last = policy.data?.lastRun ?? null;

  return (
    <Stack gap="md" data-testid="retention-page">
      <div>
        <Title order={3}>{t('retention.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('retention.description')}
        </Text>
      </div>

      <Paper withBorder p="md" radius="md">
        <Title order={5} mb="xs">
          {t('retention.default')}
        </Title>
        <PeriodAndScope
          periodDays={draft.default.periodDays}
          scope={draft.default.scope as Scope}
          onChange={(periodDays, scope) => change({ ...draft, default: { periodDays, scope } })}
          testId="default"
        />
      </Paper>

      <Paper withBorder radius="md">
        <Group justify="space-between" p="md" pb="xs">
          <div>
            <Title order={5}>{t('retention.rules')}</Title>
            <Text size="sm" c="dimmed">
              {t('retention.rulesHint')}
            </Text>
          </div>
          <Button
            leftSection={<IconPlus size={16} />}
            variant="default"
            onClick={() => setEditing({ index: null, rule: { name: '', enabled: true, periodDays: 365, scope: 'conversation', conditions: {} } })}
            data-testid="retention-add-rule"
          >
            {t('retention.addRule')}
          </Button>
        </Group>
        <Table aria-label={t('retention.rules')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retention.fields.name')}</Table.Th>
              <Table.Th>{t('retention.fields.conditions')}</Table.Th>
              <Table.Th>{t('retention.fields.period')}</Table.Th>
              <Table.Th>{t('retention.fields.scope')}</Table.Th>
              <Table.Th>{t('retention.fields.enabled')}</Table.Th>
              <Table.Th w={150} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.rules.length === 0 && <EmptyRow colSpan={6}>{t('retention.noRules')}</EmptyRow>}
            {draft.rules.map((r, i) => (
              <Table.Tr key={`${r.name}-${i}`} data-testid="retention-rule-row">
                <Table.Td fw={500}>{r.name}</Table.Td>
                <Table.Td>
                  <ConditionsText c={r.conditions} />
                </Table.Td>
                <Table.Td>{periodText(t, r.periodDays)}</Table.Td>
                <Table.Td>{t(`retention.scope.${r.scope}`)}</Table.Td>
                <Table.Td>
                  <Switch
                    checked={r.enabled ?? true}
                    onChange={(e) => change({ ...draft, rules: draft.rules.map((x, j) => (j === i ? { ...x, enabled: e.currentTarget.checked } : x)) })}
                    aria-label={t('retention.fields.enabled')}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" disabled={i === 0} onClick={() => moveRule(i, -1)} aria-label={t('retention.moveUp')}>
                      <IconChevronUp size={14} />
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      disabled={i === draft.rules.length - 1}
                      onClick={() => moveRule(i, 1)}
                      aria-label={t('retention.moveDown')}
                    >
                      <IconChevronDown size={14} />
                    </Button>
                    <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ index: i, rule: r })} aria-label={t('retention.editRule')}>
                      <IconEdit size={14} />
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => change({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}
                      aria-label={t('retention.removeRule')}
                    >
                      <IconTrash size={14} />
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <ErrorAlert error={save.error ?? preview.error ?? run.error} />
      <Group>
        <Button variant="default" onClick={() => preview.mutate(draft)} loading={preview.isPending} data-testid="retention-preview">
          {t('retention.preview')}
        </Button>
        <Button onClick={() => void doSave(false)} loading={save.isPending} data-testid="retention-save">
          {t('retention.save')}
        </Button>
        {saved && (
          <Text size="sm" c="green" role="status">
            {t('retention.saved')}
          </Text>
        )}
      </Group>
      {preview.data && <PreviewPanel p={preview.data} />}

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between">
          <div>
            <Title order={5}>{t('retention.lastRun')}</Title>
            <Text size="sm" data-testid="retention-last-run">
              {!last
                ? t('retention.neverRun')
                : last.status === 'needs_confirmation'
                  ? t('retention.blocked')
                  : t('retention.lastRunText', {
                      time: formatDateTime(last.at, i18n.language),
                      planned: formatNumber(last.planned, i18n.language),
                      skipped: formatNumber(last.skippedProtected, i18n.language),
                    })}
            </Text>
            {last?.error && (
              <Text size="sm" c="red">
                {last.error}
              </Text>
            )}
          </div>
          <Button variant="default" onClick={() => run.mutate()} loading={run.isPending} data-testid="retention-run">
            {t('retention.runNow')}
          </Button>
        </Group>
        {run.isSuccess && (
          <Text size="sm" c="dimmed" role="status">
            {t('retention.runQueued')}
          </Text>
        )}
      </Paper>

      <DeletionsTable />

      {editing && (
        <RuleModal
          rule={editing.rule}
          onClose={() => setEditing(null)}
          onSave={(rule) => {
            const rules = editing.index === null ? [...draft.rules, rule] : draft.rules.map((x, j) => (j === editing.index ? rule : x));
            change({ ...draft, rules });
            setEditing(null);
          }}
        />
      )}
      <ConfirmModal
        opened={confirmAll !== null}
        title={t('retention.confirmAllTitle')}
        message={t('retention.confirmAllMessage', { count: confirmAll ?? 0 })}
        confirmLabel={t('retention.confirmAll')}
        loading={save.isPending}
        error={save.error}
        onConfirm={() => void doSave(true)}
        onClose={() => setConfirmAll(null)}
      />
    </Stack>
  );
}

function periodText(t: (k: string, o?: Record<string, unknown>) => string, days: number | null) {
  return days === null ? t('retention.forever') : t('retention.days', { count: days });
}

function PeriodAndScope({
  periodDays,
  scope,
  onChange,
  testId,
}: {
  periodDays: number | null;
  scope: Scope;
  onChange: (p: number | null, s: Scope) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end">
      <Checkbox
        label={t('retention.keepForever')}
        checked={periodDays === null}
        onChange={(e) => onChange(e.currentTarget.checked ? null : 365, scope)}
        data-testid={`${testId}-forever`}
      />
      <NumberInput
        label={t('retention.fields.periodDays')}
        min={1}
        max={36600}
        value={periodDays ?? ''}
        disabled={periodDays === null}
        onChange={(v) => onChange(typeof v === 'number' && v >= 1 ? Math.floor(v) : 1, scope)}
        w={160}
        data-testid={`${testId}-days`}
      />
      <Select
        label={t('retention.fields.scope')}
        value={scope}
        allowDeselect={false}
        data={[
          { value: 'conversation', label: t('retention.scope.conversation') },
          { value: 'media', label: t('retention.scope.media') },
        ]}
        onChange={(v) => v && onChange(periodDays, v as Scope)}
        w={260}
        data-testid={`${testId}-scope`}
      />
    </Group>
  );
}

function ConditionsText({ c }: { c: RetentionConditions }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const tags = useTags();
  const categories = useCategories();
  const name = (list: Array<{ id: string; name: string }> | undefined, id: string) => list?.find((x) => x.id === id)?.name ?? id;
  const parts: string[] = [];
  if (c.groupIds?.length) parts.push(`${t('retention.fields.groups')}: ${c.groupIds.map((id) => name(groups.data?.items, id)).join(', ')}`);
  if (c.channels?.length) parts.push(`${t('retention.fields.channels')}: ${c.channels.map((x) => t(`retention.channel.${x}`)).join(', ')}`);
  if (c.directions?.length) parts.push(`${t('retention.fields.directions')}: ${c.directions.map((x) => t(`retention.direction.${x}`)).join(', ')}`);
  if (c.tagIds?.length) parts.push(`${t('retention.fields.tags')}: ${c.tagIds.map((id) => name(tags.data?.items, id)).join(', ')}`);
  if (c.categoryIds?.length) parts.push(`${t('retention.fields.categories')}: ${c.categoryIds.map((id) => name(categories.data?.items, id)).join(', ')}`);
  return <Text size="sm">{parts.join(' · ')}</Text>;
}

function RuleModal({ rule, onClose, onSave }: { rule: RuleDraft; onClose: () => void; onSave: (r: RuleDraft) => void }) {
  const { t } = useTranslation();
  const [r, setR] = useState<RuleDraft>(rule);
  const groups = useGroups();
  const tags = useTags();
  const categories = useCategories();
  const c = r.conditions;
  const setC = (k: keyof RetentionConditions, v: string[]) => setR({ ...r, conditions: { ...c, [k]: v.length ? v : undefined } });
  const hasCondition = Object.values(c).some((v) => Array.isArray(v) && v.length > 0);
  const options = useMemo(
    () => ({
      groups: (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name })),
      tags: (tags.data?.items ?? []).filter((x) => (x.kind ?? 'tag') === 'tag').map((x) => ({ value: x.id, label: x.name })),
      categories: (categories.data?.items ?? []).map((x) => ({ value: x.id, label: x.name })),
    }),
    [groups.data, tags.data, categories.data],
  );
  return (
    <Modal opened onClose={onClose} title={t(rule.name ? 'retention.editRule' : 'retention.addRule')} size="lg" centered>
      <Stack data-testid="retention-rule-modal">
        <TextInput
          label={t('retention.fields.name')}
          value={r.name}
          onChange={(e) => setR({ ...r, name: e.currentTarget.value })}
          required
          maxLength={200}
          data-testid="rule-name"
        />
        <MultiSelect
          label={t('retention.fields.groups')}
          description={t('retention.groupsHint')}
          data={options.groups}
          value={c.groupIds ?? []}
          onChange={(v) => setC('groupIds', v)}
          searchable
          clearable
        />
        <MultiSelect
          label={t('retention.fields.channels')}
          data={CHANNELS.map((x) => ({ value: x, label: t(`retention.channel.${x}`) }))}
          value={c.channels ?? []}
          onChange={(v) => setC('channels', v)}
          data-testid="rule-channels"
        />
        <MultiSelect
          label={t('retention.fields.directions')}
          data={DIRECTIONS.map((x) => ({ value: x, label: t(`retention.direction.${x}`) }))}
          value={c.directions ?? []}
          onChange={(v) => setC('directions', v)}
        />
        <MultiSelect label={t('retention.fields.tags')} data={options.tags} value={c.tagIds ?? []} onChange={(v) => setC('tagIds', v)} searchable clearable />
        <MultiSelect
          label={t('retention.fields.categories')}
          data={options.categories}
          value={c.categoryIds ?? []}
          onChange={(v) => setC('categoryIds', v)}
          searchable
          clearable
        />
        <PeriodAndScope periodDays={r.periodDays} scope={r.scope as Scope} onChange={(periodDays, scope) => setR({ ...r, periodDays, scope })} testId="rule" />
        {!hasCondition && (
          <Text size="sm" c="dimmed">
            {t('retention.needsCondition')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => onSave({ ...r, name: r.name.trim() })} disabled={!r.name.trim() || !hasCondition} data-testid="rule-ok">
            {t('retention.ruleOk')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PreviewPanel({ p }: { p: RetentionPreview }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <Paper withBorder p="md" radius="md" data-testid="retention-preview-result">
      {p.deletesEverything && (
        <Alert color="red" variant="light" mb="sm">
          {t('retention.previewEverything')}
        </Alert>
      )}
      <Text size="sm">
        {p.conversations === 0
          ? t('retention.previewNothing')
          : t('retention.previewText', {
              count: p.conversations,
              n: `${n(p.conversations)}${p.exact ? '' : '+'}`,
              whole: n(p.wholeConversations),
              media: n(p.mediaOnly),
              oldest: formatDateTime(p.oldestStartedAt, i18n.language),
              bytes: formatBytes(p.bytes, i18n.language),
            })}
      </Text>
      {p.protectedSkipped > 0 && (
        <Text size="sm" c="dimmed">
          {t('retention.previewProtected', { count: p.protectedSkipped, n: n(p.protectedSkipped) })}
        </Text>
      )}
      {p.sample.length > 0 && (
        <Table mt="sm" aria-label={t('retention.previewSample')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retention.fields.started')}</Table.Th>
              <Table.Th>{t('retention.fields.conversation')}</Table.Th>
              <Table.Th>{t('retention.fields.scope')}</Table.Th>
              <Table.Th>{t('retention.fields.rule')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.sample.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{formatDateTime(s.startedAt, i18n.language)}</Table.Td>
                <Table.Td>{s.title || s.id}</Table.Td>
                <Table.Td>{t(`retention.scope.${s.scope}`)}</Table.Td>
                <Table.Td>{s.rule}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function DeletionsTable() {
  const { t, i18n } = useTranslation();
  const deletions = useDeletions();
  const items = deletions.data?.items ?? [];
  return (
    <Paper withBorder radius="md">
      <Title order={5} p="md" pb="xs">
        {t('retention.deletions')}
      </Title>
      <ErrorAlert error={deletions.error} />
      <Table aria-label={t('retention.deletions')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('retention.fields.requested')}</Table.Th>
            <Table.Th>{t('retention.fields.conversation')}</Table.Th>
            <Table.Th>{t('retention.fields.scope')}</Table.Th>
            <Table.Th>{t('retention.fields.origin')}</Table.Th>
            <Table.Th>{t('retention.fields.reason')}</Table.Th>
            <Table.Th>{t('retention.fields.status')}</Table.Th>
            <Table.Th>{t('retention.fields.freed')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRow colSpan={7}>{t('retention.noDeletions')}</EmptyRow>}
          {items.map((d) => (
            <Table.Tr key={d.id} data-testid="deletion-row">
              <Table.Td>{formatDateTime(d.requestedAt, i18n.language)}</Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {d.conversationId}
              </Table.Td>
              <Table.Td>{t(`retention.scope.${d.scope}`)}</Table.Td>
              <Table.Td>{t(`retention.origin.${d.origin}`, { name: d.requestedBy })}</Table.Td>
              <Table.Td>{d.reason}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={d.status === 'done' ? 'gray' : d.status === 'cancelled' ? 'orange' : 'blue'}>
                  {t(`retention.status.${d.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{d.objects ? t('retention.objects', { count: d.objects, size: formatBytes(d.bytes, i18n.language) }) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
