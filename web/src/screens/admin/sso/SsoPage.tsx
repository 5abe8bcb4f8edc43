// Administration → Single sign-on: the organisation's identity providers (OIDC, SAML), the sign-in policy (passwords
// on or off with a break-glass administrator, just-in-time accounts, default roles), the mapping rules from IdP groups
// to roles and a group, and the SCIM token (shown once).
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllUsers, useGroups, useRoles } from '../../../api/directory.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconCopy, IconEdit, IconTrash } from '../../../components/icons.tsx';
import {
  useDeleteProvider,
  useRevokeScimToken,
  useRotateScimToken,
  useSaveProvider,
  useSaveSsoSettings,
  useSso,
  type MappingRule,
  type ProviderInput,
  type SsoProvider,
} from './api.ts';

// Protocol names and an example issuer: names, not words to translate.
const PROTOCOL = { oidc: 'OpenID Connect', saml: 'SAML 2.0' } as const;
const ISSUER_EXAMPLE = 'https://example.okta.com';

function Copyable({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" c="dimmed" miw={160}>
        {label}
      </Text>
      <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('sso.copied') : t('sso.copy')}>
            <ActionIcon variant="subtle" onClick={copy} aria-label={t('sso.copy')}>
              <IconCopy size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

export function SsoPage() {
  const { t, i18n } = useTranslation();
  const sso = useSso();
  const remove = useDeleteProvider();
  const [editing, setEditing] = useState<SsoProvider | 'oidc' | 'saml' | null>(null);
  const providers = sso.data?.providers ?? [];
  return (
    <Stack gap="lg" data-testid="sso-page">
      <ErrorAlert error={sso.error ?? remove.error} />
      <Card withBorder padding={0}>
        <Group justify="space-between" p="sm" pb={0}>
          <Text fw={600}>{t('sso.providers')}</Text>
          <Group gap="xs">
            <Button size="xs" onClick={() => setEditing('oidc')} data-testid="sso-add-oidc">
              {t('sso.addOidc')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setEditing('saml')} data-testid="sso-add-saml">
              {t('sso.addSaml')}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed" px="sm" pb="sm">
          {t('sso.help')}
        </Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sso.name')}</Table.Th>
              <Table.Th>{t('sso.kind')}</Table.Th>
              <Table.Th>{t('sso.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {providers.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    {t('sso.noProviders')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {providers.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{PROTOCOL[p.kind]}</Table.Td>
                <Table.Td>
                  <Badge color={p.enabled ? 'green' : 'gray'} variant="light">
                    {p.enabled ? t('sso.enabled') : t('sso.disabled')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end">
                    <ActionIcon variant="subtle" aria-label={t('sso.edit')} onClick={() => setEditing(p)}>
                      <IconEdit size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('sso.delete')}
                      onClick={() => window.confirm(t('sso.deleteConfirm', { name: p.name })) && remove.mutate(p.id)}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {sso.data && <PolicyCard key={JSON.stringify(sso.data.settings)} settings={sso.data.settings} hasProvider={providers.some((p) => p.enabled)} />}
      {sso.data && (
        <ScimCard
          baseUrl={sso.data.scim.baseUrl}
          token={sso.data.scim.token}
          fmt={(iso) => (iso ? new Date(iso).toLocaleString(i18n.language) : t('sso.never'))}
        />
      )}
      {editing && (
        <ProviderModal
          provider={typeof editing === 'string' ? null : editing}
          kind={typeof editing === 'string' ? editing : editing.kind}
          onClose={() => setEditing(null)}
        />
      )}
    </Stack>
  );
}

function ProviderModal({ provider, kind, onClose }: { provider: SsoProvider | null; kind: 'oidc' | 'saml'; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveProvider();
  const [name, setName] = useState(provider?.name ?? '');
  const [enabled, setEnabled] = useState(provider?.enabled ?? true);
  const [oidc, setOidc] = useState({
    issuer: provider?.oidc?.issuer ?? '',
    clientId: provider?.oidc?.clientId ?? '',
    clientSecret: '',
    scopes: provider?.oidc?.scopes ?? 'openid email profile',
    groupsClaim: provider?.oidc?.groupsClaim ?? 'groups',
  });
  const [saml, setSaml] = useState({
    entryPoint: provider?.saml?.entryPoint ?? '',
    idpIssuer: provider?.saml?.idpIssuer ?? '',
    idpCert: provider?.saml?.idpCert ?? '',
    groupsAttribute: provider?.saml?.groupsAttribute ?? 'groups',
    emailAttribute: provider?.saml?.emailAttribute ?? 'email',
    nameAttribute: provider?.saml?.nameAttribute ?? 'name',
  });
  const submit = () => {
    const { clientSecret, ...rest } = oidc;
    const input: Partial<ProviderInput> = {
      name,
      enabled,
      ...(kind === 'oidc' ? { oidc: { ...rest, ...(clientSecret ? { clientSecret } : {}) } } : { saml }),
      ...(provider ? {} : { kind }),
    };
    save.mutate({ id: provider?.id, input }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={kind === 'oidc' ? t('sso.oidcTitle') : t('sso.samlTitle')} size="lg">
      <Stack>
        <TextInput label={t('sso.name')} description={t('sso.nameHelp')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
        <Switch label={t('sso.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        {kind === 'oidc' ? (
          <>
            <TextInput
              label={t('sso.issuer')}
              placeholder={ISSUER_EXAMPLE}
              value={oidc.issuer}
              onChange={(e) => setOidc({ ...oidc, issuer: e.currentTarget.value })}
              required
            />
            <TextInput label={t('sso.clientId')} value={oidc.clientId} onChange={(e) => setOidc({ ...oidc, clientId: e.currentTarget.value })} required />
            <TextInput
              label={t('sso.clientSecret')}
              description={provider?.oidc?.hasClientSecret ? t('sso.clientSecretKeep') : undefined}
              type="password"
              value={oidc.clientSecret}
              onChange={(e) => setOidc({ ...oidc, clientSecret: e.currentTarget.value })}
            />
            <TextInput label={t('sso.scopes')} value={oidc.scopes} onChange={(e) => setOidc({ ...oidc, scopes: e.currentTarget.value })} />
            <TextInput label={t('sso.groupsClaim')} value={oidc.groupsClaim} onChange={(e) => setOidc({ ...oidc, groupsClaim: e.currentTarget.value })} />
            {provider?.oidc && <Copyable label={t('sso.redirectUri')} value={provider.oidc.redirectUri} />}
          </>
        ) : (
          <>
            <TextInput label={t('sso.entryPoint')} value={saml.entryPoint} onChange={(e) => setSaml({ ...saml, entryPoint: e.currentTarget.value })} required />
            <TextInput label={t('sso.idpIssuer')} value={saml.idpIssuer} onChange={(e) => setSaml({ ...saml, idpIssuer: e.currentTarget.value })} required />
            <Textarea
              label={t('sso.idpCert')}
              autosize
              minRows={4}
              maxRows={10}
              value={saml.idpCert}
              onChange={(e) => setSaml({ ...saml, idpCert: e.currentTarget.value })}
              required
            />
            <TextInput
              label={t('sso.emailAttribute')}
              value={saml.emailAttribute}
              onChange={(e) => setSaml({ ...saml, emailAttribute: e.currentTarget.value })}
            />
            <TextInput label={t('sso.nameAttribute')} value={saml.nameAttribute} onChange={(e) => setSaml({ ...saml, nameAttribute: e.currentTarget.value })} />
            <TextInput
              label={t('sso.groupsAttribute')}
              value={saml.groupsAttribute}
              onChange={(e) => setSaml({ ...saml, groupsAttribute: e.currentTarget.value })}
            />
            {provider?.saml && (
              <>
                <Copyable label={t('sso.entityId')} value={provider.saml.entityId} />
                <Copyable label={t('sso.acsUrl')} value={provider.saml.acsUrl} />
              </>
            )}
          </>
        )}
        {!provider && (
          <Text size="sm" c="dimmed">
            {t('sso.urlsAfterSave')}
          </Text>
        )}
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('sso.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="sso-provider-save">
            {t('sso.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PolicyCard({ settings, hasProvider }: { settings: NonNullable<ReturnType<typeof useSso>['data']>['settings']; hasProvider: boolean }) {
  const { t } = useTranslation();
  const save = useSaveSsoSettings();
  const roles = useRoles();
  const groups = useGroups();
  const users = useAllUsers(true);
  const [s, setS] = useState(settings);
  useEffect(() => setS(settings), [settings]);
  const roleOptions = (roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }));
  const groupOptions = (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }));
  const userOptions = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }));
  const setRule = (i: number, r: Partial<MappingRule>) => setS({ ...s, mappingRules: s.mappingRules.map((x, j) => (j === i ? { ...x, ...r } : x)) });
  return (
    <Card withBorder>
      <Stack>
        <Text fw={600}>{t('sso.policy')}</Text>
        <Switch
          label={t('sso.passwordLogin')}
          description={t('sso.passwordLoginHelp')}
          checked={s.passwordLogin}
          disabled={!hasProvider && s.passwordLogin}
          onChange={(e) => setS({ ...s, passwordLogin: e.currentTarget.checked })}
          data-testid="sso-password-login"
        />
        <Select
          label={t('sso.breakGlass')}
          description={t('sso.breakGlassHelp')}
          data={userOptions}
          searchable
          clearable
          value={s.breakGlassUserId}
          onChange={(v) => setS({ ...s, breakGlassUserId: v })}
        />
        <Switch label={t('sso.jit')} description={t('sso.jitHelp')} checked={s.jit} onChange={(e) => setS({ ...s, jit: e.currentTarget.checked })} />
        <MultiSelect
          label={t('sso.defaultRoles')}
          description={t('sso.defaultRolesHelp')}
          data={roleOptions}
          value={s.defaultRoleIds}
          onChange={(v) => setS({ ...s, defaultRoleIds: v })}
        />
        <Text fw={500} size="sm">
          {t('sso.rules')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('sso.rulesHelp')}
        </Text>
        {s.mappingRules.map((r, i) => (
          <Group key={i} align="flex-end" wrap="nowrap">
            <TextInput label={t('sso.ruleMatch')} value={r.match} onChange={(e) => setRule(i, { match: e.currentTarget.value })} />
            <MultiSelect label={t('sso.ruleRoles')} data={roleOptions} value={r.roleIds} onChange={(v) => setRule(i, { roleIds: v })} style={{ flex: 1 }} />
            <Select label={t('sso.ruleGroup')} data={groupOptions} clearable value={r.groupId} onChange={(v) => setRule(i, { groupId: v })} />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('sso.removeRule')}
              onClick={() => setS({ ...s, mappingRules: s.mappingRules.filter((_, j) => j !== i) })}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button size="xs" variant="default" onClick={() => setS({ ...s, mappingRules: [...s.mappingRules, { match: '', roleIds: [], groupId: null }] })}>
            {t('sso.addRule')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button onClick={() => save.mutate(s)} loading={save.isPending} data-testid="sso-policy-save">
            {t('sso.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function ScimCard({
  baseUrl,
  token,
  fmt,
}: {
  baseUrl: string;
  token: { prefix: string; createdAt: string; lastUsedAt: string | null } | null;
  fmt: (iso: string | null) => string;
}) {
  const { t } = useTranslation();
  const rotate = useRotateScimToken();
  const revoke = useRevokeScimToken();
  return (
    <Card withBorder>
      <Stack>
        <Text fw={600}>{t('sso.scim')}</Text>
        <Text size="sm" c="dimmed">
          {t('sso.scimHelp')}
        </Text>
        <Copyable label={t('sso.scimBaseUrl')} value={baseUrl} />
        <Text size="sm">
          {token ? t('sso.scimTokenInfo', { prefix: token.prefix, created: fmt(token.createdAt), used: fmt(token.lastUsedAt) }) : t('sso.scimNoToken')}
        </Text>
        {rotate.data && (
          <Alert color="yellow" title={t('sso.scimShownOnce')}>
            <Copyable label={t('sso.scimToken')} value={rotate.data.token} />
          </Alert>
        )}
        <ErrorAlert error={rotate.error ?? revoke.error} />
        <Group>
          <Button size="xs" onClick={() => (!token || window.confirm(t('sso.scimRotateConfirm'))) && rotate.mutate()} data-testid="sso-scim-rotate">
            {token ? t('sso.scimRotate') : t('sso.scimCreate')}
          </Button>
          {token && (
            <Button size="xs" variant="default" color="red" onClick={() => window.confirm(t('sso.scimRevokeConfirm')) && revoke.mutate()}>
              {t('sso.scimRevoke')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
