// The insights rules on hand-written lines (never the test corpus): fillers set off by punctuation or not, sentences
// and their ranges, questions in unpunctuated text, next steps in English and French (and what is not one), the
// call metrics' edge cases (holds, backchannels, customer speech in a gap), the engagement formula, the sentiment cues
// and courtesy formulas, and a conversation without text.
import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import { rulesFor } from './languages.ts';
import { callSummary, chatSummary, engagement, unionMs } from './metrics.ts';
import type { InsightLine } from './model.ts';
import { findNextStepsAndQuestions } from './next-steps.ts';
import { conversationSentiment, scoreLine } from './sentiment.ts';
import { fillers, sentences } from './text.ts';

const EN = rulesFor('en-GB')!;
const FR = rulesFor('fr')!;

let n = 0;
const line = (role: InsightLine['role'], text: string, startMs: number | null = null, endMs: number | null = null): InsightLine => ({
  id: `l${++n}`,
  kind: 'utterance',
  segmentId: null,
  role,
  startMs,
  endMs,
  text,
});

describe('fillers', () => {
  it('counts um/uh anywhere and like/you know only where punctuation sets them off', () => {
    expect(fillers("Um, I'd like to know, uh, why", EN).map((f) => f.filler)).toEqual(['um', 'uh']);
    expect(fillers('So, like, it broke. You know, it was new.', EN).map((f) => f.filler)).toEqual(['like', 'you know']);
    expect(fillers('Do you know what I like about it', EN)).toEqual([]);
    expect(fillers('It is umbrella weather', EN)).toEqual([]);
    const text = 'Well, you know, it was fine';
    const [hit] = fillers(text, EN);
    expect(text.slice(hit!.range[0], hit!.range[1])).toBe('you know');
  });

  it('has French fillers', () => {
    expect(fillers("Euh, c'était, genre, cassé", FR).map((f) => f.filler)).toEqual(['euh', 'genre']);
    expect(fillers('Un genre de problème', FR)).toEqual([]);
  });
});

describe('sentences and questions', () => {
  it('cuts at sentence ends and keeps ranges into the line', () => {
    const text = 'Sure.  What is the account number? I will check';
    const s = sentences(text, EN);
    expect(s.map((x) => x.text)).toEqual(['Sure.', 'What is the account number?', 'I will check']);
    for (const x of s) expect(text.slice(x.range[0], x.range[1])).toBe(x.text);
    expect(s.map((x) => x.question)).toEqual([false, true, false]);
  });

  it('in written text, ends a sentence at a blank line and after a salutation, not at a wrapped line', () => {
    const text = 'Hello Jo,\nWe will refund you\nwithin five days\n\nBest regards\nCasey';
    const s = sentences(text, EN);
    expect(s.map((x) => x.text)).toEqual(['Hello Jo,', 'We will refund you\nwithin five days', 'Best regards\nCasey']);
    for (const x of s) expect(text.slice(x.range[0], x.range[1])).toBe(x.text);
  });

  it('recognises a question in unpunctuated speech by how it opens', () => {
    expect(sentences('what is your postcode', EN)[0]!.question).toBe(true);
    expect(sentences('my postcode is in the letter', EN)[0]!.question).toBe(false);
    expect(sentences('pouvez-vous me donner votre adresse', FR)[0]!.question).toBe(true);
  });
});

describe('next steps and good questions', () => {
  const found = (role: InsightLine['role'], text: string, rules = EN) => findNextStepsAndQuestions([line(role, text)], rules);

  it("on e-mails, takes only the agent's commitments as next steps", () => {
    const mail = (role: InsightLine['role']) => ({ ...line(role, 'I will send you the receipt tomorrow. What is the order number?'), kind: 'email' as const });
    expect(findNextStepsAndQuestions([mail('customer')], EN).nextSteps).toEqual([]);
    expect(findNextStepsAndQuestions([mail('customer')], EN).questions).toHaveLength(1);
    expect(findNextStepsAndQuestions([mail('agent')], EN).nextSteps.map((n) => n.text)).toEqual(['I will send you the receipt tomorrow.']);
  });

  it('finds commitments in English and leaves out what happens on the call and politeness', () => {
    for (const t of [
      "I'll send you the contract tonight.",
      'We will refund the fee by Friday.',
      "You'll receive a text when it ships.",
      'Call us back if the light comes on again.',
      'The replacement will be shipped tomorrow.',
      'Our engineer will contact you on Monday.',
      'I am going to escalate this to billing.',
    ])
      expect(found('agent', t).nextSteps, t).toHaveLength(1);
    for (const t of [
      "I'll put you on hold for a moment.",
      "I'll be happy to help with that.",
      "I'll check your account.",
      'Will you be home on Monday?',
      'The weather is nice.',
    ])
      expect(found('agent', t).nextSteps, t).toEqual([]);
  });

  it('finds commitments in French', () => {
    for (const t of ['Je vais vous envoyer le devis.', 'Vous recevrez un e-mail demain.', 'Je vous rappelle lundi.', "N'hésitez pas à nous rappeler."])
      expect(found('agent', t, FR).nextSteps, t).toHaveLength(1);
    expect(found('agent', 'Il fait beau aujourd’hui.', FR).nextSteps).toEqual([]);
  });

  it('keeps open questions, not formulas or yes/no questions', () => {
    const r = findNextStepsAndQuestions(
      [
        line('agent', 'How can I help you today?'),
        line('agent', 'Can you tell me what the error says?'),
        line('agent', 'Is it plugged in?'),
        line('customer', 'Why is it so slow?'),
      ],
      EN,
    );
    expect(r.questions.map((q) => [q.role, q.open])).toEqual([
      ['agent', false],
      ['agent', true],
      ['agent', false],
      ['customer', true],
    ]);
  });

  it('gives nothing for a language without rules (never a guess)', () => {
    const r = analyse({ lines: [line('agent', "I'll send you the contract tonight.", 0, 2000)], language: 'de', durationMs: 2000 });
    expect(r.details.rulesStatus).toBe('unsupported_language');
    expect(r.details.nextSteps).toEqual([]);
    expect(r.details.sentiment.status).toBe('unsupported_language');
    expect(r.scores.fillersPerMinute).toBeNull();
  });
});

describe('call metrics', () => {
  it('talk time is the union of intervals', () => {
    expect(
      unionMs([
        { startMs: 0, endMs: 1000 },
        { startMs: 500, endMs: 1500 },
        { startMs: 3000, endMs: 3500 },
      ]),
    ).toBe(2000);
  });

  it('a customer backchannel over agent speech keeps the monologue; customer speech in the gap ends it', () => {
    const a = callSummary(
      [
        line('agent', 'one two three', 0, 4000),
        line('customer', 'mm hmm', 2000, 2500),
        line('agent', 'four five', 5000, 8000),
        line('customer', 'right', 8500, 9000),
        line('agent', 'six', 9500, 10_000),
      ],
      EN,
    );
    expect(a.longestMonologue).toMatchObject({ durationMs: 8000, startMs: 0, endMs: 8000 });
    expect(a.longestMonologue!.lineIds).toHaveLength(2);
  });

  it('response times: after the customer finished, not across a hold, not for an agent talking over the customer', () => {
    const lines = [
      line('customer', 'my internet is down', 0, 3000),
      line('agent', 'I see', 2000, 2500), // talks over the customer: not a response
      line('agent', 'let me look', 3800, 5000), // 800 ms after the customer
      line('customer', 'ok', 6000, 6500),
      line('agent', 'back again', 40_000, 41_000), // after a hold: not counted
    ];
    const s = callSummary(lines, EN, [{ startMs: 7000, endMs: 39_000 }]);
    expect(s.responseTimes.map((r) => r.ms)).toEqual([800]);
    expect(s.avgResponseMs).toBe(800);
  });

  it('engagement follows its documented formula', () => {
    const s = callSummary([line('agent', 'a b', 0, 1000), line('customer', 'c d', 1500, 2500), line('agent', 'e f', 3000, 4000)], EN);
    // agent share 2/3 → balance 1 − |0.667 − 0.5| × 2 = 0.667; response 500 ms → 1; 2 changes over 1 min / 6 = 0.333.
    const e = engagement(s, 60_000)!;
    expect(e.balance).toBeCloseTo(0.667, 2);
    expect(e.responsiveness).toBe(1);
    expect(e.interactivity).toBeCloseTo(0.333, 2);
    expect(e.score).toBeCloseTo(100 * (0.4 * 0.6667 + 0.3 + 0.3 * 0.3333), 0);
  });

  it('chats: messages per side and the wait from a customer run to the agent', () => {
    const msg = (role: InsightLine['role'], at: number): InsightLine => ({ ...line(role, 'x', at, at), kind: 'chat_message' });
    const s = chatSummary([msg('customer', 0), msg('customer', 10_000), msg('agent', 60_000), msg('customer', 70_000), msg('agent', 75_000)]);
    expect(s).toMatchObject({ agentMessages: 2, customerMessages: 3, firstResponseMs: 60_000, avgResponseMs: 32_500 });
  });
});

describe('sentiment', () => {
  it('courtesy formulas are neutral; the outcome still counts', () => {
    expect(scoreLine(line('agent', 'Thank you for calling, have a nice day.'), EN).score).toBe(50);
    expect(scoreLine(line('customer', 'That is great news, I am really pleased.'), EN).score).toBeGreaterThan(70);
  });

  it('acknowledgements and the service vocabulary are neutral; feelings and "I like" still count', () => {
    const neutral = [
      'Yes, it is 4 4 8 1.',
      'Okay great, thank you.',
      'Right, okay. That is all.',
      "That's fine. Is there a fee?",
      'No, that is all.',
      "I'd like to check the balance on my credit card.",
      'What is the interest rate?',
      'I signed up for the free trial and need help to cancel.',
      'I lost my card and there is an error on my bill.',
      'Do you need anything else, like photos?',
    ];
    for (const text of neutral) expect(scoreLine(line('customer', text), EN).score, text).toBe(50);
    expect(scoreLine(line('customer', 'I really like the new plan, I am thrilled.'), EN).score).toBeGreaterThan(70);
    expect(scoreLine(line('customer', 'I lost my card and I am furious.'), EN).score).toBeLessThan(30);
    expect(scoreLine(line('customer', 'Okay, that is a huge relief.'), EN).score).toBeGreaterThan(60);
  });

  it('cues pull a line down whatever the lexicon says', () => {
    const s = scoreLine(line('customer', 'Great, just great, I want to talk to your supervisor.'), EN);
    expect(s.cues).toEqual(['manager_request']);
    expect(s.score).toBeLessThanOrEqual(30);
    expect(scoreLine(line('customer', 'This damn thing broke again.'), EN).cues).toEqual(['explicit_language']);
  });

  it("the conversation's score is the customer's; sections change where the smoothed label does", () => {
    const lines = [
      line('agent', 'Wonderful to hear, I love helping.', 0, 1000),
      line('customer', 'My order is late and this is unacceptable.', 1000, 2000),
      line('customer', 'Nobody helps me, it is a waste of my time.', 2000, 3000),
    ];
    const s = conversationSentiment(lines, EN)!;
    expect(s.score).toBeLessThan(40);
    expect(s.label).toBe('negative');
    expect(s.sections.map((x) => x.label)).toEqual(['positive', 'neutral', 'negative']);
  });

  it('no text: no scores', () => {
    const r = analyse({ lines: [], language: 'en', durationMs: 0 });
    expect(r.details.channel).toBe('none');
    expect(r.details.sentiment.status).toBe('no_text');
    expect(Object.values(r.scores).every((v) => v === null)).toBe(true);
  });
});
