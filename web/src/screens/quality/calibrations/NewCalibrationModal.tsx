// Starting a calibration session: the conversation (its link or id), the agent of it to evaluate, the scorecard, two
// or more evaluators (people who may review that conversation), an optional reference evaluator and a due date.
import { Button, Group, Modal, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useCreateCalibration } from '../../../api/calibrations.ts';
import { useReviewAgents, useReviewers, useScorecardChoices } from '../../../api/evaluations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

/** A conversation id from what was pasted: the id itself or a link to the conversation. */
export function conversationIdOf(text: string): string {
  const s = text.trim();
  const m = /\/conversations\/([A-Za-z0-9_-]+)/.exec(s);
  return m ? m[1]! : /^[A-Za-z0-9_-]+$/.test(s) ? s : '';
}

export function NewCalibrationModal({ conversationId: initial, onClose }: { conversationId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [conversationText, setConversationText] = useState(initial);
  const conversationId = conversationIdOf(conversationText);
  const [name, setName] = useState('');
  const [agentUserId, setAgent] = useState<string | null>(null);
  const [scorecardId, setScorecard] = useState<string | null>(null);
  const [evaluatorIds, setEvaluators] = useState<string[]>([]);
  const [referenceUserId, setReference] = useState<string | null>(null);
  const [due, setDue] = useState('');
  const agents = useReviewAgents(conversationId, Boolean(conversationId));
  const reviewers = useReviewers(conversationId, Boolean(conversationId));
  const cards = useScorecardChoices();
  const create = useCreateCalibration();

  const agentItems = agents.data?.items ?? [];
  const reviewerItems = (reviewers.data?.items ?? []).filter((r) => r.id !== agentUserId);
  const nameOf = (id: string) => reviewerItems.find((r) => r.id === id)?.name ?? id;
  const ready = conversationId && name.trim() && agentUserId && scorecardId && evaluatorIds.length >= 2;

  const submit = () => {
    if (!ready) return;
    create.mutate(
      {
        name: name.trim(),
        conversationId,
        agentUserId: agentUserId!,
        scorecardId: scorecardId!,
        evaluatorIds,
        referenceUserId: referenceUserId && evaluatorIds.includes(referenceUserId) ? referenceUserId : null,
        dueAt: due ? new Date(due).toISOString() : null,
      },
      { onSuccess: (c) => navigate(`/quality/calibrations/${encodeURIComponent(c.id)}`) },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('calibrations.create.title')} size="lg">
      <Stack gap="sm">
        <TextInput
          label={t('calibrations.create.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          maxLength={200}
          data-autofocus
        />
        <TextInput
          label={t('calibrations.create.conversation')}
          description={t('calibrations.create.conversationHelp')}
          value={conversationText}
          onChange={(e) => {
            setConversationText(e.currentTarget.value);
            setAgent(null);
            setEvaluators([]);
          }}
          required
          error={conversationText && !conversationId ? t('calibrations.create.conversationInvalid') : undefined}
        />
        <ErrorAlert error={agents.error ?? reviewers.error} />
        <Select
          label={t('calibrations.create.agent')}
          data={agentItems.map((a) => ({ value: a.id, label: a.name }))}
          value={agentUserId}
          onChange={setAgent}
          disabled={!conversationId}
          required
          nothingFoundMessage={t('calibrations.create.noAgents')}
        />
        <Select
          label={t('calibrations.create.scorecard')}
          data={(cards.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (v${c.version})` }))}
          value={scorecardId}
          onChange={setScorecard}
          searchable
          required
        />
        <MultiSelect
          label={t('calibrations.create.evaluators')}
          description={t('calibrations.create.evaluatorsHelp')}
          data={reviewerItems.map((r) => ({ value: r.id, label: r.name }))}
          value={evaluatorIds}
          onChange={setEvaluators}
          searchable
          disabled={!conversationId}
          required
        />
        <Select
          label={t('calibrations.create.reference')}
          description={t('calibrations.create.referenceHelp')}
          data={evaluatorIds.map((id) => ({ value: id, label: nameOf(id) }))}
          value={referenceUserId}
          onChange={setReference}
          clearable
        />
        <TextInput type="datetime-local" label={t('calibrations.create.due')} value={due} onChange={(e) => setDue(e.currentTarget.value)} />
        {evaluatorIds.length === 1 && (
          <Text size="sm" c="dimmed">
            {t('calibrations.create.needTwo')}
          </Text>
        )}
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!ready} loading={create.isPending} data-testid="create-calibration">
            {t('calibrations.create.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
