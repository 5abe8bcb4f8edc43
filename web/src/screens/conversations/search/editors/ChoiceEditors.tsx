// The filters that are a pick among fixed values: Channel (several), Said by, Screen, Direction, Reviewable, Reviewed,
// Sort (one).
import { Checkbox, Radio, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel, FilterDirection, SearchSort } from '../../../../api/types.ts';
import { messageAt } from '../filterModel.ts';
import { EditorForm, HelpText, type EditorProps } from './EditorForm.tsx';

export const CHANNELS: Channel[] = ['call', 'email', 'chat'];
export const DIRECTIONS: FilterDirection[] = ['inbound_or_outbound', 'inbound', 'outbound', 'internal'];

export function ChannelEditor({ value, apply, ...form }: EditorProps<Channel[]>) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<string[]>(value ?? []);
  return (
    <EditorForm title={t('search.fields.channels')} onApply={() => apply(picked.length ? CHANNELS.filter((c) => picked.includes(c)) : undefined)} {...form}>
      <Checkbox.Group value={picked} onChange={setPicked} aria-label={t('search.fields.channels')} error={messageAt(form.error, 'channels')}>
        <Stack gap={6}>
          {CHANNELS.map((c) => (
            <Checkbox key={c} size="xs" value={c} label={t(`search.channels.${c}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
    </EditorForm>
  );
}

/** One value among a few, as radio buttons. */
function OneOf<T extends string>({
  title,
  options,
  labelKey,
  initial,
  help,
  value: _value,
  apply,
  ...form
}: EditorProps<T> & { title: string; options: readonly T[]; labelKey: string; initial: T; help?: string }) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<T>(initial);
  return (
    <EditorForm title={title} onApply={() => apply(picked)} {...form}>
      <Radio.Group value={picked} onChange={(v) => setPicked(v as T)} aria-label={title}>
        <Stack gap={6}>
          {options.map((o) => (
            <Radio key={o} size="xs" value={o} label={t(`${labelKey}.${o}`)} />
          ))}
        </Stack>
      </Radio.Group>
      {help && <HelpText text={help} />}
    </EditorForm>
  );
}

/** Said by: what the text search looks at in calls, chats and emails ("anyone" clears the condition). */
export function SaidByEditor({ apply, ...props }: EditorProps<'agent' | 'customer'>) {
  const { t } = useTranslation();
  return (
    <OneOf<'anyone' | 'agent' | 'customer'>
      {...props}
      apply={(v) => apply(v === 'anyone' ? undefined : v)}
      title={t('search.fields.saidBy')}
      options={['anyone', 'agent', 'customer']}
      labelKey="search.saidBy"
      initial={props.value ?? 'customer'}
      help={t('search.saidBy.help')}
    />
  );
}

export function ScreenEditor(props: EditorProps<'with' | 'without'>) {
  const { t } = useTranslation();
  return <OneOf {...props} title={t('search.fields.screen')} options={['with', 'without']} labelKey="search.screen" initial={props.value ?? 'with'} />;
}

export function DirectionEditor(props: EditorProps<FilterDirection>) {
  const { t } = useTranslation();
  return <OneOf {...props} title={t('search.fields.direction')} options={DIRECTIONS} labelKey="search.direction" initial={props.value ?? 'inbound'} />;
}

export function ReviewableEditor(props: EditorProps<'reviewable' | 'all'>) {
  const { t } = useTranslation();
  return (
    <OneOf
      {...props}
      title={t('search.fields.reviewable')}
      options={['reviewable', 'all']}
      labelKey="search.reviewable"
      initial={props.value ?? 'reviewable'}
      help={t('search.reviewable.help')}
    />
  );
}

/** Reviewed yes / no: whether a quality review of the conversation was submitted (issue 11). */
export function ReviewedEditor(props: EditorProps<'yes' | 'no'>) {
  const { t } = useTranslation();
  return (
    <OneOf
      {...props}
      title={t('search.fields.reviewed')}
      options={['yes', 'no']}
      labelKey="search.reviewed"
      initial={props.value ?? 'yes'}
      help={t('search.reviewed.help')}
    />
  );
}

/** Network quality poor / good: calls the recorder measured (issue 13); imported recordings have no measurement. */
export function NetworkQualityEditor(props: EditorProps<'poor' | 'good'>) {
  const { t } = useTranslation();
  return (
    <OneOf
      {...props}
      title={t('search.fields.networkQuality')}
      options={['poor', 'good']}
      labelKey="search.networkQuality"
      initial={props.value ?? 'poor'}
      help={t('search.networkQuality.help')}
    />
  );
}

export function SortEditor({ hasQuery, ...props }: EditorProps<SearchSort> & { hasQuery: boolean }) {
  const { t } = useTranslation();
  return (
    <OneOf
      {...props}
      title={t('search.fields.sort')}
      options={['relevance', 'newest']}
      labelKey="search.sort"
      initial={props.value ?? (hasQuery ? 'relevance' : 'newest')}
      help={hasQuery ? undefined : t('search.sort.needsQuery')}
    />
  );
}
