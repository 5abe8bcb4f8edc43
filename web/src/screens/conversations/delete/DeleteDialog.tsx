// Delete a conversation's media, or the whole conversation (permission "delete"): says it is permanent, asks why (the
// reason is audited), and lists the protected ones with why — the server refuses the whole request while one is
// protected, so the button stays off until they are left out of the selection.
import { Alert, Button, Group, List, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { can } from '../../shell/currentUser.tsx';
import { useDeleteConversations, useProtection, type Protected } from './api.ts';

export const canDelete = (me: Me) => can(me, 'conversations.delete');

type Protection = Protected['protections'][number];

export function ProtectionReason({ p }: { p: Protection }) {
  const { t } = useTranslation();
  if (p.kind === 'reviewed') return <>{t('deletion.protection.reviewed')}</>;
  if (p.kind === 'legal_hold') return <>{t('deletion.protection.legalHold', { name: p.name })}</>;
  if (p.kind === 'protected_search') return <>{t('deletion.protection.protectedSearch', { name: p.name })}</>;
  return <>{t('deletion.protection.tag', { name: p.name })}</>;
}

interface Props {
  conversationIds: string[];
  /** The conversation has media (a call or a screen recording): offers "media only". */
  withMedia: boolean;
  onClose: () => void;
  onDeleted?: (scope: 'media' | 'conversation') => void;
}

export function DeleteDialog({ conversationIds, withMedia, onClose, onDeleted }: Props) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<'media' | 'conversation'>(withMedia ? 'media' : 'conversation');
  const [reason, setReason] = useState('');
  const protection = useProtection(conversationIds);
  const del = useDeleteConversations();
  const protectedItems = protection.data?.items ?? [];
  const n = conversationIds.length;
  const blocked = protectedItems.length > 0;

  const submit = async () => {
    await del.mutateAsync({ conversationIds, scope, reason: reason.trim() });
    onDeleted?.(scope);
    onClose();
  };

  return (
    <Modal opened onClose={onClose} title={t(n === 1 ? 'deletion.title' : 'deletion.titleMany', { count: n })} centered size="lg">
      <Stack data-testid="delete-dialog">
        <Radio.Group value={scope} onChange={(v) => setScope(v as 'media' | 'conversation')} label={t('deletion.scope')}>
          <Stack gap={6} mt={6}>
            <Radio
              value="media"
              label={t('deletion.scopeMedia')}
              description={t('deletion.scopeMediaHint')}
              disabled={!withMedia}
              data-testid="delete-scope-media"
            />
            <Radio
              value="conversation"
              label={t('deletion.scopeConversation')}
              description={t('deletion.scopeConversationHint')}
              data-testid="delete-scope-conversation"
            />
          </Stack>
        </Radio.Group>
        <Textarea
          label={t('deletion.reason')}
          description={t('deletion.reasonHint')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          required
          autosize
          minRows={2}
          maxLength={2000}
          data-testid="delete-reason"
        />
        {blocked && (
          <Alert color="orange" variant="light" title={t('deletion.protectedTitle', { count: protectedItems.length })} data-testid="delete-protected">
            <Text size="sm" mb={4}>
              {t('deletion.protectedHint')}
            </Text>
            <List size="sm">
              {protectedItems.map((x) => (
                <List.Item key={x.conversationId}>
                  {n > 1 && <Text span ff="monospace" size="xs">{`${x.conversationId}: `}</Text>}
                  {x.protections.map((p, i) => (
                    <span key={i}>
                      {i > 0 && ', '}
                      <ProtectionReason p={p} />
                    </span>
                  ))}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Text size="sm" c="red" fw={500}>
          {t('deletion.permanent')}
        </Text>
        <ErrorAlert error={protection.error ?? del.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            onClick={() => void submit().catch(() => {})}
            loading={del.isPending}
            disabled={blocked || protection.isLoading || !reason.trim()}
            data-testid="delete-confirm"
          >
            {t('deletion.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
