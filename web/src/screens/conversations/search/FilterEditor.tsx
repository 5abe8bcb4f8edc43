// The editor of one filter field (for customData: one condition, or a new one when `index` is absent). Apply runs
// the changed search; the editor closes once the server has accepted it and stays open with its message otherwise.
import type { CustomDataCondition, FilterField, SearchFilterInput } from '../../../api/types.ts';
import { AgentEditor } from './editors/AgentEditor.tsx';
import {
  ChannelEditor,
  DirectionEditor,
  NetworkQualityEditor,
  ReviewableEditor,
  ReviewedEditor,
  SaidByEditor,
  ScreenEditor,
  SortEditor,
} from './editors/ChoiceEditors.tsx';
import { CustomDataEditor } from './editors/CustomDataEditor.tsx';
import { DaysOfWeekEditor } from './editors/DaysOfWeekEditor.tsx';
import { DurationEditor } from './editors/DurationEditor.tsx';
import { GroupEditor } from './editors/GroupEditor.tsx';
import { EngagementEditor, IndicatorsEditor, SentimentEditor, TopicsEditor } from './editors/InsightEditors.tsx';
import { PeriodEditor } from './editors/PeriodEditor.tsx';
import { PhoneEditor } from './editors/PhoneEditor.tsx';
import { SpeechTagsEditor } from './editors/SpeechTagsEditor.tsx';
import { TagsEditor } from './editors/TagsEditor.tsx';
import { TimeOfDayEditor } from './editors/TimeOfDayEditor.tsx';
import { ViewEditor } from './editors/ViewEditor.tsx';
import { patchFilter } from './filterModel.ts';
import { useApplySearch, useSearch } from './SearchContext.tsx';

interface Props {
  field: FilterField;
  index?: number;
  onDone: () => void;
}

/** The filter with one customData condition set (at `index`, or added), or removed when `condition` is undefined. */
function withCondition(filter: SearchFilterInput, index: number | undefined, condition: CustomDataCondition | undefined): SearchFilterInput {
  const list = [...(filter.customData ?? [])];
  const at = index !== undefined && index < list.length ? index : list.length;
  if (condition) list[at] = condition;
  else list.splice(at, 1);
  return patchFilter(filter, { customData: list.length ? list : undefined });
}

export function FilterEditor({ field, index, onDone }: Props) {
  const { q, filter, page } = useSearch();
  const run = useApplySearch();
  const submit = (next: SearchFilterInput) => run.mutate({ q, filter: next }, { onSuccess: onDone });
  const form = { onCancel: onDone, pending: run.isPending, error: run.error };
  // Every editor's `apply` sets its own field; the types of the value differ per field, hence one function per call.
  const set =
    <K extends FilterField>(key: K) =>
    (value: SearchFilterInput[K] | undefined) =>
      submit(patchFilter(filter, { [key]: value }));
  const chipName = (f: string) => page?.chips.find((c) => c.field === f)?.label.replace(/^[^:]*:\s*/, '');

  switch (field) {
    case 'saidBy':
      return <SaidByEditor value={filter.saidBy === 'anyone' ? undefined : filter.saidBy} apply={set('saidBy')} {...form} />;
    case 'period':
      return <PeriodEditor value={filter.period} apply={set('period')} {...form} />;
    case 'daysOfWeek':
      return <DaysOfWeekEditor value={filter.daysOfWeek} apply={set('daysOfWeek')} {...form} />;
    case 'timeOfDay':
      return <TimeOfDayEditor value={filter.timeOfDay} apply={set('timeOfDay')} {...form} />;
    case 'duration':
      return <DurationEditor value={filter.duration} apply={set('duration')} {...form} />;
    case 'phone':
      return <PhoneEditor value={filter.phone} apply={set('phone')} {...form} />;
    case 'channels':
      return <ChannelEditor value={filter.channels} apply={set('channels')} {...form} />;
    case 'screen':
      return <ScreenEditor value={filter.screen} apply={set('screen')} {...form} />;
    case 'direction':
      return <DirectionEditor value={filter.direction} apply={set('direction')} {...form} />;
    case 'agentId':
      return <AgentEditor value={filter.agentId} valueName={chipName('agentId')} apply={set('agentId')} {...form} />;
    case 'groupId':
      return <GroupEditor value={filter.groupId} apply={set('groupId')} {...form} />;
    case 'tags':
      return <TagsEditor value={filter.tags} apply={set('tags')} {...form} />;
    case 'speechTags':
      return <SpeechTagsEditor value={filter.speechTags} apply={set('speechTags')} {...form} />;
    case 'indicators':
      return <IndicatorsEditor value={filter.indicators} apply={set('indicators')} {...form} />;
    case 'topics':
      return <TopicsEditor value={filter.topics} apply={set('topics')} {...form} />;
    case 'sentiment':
      return <SentimentEditor value={filter.sentiment} apply={set('sentiment')} {...form} />;
    case 'engagement':
      return <EngagementEditor value={filter.engagement} apply={set('engagement')} {...form} />;
    case 'reviewable':
      return <ReviewableEditor value={filter.reviewable} apply={set('reviewable')} {...form} />;
    case 'reviewed':
      return <ReviewedEditor value={filter.reviewed ?? undefined} apply={set('reviewed')} {...form} />;
    case 'networkQuality':
      return <NetworkQualityEditor value={filter.networkQuality ?? undefined} apply={set('networkQuality')} {...form} />;
    case 'customData': {
      const list = filter.customData ?? [];
      const at = index !== undefined && index < list.length ? index : list.length;
      return <CustomDataEditor key={at} value={list[at]} path={`customData.${at}`} apply={(c) => submit(withCondition(filter, index, c))} {...form} />;
    }
    case 'view':
      return <ViewEditor value={filter.view} apply={set('view')} {...form} />;
    case 'sort':
      return <SortEditor value={filter.sort} hasQuery={!!q.trim()} apply={set('sort')} {...form} />;
  }
}
