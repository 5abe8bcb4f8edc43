// The auto rules on hand-made conversation data: what each rule proposes for each question type, with its evidence,
// and that every missing piece of data makes the rule "not available" with its reason rather than a guess.
import { describe, expect, it } from 'vitest';
import type { InsightLine } from '../../analytics/insights/model.ts';
import type { AutoRule, ChoiceQuestion, Question, ScaleQuestion, YesNoQuestion } from '../model.ts';
import { answerFor, excerpt, MAX_EVIDENCE, propose, unavailable, type AutoData } from './rules.ts';

const yesNo = (autoRule: AutoRule): YesNoQuestion => ({
  id: 'q',
  text: 'Q',
  type: 'yes_no',
  points: 10,
  required: true,
  naAllowed: false,
  autoFail: false,
  commentAllowed: true,
  autoRule,
});

let n = 0;
const line = (role: InsightLine['role'], startMs: number, text: string, party: string | null = role): InsightLine => ({
  id: `l${++n}`,
  kind: 'utterance',
  segmentId: null,
  role,
  startMs,
  endMs: startMs + 3000,
  text,
  party,
});

const LINES = [
  line('agent', 0, 'Thank you for calling Acme, my name is Sam.'),
  line('customer', 4000, 'Hi, I want to cancel my subscription.'),
  line('agent', 8000, 'I can help you cancel it today.'),
  line('customer', 60_000, 'Thanks, that was quick.'),
  line('agent', 64_000, 'Is there anything else I can help you with?'),
];

const data = (over: Partial<AutoData> = {}): AutoData => ({
  isCall: true,
  durationMs: 70_000,
  text: { lines: LINES, language: 'en' },
  isOwnAgentLine: () => true,
  indicators: new Map([['ind-cancel', { id: 'ind-cancel', speaker: 'customer', keywords: [{ id: 'k1', text: 'cancel' }] }]]),
  silences: [{ startMs: 20_000, endMs: 27_500 }],
  holds: [],
  talkListen: 1.25,
  sentiment: [
    { lineId: LINES[1]!.id, role: 'customer', atMs: 4000, score: 30 },
    { lineId: LINES[3]!.id, role: 'customer', atMs: 60_000, score: 80 },
    { lineId: LINES[4]!.id, role: 'agent', atMs: 64_000, score: 50 },
  ],
  ...over,
});

describe('answerFor', () => {
  it('proposes the best answer when met and the worst (a failing option first) when not', () => {
    const choice: ChoiceQuestion = {
      ...yesNo({ kind: 'hold_count', max: 1 }),
      type: 'choice',
      options: [
        { id: 'good', label: 'Good', points: 5 },
        { id: 'poor', label: 'Poor', points: 0 },
        { id: 'rude', label: 'Rude', points: 1, fails: true },
      ],
    };
    const scale: ScaleQuestion = { ...yesNo({ kind: 'hold_count', max: 1 }), type: 'scale', min: 1, max: 5, points: 10 };
    expect([answerFor(yesNo({ kind: 'hold_count', max: 1 }), true), answerFor(yesNo({ kind: 'hold_count', max: 1 }), false)]).toEqual(['yes', 'no']);
    expect([answerFor(choice, true), answerFor(choice, false)]).toEqual(['good', 'rude']);
    expect(answerFor({ ...choice, options: choice.options.map((o) => ({ ...o, fails: false })) }, false)).toBe('poor');
    expect([answerFor(scale, true), answerFor(scale, false)]).toEqual([5, 1]);
  });
});

describe('phrase rules', () => {
  it('finds a phrase said by the agent in the first seconds, with the utterance as evidence', () => {
    const p = propose(yesNo({ kind: 'phrase', phrase: 'thank you for calling', expect: 'said', by: 'agent', within: { edge: 'first', seconds: 10 } }), data());
    expect(p).toMatchObject({ questionId: 'q', available: true, proposed: 'yes', measured: 1 });
    expect(p.evidence).toEqual([{ startMs: 0, endMs: 3000, party: 'agent', text: 'Thank you for calling Acme, my name is Sam.' }]);
  });

  it('does not count a phrase outside the window or said by the other side', () => {
    const late = propose(yesNo({ kind: 'phrase', phrase: 'anything else', expect: 'said', by: 'agent', within: { edge: 'first', seconds: 30 } }), data());
    expect(late).toMatchObject({ available: true, proposed: 'no', measured: 0, evidence: [] });
    const closing = propose(yesNo({ kind: 'phrase', phrase: 'anything else', expect: 'said', by: 'agent', within: { edge: 'last', seconds: 10 } }), data());
    expect(closing).toMatchObject({ proposed: 'yes', measured: 1 });
    const byCustomer = propose(yesNo({ kind: 'phrase', phrase: 'help you', expect: 'said', by: 'customer' }), data());
    expect(byCustomer).toMatchObject({ proposed: 'no', measured: 0 });
  });

  it('matches words by their stem, like a search, and fails a "not said" rule with the places it was said', () => {
    // "cancel" also finds "cancel" in both lines: the customer's and the agent's.
    const p = propose(yesNo({ kind: 'phrase', phrase: 'cancelling', expect: 'not_said', by: 'anyone' }), data());
    expect(p).toMatchObject({ available: true, proposed: 'no', measured: 2 });
    expect(p.evidence.map((e) => e.party)).toEqual(['customer', 'agent']);
  });

  it('reads an indicator by its keywords and its speaker, and says so when the indicator is gone', () => {
    expect(propose(yesNo({ kind: 'phrase', indicatorId: 'ind-cancel', expect: 'said', by: 'anyone' }), data())).toMatchObject({
      proposed: 'yes',
      measured: 1,
      evidence: [{ party: 'customer', startMs: 4000 }],
    });
    // The indicator is the customer's: asking whether the agent said it has no answer.
    expect(propose(yesNo({ kind: 'phrase', indicatorId: 'ind-cancel', expect: 'not_said', by: 'agent' }), data())).toMatchObject({
      available: false,
      reasonCode: 'indicator_other_side',
    });
    expect(propose(yesNo({ kind: 'phrase', indicatorId: 'gone', expect: 'said', by: 'anyone' }), data())).toMatchObject({
      available: false,
      reasonCode: 'unknown_indicator',
      proposed: null,
    });
  });

  it('keeps to the evaluated agent in a transfer: another agent saying it does not count', () => {
    const lines = [line('agent', 0, 'Thank you for calling.', 'a1'), line('agent', 5000, 'Hello again.', 'a2')];
    const d = data({ text: { lines, language: 'en' }, isOwnAgentLine: (l) => l.party === 'a2' });
    expect(propose(yesNo({ kind: 'phrase', phrase: 'thank you', expect: 'said', by: 'agent' }), d)).toMatchObject({ proposed: 'no' });
    expect(propose(yesNo({ kind: 'phrase', phrase: 'thank you', expect: 'said', by: 'anyone' }), d)).toMatchObject({ proposed: 'yes' });
  });

  it('is not available without a transcript, for one side of a mono recording, or without a phrase', () => {
    const rule: AutoRule = { kind: 'phrase', phrase: 'thank you', expect: 'said', by: 'agent' };
    const pending = data({ text: unavailable('transcript_pending', 'The transcript is not ready yet') });
    expect(propose(yesNo(rule), pending)).toEqual({
      questionId: 'q',
      available: false,
      reason: 'The transcript is not ready yet',
      reasonCode: 'transcript_pending',
      proposed: null,
      evidence: [],
    });
    const mono = data({ text: { lines: [line('unknown', 0, 'Thank you for calling.')], language: 'en' } });
    expect(propose(yesNo(rule), mono)).toMatchObject({ available: false, reasonCode: 'speakers_unknown' });
    expect(propose(yesNo({ ...rule, by: 'anyone' }), mono)).toMatchObject({ available: true, proposed: 'yes' });
    expect(propose(yesNo({ ...rule, phrase: ' ?! ' }), data())).toMatchObject({ available: false, reasonCode: 'empty_phrase' });
  });

  it('gives at most MAX_EVIDENCE pieces of evidence, but counts them all', () => {
    const many = Array.from({ length: 15 }, (_, i) => line('agent', i * 1000, 'please hold'));
    const p = propose(yesNo({ kind: 'phrase', phrase: 'hold', expect: 'not_said', by: 'agent' }), data({ text: { lines: many, language: 'en' } }));
    expect(p.evidence).toHaveLength(MAX_EVIDENCE);
    expect(p.measured).toBe(15);
  });
});

describe('media and insight rules', () => {
  it('counts silences and holds against the maximum, with each as evidence', () => {
    expect(propose(yesNo({ kind: 'silence_count', max: 0 }), data())).toMatchObject({
      available: true,
      proposed: 'no',
      measured: 1,
      evidence: [{ startMs: 20_000, endMs: 27_500, party: null, text: 'Silence 7.5 s' }],
    });
    expect(propose(yesNo({ kind: 'hold_count', max: 0 }), data())).toMatchObject({ available: true, proposed: 'yes', measured: 0 });
    expect(propose(yesNo({ kind: 'silence_count', max: 3 }), data({ silences: unavailable('media_pending', 'x') }))).toMatchObject({
      available: false,
      reasonCode: 'media_pending',
    });
    expect(propose(yesNo({ kind: 'hold_count', max: 3 }), data({ isCall: false }))).toMatchObject({ available: false, reasonCode: 'not_a_call' });
  });

  it('checks the talk-to-listen ratio within its range (bounds included)', () => {
    const q = (min: number, max: number) => yesNo({ kind: 'talk_listen', min, max });
    expect(propose(q(0.8, 1.25), data())).toMatchObject({ available: true, proposed: 'yes', measured: 1.25 });
    expect(propose(q(0.5, 1.2), data())).toMatchObject({ proposed: 'no' });
    expect(propose(q(0.5, 1.2), data({ talkListen: unavailable('no_insights', 'x') }))).toMatchObject({ available: false, reasonCode: 'no_insights' });
    expect(propose(q(0.5, 1.2), data({ isCall: false }))).toMatchObject({ available: false, reasonCode: 'not_a_call' });
  });

  it("scores the end from the customer's last lines, or everyone's without a known customer", () => {
    // The customer's lines: 30 and 80 → 55.
    const p = propose(yesNo({ kind: 'sentiment_end', min: 55 }), data());
    expect(p).toMatchObject({ available: true, proposed: 'yes', measured: 55 });
    expect(p.evidence.map((e) => e.startMs)).toEqual([4000, 60_000]);
    expect(p.evidence[1]!.text).toBe('80: Thanks, that was quick.');
    expect(propose(yesNo({ kind: 'sentiment_end', min: 56 }), data())).toMatchObject({ proposed: 'no' });
    const noCustomer = data({ sentiment: [{ lineId: 'x', role: 'unknown', atMs: 0, score: 70 }] });
    expect(propose(yesNo({ kind: 'sentiment_end', min: 60 }), noCustomer)).toMatchObject({ proposed: 'yes', measured: 70 });
    expect(propose(yesNo({ kind: 'sentiment_end', min: 60 }), data({ sentiment: [] }))).toMatchObject({
      available: false,
      reasonCode: 'sentiment_unavailable',
    });
  });

  it('proposes on the question type: a scale gets its max or min', () => {
    const scale: Question = { ...yesNo({ kind: 'hold_count', max: 0 }), type: 'scale', min: 1, max: 4, points: 4 };
    expect(propose(scale, data()).proposed).toBe(4);
    expect(propose(scale, data({ holds: [{ startMs: 0, endMs: 9000 }] })).proposed).toBe(1);
  });
});

describe('excerpt', () => {
  it('keeps short lines whole and cuts long ones around the match at word boundaries', () => {
    expect(excerpt('  short   line ')).toBe('short line');
    const long = `${'word '.repeat(60)}NEEDLE ${'more '.repeat(60)}`.trim();
    const at = long.indexOf('NEEDLE');
    const e = excerpt(long, [at, at + 6]);
    expect(e).toContain('NEEDLE');
    expect(e.startsWith('…')).toBe(true);
    expect(e.endsWith('…')).toBe(true);
    expect(e.length).toBeLessThanOrEqual(165);
    expect(e).not.toMatch(/…\S*wor…|…ord /);
  });
});
