import { Badge, Button, Group, Modal, MultiSelect, PasswordInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateUser, useGroups, useRoles, useSites, useUpdateUser } from '../../../api/directory.ts';
import type { User, UserInput } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NullableSelect } from '../../../components/NullableSelect.tsx';
import { IconLock } from '../../../components/icons.tsx';
import { formatDateTime } from '../../../format.ts';
import { LANGUAGES } from '../../../i18n/index.ts';
import { useCurrentUser } from '../../shell/currentUser.tsx';
import { groupOptions } from '../groups/groupTree.ts';
import { isLocked } from './UserStatus.tsx';
import { UnlockButton } from './UnlockButton.tsx';

interface FormState {
  name: string;
  email: string;
  password: string;
  roleIds: string[];
  groupId: string | null;
  siteId: string | null;
  extension: string;
  externalId: string;
  language: string | null;
  disabled: boolean;
}

const fromUser = (u: User | null): FormState => ({
  name: u?.name ?? '',
  email: u?.email ?? '',
  password: '',
  roleIds: u?.roles.map((r) => r.id) ?? [],
  groupId: u?.groupId ?? null,
  siteId: u?.siteId ?? null,
  extension: u?.extension ?? '',
  externalId: u?.externalId ?? '',
  language: u?.language ?? null,
  disabled: u?.disabled ?? false,
});

function toInput(f: FormState): UserInput {
  return {
    name: f.name.trim(),
    email: f.email.trim(),
    roleIds: f.roleIds,
    groupId: f.groupId,
    siteId: f.siteId,
    extension: f.extension.trim() || null,
    externalId: f.externalId.trim() || null,
    // null: no language of their own (their group's, else the organisation's); left out on create.
    language: f.language,
    disabled: f.disabled,
  };
}

/** On create, leave out what is unset so the server applies its own defaults (new users are never disabled). */
function withoutEmpty(input: UserInput): UserInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== null && k !== 'disabled') out[k] = v;
  return out as unknown as UserInput;
}

/** Create a user (user = null) or edit one. */
export function UserFormModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  const groups = useGroups();
  const sites = useSites();
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const [f, setF] = useState<FormState>(() => fromUser(user));
  const [submitted, setSubmitted] = useState(false);
  const minLength = useCurrentUser().passwordMinLength;
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((prev) => ({ ...prev, [k]: v }));

  const errors = {
    name: !f.name.trim() ? t('validation.required') : undefined,
    email: !/^\S+@\S+\.\S+$/.test(f.email.trim()) ? t('validation.email') : undefined,
    password: !user && f.password.length < minLength ? t('validation.minLength', { min: minLength }) : undefined,
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean)) return;
    const input = toInput(f);
    if (user) update.mutate({ id: user.id, input }, { onSuccess: onClose });
    else create.mutate({ ...withoutEmpty(input), password: f.password }, { onSuccess: onClose });
  };

  const show = (msg: string | undefined) => (submitted ? msg : undefined);

  return (
    <Modal opened onClose={onClose} title={user ? t('users.editTitle', { name: user.name }) : t('users.createTitle')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {user && isLocked(user) && (
            <Group gap="xs">
              <Badge color="orange" variant="light" leftSection={<IconLock size={12} />}>
                {t('users.status.lockedUntil', { time: formatDateTime(user.lockedUntil, i18n.language) })}
              </Badge>
              <UnlockButton userId={user.id} />
            </Group>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('users.fields.name')}
              required
              value={f.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={show(errors.name)}
              data-autofocus
            />
            <TextInput
              label={t('users.fields.email')}
              required
              type="email"
              value={f.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={show(errors.email)}
            />
          </SimpleGrid>
          {!user && (
            <PasswordInput
              label={t('users.fields.password')}
              description={t('password.rule', { min: minLength })}
              required
              autoComplete="new-password"
              value={f.password}
              onChange={(e) => set('password', e.currentTarget.value)}
              error={show(errors.password)}
            />
          )}
          <MultiSelect
            label={t('users.fields.roles')}
            placeholder={f.roleIds.length ? undefined : t('users.pickRoles')}
            data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={f.roleIds}
            onChange={(v) => set('roleIds', v)}
            searchable
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NullableSelect
              label={t('users.fields.group')}
              noneLabel={t('common.none')}
              data={groupOptions(groups.data?.items ?? [])}
              value={f.groupId}
              onChange={(v) => set('groupId', v)}
              searchable
            />
            <NullableSelect
              label={t('users.fields.site')}
              noneLabel={t('common.none')}
              data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={f.siteId}
              onChange={(v) => set('siteId', v)}
              searchable
            />
            <TextInput label={t('users.fields.extension')} value={f.extension} onChange={(e) => set('extension', e.currentTarget.value)} />
            <TextInput label={t('users.fields.externalId')} value={f.externalId} onChange={(e) => set('externalId', e.currentTarget.value)} />
            <NullableSelect
              label={t('users.fields.language')}
              noneLabel={t('users.languageDefault')}
              data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
              value={f.language}
              onChange={(v) => set('language', v)}
            />
          </SimpleGrid>
          {user && (
            <Switch
              label={t('users.fields.disabled')}
              description={t('users.disabledHint')}
              checked={f.disabled}
              onChange={(e) => set('disabled', e.currentTarget.checked)}
            />
          )}
          <ErrorAlert error={roles.error ?? groups.error ?? sites.error} />
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {user ? t('common.save') : t('users.submitCreate')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
