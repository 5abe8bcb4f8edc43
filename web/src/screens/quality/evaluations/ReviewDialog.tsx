// "Review" on a conversation (issue 11): choose the agent (only agents taking part), the scorecard, and either Review
// now (a draft for me, opened beside the player and transcript) or Plan review (reviewers and a due date). The
// server checks everything again: who may review, scope, self-review.
import { Button, Group, Modal, MultiSelect, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useCreateEvaluation, useReviewAgents, useReviewers, useScorecardChoices, type Evaluation } from '../../../api/evaluations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';

/** Who may open the dialog at all (the server decides the rest). */
export const canReview = (me: ReturnType<typeof useCurrentUser>) => can(me, 'quality.review', 'quality.review_self', 'quality.plan');

/** Tomorrow at 17:00 local, as a datetime-local value. */
function defaultDue(): string {
  const d = new Date(Date.now() + 24 * 3600_000);
  d.setHours(17, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ReviewDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const mayPlan = can(me, 'quality.plan');
  const mayReviewNow = can(me, 'quality.review', 'quality.review_self');
  const agents = useReviewAgents(conversationId);
  const [mode, setMode] = useState<'now' | 'plan'>(mayReviewNow ? 'now' : 'plan');
  const scorecards = useScorecardChoices();
  const reviewers = useReviewers(conversationId, mayPlan);
  const create = useCreateEvaluation();
  // Reviewing now with only "review myself": the only agent one may choose is oneself.
  const selfOnly = mode === 'now' && !can(me, 'quality.review');
  const agentItems = (agents.data?.items ?? []).filter((a) => !selfOnly || a.id === me.id);
  const [agentId, setAgentId] = useState<string | null>(null);
  const [scorecardId, setScorecardId] = useState<string | null>(null);
  const [reviewerIds, setReviewerIds] = useState<string[]>([]);
  const [due, setDue] = useState(defaultDue);
  const [tried, setTried] = useState(false);
  const [planned, setPlanned] = useState<number | null>(null);

  // With one agent in the conversation there is nothing to choose.
  const agent = agentId ?? (agentItems.length === 1 ? agentItems[0]!.id : null);
  const dueDate = due ? new Date(due) : null;
  const dueBad = !dueDate || Number.isNaN(dueDate.getTime()) || dueDate.getTime() <= Date.now();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!agent || !scorecardId) return;
    if (mode === 'now') {
      create.mutate(
        { conversationId, agentUserId: agent, scorecardId, mode: 'now' },
        { onSuccess: (made) => navigate(`/conversations/${encodeURIComponent(conversationId)}?evaluation=${encodeURIComponent((made as Evaluation).id)}`) },
      );
      return;
    }
    if (!reviewerIds.length || dueBad) return;
    create.mutate(
      { conversationId, agentUserId: agent, scorecardId, mode: 'plan', reviewerIds, dueAt: dueDate!.toISOString() },
      { onSuccess: (made) => setPlanned('evaluations' in made ? made.evaluations.length : 1) },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('evaluations.dialog.title')} data-testid="review-dialog">
      {planned !== null ? (
        <Stack>
          <Text role="status" data-testid="review-planned">
            {planned === 1 ? t('evaluations.dialog.plannedOne') : t('evaluations.dialog.plannedMany', { count: planned })}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={agents.error ?? scorecards.error} />
            {agents.data && agentItems.length === 0 && (
              <Text c="dimmed" size="sm" data-testid="review-no-agent">
                {selfOnly && agents.data.items.length > 0 ? t('evaluations.dialog.notYours') : t('evaluations.dialog.noAgent')}
              </Text>
            )}
            <Select
              label={t('evaluations.dialog.agent')}
              placeholder={t('evaluations.dialog.pickAgent')}
              data={agentItems.map((a) => ({ value: a.id, label: a.name }))}
              value={agent}
              onChange={setAgentId}
              error={tried && !agent ? t('validation.required') : undefined}
              disabled={agents.isPending}
              data-testid="review-agent"
              comboboxProps={{ withinPortal: false }}
            />
            <Select
              label={t('evaluations.dialog.scorecard')}
              placeholder={t('evaluations.dialog.pickScorecard')}
              data={(scorecards.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} (v${s.version})` }))}
              value={scorecardId}
              onChange={setScorecardId}
              searchable
              nothingFoundMessage={t('evaluations.dialog.noScorecard')}
              error={tried && !scorecardId ? t('validation.required') : undefined}
              disabled={scorecards.isPending}
              data-testid="review-scorecard"
              comboboxProps={{ withinPortal: false }}
            />
            {mayPlan && mayReviewNow && (
              <SegmentedControl
                value={mode}
                onChange={(v) => setMode(v as 'now' | 'plan')}
                data={[
                  { value: 'now', label: t('evaluations.dialog.now') },
                  { value: 'plan', label: t('evaluations.dialog.plan') },
                ]}
                data-testid="review-mode"
              />
            )}
            {mode === 'plan' && (
              <>
                <MultiSelect
                  label={t('evaluations.dialog.reviewers')}
                  description={t('evaluations.dialog.reviewersHint')}
                  data={(reviewers.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
                  value={reviewerIds}
                  onChange={setReviewerIds}
                  searchable
                  error={tried && !reviewerIds.length ? t('validation.required') : undefined}
                  disabled={reviewers.isPending}
                  data-testid="review-reviewers"
                  comboboxProps={{ withinPortal: false }}
                />
                <TextInput
                  type="datetime-local"
                  label={t('evaluations.dialog.due')}
                  value={due}
                  onChange={(e) => setDue(e.currentTarget.value)}
                  error={tried && dueBad ? t('evaluations.dialog.dueInPast') : undefined}
                  data-testid="review-due"
                />
              </>
            )}
            <ErrorAlert error={create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="review-submit">
                {mode === 'now' ? t('evaluations.dialog.startNow') : t('evaluations.dialog.planSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
