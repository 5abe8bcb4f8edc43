// Quality → Scorecards → a scorecard: the builder. Name and description, scoring mode and pass mark, sections (weighted
// in percentage mode) with questions of any type in any mix; a live summary of the maximum; the definition checked
// as the server checks it (validateDefinition) before saving. Saving a scorecard whose latest version is used by
// evaluations makes a new version, which the page says beforehand and after.
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Question, ScorecardDefinition, Section } from '../../../../../src/quality/model.ts';
import { definitionMaximum } from '../../../../../src/quality/scoring.ts';
import { canonicalJson, validateDefinition, type DefinitionProblem } from '../../../../../src/quality/scorecards/definition.ts';
import { useArchiveScorecard, useSaveScorecard, useScorecard, type Scorecard } from '../../../api/scorecards.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Timestamp } from '../../../components/Timestamp.tsx';
import { IconArrowLeft, IconChevronDown, IconChevronUp, IconPlus, IconTrash } from '../../../components/icons.tsx';
import { copyQuestion, emptyDefinition, move, newQuestion, newSection, num, problemPlace } from './draft.ts';
import { QuestionEditor } from './QuestionEditor.tsx';
import { TryOutModal } from './TryOutModal.tsx';

/** The last save, for its note: shown while the page shows that scorecard. */
type Saved = { id: string; version: number; newVersion: boolean } | null;

export function ScorecardBuilderPage() {
  const { id } = useParams();
  const existing = id && id !== 'new' ? id : null;
  const card = useScorecard(existing);
  // Here, not in the editor: the editor starts again after a save, and the note must outlive that.
  const [saved, setSaved] = useState<Saved>(null);
  if (existing && !card.data) return card.error ? <ErrorAlert error={card.error} /> : <Text c="dimmed">{'…'}</Text>;
  // Keyed by id and last save: after a save (a new version perhaps) the editor starts again from what the server holds.
  return <Builder key={card.data ? `${card.data.id}:${card.data.updatedAt}` : 'new'} scorecard={card.data ?? null} saved={saved} onSaved={setSaved} />;
}

function Builder({ scorecard, saved, onSaved: setSaved }: { scorecard: Scorecard | null; saved: Saved; onSaved: (s: Saved) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveScorecard();
  const archive = useArchiveScorecard();
  const [name, setName] = useState(scorecard?.name ?? '');
  const [description, setDescription] = useState(scorecard?.description ?? '');
  const [def, setDef] = useState<ScorecardDefinition>(() => (scorecard ? (scorecard.definition as ScorecardDefinition) : emptyDefinition()));
  const [tried, setTried] = useState(false);
  const [trying, setTrying] = useState(false);
  const [initial] = useState(() => canonicalJson({ name, description, def }));
  const dirty = !scorecard?.archived && canonicalJson({ name, description, def }) !== initial;

  // Closing or reloading the tab with unsaved changes asks first (the browser's own prompt).
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const problems = useMemo(() => validateDefinition(def), [def]);
  const maximum = useMemo(() => definitionMaximum(def), [def]);
  const readOnly = scorecard?.archived === true;
  const latest = scorecard?.versions[0];
  const inUse = (latest?.evaluations ?? 0) > 0;

  const problemText = (p: DefinitionProblem) => t(`scorecards.problems.${p.code}`);
  const problemsAt = (si: number, qi: number | null) =>
    tried ? problems.filter((p) => problemPlace(p.path).section === si && problemPlace(p.path).question === qi).map(problemText) : [];

  const setSections = (sections: Section[]) => setDef({ ...def, sections });
  const setSection = (si: number, s: Section) => setSections(def.sections.map((x, i) => (i === si ? s : x)));
  const setQuestions = (si: number, questions: Question[]) => setSection(si, { ...def.sections[si]!, questions });

  async function submit() {
    setTried(true);
    setSaved(null);
    if (!name.trim() || problems.length > 0) return;
    const input = { name, description, definition: def };
    const result = scorecard
      ? await save.mutateAsync({ id: scorecard.id, input: { ...input, expectedUpdatedAt: scorecard.updatedAt } })
      : await save.mutateAsync({ input });
    setSaved({ id: result.id, version: result.version, newVersion: 'newVersion' in result && result.newVersion === true });
    if (!scorecard) navigate(`/quality/scorecards/${result.id}`, { replace: true });
  }

  return (
    <Stack gap="md" data-testid="scorecard-builder">
      <Group justify="space-between">
        <Button component={Link} to="/quality/scorecards" variant="subtle" leftSection={<IconArrowLeft size={16} />}>
          {t('scorecards.back')}
        </Button>
        {scorecard && (
          <Group gap="xs">
            <Badge variant="light">{t('scorecards.versionBadge', { version: scorecard.version })}</Badge>
            {readOnly && (
              <Badge variant="light" color="gray">
                {t('scorecards.archived')}
              </Badge>
            )}
          </Group>
        )}
      </Group>
      {readOnly && (
        <Alert color="gray" variant="light" data-testid="archived-note">
          <Group justify="space-between">
            <Text size="sm">{t('scorecards.archivedNote')}</Text>
            <Button size="xs" variant="default" loading={archive.isPending} onClick={() => archive.mutate({ id: scorecard!.id, archive: false })}>
              {t('scorecards.unarchive')}
            </Button>
          </Group>
        </Alert>
      )}
      {!readOnly && inUse && latest && (
        <Alert color="blue" variant="light" data-testid="version-note">
          {t('scorecards.inUseNote', { count: latest.evaluations, version: latest.version, next: latest.version + 1 })}
        </Alert>
      )}
      {saved && saved.id === scorecard?.id && (
        <Alert color="green" variant="light" data-testid="saved-note">
          {saved.newVersion ? t('scorecards.savedNewVersion', { version: saved.version }) : t('scorecards.saved', { version: saved.version })}
        </Alert>
      )}
      <ErrorAlert error={save.error ?? archive.error} />

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <Stack gap="md">
              <Paper withBorder radius="md" p="md">
                <Stack gap="sm">
                  <TextInput
                    label={t('scorecards.name')}
                    required
                    value={name}
                    maxLength={120}
                    onChange={(e) => setName(e.currentTarget.value)}
                    error={tried && !name.trim() ? t('validation.required') : undefined}
                    data-testid="scorecard-name"
                  />
                  <Textarea
                    label={t('scorecards.description')}
                    rows={2}
                    maxLength={2000}
                    value={description}
                    onChange={(e) => setDescription(e.currentTarget.value)}
                    data-testid="scorecard-description"
                  />
                </Stack>
              </Paper>

              {def.sections.map((section, si) => (
                <SectionEditor
                  key={section.id}
                  section={section}
                  index={si}
                  count={def.sections.length}
                  percentage={def.scoring === 'percentage'}
                  maxPoints={maximum.sections[si]?.maxPoints ?? 0}
                  problems={problemsAt(si, null)}
                  onChange={(s) => setSection(si, s)}
                  onMove={(by) => setSections(move(def.sections, si, by))}
                  onRemove={() => setSections(def.sections.filter((_, i) => i !== si))}
                >
                  {section.questions.map((q, qi) => (
                    <QuestionEditor
                      key={q.id}
                      question={q}
                      number={`${si + 1}.${qi + 1}`}
                      first={qi === 0}
                      last={qi === section.questions.length - 1}
                      problems={problemsAt(si, qi)}
                      onChange={(nq) =>
                        setQuestions(
                          si,
                          section.questions.map((x, i) => (i === qi ? nq : x)),
                        )
                      }
                      onMove={(by) => setQuestions(si, move(section.questions, qi, by))}
                      onCopy={() => setQuestions(si, [...section.questions.slice(0, qi + 1), copyQuestion(q), ...section.questions.slice(qi + 1)])}
                      onRemove={() =>
                        setQuestions(
                          si,
                          section.questions.filter((_, i) => i !== qi),
                        )
                      }
                    />
                  ))}
                </SectionEditor>
              ))}
              <Group>
                <Button
                  variant="default"
                  leftSection={<IconPlus size={16} />}
                  onClick={() => setSections([...def.sections, newSection()])}
                  data-testid="add-section"
                >
                  {t('scorecards.section.add')}
                </Button>
              </Group>
            </Stack>
          </fieldset>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md" style={{ position: 'sticky', top: 16 }}>
            <Paper withBorder radius="md" p="md" data-testid="scoring-panel">
              <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
                <Stack gap="sm">
                  <Title order={5}>{t('scorecards.scoring')}</Title>
                  <SegmentedControl
                    fullWidth
                    data={[
                      { value: 'points', label: t('scorecards.modes.points') },
                      { value: 'percentage', label: t('scorecards.modes.percentage') },
                    ]}
                    value={def.scoring}
                    onChange={(v) => setDef({ ...def, scoring: v as ScorecardDefinition['scoring'], passMark: null })}
                    data-testid="scoring-mode"
                  />
                  <Text size="xs" c="dimmed">
                    {t(`scorecards.modeHints.${def.scoring}`)}
                  </Text>
                  <Switch
                    label={t('scorecards.passMarkOn')}
                    checked={def.passMark !== null}
                    onChange={(e) =>
                      setDef({
                        ...def,
                        passMark: e.currentTarget.checked ? (def.scoring === 'percentage' ? 80 : Math.round(maximum.total * 0.8 * 100) / 100) : null,
                      })
                    }
                    data-testid="pass-mark-switch"
                  />
                  {def.passMark !== null && (
                    <NumberInput
                      label={def.scoring === 'percentage' ? t('scorecards.passMarkPercent') : t('scorecards.passMarkPoints')}
                      min={0}
                      max={def.scoring === 'percentage' ? 100 : undefined}
                      decimalScale={2}
                      value={def.passMark}
                      onChange={(v) => setDef({ ...def, passMark: num(v) })}
                      error={tried ? problems.filter((p) => p.path === 'passMark').map(problemText)[0] : undefined}
                      data-testid="pass-mark"
                    />
                  )}
                </Stack>
              </fieldset>
            </Paper>

            <Paper withBorder radius="md" p="md" data-testid="preview">
              <Stack gap={6}>
                <Title order={5}>{t('scorecards.preview')}</Title>
                <Text size="sm" data-testid="preview-max">
                  {def.scoring === 'percentage'
                    ? t('scorecards.previewPercentage', { points: maximum.total })
                    : t('scorecards.previewPoints', { points: maximum.total })}
                </Text>
                {def.sections.map((s, i) => (
                  <Group key={s.id} justify="space-between" gap="xs" wrap="nowrap">
                    <Text size="xs" c="dimmed" truncate>
                      {s.title || t('scorecards.section.untitled', { number: i + 1 })}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {def.scoring === 'percentage'
                        ? t('scorecards.previewSectionWeighted', { points: maximum.sections[i]?.maxPoints ?? 0, weight: s.weight })
                        : t('scorecards.previewSection', { points: maximum.sections[i]?.maxPoints ?? 0 })}
                    </Text>
                  </Group>
                ))}
                {def.passMark !== null && (
                  <Text size="xs" data-testid="preview-pass">
                    {def.scoring === 'percentage'
                      ? t('scorecards.previewPassPercent', { mark: def.passMark })
                      : t('scorecards.previewPassPoints', { mark: def.passMark, max: maximum.total })}
                  </Text>
                )}
                <Group justify="flex-end">
                  <Button size="xs" variant="light" onClick={() => setTrying(true)} data-testid="try-out">
                    {t('scorecards.tryOut.button')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
            {/* Mounted only while open: every try starts blank, on the definition as it is now. */}
            {trying && <TryOutModal def={def} opened onClose={() => setTrying(false)} />}

            {tried && problems.length > 0 && (
              <Alert color="red" variant="light" title={t('scorecards.problemsTitle', { count: problems.length })} data-testid="problems">
                <Stack gap={2}>
                  {problems.slice(0, 8).map((p, i) => (
                    <Text key={i} size="xs">
                      {placeLabel(p.path, t)}
                      {problemText(p)}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            {!readOnly && (
              <Group justify="flex-end">
                <Button variant="default" component={Link} to="/quality/scorecards">
                  {t('common.cancel')}
                </Button>
                <Button onClick={() => void submit().catch(() => undefined)} loading={save.isPending} data-testid="save-scorecard">
                  {scorecard ? t('common.save') : t('scorecards.create')}
                </Button>
              </Group>
            )}
            {scorecard && <VersionsTable scorecard={scorecard} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function placeLabel(path: string, t: (k: string, o?: Record<string, unknown>) => string): string {
  const { section, question } = problemPlace(path);
  if (section === null) return '';
  return question === null
    ? `${t('scorecards.section.numbered', { number: section + 1 })} · `
    : `${t('scorecards.question.numbered', { number: `${section + 1}.${question + 1}` })} · `;
}

interface SectionProps {
  section: Section;
  index: number;
  count: number;
  percentage: boolean;
  maxPoints: number;
  problems: string[];
  onChange: (s: Section) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  children: React.ReactNode;
}

function SectionEditor({ section, index, count, percentage, maxPoints, problems, onChange, onMove, onRemove, children }: SectionProps) {
  const { t } = useTranslation();
  const number = index + 1;
  return (
    <Paper withBorder radius="md" p="md" data-testid="section-editor">
      <Stack gap="sm">
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label={t('scorecards.section.title', { number })}
            placeholder={t('scorecards.section.titlePlaceholder')}
            value={section.title}
            maxLength={200}
            onChange={(e) => onChange({ ...section, title: e.currentTarget.value })}
            data-testid="section-title"
          />
          {percentage && (
            <NumberInput
              w={110}
              label={t('scorecards.section.weight')}
              min={0}
              decimalScale={2}
              value={section.weight}
              onChange={(v) => onChange({ ...section, weight: num(v) })}
              data-testid="section-weight"
            />
          )}
          <Text size="xs" c="dimmed" pb={10} style={{ whiteSpace: 'nowrap' }}>
            {t('scorecards.previewSection', { points: maxPoints })}
          </Text>
          <Group gap={2} wrap="nowrap" pb={4}>
            <Tooltip label={t('scorecards.moveUp')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                disabled={index === 0}
                onClick={() => onMove(-1)}
                aria-label={t('scorecards.section.moveUp', { number })}
              >
                <IconChevronUp size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('scorecards.moveDown')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                disabled={index === count - 1}
                onClick={() => onMove(1)}
                aria-label={t('scorecards.section.moveDown', { number })}
              >
                <IconChevronDown size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('common.delete')}>
              <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={t('scorecards.section.remove', { number })}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        {problems.map((p) => (
          <Text key={p} size="xs" c="red" role="alert">
            {p}
          </Text>
        ))}
        {children}
        <Group>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange({ ...section, questions: [...section.questions, newQuestion()] })}
            data-testid="add-question"
          >
            {t('scorecards.question.add')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function VersionsTable({ scorecard }: { scorecard: Scorecard }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={5} mb="xs">
        {t('scorecards.versions')}
      </Title>
      <Table data-testid="versions" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('scorecards.versionColumn')}</Table.Th>
            <Table.Th>{t('scorecards.createdColumn')}</Table.Th>
            <Table.Th>{t('scorecards.evaluationsColumn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scorecard.versions.map((v) => (
            <Table.Tr key={v.id}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>
                <Timestamp iso={v.createdAt} />
                {v.createdBy ? ` · ${v.createdBy.name}` : ''}
              </Table.Td>
              <Table.Td>{v.evaluations}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
