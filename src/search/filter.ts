// The search filter object (version 1): the JSON that POST /api/conversations/search takes and a saved search stores.
//
// Two forms:
// - what a client sends (SearchFilterInput): every field optional, `version` optional (1 is the only one), null for an
//   absent condition — except `period`, where null means "the Time period chip was removed" (all time);
// - the canonical form (SearchFilter) that normalizeFilter returns, saved searches store and the search backend
//   reads: checked, defaults filled, lists de-duplicated and ordered, keys in one order, absent conditions omitted.
//   `version`, `period`, `reviewable`, `view` and `sort` are always present.
//
// Fields and their meaning (the search backend implements them; src/search/filters/README.md maps each to SQL):
//   q            full-text query (query/parse.ts); an empty or blank one is no condition
//   saidBy       agent / customer: the text query matches only what that side said or wrote (utterances, chat
//                messages, emails by their author's role); absent (or "anyone" as input) = any text. No effect without q
//   period       Period (filters/periods.ts); omitted → Last 90 days (the default chip); null → all time, no chip
//   daysOfWeek   ISO weekdays 1 (Monday) … 7 (Sunday), any of them
//   timeOfDay    { from, to } as typed, checked by parseTimeRange ("3" → 03:00, "3.5" → 03:30, "3:5" → 03:05)
//   duration     a bucket name (very_short … very_long) or { min, max } talk times as typed (parseDurationRange)
//   phone        a number prefix: digits, optional leading +, spaces allowed; stored without the spaces
//   channels     call / email / chat, any of them
//   screen       with / without a recorded screen
//   direction    inbound_or_outbound (internal excluded) / inbound / outbound / internal
//   agentId      one agent (a user id)
//   groupId      one group and its subgroups (a group id); a group outside the caller's scope is refused (403)
//   tags         tag ids, any of them (OR)
//   speechTags   { include, exclude }: [{ tagId, confidence: certainly | probably | maybe }] — every include must be
//                there at that confidence, no exclude may be
//   indicators   { include, exclude }: [{ indicatorId, by: agent | customer | anyone }] — every include mentioned
//                (by that side), no exclude (src/analytics/indicators)
//   topics       topic ids, any of them (OR) (src/analytics/topics)
//   sentiment    { min, max }: the conversation's sentiment score, 0–100 both ends included (50 neutral)
//   engagement   { min, max }: the engagement score, 0–100; a conversation without insights has neither
//   reviewable   reviewable (default) / all
//   reviewed     yes / no: a quality review of it was submitted (filters/reviewed.ts)
//   customData   [{ fieldKey, op }]: every condition must hold (AND); op is a CustomDataOp (filters/custom-data.ts)
//   view         all (default) / mine / unassigned / { userId } / { tagId }
//   sort         relevance / newest; default relevance with a query, newest without (relevance needs text)
//
// Validation happens here, by hand, rather than in the HTTP schema: the filter modules' messages ("\"25\" is not a
// time: hours go from 0 to 23", "Unbalanced quote: …") are what a person should read, and a JSON-schema validator
// answers a wrong Period with "must match a schema in anyOf". Every refusal is VALIDATION_FAILED with details
// { reason, field } (field is a path into the filter, e.g. "customData.1.op.value").
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { DomainError, invalid } from '../platform/errors.ts';
import { Id, Nullable } from '../platform/http/schemas.ts';
import {
  checkCustomDataOp,
  CustomDataOp,
  ConfidenceLevel,
  DEFAULT_PERIOD,
  DURATION_BUCKETS,
  DurationBucket,
  filterError,
  formatDuration,
  formatTimeOfDay,
  parseDurationRange,
  parsePhonePrefix,
  parseTimeRange,
  Period,
  checkPeriod,
  type CustomFieldType,
} from './filters/index.ts';
import { MAX_QUERY_LENGTH, parseQuery } from './query/parse.ts';
import { checkReviewed, Reviewed, reviewedChip } from './filters/reviewed.ts';
import { checkNetworkQuality, NetworkQuality, networkQualityChip } from './filters/network-quality.ts';

export const FILTER_VERSION = 1;
/** At most this many characters in a loose text (time of day, talk time, phone number) as typed. */
export const LOOSE_INPUT_MAX = 40;
export const MAX_FILTER_TAGS = 100;
export const MAX_SPEECH_TAG_CONDITIONS = 50;
export const MAX_CUSTOM_DATA_CONDITIONS = 20;
export const MAX_INDICATOR_CONDITIONS = 50;
export const MAX_FILTER_TOPICS = 50;
export const CUSTOM_FIELD_KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';

export const CHANNELS = ['call', 'email', 'chat'] as const;
export const DIRECTIONS = ['inbound_or_outbound', 'inbound', 'outbound', 'internal'] as const;
export const SCREEN_OPTIONS = ['with', 'without'] as const;
export const REVIEWABLE_OPTIONS = ['reviewable', 'all'] as const;
export const SORTS = ['relevance', 'newest'] as const;
export const NAMED_VIEWS = ['all', 'mine', 'unassigned'] as const;
export const CONFIDENCE_LEVELS = ['certainly', 'probably', 'maybe'] as const;
export const SAID_BY_OPTIONS = ['agent', 'customer', 'anyone'] as const;
export const MENTIONED_BY = ['agent', 'customer', 'anyone'] as const;
const DURATION_BUCKET_NAMES = Object.keys(DURATION_BUCKETS) as DurationBucket[];

// ---- the canonical schema ------------------------------------------------------------------------------------------

const strict = { additionalProperties: false } as const;
const LooseText = Type.String({ maxLength: LOOSE_INPUT_MAX, description: 'As typed (trimmed)' });

export const Channel = Type.Union([Type.Literal('call'), Type.Literal('email'), Type.Literal('chat')]);
export type Channel = Static<typeof Channel>;
export const Direction = Type.Union([Type.Literal('inbound_or_outbound'), Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('internal')], {
  description: 'inbound_or_outbound excludes internal conversations',
});
export type Direction = Static<typeof Direction>;

export const SpeechTagCondition = Type.Object({ tagId: Id, confidence: ConfidenceLevel }, strict);
export type SpeechTagCondition = Static<typeof SpeechTagCondition>;

export const IndicatorCondition = Type.Object(
  {
    indicatorId: Id,
    by: Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('anyone')], { description: 'Who mentioned it' }),
  },
  strict,
);
export type IndicatorCondition = Static<typeof IndicatorCondition>;

const Score = Type.Integer({ minimum: 0, maximum: 100 });
export const ScoreRange = Type.Object({ min: Score, max: Score }, { ...strict, description: '0–100, both ends included; min ≤ max' });
export type ScoreRange = Static<typeof ScoreRange>;

export const CustomDataCondition = Type.Object(
  { fieldKey: Type.String({ pattern: CUSTOM_FIELD_KEY_PATTERN, description: "The custom field's key" }), op: CustomDataOp },
  strict,
);
export type CustomDataCondition = Static<typeof CustomDataCondition>;

export const FilterView = Type.Union(
  [
    Type.Literal('all'),
    Type.Literal('mine'),
    Type.Literal('unassigned'),
    Type.Object({ userId: Id }, { ...strict, description: 'Conversations of one user' }),
    Type.Object({ tagId: Id }, { ...strict, description: 'A category: conversations with this tag' }),
  ],
  { description: 'all (default), mine, unassigned (not assigned to a user; admins only when searching), { userId }, { tagId }' },
);
export type FilterView = Static<typeof FilterView>;

/** The canonical, stored filter (what normalizeFilter returns). */
export const SearchFilter = Type.Object(
  {
    version: Type.Literal(FILTER_VERSION),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'Full-text query (see the query language)' })),
    saidBy: Type.Optional(
      Type.Union([Type.Literal('agent'), Type.Literal('customer')], {
        description: 'The text query matches only what agents / customers said or wrote (absent: anyone); no effect without q',
      }),
    ),
    period: Nullable(Period),
    daysOfWeek: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, description: 'ISO weekdays, 1 = Monday … 7 = Sunday; ascending' }),
    ),
    timeOfDay: Type.Optional(
      Type.Object({ from: LooseText, to: LooseText }, { ...strict, description: 'Loose times: 3 → 03:00, 3.5 → 03:30, 3:5 → 03:05; an empty end is open' }),
    ),
    duration: Type.Optional(
      Type.Union([
        DurationBucket,
        Type.Object(
          { min: LooseText, max: LooseText },
          { ...strict, description: 'Loose talk times: 3 → 3 min, 3.5 → 3 min 30 s, 3:5, 1:3:5; empty or zero max = unlimited' },
        ),
      ]),
    ),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9]{1,20}$', description: 'Number prefix: digits with an optional leading +' })),
    channels: Type.Optional(Type.Array(Channel, { minItems: 1, maxItems: 3, description: 'Any of; in the order call, email, chat' })),
    screen: Type.Optional(Type.Union([Type.Literal('with'), Type.Literal('without')])),
    direction: Type.Optional(Direction),
    agentId: Type.Optional(Id),
    groupId: Type.Optional(Id),
    tags: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: MAX_FILTER_TAGS, description: 'Tag ids, any of them (OR)' })),
    speechTags: Type.Optional(
      Type.Object(
        {
          include: Type.Array(SpeechTagCondition, { maxItems: MAX_SPEECH_TAG_CONDITIONS }),
          exclude: Type.Array(SpeechTagCondition, { maxItems: MAX_SPEECH_TAG_CONDITIONS }),
        },
        { ...strict, description: 'certainly ≥ 65 %, probably ≥ 50 %, maybe ≥ 40 %' },
      ),
    ),
    indicators: Type.Optional(
      Type.Object(
        {
          include: Type.Array(IndicatorCondition, { maxItems: MAX_INDICATOR_CONDITIONS }),
          exclude: Type.Array(IndicatorCondition, { maxItems: MAX_INDICATOR_CONDITIONS }),
        },
        { ...strict, description: 'Indicators mentioned (include) or not mentioned (exclude), by agent, customer or anyone' },
      ),
    ),
    topics: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: MAX_FILTER_TOPICS, description: 'Topic ids, any of them (OR)' })),
    sentiment: Type.Optional(ScoreRange),
    engagement: Type.Optional(ScoreRange),
    reviewable: Type.Union([Type.Literal('reviewable'), Type.Literal('all')]),
    reviewed: Type.Optional(Reviewed),
    networkQuality: Type.Optional(NetworkQuality),
    customData: Type.Optional(Type.Array(CustomDataCondition, { minItems: 1, maxItems: MAX_CUSTOM_DATA_CONDITIONS, description: 'Every condition must hold' })),
    view: FilterView,
    sort: Type.Union([Type.Literal('relevance'), Type.Literal('newest')]),
  },
  { ...strict, description: 'A Conversations search filter, version 1, canonical form' },
);
export type SearchFilter = Static<typeof SearchFilter>;

/** What a client may send: the canonical fields, all optional; null = absent (for period: all time, no chip). */
export interface SearchFilterInput {
  version?: number;
  q?: string | null;
  saidBy?: 'agent' | 'customer' | 'anyone' | null;
  period?: Period | null;
  daysOfWeek?: number[] | null;
  timeOfDay?: { from?: string; to?: string } | null;
  duration?: DurationBucket | { min?: string; max?: string } | null;
  phone?: string | null;
  channels?: Channel[] | null;
  screen?: 'with' | 'without' | null;
  direction?: Direction | null;
  agentId?: string | null;
  groupId?: string | null;
  tags?: string[] | null;
  speechTags?: { include?: SpeechTagCondition[]; exclude?: SpeechTagCondition[] } | null;
  indicators?: {
    include?: Array<{ indicatorId: string; by?: IndicatorCondition['by'] }>;
    exclude?: Array<{ indicatorId: string; by?: IndicatorCondition['by'] }>;
  } | null;
  topics?: string[] | null;
  sentiment?: { min?: number; max?: number } | null;
  engagement?: { min?: number; max?: number } | null;
  reviewable?: 'reviewable' | 'all' | null;
  reviewed?: 'yes' | 'no' | null;
  networkQuality?: 'poor' | 'good' | null;
  customData?: Array<{ fieldKey: string; op: CustomDataOp }> | null;
  view?: FilterView | null;
  sort?: 'relevance' | 'newest' | null;
}

/**
 * The HTTP schema of an incoming filter: an object, documented here and checked by normalizeFilter (see the top of
 * this file for why). The response schemas use SearchFilter, which documents the exact shape.
 */
export const SearchFilterBody = Type.Unsafe<SearchFilterInput>({
  type: 'object',
  description:
    'A search filter (version 1): the fields of SearchFilter, each optional. Absent fields take their defaults ' +
    '(period: Last 90 days, reviewable: reviewable, view: all, sort: relevance with a query else newest); null means ' +
    'absent, except period: null = all time. Checked by the server, which answers 400 VALIDATION_FAILED with ' +
    'details { reason, field } and a message that says what to type.',
});

// ---- normalizeFilter ------------------------------------------------------------------------------------------------

export interface NormalizeOptions {
  /**
   * The tenant's custom fields by key. When given, a condition on an unknown field is refused, and so is an operator
   * that does not apply to the field's type (date operators on a text field).
   */
  customFields?: ReadonlyMap<string, CustomFieldType>;
}

const FILTER_KEYS = [
  'version',
  'q',
  'saidBy',
  'period',
  'daysOfWeek',
  'timeOfDay',
  'duration',
  'phone',
  'channels',
  'screen',
  'direction',
  'agentId',
  'groupId',
  'tags',
  'speechTags',
  'indicators',
  'topics',
  'sentiment',
  'engagement',
  'reviewable',
  'reviewed',
  'networkQuality',
  'customData',
  'view',
  'sort',
] as const satisfies ReadonlyArray<keyof SearchFilterInput>;

const canonicalCheck = Compile(SearchFilter);

/**
 * Checks a filter a client sent (or a stored one) and returns it in canonical form: defaults filled, every loose
 * input parsed, the query parsed. Throws VALIDATION_FAILED with the message of the module that refused it.
 */
export function normalizeFilter(input: unknown, options: NormalizeOptions = {}): SearchFilter {
  if (!isPlainObject(input)) throw shape('A search filter must be a JSON object', '');
  const v = input as Record<string, unknown>;
  const unknownKey = Object.keys(v).find((k) => !(FILTER_KEYS as readonly string[]).includes(k));
  if (unknownKey !== undefined) {
    throw shape(`The search filter has no field "${unknownKey}"; its fields are ${FILTER_KEYS.join(', ')}`, unknownKey);
  }
  const given = (k: (typeof FILTER_KEYS)[number]) => v[k] !== undefined && v[k] !== null;

  if (v.version !== undefined && v.version !== FILTER_VERSION) {
    throw shape(`This search filter is version ${JSON.stringify(v.version)}; this server understands version ${FILTER_VERSION}`, 'version');
  }
  const out: Record<string, unknown> = { version: FILTER_VERSION };

  const q = given('q') ? text(v.q, 'q').trim() : '';
  if (q !== '') {
    withField('q', () => parseQuery(q));
    out.q = q;
  }

  if (given('saidBy')) {
    const who = oneOf(v.saidBy, SAID_BY_OPTIONS, 'saidBy', 'Said by');
    if (who !== 'anyone') out.saidBy = who;
  }

  if (v.period === null) out.period = null;
  else out.period = v.period === undefined ? DEFAULT_PERIOD : checkPeriod(v.period, 'period');

  if (given('daysOfWeek')) {
    const weekdays = list(v.daysOfWeek, 'daysOfWeek', 7).map((d, i) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 7) {
        throw shape('Days of the week are numbers from 1 (Monday) to 7 (Sunday)', `daysOfWeek.${i}`);
      }
      return d;
    });
    if (weekdays.length) out.daysOfWeek = [...new Set(weekdays)].sort((a, b) => a - b);
  }

  if (given('timeOfDay')) {
    const t = object(v.timeOfDay, 'timeOfDay', ['from', 'to'], 'A time of day range is { "from": "9", "to": "17:30" }');
    const from = t.from === undefined ? '' : looseText(t.from, 'timeOfDay.from');
    const to = t.to === undefined ? '' : looseText(t.to, 'timeOfDay.to');
    parseTimeRange(from, to);
    out.timeOfDay = { from, to };
  }

  if (given('duration')) out.duration = duration(v.duration);

  if (given('phone')) out.phone = parsePhonePrefix(looseText(v.phone, 'phone'), 'phone').prefix;

  if (given('channels')) {
    const channels = list(v.channels, 'channels', CHANNELS.length).map((c, i) => oneOf(c, CHANNELS, `channels.${i}`, 'A channel'));
    if (channels.length) out.channels = CHANNELS.filter((c) => channels.includes(c));
  }

  if (given('screen')) out.screen = oneOf(v.screen, SCREEN_OPTIONS, 'screen', 'Screen');
  if (given('direction')) out.direction = oneOf(v.direction, DIRECTIONS, 'direction', 'Direction');
  if (given('agentId')) out.agentId = id(v.agentId, 'agentId', 'The agent');
  if (given('groupId')) out.groupId = id(v.groupId, 'groupId', 'The group');

  if (given('tags')) {
    const tags = unique(list(v.tags, 'tags', MAX_FILTER_TAGS).map((t, i) => id(t, `tags.${i}`, 'A tag')));
    if (tags.length) out.tags = tags;
  }

  if (given('speechTags')) {
    const s = speechTags(v.speechTags);
    if (s.include.length || s.exclude.length) out.speechTags = s;
  }

  if (given('indicators')) {
    const s = indicators(v.indicators);
    if (s.include.length || s.exclude.length) out.indicators = s;
  }

  if (given('topics')) {
    const topics = unique(list(v.topics, 'topics', MAX_FILTER_TOPICS).map((t, i) => id(t, `topics.${i}`, 'A topic')));
    if (topics.length) out.topics = topics;
  }

  if (given('sentiment')) out.sentiment = scoreRange(v.sentiment, 'sentiment', 'Sentiment');
  if (given('engagement')) out.engagement = scoreRange(v.engagement, 'engagement', 'Engagement');

  out.reviewable = given('reviewable') ? oneOf(v.reviewable, REVIEWABLE_OPTIONS, 'reviewable', 'Reviewable') : 'reviewable';
  if (given('reviewed')) out.reviewed = checkReviewed(v.reviewed);
  if (given('networkQuality')) out.networkQuality = checkNetworkQuality(v.networkQuality);

  if (given('customData')) {
    const conditions = list(v.customData, 'customData', MAX_CUSTOM_DATA_CONDITIONS).map((c, i) => customDataCondition(c, i, options));
    if (conditions.length) out.customData = conditions;
  }

  out.view = given('view') ? view(v.view) : 'all';

  const sort = given('sort') ? oneOf(v.sort, SORTS, 'sort', 'The order') : q ? 'relevance' : 'newest';
  // Relevance ranks by the text; without text it would be an arbitrary order, so it is newest first.
  out.sort = q ? sort : 'newest';

  const canonical = Object.fromEntries(FILTER_KEYS.filter((k) => k in out).map((k) => [k, out[k]]));
  if (!canonicalCheck.Check(canonical)) {
    // Every branch above produces a canonical value; reaching this is a bug here, not a bad request.
    throw new DomainError('INTERNAL', 'The search filter could not be put in canonical form', {
      issues: canonicalCheck
        .Errors(canonical)
        .slice(0, 5)
        .map((e) => `${e.instancePath} ${e.message}`),
    });
  }
  return canonical as SearchFilter;
}

/** The filter with every default and no condition: what "Reset" returns to. */
export const defaultFilter = (): SearchFilter => normalizeFilter({});

// ---- field checks ---------------------------------------------------------------------------------------------------

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const shape = (message: string, field: string) => filterError('INVALID_FILTER', message, field);

/** Runs a parser whose refusals carry no field (or another name for it) and files them under `field`. */
function withField<T>(field: string, fn: () => T, rename?: (f: string) => string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
      const own = err.details?.field;
      throw new DomainError(err.code, err.message, { ...err.details, field: typeof own === 'string' && rename ? rename(own) : (own ?? field) });
    }
    throw err;
  }
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string') throw shape(`"${field}" must be text`, field);
  return v;
}

function looseText(v: unknown, field: string): string {
  const s = text(v, field).trim();
  if (s.length > LOOSE_INPUT_MAX) throw filterError('VALUE_TOO_LONG', `Type at most ${LOOSE_INPUT_MAX} characters here`, field);
  return s;
}

function list(v: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw shape(`"${field}" must be a list`, field);
  if (v.length > max) throw shape(`"${field}" can have at most ${max} entries`, field);
  return v;
}

function object(v: unknown, field: string, keys: readonly string[], example: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw shape(example, field);
  const extra = Object.keys(v).find((k) => !keys.includes(k));
  if (extra !== undefined) throw shape(`${example}; "${extra}" is not one of its fields`, `${field}.${extra}`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, what: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw shape(`${what} must be one of ${allowed.join(', ')}${typeof v === 'string' ? `, not ${JSON.stringify(v)}` : ''}`, field);
  }
  return v as T;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
function id(v: unknown, field: string, what: string): string {
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) throw shape(`${what} must be given by its id (letters, digits, - and _)`, field);
  return v;
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

function duration(v: unknown): SearchFilter['duration'] {
  if (typeof v === 'string') {
    if (!(DURATION_BUCKET_NAMES as string[]).includes(v)) {
      throw shape(
        `The duration must be one of ${DURATION_BUCKET_NAMES.join(', ')} or a custom talk time { "min", "max" }, not ${JSON.stringify(v)}`,
        'duration',
      );
    }
    return v as DurationBucket;
  }
  const d = object(v, 'duration', ['min', 'max'], 'A custom duration is { "min": "3", "max": "5:30" } (talk time as typed)');
  const min = d.min === undefined ? '' : looseText(d.min, 'duration.min');
  const max = d.max === undefined ? '' : looseText(d.max, 'duration.max');
  if (min === '' && max === '') {
    throw filterError('EMPTY_VALUE', 'Enter a minimum or a maximum talk time: for example 3 (3 min), 3.5 (3 min 30 s) or 1:3:5 (1 h 3 min 5 s)', 'duration');
  }
  withField(
    'duration',
    () => parseDurationRange(min, max),
    (f) => f.replace(/^talkTime/, 'duration'),
  );
  return { min, max };
}

function speechTags(v: unknown): { include: SpeechTagCondition[]; exclude: SpeechTagCondition[] } {
  const s = object(v, 'speechTags', ['include', 'exclude'], 'Speech tags are { "include": [...], "exclude": [...] }');
  const seen = new Map<string, string>();
  const side = (key: 'include' | 'exclude') =>
    s[key] === undefined || s[key] === null
      ? []
      : list(s[key], `speechTags.${key}`, MAX_SPEECH_TAG_CONDITIONS).map((c, i): SpeechTagCondition => {
          const field = `speechTags.${key}.${i}`;
          const o = object(c, field, ['tagId', 'confidence'], 'A speech tag condition is { "tagId": "…", "confidence": "certainly" | "probably" | "maybe" }');
          const tagId = id(o.tagId, `${field}.tagId`, 'A speech tag');
          const confidence = oneOf(o.confidence, CONFIDENCE_LEVELS, `${field}.confidence`, 'The confidence');
          const before = seen.get(tagId);
          if (before !== undefined) {
            throw shape(
              before === key
                ? `The same speech tag is listed twice under ${key}: keep one condition per tag`
                : 'The same speech tag is both included and excluded: keep one of the two',
              `${field}.tagId`,
            );
          }
          seen.set(tagId, key);
          return { tagId, confidence };
        });
  return { include: side('include'), exclude: side('exclude') };
}

function indicators(v: unknown): { include: IndicatorCondition[]; exclude: IndicatorCondition[] } {
  const s = object(v, 'indicators', ['include', 'exclude'], 'Indicators are { "include": [...], "exclude": [...] }');
  const seen = new Map<string, string>();
  const side = (key: 'include' | 'exclude') =>
    s[key] === undefined || s[key] === null
      ? []
      : list(s[key], `indicators.${key}`, MAX_INDICATOR_CONDITIONS).map((c, i): IndicatorCondition => {
          const field = `indicators.${key}.${i}`;
          const o = object(c, field, ['indicatorId', 'by'], 'An indicator condition is { "indicatorId": "…", "by": "agent" | "customer" | "anyone" }');
          const indicatorId = id(o.indicatorId, `${field}.indicatorId`, 'An indicator');
          const by = o.by === undefined || o.by === null ? 'anyone' : oneOf(o.by, MENTIONED_BY, `${field}.by`, 'Mentioned by');
          const before = seen.get(`${indicatorId} ${by}`);
          if (before !== undefined) {
            throw shape(
              before === key
                ? `The same indicator is listed twice under ${key}: keep one condition per indicator and speaker`
                : 'The same indicator is both included and excluded: keep one of the two',
              `${field}.indicatorId`,
            );
          }
          seen.set(`${indicatorId} ${by}`, key);
          return { indicatorId, by };
        });
  return { include: side('include'), exclude: side('exclude') };
}

/** { min, max } on a 0–100 score; a missing end is open (0 or 100). */
function scoreRange(v: unknown, field: 'sentiment' | 'engagement', what: string): ScoreRange {
  const r = object(v, field, ['min', 'max'], `${what} is a range { "min": 0, "max": 40 } on a 0–100 scale`);
  const end = (x: unknown, key: 'min' | 'max', open: number) => {
    if (x === undefined || x === null) return open;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 100) throw shape(`${what} goes from 0 to 100 in whole numbers`, `${field}.${key}`);
    return x;
  };
  const min = end(r.min, 'min', 0);
  const max = end(r.max, 'max', 100);
  if (min > max) throw shape(`${what} from ${min} to ${max}: the lower end is above the upper end`, `${field}.min`);
  return { min, max };
}

function customDataCondition(c: unknown, i: number, options: NormalizeOptions): CustomDataCondition {
  const field = `customData.${i}`;
  const o = object(c, field, ['fieldKey', 'op'], 'A custom data condition is { "fieldKey": "cisco_id", "op": { "op": "starts_with", "value": "A" } }');
  const fieldKey = text(o.fieldKey ?? '', `${field}.fieldKey`);
  if (!new RegExp(CUSTOM_FIELD_KEY_PATTERN).test(fieldKey)) {
    throw shape('A custom field is named by its key: lower-case letters, digits and _, starting with a letter (at most 40)', `${field}.fieldKey`);
  }
  const type = options.customFields?.get(fieldKey);
  if (options.customFields && type === undefined) {
    throw invalid(`There is no custom field "${fieldKey}"`, { reason: 'UNKNOWN_CUSTOM_FIELD', field: `${field}.fieldKey` });
  }
  return { fieldKey, op: checkCustomDataOp(o.op, type, `${field}.op`) };
}

function view(v: unknown): FilterView {
  const help = 'The view must be all, mine, unassigned, { "userId": "…" } or { "tagId": "…" }';
  if (typeof v === 'string') return oneOf(v, NAMED_VIEWS, 'view', 'The view');
  if (!isPlainObject(v)) throw shape(help, 'view');
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== 'userId' && keys[0] !== 'tagId')) throw shape(help, 'view');
  return keys[0] === 'userId' ? { userId: id(v.userId, 'view.userId', 'The user') } : { tagId: id(v.tagId, 'view.tagId', 'The category tag') };
}

// ---- describeFilter -------------------------------------------------------------------------------------------------

/** Names for the ids a filter holds; an id without a name shows as "unknown …". */
export interface FilterLookups {
  users?: ReadonlyMap<string, string>;
  groups?: ReadonlyMap<string, string>;
  tags?: ReadonlyMap<string, string>;
  speechTags?: ReadonlyMap<string, string>;
  indicators?: ReadonlyMap<string, string>;
  topics?: ReadonlyMap<string, string>;
  /** Custom field key → label. */
  customFields?: ReadonlyMap<string, string>;
}

export interface FilterChip {
  /** The filter field the chip removes. */
  field: keyof SearchFilter;
  /** For customData: which condition. */
  index?: number;
  label: string;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const CHANNEL_LABELS: Record<Channel, string> = { call: 'Calls', email: 'Emails', chat: 'Chats' };
const DIRECTION_LABELS: Record<Direction, string> = {
  inbound_or_outbound: 'Inbound or outbound',
  inbound: 'Inbound',
  outbound: 'Outbound',
  internal: 'Internal',
};
export const DURATION_BUCKET_LABELS: Record<DurationBucket, string> = {
  very_short: 'Very short (< 30 s)',
  short: 'Short (30 s – 1 min)',
  normal: 'Normal (1 – 3 min)',
  long: 'Long (3 – 10 min)',
  very_long: 'Very long (> 10 min)',
};
const CONFIDENCE_LABELS = { certainly: 'certainly', probably: 'probably', maybe: 'maybe' } as const;

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** "Last 90 days", "This quarter", "2024-01-01 – 2024-01-31". */
export function periodLabel(p: Period): string {
  switch (p.kind) {
    case 'all_time':
      return 'All time';
    case 'today':
      return 'Today';
    case 'yesterday':
      return 'Yesterday';
    case 'last_days':
      return `Last ${days(p.days)}`;
    case 'older_than_days':
      return p.days === 0 ? 'Before today' : `Older than ${days(p.days)}`;
    case 'this_week':
      return 'This week';
    case 'previous_week':
      return 'Previous week';
    case 'this_month':
      return 'This month';
    case 'previous_month':
      return 'Previous month';
    case 'this_quarter':
      return 'This quarter';
    case 'previous_quarter':
      return 'Previous quarter';
    case 'this_year':
      return 'This year';
    case 'previous_year':
      return 'Previous year';
    case 'custom':
      return p.from === p.to ? p.from : `${p.from} – ${p.to}`;
  }
}

function customOpLabel(op: CustomDataOp): string {
  const q = (s: string) => `“${s.trim()}”`;
  switch (op.op) {
    case 'starts_with':
      return `starts with ${q(op.value)}`;
    case 'contains':
      return `contains ${q(op.value)}`;
    case 'ends_with':
      return `ends with ${q(op.value)}`;
    case 'equals':
      return `is ${q(op.value)}`;
    case 'not_equals':
      return `is not ${q(op.value)}`;
    case 'lt':
      return `< ${q(op.value)}`;
    case 'lte':
      return `≤ ${q(op.value)}`;
    case 'gte':
      return `≥ ${q(op.value)}`;
    case 'gt':
      return `> ${q(op.value)}`;
    case 'in':
      return `is one of ${op.values.map(q).join(', ')}`;
    case 'is_empty':
      return 'is empty';
    case 'not_empty':
      return 'is not empty';
    case 'pattern':
      return `matches ${q(op.pattern)}`;
    case 'regex':
      return `matches the regular expression ${q(op.pattern)}`;
    case 'before':
      return `before ${op.date}`;
    case 'after':
      return `after ${op.date}`;
    case 'between':
      return `between ${op.from} and ${op.to}`;
    case 'older_than_days':
      return `older than ${days(op.days)}`;
    case 'newer_than_days':
      return `newer than ${days(op.days)}`;
  }
}

/**
 * The chips the Conversations screen shows for a canonical filter, in display order. The text query is in the
 * search box, not a chip; the sort order is not a chip either. Defaults show only where the product shows them:
 * the Time period chip always (until removed: period null), "Reviewable" and "View" only when not the default.
 */
export function describeFilter(filter: SearchFilter, lookups: FilterLookups = {}): FilterChip[] {
  const chips: FilterChip[] = [];
  const name = (map: ReadonlyMap<string, string> | undefined, idValue: string, what: string) => map?.get(idValue) ?? `unknown ${what} ${idValue}`;
  if (filter.saidBy) chips.push({ field: 'saidBy', label: `Said by: ${filter.saidBy === 'agent' ? 'Agent' : 'Customer'}` });
  if (filter.period) chips.push({ field: 'period', label: `Time period: ${periodLabel(filter.period)}` });
  if (filter.daysOfWeek) chips.push({ field: 'daysOfWeek', label: `Days of week: ${filter.daysOfWeek.map((d) => WEEKDAYS[d - 1]).join(', ')}` });
  if (filter.timeOfDay) {
    const r = parseTimeRange(filter.timeOfDay.from, filter.timeOfDay.to);
    chips.push({ field: 'timeOfDay', label: `Time of day: ${formatTimeOfDay(r.fromMinute)} – ${formatTimeOfDay(r.toMinute)}` });
  }
  if (filter.duration) {
    if (typeof filter.duration === 'string') {
      chips.push({ field: 'duration', label: `Duration: ${DURATION_BUCKET_LABELS[filter.duration]}` });
    } else {
      const r = parseDurationRange(filter.duration.min, filter.duration.max);
      const label =
        r.maxMs === null
          ? `at least ${formatDuration(r.minMs)}`
          : r.minMs === 0
            ? `at most ${formatDuration(r.maxMs - 1000)}`
            : `${formatDuration(r.minMs)} – ${formatDuration(r.maxMs - 1000)}`;
      chips.push({ field: 'duration', label: `Talk time: ${label}` });
    }
  }
  if (filter.phone) chips.push({ field: 'phone', label: `Phone number: starts with ${filter.phone}` });
  if (filter.channels) chips.push({ field: 'channels', label: `Channel: ${filter.channels.map((c) => CHANNEL_LABELS[c]).join(', ')}` });
  if (filter.screen) chips.push({ field: 'screen', label: `Screen: ${filter.screen === 'with' ? 'With recorded screen' : 'Without recorded screen'}` });
  if (filter.direction) chips.push({ field: 'direction', label: `Direction: ${DIRECTION_LABELS[filter.direction]}` });
  if (filter.agentId) chips.push({ field: 'agentId', label: `Agent: ${name(lookups.users, filter.agentId, 'user')}` });
  if (filter.groupId) chips.push({ field: 'groupId', label: `Group: ${name(lookups.groups, filter.groupId, 'group')}` });
  if (filter.tags) chips.push({ field: 'tags', label: `Tags: ${filter.tags.map((t) => name(lookups.tags, t, 'tag')).join(' or ')}` });
  if (filter.speechTags) {
    const one = (c: SpeechTagCondition) => `${name(lookups.speechTags, c.tagId, 'speech tag')} (${CONFIDENCE_LABELS[c.confidence]})`;
    const parts = [...filter.speechTags.include.map(one), ...filter.speechTags.exclude.map((c) => `not ${one(c)}`)];
    chips.push({ field: 'speechTags', label: `Speech tags: ${parts.join(', ')}` });
  }
  if (filter.indicators) {
    const one = (c: IndicatorCondition) => `${name(lookups.indicators, c.indicatorId, 'indicator')}${c.by === 'anyone' ? '' : ` (by the ${c.by})`}`;
    const parts = [...filter.indicators.include.map(one), ...filter.indicators.exclude.map((c) => `not ${one(c)}`)];
    chips.push({ field: 'indicators', label: `Indicators: ${parts.join(', ')}` });
  }
  if (filter.topics) chips.push({ field: 'topics', label: `Topics: ${filter.topics.map((t) => name(lookups.topics, t, 'topic')).join(' or ')}` });
  if (filter.sentiment) chips.push({ field: 'sentiment', label: `Sentiment: ${filter.sentiment.min} – ${filter.sentiment.max}` });
  if (filter.engagement) chips.push({ field: 'engagement', label: `Engagement: ${filter.engagement.min} – ${filter.engagement.max}` });
  if (filter.reviewable === 'all') chips.push({ field: 'reviewable', label: 'Reviewable: All' });
  if (filter.reviewed) chips.push(reviewedChip(filter.reviewed));
  if (filter.networkQuality) chips.push(networkQualityChip(filter.networkQuality));
  filter.customData?.forEach((c, index) => {
    chips.push({ field: 'customData', index, label: `${lookups.customFields?.get(c.fieldKey) ?? c.fieldKey} ${customOpLabel(c.op)}` });
  });
  const v = filter.view;
  if (v !== 'all') {
    const label =
      v === 'mine'
        ? 'My conversations'
        : v === 'unassigned'
          ? 'Not assigned to a user'
          : 'userId' in v
            ? `Conversations of ${name(lookups.users, v.userId, 'user')}`
            : `Category: ${name(lookups.tags, v.tagId, 'tag')}`;
    chips.push({ field: 'view', label: `View: ${label}` });
  }
  return chips;
}
