// The actions on one conversation, the same in the preview pane and the detail view. Buttons the user has no
// permission for are not shown (the server enforces them anyway). Export is a menu, as the seed has it: the
// conversation as JSON (conversations.export), the recording as one merged MP3 or one WAV per call segment
// (media.download) — the permissions and audit events of the routes they call; a download says what it saved, and a
// refusal (no usable media, no ffmpeg) shows the server's message.
import { Button, Group, Menu, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { useConversation, useExportConversation } from '../../api/conversations.ts';
import { useMediaDownload } from '../../api/media.ts';
import type { ConversationSummary, Me } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconChevronDown, IconDownload, IconOpen, IconPause, IconPlay, IconQuality, IconTag } from '../../components/icons.tsx';
import { useTimes } from '../../format.ts';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { AddTagModal } from './AddTagModal.tsx';
import { canDelete, DeleteDialog } from './delete/DeleteDialog.tsx';
import { VconExportDialog } from './vcon/VconExportDialog.tsx';
import { AnonymizeDialog, canAnonymize } from './anonymize/AnonymizeDialog.tsx';
import { canReview, ReviewDialog } from '../quality/evaluations/ReviewDialog.tsx';
import { usePlayerContext } from './player/usePlayer.ts';
import { detailPath, SEARCH_PARAM } from './search/searchLinks.ts';

export const canPlay = (me: Me) => can(me, 'media.play_redacted', 'media.play_unredacted');
export const hasMedia = (c: Pick<ConversationSummary, 'channels' | 'hasScreen'>) => c.channels.includes('call') || c.hasScreen;

export function ConversationActions({ conversation, withOpen }: { conversation: ConversationSummary; withOpen?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const player = usePlayerContext();
  const inPlayer = player?.conversationId === conversation.id && conversation.channels.includes('call');
  const [adding, setAdding] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [anonymizing, setAnonymizing] = useState(false);
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
        {canReview(me) && (
          <Button size="compact-sm" variant="default" leftSection={<IconQuality size={14} />} onClick={() => setReviewing(true)} data-testid="action-review">
            {t('conversations.actions.review')}
          </Button>
        )}
        {can(me, 'quality.calibrate') && (
          <Button
            size="compact-sm"
            variant="default"
            component={Link}
            to={`/quality/calibrations?conversation=${encodeURIComponent(conversation.id)}`}
            data-testid="action-calibrate"
          >
            {t('calibrations.calibrate')}
          </Button>
        )}
        {can(me, 'tags.apply') && (
          <Button size="compact-sm" variant="default" leftSection={<IconTag size={14} />} onClick={() => setAdding(true)}>
            {t('conversations.actions.addTag')}
          </Button>
        )}
        <ExportMenu conversation={conversation} me={me} />
        {canDelete(me) && (
          <Button size="compact-sm" variant="default" color="red" onClick={() => setDeleting(true)} data-testid="action-delete">
            {t('deletion.action')}
          </Button>
        )}
        {canAnonymize(me) && (
          <Button size="compact-sm" variant="default" color="red" onClick={() => setAnonymizing(true)} data-testid="action-anonymize">
            {t('compliance.anonymize.action')}
          </Button>
        )}
      </Group>
      {adding && <AddTagModal conversationId={conversation.id} appliedTagIds={conversation.tags.map((x) => x.tagId)} onClose={() => setAdding(false)} />}
      {reviewing && <ReviewDialog conversationId={conversation.id} onClose={() => setReviewing(false)} />}
      {deleting && <DeleteDialog conversationIds={[conversation.id]} withMedia={hasMedia(conversation)} onClose={() => setDeleting(false)} />}
      {anonymizing && <AnonymizeDialog selection={{ conversationIds: [conversation.id] }} single onClose={() => setAnonymizing(false)} />}
    </Stack>
  );
}

const enc = encodeURIComponent;
const serverReason = (err: unknown) => (err instanceof ApiError && err.code === 'UNAVAILABLE' && err.message ? { UNAVAILABLE: err.message } : undefined);

/** Export → JSON / MP3 (merged) / WAV per call segment; each entry shown only with the permission its route needs. */
function ExportMenu({ conversation, me }: { conversation: ConversationSummary; me: Me }) {
  const { t } = useTranslation();
  const times = useTimes();
  const json = useExportConversation();
  const media = useMediaDownload(conversation.id);
  const [saved, setSaved] = useState<string | null>(null);
  const [vcon, setVcon] = useState(false);
  const canJson = can(me, 'conversations.export');
  const canMedia = can(me, 'media.download') && conversation.channels.includes('call');
  // The detail the preview and the detail view already load (same query): its call segments, for one WAV each.
  const detail = useConversation(canMedia ? conversation.id : null);
  if (!canJson && !canMedia) return null;
  const calls = (detail.data?.segments ?? []).filter((s) => s.kind === 'call');
  const base = `/api/conversations/${enc(conversation.id)}`;
  const pending = json.isPending || media.isPending;

  const run = (p: Promise<string>) => {
    setSaved(null);
    p.then(setSaved, () => {});
  };
  const exportJson = () => {
    media.reset();
    run(json.mutateAsync(conversation.id));
  };
  const exportMedia = (url: string, fallbackName: string) => {
    json.reset();
    run(media.mutateAsync({ url, fallbackName }));
  };

  return (
    <>
      <Menu position="bottom-start" withinPortal shadow="md">
        <Menu.Target>
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconDownload size={14} />}
            rightSection={<IconChevronDown size={12} />}
            loading={pending}
            aria-label={t('conversations.actions.exportMenu')}
            data-testid="action-export"
          >
            {t('conversations.actions.export')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown data-testid="export-menu">
          {canJson && (
            <>
              <Menu.Label>{t('conversations.actions.exportData')}</Menu.Label>
              <Menu.Item onClick={exportJson} data-testid="export-json">
                {t('conversations.actions.exportJson')}
              </Menu.Item>
              <Menu.Item onClick={() => setVcon(true)} data-testid="export-vcon">
                {t('vconExports.action')}
              </Menu.Item>
            </>
          )}
          {canMedia && (
            <>
              <Menu.Label>{t('conversations.actions.exportRecording')}</Menu.Label>
              <Menu.Item onClick={() => exportMedia(`${base}/export.mp3`, `${conversation.id}.mp3`)} data-testid="export-mp3">
                {t('conversations.actions.exportMp3')}
              </Menu.Item>
              {calls.map((seg, i) => (
                <Menu.Item
                  key={seg.id}
                  onClick={() => exportMedia(`${base}/segments/${enc(seg.id)}/download.wav`, `${seg.externalId}.wav`)}
                  data-testid="export-wav"
                >
                  {t('conversations.actions.exportWav', { n: i + 1, time: times.time(seg.startedAt, conversation.timeZone) })}
                </Menu.Item>
              ))}
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      {vcon && <VconExportDialog selection={{ conversationIds: [conversation.id] }} onClose={() => setVcon(false)} />}
      {(json.error || media.error || saved) && (
        <div style={{ flexBasis: '100%' }}>
          {/* The server's own reason, even for codes the app words generically (503: MP3 export without ffmpeg). */}
          <ErrorAlert error={json.error ?? media.error} overrides={serverReason(json.error ?? media.error)} />
          {saved && !json.error && !media.error && (
            <Text size="xs" c="dimmed" role="status" data-testid="export-saved">
              {t('conversations.actions.exportDone', { name: saved })}
            </Text>
          )}
        </div>
      )}
    </>
  );
}
