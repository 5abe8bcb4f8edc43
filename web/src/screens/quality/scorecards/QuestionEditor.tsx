// One question of the scorecard builder: its text and type, the type's figures (points, options, scale), the switches
// (required, N/A allowed, automatic failure, comment allowed), help text and the optional automatic rule.
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AutoRule, Question } from '../../../../../src/quality/model.ts';
import { questionMaximum } from '../../../../../src/quality/scoring.ts';
import { useIndicators } from '../../../api/insights.ts';
import { IconChevronDown, IconChevronUp, IconCopy, IconPlus, IconTrash } from '../../../components/icons.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { move, newQuestion, newRule, num, uid, type QuestionType } from './draft.ts';

interface Props {
  question: Question;
  /** "1.2": section and question numbers, for labels. */
  number: string;
  onChange: (q: Question) => void;
  onMove: (by: -1 | 1) => void;
  onCopy: () => void;
  onRemove: () => void;
  first: boolean;
  last: boolean;
  problems: string[];
}

export function QuestionEditor({ question: q, number, onChange, onMove, onCopy, onRemove, first, last, problems }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<Question>) => onChange({ ...q, ...patch } as Question);
  const label = (key: string) => t(`scorecards.question.${key}`);

  return (
    <Paper withBorder radius="sm" p="sm" data-testid="question-editor" data-question={number}>
      <Stack gap="xs">
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label={t('scorecards.question.text', { number })}
            placeholder={t('scorecards.question.textPlaceholder')}
            value={q.text}
            onChange={(e) => set({ text: e.currentTarget.value })}
            maxLength={500}
            data-testid="question-text"
          />
          <Select
            w={170}
            label={label('type')}
            data={(['yes_no', 'choice', 'scale'] as const).map((v) => ({ value: v, label: t(`scorecards.types.${v}`) }))}
            value={q.type}
            allowDeselect={false}
            onChange={(v) => v && v !== q.type && onChange(newQuestion(v as QuestionType, q))}
            data-testid="question-type"
          />
          <Group gap={2} wrap="nowrap" pb={4}>
            <Tooltip label={t('scorecards.moveUp')}>
              <ActionIcon variant="subtle" color="gray" disabled={first} onClick={() => onMove(-1)} aria-label={t('scorecards.question.moveUp', { number })}>
                <IconChevronUp size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('scorecards.moveDown')}>
              <ActionIcon variant="subtle" color="gray" disabled={last} onClick={() => onMove(1)} aria-label={t('scorecards.question.moveDown', { number })}>
                <IconChevronDown size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('scorecards.question.copy')}>
              <ActionIcon variant="subtle" color="gray" onClick={onCopy} aria-label={t('scorecards.question.copyNamed', { number })}>
                <IconCopy size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('common.delete')}>
              <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={t('scorecards.question.remove', { number })}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>

        {q.type === 'yes_no' && (
          <Group gap="sm" align="flex-end">
            <NumberInput
              w={130}
              label={label('points')}
              min={0}
              max={10000}
              decimalScale={2}
              value={q.points}
              onChange={(v) => set({ points: num(v) })}
              data-testid="question-points"
            />
            <Text size="xs" c="dimmed" pb={8}>
              {t('scorecards.question.yesNoHint')}
            </Text>
          </Group>
        )}
        {q.type === 'scale' && (
          <Group gap="sm" align="flex-end">
            <NumberInput w={90} label={label('min')} allowDecimal={false} value={q.min} onChange={(v) => set({ min: num(v) })} data-testid="scale-min" />
            <NumberInput w={90} label={label('max')} allowDecimal={false} value={q.max} onChange={(v) => set({ max: num(v) })} data-testid="scale-max" />
            <NumberInput
              w={130}
              label={label('pointsAtMax')}
              min={0}
              max={10000}
              decimalScale={2}
              value={q.points}
              onChange={(v) => set({ points: num(v) })}
              data-testid="question-points"
            />
            {q.autoFail && (
              <NumberInput
                w={170}
                label={label('failAtOrBelow')}
                allowDecimal={false}
                min={q.min}
                max={q.max - 1}
                value={q.failAtOrBelow ?? q.min}
                onChange={(v) => set({ failAtOrBelow: num(v, q.min) })}
                data-testid="scale-fail"
              />
            )}
          </Group>
        )}
        {q.type === 'choice' && <OptionsEditor question={q} onChange={onChange} />}

        <Group gap="lg">
          <Switch label={label('required')} checked={q.required} onChange={(e) => set({ required: e.currentTarget.checked })} data-testid="switch-required" />
          <Switch label={label('naAllowed')} checked={q.naAllowed} onChange={(e) => set({ naAllowed: e.currentTarget.checked })} data-testid="switch-na" />
          <Switch
            label={label('autoFail')}
            color="red"
            checked={q.autoFail}
            onChange={(e) => set({ autoFail: e.currentTarget.checked })}
            data-testid="switch-autofail"
          />
          <Switch
            label={label('commentAllowed')}
            checked={q.commentAllowed}
            onChange={(e) => set({ commentAllowed: e.currentTarget.checked })}
            data-testid="switch-comment"
          />
          <Text size="xs" c="dimmed" data-testid="question-max">
            {t('scorecards.question.worth', { points: questionMaximum(q) })}
          </Text>
        </Group>
        <Textarea
          label={label('helpText')}
          placeholder={t('scorecards.question.helpPlaceholder')}
          rows={1}
          maxLength={2000}
          value={q.helpText ?? ''}
          onChange={(e) => set({ helpText: e.currentTarget.value })}
        />
        <AutoRuleEditor rule={q.autoRule} onChange={(autoRule) => onChange({ ...q, autoRule } as Question)} />
        {problems.map((p) => (
          <Text key={p} size="xs" c="red" role="alert">
            {p}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}

function OptionsEditor({ question: q, onChange }: { question: Extract<Question, { type: 'choice' }>; onChange: (q: Question) => void }) {
  const { t } = useTranslation();
  const setOptions = (options: typeof q.options) => onChange({ ...q, options });
  return (
    <Stack gap={6} data-testid="options-editor">
      {q.options.map((o, i) => (
        <Group key={o.id} gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            label={i === 0 ? t('scorecards.option.label') : undefined}
            aria-label={t('scorecards.option.labelNumbered', { number: i + 1 })}
            placeholder={t('scorecards.option.placeholder', { number: i + 1 })}
            value={o.label}
            maxLength={200}
            onChange={(e) => setOptions(q.options.map((x, j) => (j === i ? { ...x, label: e.currentTarget.value } : x)))}
            data-testid="option-label"
          />
          <NumberInput
            w={110}
            label={i === 0 ? t('scorecards.option.points') : undefined}
            aria-label={t('scorecards.option.pointsNumbered', { number: i + 1 })}
            min={0}
            max={10000}
            decimalScale={2}
            value={o.points}
            onChange={(v) => setOptions(q.options.map((x, j) => (j === i ? { ...x, points: num(v) } : x)))}
            data-testid="option-points"
          />
          {q.autoFail && (
            <Checkbox
              mb={8}
              label={t('scorecards.option.fails')}
              checked={o.fails === true}
              onChange={(e) => {
                const fails = e.currentTarget.checked;
                setOptions(q.options.map((x, j) => (j === i ? (fails ? { ...x, fails: true } : { id: x.id, label: x.label, points: x.points }) : x)));
              }}
              data-testid="option-fails"
            />
          )}
          <ActionIcon
            mb={4}
            variant="subtle"
            color="gray"
            disabled={i === 0}
            onClick={() => setOptions(move(q.options, i, -1))}
            aria-label={t('scorecards.option.moveUp', { number: i + 1 })}
          >
            <IconChevronUp size={16} />
          </ActionIcon>
          <ActionIcon
            mb={4}
            variant="subtle"
            color="red"
            disabled={q.options.length <= 2}
            onClick={() => setOptions(q.options.filter((_, j) => j !== i))}
            aria-label={t('scorecards.option.remove', { number: i + 1 })}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          disabled={q.options.length >= 20}
          onClick={() => setOptions([...q.options, { id: uid(), label: '', points: 0 }])}
          data-testid="add-option"
        >
          {t('scorecards.option.add')}
        </Button>
      </Group>
    </Stack>
  );
}

const RULE_KINDS: Array<AutoRule['kind']> = ['phrase', 'silence_count', 'hold_count', 'talk_listen', 'sentiment_end'];

function AutoRuleEditor({ rule, onChange }: { rule: AutoRule | undefined; onChange: (r: AutoRule | undefined) => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const indicatorsAllowed = can(me, 'conversations.view', 'conversations.view_own', 'insights.manage');
  const indicators = useIndicators(indicatorsAllowed && rule?.kind === 'phrase');
  const l = (key: string) => t(`scorecards.rule.${key}`);
  return (
    <Stack gap={6}>
      <Select
        w={320}
        label={l('label')}
        description={l('description')}
        data={[{ value: '', label: l('none') }, ...RULE_KINDS.map((k) => ({ value: k, label: l(`kinds.${k}`) }))]}
        value={rule?.kind ?? ''}
        allowDeselect={false}
        onChange={(v) => onChange(v ? newRule(v as AutoRule['kind']) : undefined)}
        data-testid="rule-kind"
      />
      {rule?.kind === 'phrase' && (
        <Group gap="sm" align="flex-end">
          <SegmentedControl
            size="xs"
            data={[
              { value: 'phrase', label: l('phrase') },
              { value: 'indicator', label: l('indicator') },
            ]}
            value={rule.indicatorId !== undefined ? 'indicator' : 'phrase'}
            onChange={(v) => {
              const { indicatorId: _i, phrase: _p, ...rest } = rule;
              onChange(v === 'indicator' ? { ...rest, indicatorId: '' } : { ...rest, phrase: '' });
            }}
          />
          {rule.indicatorId !== undefined ? (
            <Select
              w={240}
              label={l('indicator')}
              searchable
              data={(indicators.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))}
              value={rule.indicatorId || null}
              onChange={(v) => onChange({ ...rule, indicatorId: v ?? '' })}
              data-testid="rule-indicator"
            />
          ) : (
            <TextInput
              w={240}
              label={l('phrase')}
              value={rule.phrase ?? ''}
              maxLength={200}
              onChange={(e) => onChange({ ...rule, phrase: e.currentTarget.value })}
              data-testid="rule-phrase"
            />
          )}
          <Select
            w={130}
            label={l('expect')}
            data={(['said', 'not_said'] as const).map((v) => ({ value: v, label: l(`expects.${v}`) }))}
            value={rule.expect}
            allowDeselect={false}
            onChange={(v) => v && onChange({ ...rule, expect: v as 'said' | 'not_said' })}
          />
          <Select
            w={130}
            label={l('by')}
            data={(['agent', 'customer', 'anyone'] as const).map((v) => ({ value: v, label: l(`bys.${v}`) }))}
            value={rule.by}
            allowDeselect={false}
            onChange={(v) => v && onChange({ ...rule, by: v as 'agent' | 'customer' | 'anyone' })}
          />
          <Select
            w={150}
            label={l('within')}
            data={[
              { value: '', label: l('anywhere') },
              { value: 'first', label: l('first') },
              { value: 'last', label: l('last') },
            ]}
            value={rule.within?.edge ?? ''}
            allowDeselect={false}
            onChange={(v) => {
              const { within: _w, ...rest } = rule;
              onChange(v ? { ...rest, within: { edge: v as 'first' | 'last', seconds: rule.within?.seconds ?? 30 } } : rest);
            }}
          />
          {rule.within && (
            <NumberInput
              w={110}
              label={l('seconds')}
              min={1}
              value={rule.within.seconds}
              onChange={(v) => onChange({ ...rule, within: { ...rule.within!, seconds: num(v, 1) } })}
            />
          )}
        </Group>
      )}
      {(rule?.kind === 'silence_count' || rule?.kind === 'hold_count') && (
        <NumberInput
          w={160}
          label={l('atMost')}
          min={0}
          allowDecimal={false}
          value={rule.max}
          onChange={(v) => onChange({ ...rule, max: num(v) })}
          data-testid="rule-max"
        />
      )}
      {rule?.kind === 'talk_listen' && (
        <Group gap="sm">
          <NumberInput w={130} label={l('ratioMin')} min={0} decimalScale={2} value={rule.min} onChange={(v) => onChange({ ...rule, min: num(v) })} />
          <NumberInput w={130} label={l('ratioMax')} min={0} decimalScale={2} value={rule.max} onChange={(v) => onChange({ ...rule, max: num(v) })} />
        </Group>
      )}
      {rule?.kind === 'sentiment_end' && (
        <NumberInput w={200} label={l('sentimentMin')} min={0} max={100} value={rule.min} onChange={(v) => onChange({ ...rule, min: num(v) })} />
      )}
    </Stack>
  );
}
