// The filter chips in the UI's language (issue 16: they stayed English in the French UI). The server labels chips in
// English (src/search/filter.ts describeFilter) with the names it looked up (agents, tags, indicators, topics, custom
// fields); this rebuilds each label from the canonical filter with the catalogue's words, taking from the server's
// label only those names and the language-neutral parts (times, talk times, score ranges). In English, or for a chip
// this does not know, the server's label stands.
import type { TFunction } from 'i18next';
import type { FilterChip, SearchFilterInput } from '../api/types.ts';
import { formatDate } from '../format.ts';

type Filter = SearchFilterInput;
type Period = NonNullable<Filter['period']>;
type CustomOp = NonNullable<Filter['customData']>[number]['op'];

/** What the server's label starts with for each field (describeFilter). */
const ENGLISH_PREFIX: Record<string, string[]> = {
  saidBy: ['Said by: '],
  period: ['Time period: '],
  daysOfWeek: ['Days of week: '],
  timeOfDay: ['Time of day: '],
  duration: ['Duration: ', 'Talk time: '],
  phone: ['Phone number: starts with '],
  channels: ['Channel: '],
  screen: ['Screen: '],
  direction: ['Direction: '],
  agentId: ['Agent: '],
  groupId: ['Group: '],
  tags: ['Tags: '],
  speechTags: ['Speech tags: '],
  indicators: ['Indicators: '],
  topics: ['Topics: '],
  sentiment: ['Sentiment: '],
  engagement: ['Engagement: '],
  reviewable: ['Reviewable: '],
  reviewed: ['Reviewed: '],
  view: ['View: '],
};

/** Where the English wording of a custom-data condition starts after the field's label. */
const ENGLISH_OP: Record<string, string> = {
  starts_with: ' starts with ',
  contains: ' contains ',
  ends_with: ' ends with ',
  equals: ' is “',
  not_equals: ' is not “',
  lt: ' < ',
  lte: ' ≤ ',
  gte: ' ≥ ',
  gt: ' > ',
  in: ' is one of ',
  is_empty: ' is empty',
  not_empty: ' is not empty',
  pattern: ' matches “',
  regex: ' matches the regular expression ',
  before: ' before ',
  after: ' after ',
  between: ' between ',
  older_than_days: ' older than ',
  newer_than_days: ' newer than ',
};

const isoDay = (day: string, lang: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? formatDate(`${day}T12:00:00Z`, lang, 'UTC') : day);

function periodText(p: Period, t: TFunction, lang: string): string {
  switch (p.kind) {
    case 'last_days':
      return t('search.chips.lastDays', { count: p.days });
    case 'older_than_days':
      return p.days === 0 ? t('search.chips.beforeToday') : t('search.chips.olderThanDays', { count: p.days });
    case 'custom':
      return p.from === p.to ? isoDay(p.from, lang) : `${isoDay(p.from, lang)} – ${isoDay(p.to, lang)}`;
    default:
      return t(`search.period.${p.kind}`);
  }
}

function weekdays(days: number[], lang: string): string {
  // 1 January 2024 was a Monday: ISO weekday d is 2024-01-0d.
  const f = new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' });
  return days.map((d) => f.format(new Date(Date.UTC(2024, 0, d)))).join(', ');
}

function customOpText(op: CustomOp, t: TFunction): string {
  const q = (s: string) => `“${s.trim()}”`;
  switch (op.op) {
    case 'in':
      return t('search.chips.ops.in', { values: op.values.map(q).join(', ') });
    case 'is_empty':
    case 'not_empty':
      return t(`search.chips.ops.${op.op}`);
    case 'pattern':
    case 'regex':
      return t(`search.chips.ops.${op.op}`, { value: q(op.pattern) });
    case 'before':
    case 'after':
      return t(`search.chips.ops.${op.op}`, { value: op.date });
    case 'between':
      return t('search.chips.ops.between', { from: op.from, to: op.to });
    case 'older_than_days':
    case 'newer_than_days':
      return t(`search.chips.ops.${op.op}`, { count: op.days });
    default:
      return t(`search.chips.ops.${op.op}`, { value: q(op.value) });
  }
}

/** The chip's label in the UI's language. */
export function chipLabel(chip: FilterChip, filter: Filter | undefined, t: TFunction, lang: string): string {
  if (lang.startsWith('en') || !filter) return chip.label;
  const prefix = ENGLISH_PREFIX[chip.field]?.find((p) => chip.label.startsWith(p));
  const rest = prefix ? chip.label.slice(prefix.length) : chip.label;
  const field = (key: string, value: string) => t('search.chips.field', { field: t(`search.fields.${key}`), value });
  const f = filter;
  switch (chip.field) {
    case 'saidBy':
      return f.saidBy ? field('saidBy', t(`search.saidBy.${f.saidBy}`)) : chip.label;
    case 'period':
      return f.period ? field('period', periodText(f.period, t, lang)) : chip.label;
    case 'daysOfWeek':
      return f.daysOfWeek ? field('daysOfWeek', weekdays(f.daysOfWeek, lang)) : chip.label;
    case 'timeOfDay':
      return prefix ? field('timeOfDay', rest) : chip.label;
    case 'duration':
      if (typeof f.duration === 'string') return field('duration', t(`search.duration.${f.duration}`));
      if (!prefix) return chip.label;
      return t('search.chips.field', {
        field: t('search.chips.talkTime'),
        value: rest.replace(/^at least /, `${t('search.chips.atLeast')} `).replace(/^at most /, `${t('search.chips.atMost')} `),
      });
    case 'phone':
      return f.phone ? field('phone', t('search.chips.startsWith', { value: f.phone })) : chip.label;
    case 'channels':
      return f.channels ? field('channels', f.channels.map((c) => t(`search.channels.${c}`)).join(', ')) : chip.label;
    case 'screen':
      return f.screen ? field('screen', t(`search.screen.${f.screen}`)) : chip.label;
    case 'direction':
      return f.direction ? field('direction', t(`search.direction.${f.direction}`)) : chip.label;
    case 'agentId':
      return prefix ? field('agentId', rest) : chip.label;
    case 'groupId':
      return prefix ? field('groupId', rest) : chip.label;
    case 'tags': {
      if (!prefix) return chip.label;
      const names = rest.split(' or ');
      return field('tags', names.length === f.tags?.length ? names.join(` ${t('search.chips.or')} `) : rest);
    }
    case 'speechTags':
      if (!prefix) return chip.label;
      return field(
        'speechTags',
        rest
          .replace(/\((certainly|probably|maybe)\)/g, (_, level: string) => `(${t(`search.chips.confidence.${level}`)})`)
          .replace(/(^|, )not /g, (_, lead: string) => `${lead}${t('search.chips.not')} `),
      );
    case 'indicators':
      if (!prefix) return chip.label;
      return field(
        'indicators',
        rest
          .replace(/ \(by the (agent|customer)\)/g, (_, by: string) => ` (${t(by === 'agent' ? 'search.chips.byAgent' : 'search.chips.byCustomer')})`)
          .replace(/(^|, )not /g, (_, lead: string) => `${lead}${t('search.chips.not')} `),
      );
    case 'topics': {
      if (!prefix) return chip.label;
      const names = rest.split(' or ');
      return field('topics', names.length === f.topics?.length ? names.join(` ${t('search.chips.or')} `) : rest);
    }
    case 'sentiment':
    case 'engagement': {
      const r = f[chip.field];
      return r ? field(chip.field, `${r.min ?? 0} – ${r.max ?? 100}`) : chip.label;
    }
    case 'reviewable':
      return f.reviewable === 'all' ? field('reviewable', t('search.reviewable.all')) : chip.label;
    case 'reviewed':
      return f.reviewed === 'yes' || f.reviewed === 'no' ? field('reviewed', t(`search.reviewed.${f.reviewed}`)) : chip.label;
    case 'networkQuality':
      return f.networkQuality === 'poor' || f.networkQuality === 'good' ? field('networkQuality', t(`search.networkQuality.${f.networkQuality}`)) : chip.label;
    case 'customData': {
      const c = chip.index !== undefined ? f.customData?.[chip.index] : undefined;
      const marker = c ? ENGLISH_OP[c.op.op] : undefined;
      const at = marker ? chip.label.indexOf(marker) : -1;
      return c && at > 0 ? `${chip.label.slice(0, at)} ${customOpText(c.op, t)}` : chip.label;
    }
    case 'view': {
      const v = f.view;
      if (v === 'mine' || v === 'unassigned') return field('view', t(`search.view.${v}`));
      if (v && typeof v === 'object' && prefix) {
        if ('userId' in v && rest.startsWith('Conversations of ')) return field('view', t('search.chips.viewUser', { name: rest.slice(17) }));
        if ('tagId' in v && rest.startsWith('Category: ')) return field('view', t('search.chips.viewCategory', { name: rest.slice(10) }));
      }
      return chip.label;
    }
    default:
      return chip.label;
  }
}
