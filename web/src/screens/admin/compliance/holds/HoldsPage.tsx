// Administration → Compliance → Legal holds (legal_holds.manage): the cases, active first, with how many conversations
// each keeps; place a hold by rule (a saved search with a fixed period: what it finds now and later) or by an explicit
// list of conversations (no cap); change the case, add or remove conversations, release with a reason.
import { Badge, Button, Drawer, Group, Modal, Paper, Radio, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllUsers } from '../../../../api/directory.ts';
import { useSavedSearches } from '../../../../api/search.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { IconPlus } from '../../../../components/icons.tsx';
import { formatDateTime, formatNumber } from '../../../../format.ts';
import { useCurrentUser } from '../../../shell/currentUser.tsx';
import { useAddToHold, useCreateHold, useHoldConversations, useHolds, useReleaseHold, useRemoveFromHold, useUpdateHold, type Hold } from './api.ts';

/** Conversation ids pasted one per line, or separated by commas or spaces. */
export const parseIds = (text: string) => [
  ...new Set(
    text
      .split(/[\s,;]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

export function HoldsPage() {
  const { t, i18n } = useTranslation();
  const holds = useHolds();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<Hold | null>(null);
  const items = holds.data?.items ?? [];

  return (
    <Stack gap="md" data-testid="holds-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3}>{t('legalHolds.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('legalHolds.description')}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="hold-create">
          {t('legalHolds.create')}
        </Button>
      </Group>
      <ErrorAlert error={holds.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('legalHolds.title')} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('legalHolds.fields.name')}</Table.Th>
              <Table.Th>{t('legalHolds.fields.kind')}</Table.Th>
              <Table.Th>{t('legalHolds.fields.conversations')}</Table.Th>
              <Table.Th>{t('legalHolds.fields.owner')}</Table.Th>
              <Table.Th>{t('legalHolds.fields.created')}</Table.Th>
              <Table.Th>{t('legalHolds.fields.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && <EmptyRow colSpan={6}>{t('legalHolds.none')}</EmptyRow>}
            {items.map((h) => (
              <Table.Tr key={h.id} onClick={() => setOpen(h)} style={{ cursor: 'pointer' }} data-testid="hold-row" opacity={h.status === 'active' ? 1 : 0.65}>
                <Table.Td fw={500}>
                  {h.name}
                  {h.reason && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {h.reason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{t(`legalHolds.kind.${h.kind}`)}</Table.Td>
                <Table.Td>{formatNumber(h.conversations, i18n.language)}</Table.Td>
                <Table.Td>{h.owner?.name ?? '—'}</Table.Td>
                <Table.Td>{formatDateTime(h.createdAt, i18n.language)}</Table.Td>
                <Table.Td>
                  <Badge color={h.status === 'active' ? 'red' : 'gray'} variant="light">
                    {t(`legalHolds.status.${h.status}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {creating && <CreateHoldModal onClose={() => setCreating(false)} />}
      {open && <HoldDrawer hold={items.find((h) => h.id === open.id) ?? open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

function OwnerSelect({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const users = useAllUsers(true);
  return (
    <Select
      label={t('legalHolds.fields.owner')}
      data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
    />
  );
}

function CreateHoldModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const create = useCreateHold();
  const saved = useSavedSearches();
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(me.id);
  const [kind, setKind] = useState<'rule' | 'list'>('list');
  const [savedSearchId, setSavedSearchId] = useState<string | null>(null);
  const [ids, setIds] = useState('');
  const parsed = parseIds(ids);
  const ready = name.trim() && (kind === 'rule' ? Boolean(savedSearchId) : parsed.length > 0);
  const submit = async () => {
    await create.mutateAsync({
      name: name.trim(),
      reason: reason.trim(),
      ownerId,
      kind,
      ...(kind === 'rule' ? { savedSearchId: savedSearchId! } : { conversationIds: parsed }),
    });
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={t('legalHolds.create')} size="lg" centered>
      <Stack data-testid="hold-create-modal">
        <TextInput
          label={t('legalHolds.fields.name')}
          description={t('legalHolds.nameHint')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          maxLength={200}
          data-testid="hold-name"
        />
        <Textarea
          label={t('legalHolds.fields.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
          data-testid="hold-reason"
        />
        <OwnerSelect value={ownerId} onChange={setOwnerId} />
        <Radio.Group value={kind} onChange={(v) => setKind(v as 'rule' | 'list')} label={t('legalHolds.fields.kind')}>
          <Stack gap={6} mt={6}>
            <Radio value="list" label={t('legalHolds.kind.list')} description={t('legalHolds.listHint')} data-testid="hold-kind-list" />
            <Radio value="rule" label={t('legalHolds.kind.rule')} description={t('legalHolds.ruleHint')} data-testid="hold-kind-rule" />
          </Stack>
        </Radio.Group>
        {kind === 'rule' ? (
          <Select
            label={t('legalHolds.savedSearch')}
            description={t('legalHolds.savedSearchHint')}
            data={(saved.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={savedSearchId}
            onChange={setSavedSearchId}
            searchable
            data-testid="hold-saved-search"
          />
        ) : (
          <Textarea
            label={t('legalHolds.conversationIds')}
            description={t('legalHolds.conversationIdsHint', { count: parsed.length })}
            value={ids}
            onChange={(e) => setIds(e.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={10}
            data-testid="hold-ids"
          />
        )}
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void submit().catch(() => {})} disabled={!ready} loading={create.isPending} data-testid="hold-create-ok">
            {t('legalHolds.place')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function HoldDrawer({ hold, onClose }: { hold: Hold; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateHold();
  const release = useReleaseHold();
  const add = useAddToHold();
  const remove = useRemoveFromHold();
  const members = useHoldConversations(hold.id);
  const [name, setName] = useState(hold.name);
  const [reason, setReason] = useState(hold.reason);
  const [ownerId, setOwnerId] = useState<string | null>(hold.owner?.id ?? null);
  const [ids, setIds] = useState('');
  const [releasing, setReleasing] = useState(false);
  const [releaseReason, setReleaseReason] = useState('');
  const active = hold.status === 'active';
  const rows = members.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Drawer opened onClose={onClose} position="right" size="xl" title={hold.name} data-testid="hold-drawer">
      <Stack>
        <Group gap="xs">
          <Badge color={active ? 'red' : 'gray'} variant="light">
            {t(`legalHolds.status.${hold.status}`)}
          </Badge>
          <Badge variant="outline">{t(`legalHolds.kind.${hold.kind}`)}</Badge>
          <Text size="sm">{t('legalHolds.keeps', { count: hold.conversations, n: formatNumber(hold.conversations, i18n.language) })}</Text>
        </Group>
        {!active && (
          <Text size="sm" c="dimmed" data-testid="hold-released">
            {t('legalHolds.releasedText', {
              time: formatDateTime(hold.releasedAt, i18n.language),
              name: hold.releasedBy?.name ?? '—',
              reason: hold.releaseReason ?? '',
            })}
          </Text>
        )}
        {hold.kind === 'rule' && hold.chips.length > 0 && (
          <Group gap={4}>
            {hold.filter?.q && <Badge variant="light">{`“${hold.filter.q}”`}</Badge>}
            {hold.chips.map((c) => (
              <Badge key={c.field} variant="light" color="gray">
                {c.label}
              </Badge>
            ))}
          </Group>
        )}
        <TextInput label={t('legalHolds.fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!active} />
        <Textarea
          label={t('legalHolds.fields.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          disabled={!active}
        />
        {active && <OwnerSelect value={ownerId} onChange={setOwnerId} />}
        <ErrorAlert error={update.error ?? release.error ?? add.error ?? remove.error} />
        {active && (
          <Group>
            <Button
              variant="default"
              onClick={() => update.mutate({ id: hold.id, patch: { name: name.trim(), reason: reason.trim(), ownerId } })}
              loading={update.isPending}
              disabled={!name.trim()}
            >
              {t('common.save')}
            </Button>
            <Button color="red" variant="light" onClick={() => setReleasing(true)} data-testid="hold-release">
              {t('legalHolds.release')}
            </Button>
          </Group>
        )}
        {active && hold.kind === 'list' && (
          <Paper withBorder p="sm" radius="md">
            <Textarea
              label={t('legalHolds.conversationIds')}
              value={ids}
              onChange={(e) => setIds(e.currentTarget.value)}
              autosize
              minRows={2}
              data-testid="hold-edit-ids"
            />
            <Group mt="xs">
              <Button
                size="xs"
                onClick={() => add.mutate({ id: hold.id, conversationIds: parseIds(ids) }, { onSuccess: () => setIds('') })}
                disabled={!parseIds(ids).length}
                loading={add.isPending}
                data-testid="hold-add"
              >
                {t('legalHolds.add')}
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => remove.mutate({ id: hold.id, conversationIds: parseIds(ids) }, { onSuccess: () => setIds('') })}
                disabled={!parseIds(ids).length}
                loading={remove.isPending}
              >
                {t('legalHolds.remove')}
              </Button>
            </Group>
          </Paper>
        )}
        <Title order={5}>{t('legalHolds.conversations')}</Title>
        <Table aria-label={t('legalHolds.conversations')}>
          <Table.Tbody>
            {rows.length === 0 && <EmptyRow colSpan={2}>{t('legalHolds.noConversations')}</EmptyRow>}
            {rows.map((r) => (
              <Table.Tr key={r.id} data-testid="hold-conversation">
                <Table.Td>
                  <a href={`/conversations/${encodeURIComponent(r.id)}`}>{r.title || r.id}</a>
                </Table.Td>
                <Table.Td>{formatDateTime(r.startedAt, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {members.hasNextPage && (
          <Button variant="subtle" onClick={() => void members.fetchNextPage()} loading={members.isFetchingNextPage}>
            {t('legalHolds.more')}
          </Button>
        )}
      </Stack>
      <Modal opened={releasing} onClose={() => setReleasing(false)} title={t('legalHolds.releaseTitle', { name: hold.name })} centered>
        <Stack>
          <Text size="sm">{t('legalHolds.releaseHint')}</Text>
          <Textarea
            label={t('legalHolds.releaseReason')}
            value={releaseReason}
            onChange={(e) => setReleaseReason(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            data-testid="hold-release-reason"
          />
          <ErrorAlert error={release.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setReleasing(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              disabled={!releaseReason.trim()}
              loading={release.isPending}
              onClick={() => release.mutate({ id: hold.id, reason: releaseReason.trim() }, { onSuccess: () => setReleasing(false) })}
              data-testid="hold-release-ok"
            >
              {t('legalHolds.release')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Drawer>
  );
}
