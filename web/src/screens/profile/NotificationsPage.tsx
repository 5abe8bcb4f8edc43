// Profile → Notifications (/profile/notifications, linked from the user menu and from every quality e-mail): which
// e-mails the user receives. Each switch saves at once; only the events the user's permissions can bring are shown.
import { Paper, Skeleton, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNotificationPreferences, useSaveNotificationPreferences } from '../../api/responses.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

export function NotificationsPage() {
  const { t } = useTranslation();
  const prefs = useNotificationPreferences();
  const save = useSaveNotificationPreferences();
  const items = (prefs.data?.items ?? []).filter((i) => i.relevant);
  return (
    <Stack maw={720}>
      <PageHeader title={t('notificationPrefs.title')} description={t('notificationPrefs.description')} />
      <ErrorAlert error={prefs.error ?? save.error} />
      {prefs.isPending ? (
        <Skeleton h={240} radius="md" />
      ) : (
        <Paper withBorder radius="md" p="lg">
          <Stack gap="md">
            {items.map((i) => (
              <Switch
                key={i.event}
                checked={save.isPending && save.variables?.[0]?.event === i.event ? save.variables[0].email : i.email}
                onChange={(e) => save.mutate([{ event: i.event, email: e.currentTarget.checked }])}
                label={t(`notificationPrefs.events.${i.event}.label`)}
                description={t(`notificationPrefs.events.${i.event}.description`)}
                data-testid={`pref-${i.event}`}
              />
            ))}
            {items.length === 0 && <Text c="dimmed">{t('notificationPrefs.none')}</Text>}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
