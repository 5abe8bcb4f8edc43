// The evaluation form (issue 11), beside the player and transcript on the conversation's page: an answer per question
// of its type (yes/no, choice, rating scale, N/A where allowed), comments where allowed, a general comment, the
// automated pre-fill's proposals with their evidence (play links) to accept or override, timestamped comments at the
// player position, draft save and submit (the missing required answers named), and after submit the score, pass/fail
// and automatic-failure reason. A submitted evaluation reads the same way; a disputed one can be re-evaluated.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import {
  useAddEvaluationComment,
  useEvaluation,
  useSaveDraft,
  useStartEvaluation,
  useSubmitEvaluation,
  type Answer,
  type Answers,
  type Evaluation,
  type Prefill,
  type Proposal,
  type Question,
} from '../../../api/evaluations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlay } from '../../../components/icons.tsx';
import { formatDuration, useTimes } from '../../../format.ts';
import { useClock } from '../../conversations/player/clock.ts';
import { usePlayerContext } from '../../conversations/player/usePlayer.ts';
import { ScoreText } from './ScoreText.tsx';
// The server's own scorer (pure, no I/O): the score so far is computed exactly as the submit will compute it.
import { scoreEvaluation } from '../../../../../src/quality/scoring.ts';
import type { ScorecardDefinition } from '../../../../../src/quality/model.ts';
import { MentionText, MentionTextarea } from '../../conversations/comments/MentionTextarea.tsx';
import { toStored, type Mentioned } from '../../conversations/comments/mentions.ts';

type Value = string | number | null;

/** How an answer reads (yes/no, the option's label, the rating, N/A). */
export function answerLabel(q: Question, a: Answer | undefined, t: (k: string) => string): string {
  if (!a) return '—';
  if (a.na) return t('evaluations.form.na');
  if (a.value === null || a.value === '') return '—';
  if (q.type === 'yes_no') return a.value === 'yes' ? t('evaluations.form.yes') : t('evaluations.form.no');
  if (q.type === 'choice') return q.options.find((o) => o.id === a.value)?.label ?? String(a.value);
  return String(a.value);
}

const proposalsOf = (prefill: unknown) => new Map(((prefill as Prefill | null)?.proposals ?? []).map((p) => [p.questionId, p]));

export function EvaluationForm({ evaluationId }: { evaluationId: string }) {
  const query = useEvaluation(evaluationId);
  const start = useStartEvaluation();
  const e = query.data;
  const startedFor = useRef<string | null>(null);

  // A planned evaluation opened by its evaluator becomes a draft (and gets its pre-fill) once.
  useEffect(() => {
    if (e && e.status === 'planned' && e.can.edit && startedFor.current !== e.id) {
      startedFor.current = e.id;
      start.mutate(e.id);
    }
  }, [e, start]);

  if (query.isPending) return <Skeleton h={240} radius="md" />;
  if (!e) return <ErrorAlert error={query.error} />;
  // Keyed by revision and status: answers reload from the server after a submit or re-evaluation.
  return <FormBody key={`${e.id}-${e.status}-${e.revision}`} evaluation={e} />;
}

function FormBody({ evaluation: e }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const times = useTimes();
  const save = useSaveDraft();
  const submit = useSubmitEvaluation();
  const [reevaluating, setReevaluating] = useState(false);
  const editing = e.can.edit || reevaluating;
  const [answers, setAnswers] = useState<Answers>(() => structuredClone((e.answers as Answers) ?? {}));
  const [general, setGeneral] = useState(e.generalComment ?? '');
  const [dirty, setDirty] = useState(false);
  const def = e.scorecard.definition as { sections: Array<{ id: string; title: string; questions: Question[] }> };
  const proposals = useMemo(() => proposalsOf(e.prefill), [e.prefill]);
  const soFar = useMemo(
    () => (editing ? scoreEvaluation(e.scorecard.definition as ScorecardDefinition, answers) : null),
    [editing, e.scorecard.definition, answers],
  );
  const failure = submit.error instanceof ApiError ? submit.error : save.error instanceof ApiError ? save.error : null;
  const missing = new Set(
    failure?.details?.reason === 'REQUIRED_ANSWERS_MISSING'
      ? ((failure.details.problems as Array<{ questionId: string; code: string }>) ?? []).filter((p) => p.code === 'REQUIRED').map((p) => p.questionId)
      : [],
  );

  const set = (qid: string, patch: Partial<Answer>) => {
    setDirty(true);
    setAnswers((prev) => ({ ...prev, [qid]: { ...(prev[qid] ?? { value: null }), ...patch } }));
  };
  const body = () => ({ answers, generalComment: general.trim() || null });

  return (
    <Stack gap="md" data-testid="evaluation-form">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={4}>
            {e.scorecard.name} <Text span c="dimmed" size="sm">{`v${e.scorecard.version}`}</Text>
          </Title>
          <Text size="sm" c="dimmed">
            {t('evaluations.form.about', { agent: e.agent.name, evaluator: e.evaluator.name })}
          </Text>
          {e.dueAt && e.status !== 'submitted' && (
            <Text size="sm" c={e.overdue ? 'red' : 'dimmed'}>
              {t(e.overdue ? 'evaluations.form.overdue' : 'evaluations.form.due', { date: times.dateTime(e.dueAt) })}
            </Text>
          )}
        </div>
        <StatusBadge evaluation={e} />
      </Group>

      {e.status === 'submitted' && <ResultCard evaluation={e} />}
      {e.can.reevaluate && !reevaluating && (
        <Alert color="orange" variant="light" data-testid="evaluation-disputed">
          <Group justify="space-between">
            <Text size="sm">{t('evaluations.form.disputed')}</Text>
            <Button size="compact-sm" variant="light" onClick={() => setReevaluating(true)} data-testid="evaluation-reevaluate">
              {t('evaluations.form.reevaluate')}
            </Button>
          </Group>
        </Alert>
      )}

      {def.sections.map((section) => (
        <Paper key={section.id} withBorder radius="md" p="sm">
          <Text fw={600} mb="xs">
            {section.title}
          </Text>
          <Stack gap="sm">
            {section.questions.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('evaluations.form.emptySection')}
              </Text>
            )}
            {section.questions.map((q) => (
              <QuestionRow
                key={q.id}
                question={q}
                answer={answers[q.id]}
                proposal={proposals.get(q.id)}
                editing={editing}
                missing={missing.has(q.id)}
                onChange={(patch) => set(q.id, patch)}
              />
            ))}
          </Stack>
        </Paper>
      ))}

      {editing ? (
        <Textarea
          label={t('evaluations.form.generalComment')}
          value={general}
          onChange={(ev) => {
            setDirty(true);
            setGeneral(ev.currentTarget.value);
          }}
          minRows={2}
          maxLength={5000}
          data-testid="evaluation-general-comment"
        />
      ) : (
        e.generalComment && (
          <div>
            <Text size="sm" fw={600}>
              {t('evaluations.form.generalComment')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {e.generalComment}
            </Text>
          </div>
        )
      )}

      {editing && (
        <>
          {missing.size > 0 ? (
            <Alert color="red" variant="light" role="alert" data-testid="evaluation-missing">
              {t('evaluations.form.missing', {
                questions: def.sections
                  .flatMap((s) => s.questions)
                  .filter((q) => missing.has(q.id))
                  .map((q) => q.text)
                  .join('; '),
              })}
            </Alert>
          ) : (
            <ErrorAlert error={submit.error ?? save.error} />
          )}
          <Group justify="space-between">
            {soFar ? (
              <Text size="sm" c="dimmed" data-testid="evaluation-so-far">
                {t('evaluations.form.soFar')} <ScoreText score={soFar.score} maxScore={soFar.maxScore} percent={soFar.percent} />
                {soFar.autoFailed ? ` · ${t('evaluations.autoFailedShort')}` : ''}
              </Text>
            ) : (
              <span />
            )}
            <Group gap="xs">
              {!reevaluating && (
                <Button
                  variant="default"
                  loading={save.isPending}
                  onClick={() => save.mutate({ id: e.id, body: body() }, { onSuccess: () => setDirty(false) })}
                  data-testid="evaluation-save"
                >
                  {t('evaluations.form.saveDraft')}
                </Button>
              )}
              <Button loading={submit.isPending} onClick={() => submit.mutate({ id: e.id, body: body() })} data-testid="evaluation-submit">
                {reevaluating ? t('evaluations.form.submitRevision') : t('evaluations.form.submit')}
              </Button>
            </Group>
          </Group>
          {dirty && !reevaluating && (
            <Text size="xs" c="dimmed" ta="right">
              {t('evaluations.form.unsaved')}
            </Text>
          )}
          {save.isSuccess && !dirty && (
            <Text size="xs" c="dimmed" ta="right" role="status" data-testid="evaluation-saved">
              {t('evaluations.form.saved')}
            </Text>
          )}
        </>
      )}

      {e.revisions.length > 1 && <Revisions evaluation={e} />}
      <Divider />
      <EvaluationComments evaluation={e} />
    </Stack>
  );
}

function StatusBadge({ evaluation: e }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const color = e.status === 'submitted' ? 'green' : e.overdue ? 'red' : e.status === 'draft' ? 'blue' : 'gray';
  return (
    <Stack gap={4} align="flex-end">
      <Badge color={color} variant="light" data-testid="evaluation-status">
        {t(`evaluations.status.${e.status}`)}
      </Badge>
      {e.responseStatus !== 'none' && (
        <Badge color="grape" variant="outline">
          {t(`evaluations.response.${e.responseStatus}`)}
        </Badge>
      )}
    </Stack>
  );
}

function ResultCard({ evaluation: e }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const r = e.result;
  if (!r) return null;
  const sectionTitle = new Map((e.scorecard.definition as { sections: Array<{ id: string; title: string }> }).sections.map((s) => [s.id, s.title]));
  return (
    <Paper withBorder radius="md" p="sm" bg={r.passed === false ? 'red.0' : r.passed ? 'green.0' : undefined} data-testid="evaluation-result">
      <Group justify="space-between">
        <Text fw={700} size="lg" data-testid="evaluation-score">
          <ScoreText score={r.score} maxScore={r.maxScore} percent={r.percent} />
        </Text>
        {r.passed !== null && (
          <Badge color={r.passed ? 'green' : 'red'} size="lg" data-testid="evaluation-passed">
            {r.passed ? t('evaluations.passed') : t('evaluations.failed')}
          </Badge>
        )}
      </Group>
      {r.autoFailed && (
        <Text size="sm" c="red" mt={4} data-testid="evaluation-autofail">
          {t('evaluations.form.autoFailed', { reason: e.autoFailReason ?? '' })}
        </Text>
      )}
      <Group gap="md" mt={6}>
        {r.sections.map((s) => (
          <Text key={s.sectionId} size="xs" c="dimmed">
            {`${sectionTitle.get(s.sectionId) ?? s.sectionId}: ${s.percent === null ? t('evaluations.form.na') : `${s.points} / ${s.maxPoints}`}`}
          </Text>
        ))}
      </Group>
    </Paper>
  );
}

function QuestionRow(props: {
  question: Question;
  answer: Answer | undefined;
  proposal: Proposal | undefined;
  editing: boolean;
  missing: boolean;
  onChange: (patch: Partial<Answer>) => void;
}) {
  const { question: q, answer: a, proposal, editing, missing, onChange } = props;
  const { t } = useTranslation();
  const na = Boolean(a?.na);
  const value: Value = na ? 'na' : (a?.value ?? null);
  const pick = (v: string | null) =>
    v === 'na' ? onChange({ na: true, value: null }) : onChange({ na: false, value: q.type === 'scale' && v !== null ? Number(v) : v });
  const options =
    q.type === 'yes_no'
      ? [
          { value: 'yes', label: t('evaluations.form.yes') },
          { value: 'no', label: t('evaluations.form.no') },
        ]
      : q.type === 'scale'
        ? Array.from({ length: Math.max(0, q.max - q.min + 1) }, (_, i) => ({ value: String(q.min + i), label: String(q.min + i) }))
        : q.options.map((o) => ({ value: o.id, label: `${o.label} (${o.points})` }));
  if (q.naAllowed) options.push({ value: 'na', label: t('evaluations.form.na') });
  const overridden = Boolean(proposal?.available && a && !isBlankAnswer(a) && (a.na || String(a.value) !== String(proposal.proposed)));
  const kept = Boolean(proposal?.available && a && !a.na && !isBlankAnswer(a) && String(a.value) === String(proposal.proposed));

  return (
    <Stack gap={4} data-testid={`question-${q.id}`} data-missing={missing || undefined}>
      <Group gap={6} wrap="nowrap" align="baseline">
        <Text size="sm" fw={500} c={missing ? 'red' : undefined}>
          {q.text}
          {q.required && (
            <Text span c="red" aria-label={t('evaluations.form.required')}>
              {' *'}
            </Text>
          )}
        </Text>
        {q.autoFail && (
          <Badge size="xs" color="red" variant="outline">
            {t('evaluations.form.autoFail')}
          </Badge>
        )}
      </Group>
      {q.helpText && (
        <Text size="xs" c="dimmed">
          {q.helpText}
        </Text>
      )}
      {editing ? (
        q.type === 'choice' ? (
          <Radio.Group value={value === null ? null : String(value)} onChange={pick}>
            <Stack gap={4}>
              {options.map((o) => (
                <Radio key={o.value} value={o.value} label={o.label} size="xs" />
              ))}
            </Stack>
          </Radio.Group>
        ) : (
          <SegmentedControl
            size="xs"
            w="fit-content"
            value={value === null ? '' : String(value)}
            onChange={pick}
            data={value === null ? [{ value: '', label: '—', disabled: true }, ...options] : options}
            data-testid={`answer-${q.id}`}
          />
        )
      ) : (
        <Text size="sm" data-testid={`answer-${q.id}`}>
          {answerLabel(q, a, t)}
        </Text>
      )}
      {proposal && (
        <ProposalNote proposal={proposal} question={q} editing={editing} overridden={overridden} kept={kept} onAccept={() => pick(String(proposal.proposed))} />
      )}
      {q.commentAllowed &&
        (editing ? (
          <TextInput
            size="xs"
            placeholder={t('evaluations.form.questionComment')}
            value={a?.comment ?? ''}
            onChange={(ev) => onChange({ comment: ev.currentTarget.value })}
            maxLength={2000}
            aria-label={t('evaluations.form.questionComment')}
          />
        ) : (
          a?.comment && (
            <Text size="xs" c="dimmed" fs="italic">
              {a.comment}
            </Text>
          )
        ))}
    </Stack>
  );
}

const isBlankAnswer = (a: Answer) => !a.na && (a.value === null || a.value === '');

/** The automated proposal for a question: its answer and evidence (each with a play link), or why there is none. */
function ProposalNote(props: { proposal: Proposal; question: Question; editing: boolean; overridden: boolean; kept: boolean; onAccept: () => void }) {
  const { proposal: p, question: q, editing, overridden, kept, onAccept } = props;
  const { t } = useTranslation();
  const player = usePlayerContext();
  if (!p.available) {
    return (
      <Text size="xs" c="dimmed" data-testid={`proposal-${q.id}`}>
        {t('evaluations.form.autoUnavailable', {
          // The code reads in the UI language; the server's English sentence stays for a code this UI does not know.
          reason: p.reasonCode ? t(`evaluations.form.autoReasons.${p.reasonCode}`, { defaultValue: p.reason ?? '' }) : (p.reason ?? ''),
        })}
      </Text>
    );
  }
  const proposed = answerLabel(q, { value: p.proposed }, t);
  return (
    <Paper bg="gray.0" p={6} radius="sm" data-testid={`proposal-${q.id}`}>
      <Group gap={6} wrap="wrap">
        <Text size="xs">{t('evaluations.form.autoProposed', { answer: proposed })}</Text>
        {overridden && (
          <Badge size="xs" color="orange" variant="light" data-testid={`overridden-${q.id}`}>
            {t('evaluations.form.overridden')}
          </Badge>
        )}
        {editing && !kept && p.proposed !== null && (
          <Button size="compact-xs" variant="subtle" onClick={onAccept} data-testid={`accept-${q.id}`}>
            {t('evaluations.form.accept')}
          </Button>
        )}
      </Group>
      {p.evidence.slice(0, 5).map((ev, i) => (
        <Group key={i} gap={4} wrap="nowrap">
          {player?.conversationId ? (
            <Anchor
              size="xs"
              component="button"
              type="button"
              onClick={() => player.seek(ev.startMs)}
              aria-label={t('evaluations.form.playAt', { at: formatDuration(ev.startMs) })}
            >
              <Group gap={2} wrap="nowrap">
                <IconPlay size={10} />
                {formatDuration(ev.startMs)}
              </Group>
            </Anchor>
          ) : (
            <Text size="xs" c="dimmed">
              {formatDuration(ev.startMs)}
            </Text>
          )}
          <Text size="xs" c="dimmed" lineClamp={1}>
            {ev.party ? `${t(`evaluations.form.party.${ev.party}`)}: ` : ''}
            {ev.text}
          </Text>
        </Group>
      ))}
    </Paper>
  );
}

function Revisions({ evaluation: e }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const times = useTimes();
  return (
    <div data-testid="evaluation-revisions">
      <Text size="sm" fw={600}>
        {t('evaluations.form.revisions')}
      </Text>
      {e.revisions.map((r) => (
        <Text key={r.revision} size="xs" c="dimmed">
          {`#${r.revision} · ${times.dateTime(r.submittedAt)} · ${r.evaluator.name} · `}
          <ScoreText score={r.score} maxScore={r.maxScore} percent={r.percent} />
          {r.passed === null ? '' : ` · ${r.passed ? t('evaluations.passed') : t('evaluations.failed')}`}
        </Text>
      ))}
    </div>
  );
}

/** Comments on the evaluation; one can point at the player's position, and its time seeks the player. */
function EvaluationComments({ evaluation: e }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const times = useTimes();
  const player = usePlayerContext();
  const now = useClock(player?.clock, (ms) => Math.floor(ms / 1000) * 1000);
  const add = useAddEvaluationComment(e.id);
  const [text, setText] = useState('');
  const [mentioned, setMentioned] = useState<Mentioned[]>([]);
  const [atPosition, setAtPosition] = useState(Boolean(player?.conversationId));
  const post = () => {
    if (!text.trim()) return;
    add.mutate(
      { body: toStored(text.trim(), mentioned), positionMs: atPosition && player?.conversationId ? Math.floor(player.clock.ms) : null },
      { onSuccess: () => (setText(''), setMentioned([])) },
    );
  };
  return (
    <Stack gap="xs" data-testid="evaluation-comments">
      <Text size="sm" fw={600}>
        {t('evaluations.comments.title')}
      </Text>
      {e.comments.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('evaluations.comments.none')}
        </Text>
      )}
      {e.comments.map((c) => (
        <div key={c.id}>
          <Group gap={6}>
            <Text size="xs" fw={600}>
              {c.author.name}
            </Text>
            <Text size="xs" c="dimmed">
              {times.dateTime(c.createdAt)}
            </Text>
            {c.positionMs !== null &&
              (player?.conversationId ? (
                <Anchor size="xs" component="button" type="button" onClick={() => player.seek(c.positionMs!)} data-testid="comment-position">
                  {`@ ${formatDuration(c.positionMs)}`}
                </Anchor>
              ) : (
                <Text size="xs" c="dimmed">{`@ ${formatDuration(c.positionMs)}`}</Text>
              ))}
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            <MentionText text={c.body} />
          </Text>
        </div>
      ))}
      <MentionTextarea
        mentionablePath={`/api/evaluations/${encodeURIComponent(e.id)}/mentionable`}
        label={t('evaluations.comments.placeholder')}
        placeholder={t('evaluations.comments.placeholder')}
        value={text}
        onChange={setText}
        mentioned={mentioned}
        onMention={(m) => setMentioned((list) => [...list, m])}
        onSubmit={post}
      />
      <Group justify="space-between">
        {player?.conversationId ? (
          <Checkbox
            size="xs"
            checked={atPosition}
            onChange={(ev) => setAtPosition(ev.currentTarget.checked)}
            label={t('evaluations.comments.atPosition', { at: formatDuration(now) })}
          />
        ) : (
          <span />
        )}
        <Button size="compact-sm" onClick={post} loading={add.isPending} disabled={!text.trim()} data-testid="evaluation-comment-post">
          {t('evaluations.comments.post')}
        </Button>
      </Group>
      <ErrorAlert error={add.error} />
    </Stack>
  );
}
