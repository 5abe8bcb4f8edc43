// The permanent dialog before anonymizing one conversation, a selection or every conversation of a search: how many,
// what the compliance setup overwrites, which are protected and why (they are skipped), what happens to the media
// (planned for deletion, or — the gentler option when transcripts found personal data — only those spans silenced),
// then "Anonymize permanently" / "Cancel". A search or a selection runs as a job whose progress shows here and on the
// Jobs page.
import { Alert, Anchor, Button, Group, List, Loader, Modal, Progress, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  useAnonymizationRun,
  useAnonymizeConversation,
  useAnonymizePreview,
  useStartAnonymization,
  type AnonymizePreview,
  type AnonymizeSelection,
  type AudioChoice,
} from '../../../api/anonymization.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatNumber } from '../../../format.ts';
import { can, type useCurrentUser } from '../../shell/currentUser.tsx';

export const canAnonymize = (me: ReturnType<typeof useCurrentUser>) => can(me, 'conversations.anonymize');

type Protection = AnonymizePreview['protected'][number]['protections'][number];

export function ProtectionText({ p }: { p: Protection }) {
  const { t } = useTranslation();
  if (p.kind === 'reviewed') return <>{t('compliance.anonymize.protection.reviewed')}</>;
  if (p.kind === 'legal_hold') return <>{t('compliance.anonymize.protection.legalHold', { name: p.name ?? '' })}</>;
  if (p.kind === 'protected_search') return <>{t('deletion.protection.protectedSearch', { name: p.name ?? '' })}</>;
  return <>{t('compliance.anonymize.protection.tag', { name: p.name ?? '' })}</>;
}

interface Props {
  /** One conversation (anonymized at once), or a selection / a search (a job). */
  selection: AnonymizeSelection;
  single?: boolean;
  onClose: () => void;
}

export function AnonymizeDialog({ selection, single, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const preview = useAnonymizePreview(selection);
  const one = useAnonymizeConversation();
  const many = useStartAnonymization();
  const [audio, setAudio] = useState<AudioChoice | null>(null);
  const run = useAnonymizationRun(many.data?.id ?? null);
  const p = preview.data;
  const n = (x: number) => formatNumber(x, i18n.language);
  const choices = (p?.audioOptions ?? []) as AudioChoice[];
  // The redaction option only means something where transcripts found personal data.
  const offered = choices.filter((c) => c !== 'redact' || (p?.withPii ?? 0) > 0);
  const chosen = audio ?? offered[0] ?? null;
  const toDo = p ? p.total - p.protectedCount : 0;
  const finished = one.isSuccess || run.data?.status === 'done';

  const go = () => {
    const audioChoice = chosen ?? undefined;
    if (single && 'conversationIds' in selection) one.mutate({ conversationId: selection.conversationIds[0]!, audio: audioChoice });
    else many.mutate({ selection, audio: audioChoice });
  };

  return (
    <Modal opened onClose={onClose} title={t('compliance.anonymize.title')} size="lg" centered data-testid="anonymize-dialog">
      <Stack gap="sm">
        {preview.isLoading && <Loader size="sm" />}
        <ErrorAlert error={preview.error} />
        {p && !many.data && !one.data && (
          <>
            <Alert color="red" variant="light" data-testid="anonymize-permanent">
              {t('compliance.anonymize.permanent')}
            </Alert>
            <Text size="sm" data-testid="anonymize-count">
              {single ? t('compliance.anonymize.countOne') : t('compliance.anonymize.count', { total: n(p.total), todo: n(toDo) })}
            </Text>
            <div>
              <Text size="sm" fw={600}>
                {t('compliance.anonymize.overwrites')}
              </Text>
              <List size="sm" data-testid="anonymize-parts">
                {p.parts
                  .filter((part) => part !== 'media')
                  .map((part) => (
                    <List.Item key={part}>{t(`compliance.parts.${part}`)}</List.Item>
                  ))}
                {p.customFields.map((f) => (
                  <List.Item key={f.id}>{t('compliance.anonymize.customField', { label: f.label })}</List.Item>
                ))}
              </List>
              {p.parts.length === 0 && p.customFields.length === 0 && (
                <Text size="sm" c="red">
                  {t('compliance.anonymize.nothingSetUp')}
                </Text>
              )}
            </div>
            {p.withMedia > 0 && offered.length > 0 && (
              <Radio.Group
                label={t('compliance.anonymize.media')}
                value={chosen ?? ''}
                onChange={(v) => setAudio(v as AudioChoice)}
                data-testid="anonymize-audio"
              >
                <Stack gap={4} mt={4}>
                  {offered.map((c) => (
                    <Radio key={c} value={c} label={t(`compliance.anonymize.audio.${c}`)} description={t(`compliance.anonymize.audioHint.${c}`)} />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            {p.protectedCount > 0 && (
              <Alert
                color="yellow"
                variant="light"
                title={t('compliance.anonymize.protectedTitle', { count: p.protectedCount })}
                data-testid="anonymize-protected"
              >
                <List size="sm">
                  {p.protected.map((x) => (
                    <List.Item key={x.conversationId}>
                      {x.title || x.conversationId}:{' '}
                      {x.protections.map((pr, i) => (
                        <span key={i}>
                          {i > 0 && '; '}
                          <ProtectionText p={pr} />
                        </span>
                      ))}
                    </List.Item>
                  ))}
                </List>
                {p.protectedCount > p.protected.length && (
                  <Text size="xs" c="dimmed">
                    {t('compliance.anonymize.protectedMore', { count: p.protectedCount - p.protected.length })}
                  </Text>
                )}
              </Alert>
            )}
            {p.checked < p.total && (
              <Text size="xs" c="dimmed">
                {t('compliance.anonymize.checkedSome', { checked: n(p.checked), total: n(p.total) })}
              </Text>
            )}
          </>
        )}
        <ErrorAlert error={one.error ?? many.error} />
        {one.data && (
          <Alert color="green" variant="light" data-testid="anonymize-done">
            {t(`compliance.anonymize.doneOne.${one.data.media}`, { defaultValue: t('compliance.anonymize.doneOne.kept') })}
          </Alert>
        )}
        {many.data && (
          <Stack gap={4} data-testid="anonymize-run">
            <Progress value={run.data && run.data.total ? (100 * run.data.done) / run.data.total : 0} animated={!finished} />
            <Text size="sm">
              {run.data?.status === 'done'
                ? t('compliance.anonymize.runDone', { anonymized: n(run.data.anonymized), skipped: n(run.data.skipped) })
                : run.data?.status === 'failed'
                  ? t('compliance.anonymize.runFailed', { error: run.data.error ?? '' })
                  : t('compliance.anonymize.runProgress', { done: n(run.data?.done ?? 0), total: n(run.data?.total ?? many.data.total) })}
            </Text>
            <Anchor component={Link} to="/admin/jobs" size="xs">
              {t('compliance.anonymize.jobsLink')}
            </Anchor>
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="anonymize-cancel">
            {one.data || many.data ? t('common.close') : t('common.cancel')}
          </Button>
          {!one.data && !many.data && (
            <Button
              color="red"
              onClick={go}
              loading={one.isPending || many.isPending}
              disabled={!p || toDo === 0 || (p.parts.length === 0 && p.customFields.length === 0)}
              data-testid="anonymize-confirm"
            >
              {t('compliance.anonymize.confirm')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
