import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { DomainError } from '../platform/errors.ts';
import { defaultFilter, describeFilter, normalizeFilter, periodLabel, SearchFilter, type FilterLookups } from './filter.ts';
import { PERIOD_PRESETS } from './filters/index.ts';

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    expect(err.code).toBe('VALIDATION_FAILED');
    const d = err.details as { reason: string; field: string };
    return { reason: d.reason, field: d.field, message: err.message };
  }
  throw new Error('expected a refusal');
}

const check = Compile(SearchFilter);

describe('normalizeFilter: defaults', () => {
  it('fills the defaults of an empty filter: Last 90 days, reviewable only, all conversations, newest first', () => {
    const f = normalizeFilter({});
    expect(f).toEqual({ version: 1, period: { kind: 'last_days', days: 90 }, reviewable: 'reviewable', view: 'all', sort: 'newest' });
    expect(Object.keys(f)).toEqual(['version', 'period', 'reviewable', 'view', 'sort']);
    expect(defaultFilter()).toEqual(f);
    expect(check.Check(f)).toBe(true);
  });

  it('keeps period: null (the chip removed: all time) apart from an absent period (the default chip)', () => {
    expect(normalizeFilter({ period: null }).period).toBeNull();
    expect(normalizeFilter({ period: undefined }).period).toEqual({ kind: 'last_days', days: 90 });
    expect(normalizeFilter({ period: { kind: 'all_time' } }).period).toEqual({ kind: 'all_time' });
    for (const p of PERIOD_PRESETS) expect(normalizeFilter({ period: p }).period).toEqual(p);
    expect(normalizeFilter({ period: { kind: 'custom', from: '2024-01-01', to: '2024-01-31' } }).period).toEqual({
      kind: 'custom',
      from: '2024-01-01',
      to: '2024-01-31',
    });
    expect(normalizeFilter({ period: { kind: 'older_than_days', days: 0 } }).period).toEqual({ kind: 'older_than_days', days: 0 });
  });

  it('orders by relevance with a query and newest without; relevance without text is newest', () => {
    expect(normalizeFilter({ q: 'billing' }).sort).toBe('relevance');
    expect(normalizeFilter({ q: 'billing', sort: 'newest' }).sort).toBe('newest');
    expect(normalizeFilter({ sort: 'relevance' }).sort).toBe('newest');
    expect(normalizeFilter({ q: '   ', sort: 'relevance' })).toEqual(defaultFilter());
  });

  it('keeps "said by" agent or customer; anyone is no condition; its chip comes first', () => {
    expect(normalizeFilter({ q: 'refund', saidBy: 'customer' })).toMatchObject({ q: 'refund', saidBy: 'customer' });
    expect(Object.keys(normalizeFilter({ q: 'refund', saidBy: 'agent' })).slice(0, 3)).toEqual(['version', 'q', 'saidBy']);
    expect(normalizeFilter({ q: 'refund', saidBy: 'anyone' })).not.toHaveProperty('saidBy');
    expect(normalizeFilter({ q: 'refund', saidBy: null })).not.toHaveProperty('saidBy');
    expect(describeFilter(normalizeFilter({ q: 'refund', saidBy: 'agent' }))[0]).toEqual({ field: 'saidBy', label: 'Said by: Agent' });
  });

  it('reads null, empty lists and an empty query as no condition', () => {
    expect(
      normalizeFilter({
        version: 1,
        q: '',
        daysOfWeek: [],
        timeOfDay: null,
        duration: null,
        phone: null,
        channels: [],
        screen: null,
        direction: null,
        agentId: null,
        groupId: null,
        tags: [],
        speechTags: { include: [], exclude: [] },
        reviewable: null,
        customData: [],
        view: null,
        sort: null,
      }),
    ).toEqual(defaultFilter());
    expect(normalizeFilter({ speechTags: {} })).toEqual(defaultFilter());
  });
});

describe('normalizeFilter: every field', () => {
  const input = {
    sort: 'relevance',
    view: { userId: 'u-2' },
    customData: [
      { fieldKey: 'cisco_id', op: { op: 'starts_with', value: 'ABC' } },
      { fieldKey: 'due', op: { op: 'between', from: '2024-01-01', to: '2024-01-31' } },
    ],
    reviewable: 'all',
    speechTags: { include: [{ tagId: 'greeting', confidence: 'certainly' }], exclude: [{ tagId: 'swearing', confidence: 'maybe' }] },
    tags: ['t-1', 't-2', 't-1'],
    groupId: 'g-east',
    agentId: 'agent-7',
    direction: 'inbound_or_outbound',
    screen: 'with',
    channels: ['chat', 'call', 'chat'],
    phone: ' +33 1 ',
    duration: { min: ' 3 ', max: '5:30' },
    timeOfDay: { from: '9', to: '17.5' },
    daysOfWeek: [5, 1, 3, 1],
    period: { kind: 'this_quarter' },
    q: '  (problem OR issue) AND billing -refund ',
    version: 1,
  };

  it('checks, de-duplicates, orders and trims into one canonical object', () => {
    const f = normalizeFilter(input);
    expect(f).toEqual({
      version: 1,
      q: '(problem OR issue) AND billing -refund',
      period: { kind: 'this_quarter' },
      daysOfWeek: [1, 3, 5],
      timeOfDay: { from: '9', to: '17.5' },
      duration: { min: '3', max: '5:30' },
      phone: '+331',
      channels: ['call', 'chat'],
      screen: 'with',
      direction: 'inbound_or_outbound',
      agentId: 'agent-7',
      groupId: 'g-east',
      tags: ['t-1', 't-2'],
      speechTags: { include: [{ tagId: 'greeting', confidence: 'certainly' }], exclude: [{ tagId: 'swearing', confidence: 'maybe' }] },
      reviewable: 'all',
      customData: input.customData,
      view: { userId: 'u-2' },
      sort: 'relevance',
    });
    // Keys in one order whatever order they came in, so equal filters serialise alike.
    expect(Object.keys(f)).toEqual([
      'version',
      'q',
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
      'reviewable',
      'customData',
      'view',
      'sort',
    ]);
    expect(check.Check(f)).toBe(true);
    // Canonical is a fixed point.
    expect(normalizeFilter(f)).toEqual(f);
    expect(JSON.stringify(normalizeFilter(JSON.parse(JSON.stringify(f))))).toBe(JSON.stringify(f));
  });

  it('takes every duration bucket, open time and duration ranges, every view and direction', () => {
    for (const b of ['very_short', 'short', 'normal', 'long', 'very_long']) expect(normalizeFilter({ duration: b }).duration).toBe(b);
    expect(normalizeFilter({ duration: { max: '5' } }).duration).toEqual({ min: '', max: '5' });
    expect(normalizeFilter({ duration: { min: '1:3:5', max: '00:00:00' } }).duration).toEqual({ min: '1:3:5', max: '00:00:00' });
    expect(normalizeFilter({ timeOfDay: { from: '18' } }).timeOfDay).toEqual({ from: '18', to: '' });
    expect(normalizeFilter({ timeOfDay: { to: '3:5' } }).timeOfDay).toEqual({ from: '', to: '3:5' });
    for (const v of ['all', 'mine', 'unassigned', { userId: 'u1' }, { tagId: 't1' }]) expect(normalizeFilter({ view: v }).view).toEqual(v);
    for (const d of ['inbound_or_outbound', 'inbound', 'outbound', 'internal']) expect(normalizeFilter({ direction: d }).direction).toBe(d);
    expect(normalizeFilter({ screen: 'without' }).screen).toBe('without');
    expect(normalizeFilter({ channels: ['email'] }).channels).toEqual(['email']);
    expect(normalizeFilter({ phone: '0033 6' }).phone).toBe('00336');
    expect(normalizeFilter({ daysOfWeek: [7, 6] }).daysOfWeek).toEqual([6, 7]);
    expect(normalizeFilter({ speechTags: { include: [{ tagId: 'a', confidence: 'probably' }] } }).speechTags).toEqual({
      include: [{ tagId: 'a', confidence: 'probably' }],
      exclude: [],
    });
  });

  it("checks custom data against the tenant's fields when they are given", () => {
    const customFields = new Map([
      ['cisco_id', 'text'],
      ['due', 'date'],
    ] as const);
    expect(normalizeFilter({ customData: input.customData }, { customFields }).customData).toEqual(input.customData);
    expect(refusal(() => normalizeFilter({ customData: [{ fieldKey: 'nope', op: { op: 'is_empty' } }] }, { customFields }))).toEqual({
      reason: 'UNKNOWN_CUSTOM_FIELD',
      field: 'customData.0.fieldKey',
      message: 'There is no custom field "nope"',
    });
    expect(refusal(() => normalizeFilter({ customData: [{ fieldKey: 'cisco_id', op: { op: 'before', date: '2024-01-01' } }] }, { customFields }))).toEqual({
      reason: 'OPERATOR_NOT_ALLOWED',
      field: 'customData.0.op.op',
      message: 'The operator before only applies to date fields',
    });
  });
});

describe('normalizeFilter: refusals carry the message of the module that refused', () => {
  const many = Array.from({ length: 101 }, (_, i) => `t${i}`);
  it.each([
    ['not an object', [], 'INVALID_FILTER', '', 'A search filter must be a JSON object'],
    [
      'unknown field',
      { colour: 'red' },
      'INVALID_FILTER',
      'colour',
      expect.stringMatching(/^The search filter has no field "colour"; its fields are version, q, saidBy, period, /),
    ],
    ['another version', { version: 2 }, 'INVALID_FILTER', 'version', 'This search filter is version 2; this server understands version 1'],
    [
      'said by someone else',
      { q: 'refund', saidBy: 'supervisor' },
      'INVALID_FILTER',
      'saidBy',
      'Said by must be one of agent, customer, anyone, not "supervisor"',
    ],
    ['query not text', { q: 3 }, 'INVALID_FILTER', 'q', '"q" must be text'],
    ['unbalanced parenthesis', { q: '(a OR b' }, 'INVALID_QUERY', 'q', "Unbalanced parenthesis: '(' at character 1 is never closed"],
    ['dangling operator', { q: 'billing AND' }, 'INVALID_QUERY', 'q', 'AND at character 9 has nothing after it'],
    ['unbalanced quote', { q: 'billing "internet bill' }, 'INVALID_QUERY', 'q', 'Unbalanced quote: the phrase starting at character 9 is never closed'],
    ['last 0 days', { period: { kind: 'last_days', days: 0 } }, 'INVALID_DAYS', 'period.days', 'The number of days must be a whole number from 1 to 36600'],
    [
      'unknown period',
      { period: { kind: 'fortnight' } },
      'INVALID_FILTER',
      'period',
      expect.stringMatching(/^This time period is not understood: its kind must be one of all_time, today, /),
    ],
    [
      'reversed dates',
      { period: { kind: 'custom', from: '2024-02-01', to: '2024-01-01' } },
      'DATE_RANGE_REVERSED',
      'period.to',
      'The end date (2024-01-01) must be on or after the start date (2024-02-01)',
    ],
    ['day 0', { daysOfWeek: [0] }, 'INVALID_FILTER', 'daysOfWeek.0', 'Days of the week are numbers from 1 (Monday) to 7 (Sunday)'],
    ['day names', { daysOfWeek: 'monday' }, 'INVALID_FILTER', 'daysOfWeek', '"daysOfWeek" must be a list'],
    ['hour 25', { timeOfDay: { from: '25', to: '' } }, 'INVALID_TIME', 'timeOfDay.from', '"25" is not a time: hours go from 0 to 23'],
    [
      'times reversed',
      { timeOfDay: { from: '17', to: '9' } },
      'TIME_RANGE_REVERSED',
      'timeOfDay.to',
      'The second time must be later than the first (09:00 is not after 17:00)',
    ],
    ['no times', { timeOfDay: { from: ' ', to: '' } }, 'EMPTY_VALUE', 'timeOfDay.from', expect.stringMatching(/^Enter at least one of the two times/)],
    [
      'time field',
      { timeOfDay: { start: '3' } },
      'INVALID_FILTER',
      'timeOfDay.start',
      'A time of day range is { "from": "9", "to": "17:30" }; "start" is not one of its fields',
    ],
    ['time too long', { timeOfDay: { from: '1'.repeat(41) } }, 'VALUE_TOO_LONG', 'timeOfDay.from', 'Type at most 40 characters here'],
    [
      'unknown bucket',
      { duration: 'medium' },
      'INVALID_FILTER',
      'duration',
      'The duration must be one of very_short, short, normal, long, very_long or a custom talk time { "min", "max" }, not "medium"',
    ],
    [
      'durations reversed',
      { duration: { min: '5', max: '3' } },
      'DURATION_RANGE_REVERSED',
      'duration.max',
      'The minimum talk time (5:00) must not be longer than the maximum (3:00)',
    ],
    ['60 seconds', { duration: { min: '3:75' } }, 'INVALID_DURATION', 'duration.min', '"3:75" is not a talk time: seconds go from 0 to 59'],
    ['no duration', { duration: {} }, 'EMPTY_VALUE', 'duration', expect.stringMatching(/^Enter a minimum or a maximum talk time/)],
    [
      'phone letters',
      { phone: '+33 1-2' },
      'INVALID_PHONE_PREFIX',
      'phone',
      'A phone number can only contain digits, spaces and a leading +; "-" is not allowed',
    ],
    ['empty phone', { phone: ' ' }, 'EMPTY_VALUE', 'phone', 'Enter the start of a phone number: digits, with a + in front if you like'],
    ['fax', { channels: ['call', 'fax'] }, 'INVALID_FILTER', 'channels.1', 'A channel must be one of call, email, chat, not "fax"'],
    ['screen', { screen: true }, 'INVALID_FILTER', 'screen', 'Screen must be one of with, without'],
    [
      'direction',
      { direction: 'sideways' },
      'INVALID_FILTER',
      'direction',
      'Direction must be one of inbound_or_outbound, inbound, outbound, internal, not "sideways"',
    ],
    ['agent', { agentId: 'bad id!' }, 'INVALID_FILTER', 'agentId', 'The agent must be given by its id (letters, digits, - and _)'],
    ['group', { groupId: 'bad id!' }, 'INVALID_FILTER', 'groupId', 'The group must be given by its id (letters, digits, - and _)'],
    ['too many tags', { tags: many }, 'INVALID_FILTER', 'tags', '"tags" can have at most 100 entries'],
    ['tag not an id', { tags: [{ id: 'x' }] }, 'INVALID_FILTER', 'tags.0', 'A tag must be given by its id (letters, digits, - and _)'],
    [
      'speech tag both ways',
      { speechTags: { include: [{ tagId: 'a', confidence: 'maybe' }], exclude: [{ tagId: 'a', confidence: 'certainly' }] } },
      'INVALID_FILTER',
      'speechTags.exclude.0.tagId',
      'The same speech tag is both included and excluded: keep one of the two',
    ],
    [
      'speech tag twice',
      {
        speechTags: {
          include: [
            { tagId: 'a', confidence: 'maybe' },
            { tagId: 'a', confidence: 'probably' },
          ],
        },
      },
      'INVALID_FILTER',
      'speechTags.include.1.tagId',
      'The same speech tag is listed twice under include: keep one condition per tag',
    ],
    [
      'confidence',
      { speechTags: { include: [{ tagId: 'a', confidence: 'surely' }] } },
      'INVALID_FILTER',
      'speechTags.include.0.confidence',
      'The confidence must be one of certainly, probably, maybe, not "surely"',
    ],
    ['reviewable', { reviewable: 'some' }, 'INVALID_FILTER', 'reviewable', 'Reviewable must be one of reviewable, all, not "some"'],
    [
      'custom op missing value',
      { customData: [{ fieldKey: 'cisco_id', op: { op: 'equals' } }] },
      'INVALID_FILTER',
      'customData.0.op.value',
      'The operator equals needs "value"',
    ],
    [
      'custom regex with lookaround',
      { customData: [{ fieldKey: 'cisco_id', op: { op: 'regex', pattern: 'cx(?!-0)' } }] },
      'UNSUPPORTED_REGEX',
      'customData.0.op.pattern',
      'This regular expression uses lookaround, which the search does not support: searches run regular expressions in linear time (RE2 syntax) without lookaround or backreferences',
    ],
    [
      'custom field key',
      { customData: [{ fieldKey: 'Cisco ID', op: { op: 'is_empty' } }] },
      'INVALID_FILTER',
      'customData.0.fieldKey',
      'A custom field is named by its key: lower-case letters, digits and _, starting with a letter (at most 40)',
    ],
    ['view', { view: 'everyone' }, 'INVALID_FILTER', 'view', 'The view must be one of all, mine, unassigned, not "everyone"'],
    [
      'view with two ids',
      { view: { userId: 'a', tagId: 'b' } },
      'INVALID_FILTER',
      'view',
      'The view must be all, mine, unassigned, { "userId": "…" } or { "tagId": "…" }',
    ],
    ['sort', { sort: 'oldest' }, 'INVALID_FILTER', 'sort', 'The order must be one of relevance, newest, not "oldest"'],
  ])('%s', (_name, input, reason, field, message) => {
    expect(refusal(() => normalizeFilter(input))).toEqual({ reason, field, message });
  });

  it("keeps the query error's position", () => {
    try {
      normalizeFilter({ q: 'a OR b)' });
      expect.unreachable();
    } catch (err) {
      expect((err as DomainError).details).toMatchObject({ reason: 'INVALID_QUERY', problem: 'UNBALANCED_PARENTHESIS', position: 6, character: 7, field: 'q' });
    }
  });
});

describe('describeFilter', () => {
  const lookups: FilterLookups = {
    users: new Map([
      ['agent-7', 'Alex Agent'],
      ['u-2', 'Sam Supervisor'],
    ]),
    groups: new Map([['g-east', 'East']]),
    tags: new Map([
      ['t-1', 'Angry customer'],
      ['t-2', 'Excellent'],
    ]),
    speechTags: new Map([['greeting', 'Greeting']]),
    customFields: new Map([['cisco_id', 'Cisco ID']]),
  };

  it('shows the default chip alone for the default filter, and nothing once it is removed', () => {
    expect(describeFilter(defaultFilter())).toEqual([{ field: 'period', label: 'Time period: Last 90 days' }]);
    expect(describeFilter(normalizeFilter({ period: null }))).toEqual([]);
    expect(describeFilter(normalizeFilter({ q: 'billing', period: { kind: 'all_time' } }))).toEqual([{ field: 'period', label: 'Time period: All time' }]);
  });

  it('labels every chip, naming what the ids stand for', () => {
    const f = normalizeFilter({
      period: { kind: 'last_days', days: 10 },
      daysOfWeek: [1, 3, 5],
      timeOfDay: { from: '9', to: '17.5' },
      duration: { min: '3', max: '5:30' },
      phone: '+33 1',
      channels: ['call', 'email'],
      screen: 'without',
      direction: 'inbound',
      agentId: 'agent-7',
      groupId: 'g-east',
      tags: ['t-1', 't-2'],
      speechTags: { include: [{ tagId: 'greeting', confidence: 'certainly' }], exclude: [{ tagId: 'swearing', confidence: 'maybe' }] },
      reviewable: 'all',
      customData: [
        { fieldKey: 'cisco_id', op: { op: 'starts_with', value: 'ABC' } },
        { fieldKey: 'other', op: { op: 'in', values: ['a', 'b'] } },
      ],
      view: { userId: 'u-2' },
    });
    expect(describeFilter(f, lookups)).toEqual([
      { field: 'period', label: 'Time period: Last 10 days' },
      { field: 'daysOfWeek', label: 'Days of week: Mon, Wed, Fri' },
      { field: 'timeOfDay', label: 'Time of day: 09:00 – 17:30' },
      { field: 'duration', label: 'Talk time: 3:00 – 5:30' },
      { field: 'phone', label: 'Phone number: starts with +331' },
      { field: 'channels', label: 'Channel: Calls, Emails' },
      { field: 'screen', label: 'Screen: Without recorded screen' },
      { field: 'direction', label: 'Direction: Inbound' },
      { field: 'agentId', label: 'Agent: Alex Agent' },
      { field: 'groupId', label: 'Group: East' },
      { field: 'tags', label: 'Tags: Angry customer or Excellent' },
      { field: 'speechTags', label: 'Speech tags: Greeting (certainly), not unknown speech tag swearing (maybe)' },
      { field: 'reviewable', label: 'Reviewable: All' },
      { field: 'customData', index: 0, label: 'Cisco ID starts with “ABC”' },
      { field: 'customData', index: 1, label: 'other is one of “a”, “b”' },
      { field: 'view', label: 'View: Conversations of Sam Supervisor' },
    ]);
  });

  it('labels buckets, open talk-time ranges and the other views', () => {
    const label = (input: object) => describeFilter(normalizeFilter({ period: null, ...input }), lookups).map((c) => c.label);
    expect(label({ duration: 'very_short' })).toEqual(['Duration: Very short (< 30 s)']);
    expect(label({ duration: 'very_long' })).toEqual(['Duration: Very long (> 10 min)']);
    expect(label({ duration: { min: '3' } })).toEqual(['Talk time: at least 3:00']);
    expect(label({ duration: { min: '3', max: '0' } })).toEqual(['Talk time: at least 3:00']);
    expect(label({ duration: { max: '75' } })).toEqual(['Talk time: at most 1:15:00']);
    expect(label({ timeOfDay: { from: '18' } })).toEqual(['Time of day: 18:00 – 23:59']);
    expect(label({ view: 'mine' })).toEqual(['View: My conversations']);
    expect(label({ view: 'unassigned' })).toEqual(['View: Not assigned to a user']);
    expect(label({ view: { tagId: 't-2' } })).toEqual(['View: Category: Excellent']);
    expect(label({ reviewable: 'reviewable', view: 'all', sort: 'newest' })).toEqual([]);
  });

  it('names every period', () => {
    expect(PERIOD_PRESETS.map(periodLabel)).toEqual([
      'All time',
      'Today',
      'Yesterday',
      'Last 10 days',
      'Last 30 days',
      'Last 90 days',
      'This week',
      'Previous week',
      'This month',
      'Previous month',
      'This quarter',
      'Previous quarter',
      'This year',
      'Previous year',
    ]);
    expect(periodLabel({ kind: 'last_days', days: 1 })).toBe('Last 1 day');
    expect(periodLabel({ kind: 'older_than_days', days: 30 })).toBe('Older than 30 days');
    expect(periodLabel({ kind: 'older_than_days', days: 0 })).toBe('Before today');
    expect(periodLabel({ kind: 'custom', from: '2024-01-01', to: '2024-01-31' })).toBe('2024-01-01 – 2024-01-31');
    expect(periodLabel({ kind: 'custom', from: '2024-01-01', to: '2024-01-01' })).toBe('2024-01-01');
  });
});
