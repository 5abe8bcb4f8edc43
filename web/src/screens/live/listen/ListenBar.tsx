// The listen-in bar above the live calls: who is being listened to, each leg with its own mute, and Stop.
import { Alert, Button, Group, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveCall } from '../../../api/live.ts';
import type { useListen } from './useListen.ts';

export function ListenBar({ listen, call }: { listen: ReturnType<typeof useListen>; call: LiveCall | null }) {
  const { t } = useTranslation();
  const [muted, setMuted] = useState<Record<number, boolean>>({});
  const color = listen.status === 'error' ? 'red' : listen.status === 'ended' ? 'gray' : 'blue';
  return (
    <Alert color={color} variant="light" data-testid="listen-bar" data-status={listen.status} title={t(`live.listenStatus.${listen.status}`)}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="md">
          {call && (
            <Text size="sm" fw={500}>
              {call.parties.map((p) => p.name ?? p.number).join(' – ')}
            </Text>
          )}
          {listen.legs.map((l, i) => (
            <Switch
              key={l.label}
              size="xs"
              checked={!muted[i]}
              label={l.participant ?? l.label}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setMuted((m) => ({ ...m, [i]: !on }));
                listen.mute(i, !on);
              }}
            />
          ))}
          {listen.status === 'listening' && (
            <Text size="xs" c="dimmed" data-testid="listen-frames" data-frames={listen.frames}>
              {t('live.frames', { count: listen.frames })}
            </Text>
          )}
          {listen.error && (
            <Text size="sm" c="red">
              {listen.error.message || listen.error.code}
            </Text>
          )}
        </Group>
        <Button size="xs" variant="default" onClick={listen.stop}>
          {t('live.stopListening')}
        </Button>
      </Group>
    </Alert>
  );
}
