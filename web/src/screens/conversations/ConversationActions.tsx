// The actions on one conversation, the same in the preview pane and the detail view. Buttons the user has no
// permission for are not shown (the server enforces them anyway).
import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { useExportConversation } from '../../api/conversations.ts';
import type { ConversationSummary, Me } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconDownload, IconOpen, IconPause, IconPlay, IconTag } from '../../components/icons.tsx';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { AddTagModal } from './AddTagModal.tsx';
import { usePlayerContext } from './player/usePlayer.ts';
import { detailPath, SEARCH_PARAM } from './search/searchLinks.ts';

export const canPlay = (me: Me) => can(me, 'media.play_redacted', 'media.play_unredacted');
export const hasMedia = (c: Pick<ConversationSummary, 'channels' | 'hasScreen'>) => c.channels.includes('call') || c.hasScreen;

export function ConversationActions({ conversation, withOpen }: { conversation: ConversationSummary; withOpen?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const exporter = useExportConversation();
  const player = usePlayerContext();
  const inPlayer = player?.conversationId === conversation.id && conversation.channels.includes('call');
  const [adding, setAdding] = useState(false);
  // The text query of the list (or of the detail view) goes along, so the opened conversation marks what matched;
  // from the list, the list as it is goes along too, for the way back.
  const [params] = useSearchParams();
  const location = useLocation();
  const q = params.get(SEARCH_PARAM);
  const linkState = location.pathname === '/conversations' ? { list: location.search } : location.state;

  return (
    <Stack gap="xs">
      <Group gap={6}>
        {withOpen && (
          <Button size="compact-sm" component={Link} to={detailPath(conversation.id, q)} state={linkState} leftSection={<IconOpen size={14} />}>
            {t('conversations.actions.open')}
          </Button>
        )}
        {inPlayer && canPlay(me) && (
          <Button
            size="compact-sm"
            variant="default"
            leftSection={player.playing ? <IconPause size={14} /> : <IconPlay size={14} />}
            onClick={() => (player.playing ? player.pause() : player.playWhenReady(conversation.id))}
            data-testid="action-play"
          >
            {player.playing ? t('player.pause') : t('conversations.actions.play')}
          </Button>
        )}
        {!inPlayer && hasMedia(conversation) && canPlay(me) && (
          <Button
            size="compact-sm"
            variant="default"
            component={Link}
            to={detailPath(conversation.id, q, '#segments')}
            state={linkState}
            leftSection={<IconPlay size={14} />}
          >
            {t('conversations.actions.play')}
          </Button>
        )}
        {can(me, 'tags.apply') && (
          <Button size="compact-sm" variant="default" leftSection={<IconTag size={14} />} onClick={() => setAdding(true)}>
            {t('conversations.actions.addTag')}
          </Button>
        )}
        {can(me, 'conversations.export') && (
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconDownload size={14} />}
            loading={exporter.isPending}
            onClick={() => exporter.mutate(conversation.id)}
          >
            {t('conversations.actions.export')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={exporter.error} />
      {adding && <AddTagModal conversationId={conversation.id} appliedTagIds={conversation.tags.map((x) => x.tagId)} onClose={() => setAdding(false)} />}
    </Stack>
  );
}
