// Automated-scoring rules (model.ts AutoRule) evaluated on what is known of one conversation, without I/O: prefill.ts
// loads the data, this file decides. A rule whose data is missing (no transcript yet, speakers not told apart, media
// not analysed, no insights) is "not available" with a reason code and a sentence — never guessed, so an evaluator
// is not nudged by a proposal built on nothing. When a rule is met, the question's best answer is proposed; when it
// is not, the worst (see answerFor).
import type { InsightLine } from '../../analytics/insights/model.ts';
import { IndicatorMatcher, type IndicatorDefinition } from '../../analytics/indicators/matching.ts';
import type { Language } from '../../search/analyzer/index.ts';
import { keywordTerms } from '../../analytics/indicators/matching.ts';
import type { AutoRule, Proposal, Question } from '../model.ts';

/** Why a rule could not be evaluated; the UI translates the code, `reason` is the English sentence. */
export type UnavailableCode =
  | 'transcript_pending'
  | 'no_speech_engine'
  | 'transcription_failed'
  | 'no_speech'
  | 'no_text'
  | 'speakers_unknown'
  | 'unknown_indicator'
  | 'indicator_other_side'
  | 'empty_phrase'
  | 'not_a_call'
  | 'media_pending'
  | 'media_partial'
  | 'no_audio'
  | 'no_insights'
  | 'insights_failed'
  | 'no_talk_ratio'
  | 'sentiment_unavailable';

export interface Unavailable {
  code: UnavailableCode;
  reason: string;
}

export interface TimedEvent {
  startMs: number;
  endMs: number;
}

/** What the rules read of one conversation (prefill.ts builds it). */
export interface AutoData {
  isCall: boolean;
  durationMs: number;
  /** The lines (transcript utterances, chat messages, e-mails), or why they cannot be read. */
  text: { lines: readonly InsightLine[]; language: Language } | Unavailable;
  /** The evaluated agent's own lines: in a transferred call the other agents' lines are not theirs. */
  isOwnAgentLine(line: InsightLine): boolean;
  /** The indicators the rules name, by id (absent: deleted). */
  indicators: ReadonlyMap<string, IndicatorDefinition>;
  /** Silences and holds from the media analysis, or why not. */
  silences: readonly TimedEvent[] | Unavailable;
  holds: readonly TimedEvent[] | Unavailable;
  /** The agent's talk-to-listen ratio from the conversation's insights, or why not. */
  talkListen: number | Unavailable;
  /** Per-line sentiment (0–100) in conversation order from the insights, or why not. */
  sentiment: ReadonlyArray<{ lineId: string; role: InsightLine['role']; atMs: number | null; score: number }> | Unavailable;
}

const isUnavailable = (x: unknown): x is Unavailable => typeof x === 'object' && x !== null && 'code' in x && 'reason' in x;

export const unavailable = (code: UnavailableCode, reason: string): Unavailable => ({ code, reason });

/** The answer a question gets when its rule is met (its best) or not (its worst, a failing option first). */
export function answerFor(question: Question, met: boolean): string | number | null {
  switch (question.type) {
    case 'yes_no':
      return met ? 'yes' : 'no';
    case 'scale':
      return met ? question.max : question.min;
    case 'choice': {
      if (question.options.length === 0) return null;
      const byPoints = [...question.options].sort((a, b) => a.points - b.points);
      if (met) return byPoints[byPoints.length - 1]!.id;
      return (question.options.find((o) => o.fails) ?? byPoints[0]!).id;
    }
  }
}

/** At most this many pieces of evidence per proposal (the first ones in time): enough to check, not a transcript. */
export const MAX_EVIDENCE = 10;
const EXCERPT_CHARS = 160;

/** The line's text around [from, to), cut at word boundaries to about EXCERPT_CHARS. */
export function excerpt(text: string, range?: [number, number]): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= EXCERPT_CHARS || !range) return clean.length <= EXCERPT_CHARS ? clean : `${clean.slice(0, EXCERPT_CHARS).replace(/\s\S*$/, '')}…`;
  // Ranges index the original text; whitespace runs are rare inside a line, so re-centre on the raw text.
  const mid = Math.floor((range[0] + range[1]) / 2);
  let from = Math.max(0, mid - EXCERPT_CHARS / 2);
  const to = Math.min(text.length, from + EXCERPT_CHARS);
  from = Math.max(0, to - EXCERPT_CHARS);
  let piece = text.slice(from, to);
  if (from > 0) piece = `…${piece.replace(/^\S*\s/, '')}`;
  if (to < text.length) piece = `${piece.replace(/\s\S*$/, '')}…`;
  return piece.replace(/\s+/g, ' ').trim();
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

type Outcome = { met: boolean; measured: number; evidence: Proposal['evidence'] } | Unavailable;

function phrase(rule: Extract<AutoRule, { kind: 'phrase' }>, data: AutoData): Outcome {
  if (isUnavailable(data.text)) return data.text;
  const { lines, language } = data.text;
  let definition: IndicatorDefinition;
  if (rule.indicatorId) {
    const d = data.indicators.get(rule.indicatorId);
    if (!d) return unavailable('unknown_indicator', 'The indicator this rule names no longer exists');
    // An indicator looked for in one side's lines says nothing about the other side: a wrong "not said" otherwise.
    if (rule.by !== 'anyone' && d.speaker !== 'both' && d.speaker !== rule.by)
      return unavailable('indicator_other_side', `The indicator is looked for in the ${d.speaker}'s lines only, not the ${rule.by}'s`);
    definition = d;
  } else {
    const text = rule.phrase ?? '';
    if (keywordTerms(text, language).length === 0) return unavailable('empty_phrase', 'The rule has no phrase to look for');
    definition = { id: 'phrase', speaker: 'both', keywords: [{ id: 'phrase', text }] };
  }
  const edge = rule.within;
  const inWindow = (l: InsightLine) => {
    if (!edge) return true;
    const limit = edge.seconds * 1000;
    if (edge.edge === 'first') return l.startMs !== null && l.startMs < limit;
    const end = l.endMs ?? l.startMs;
    return end !== null && end > data.durationMs - limit;
  };
  const bySpeaker = (l: InsightLine) =>
    rule.by === 'anyone' ? true : rule.by === 'agent' ? l.role === 'agent' && data.isOwnAgentLine(l) : l.role === 'customer';
  // Who spoke must be known for a rule about one side: a mono recording's lines are all "unknown".
  if (rule.by !== 'anyone' && lines.length > 0 && lines.every((l) => l.role === 'unknown'))
    return unavailable('speakers_unknown', 'The transcript does not tell the agent and the customer apart');
  const scope = lines.filter((l) => bySpeaker(l) && inWindow(l));
  const mentions = new IndicatorMatcher([definition], language).match(scope);
  const byId = new Map(scope.map((l) => [l.id, l]));
  const evidence = mentions.slice(0, MAX_EVIDENCE).map((m) => {
    const l = byId.get(m.lineId)!;
    const startMs = l.startMs ?? 0;
    return { startMs, endMs: Math.max(startMs, l.endMs ?? startMs), party: l.role, text: excerpt(l.text, m.range) };
  });
  const said = mentions.length > 0;
  return { met: rule.expect === 'said' ? said : !said, measured: mentions.length, evidence };
}

function count(events: readonly TimedEvent[] | Unavailable, max: number, label: string): Outcome {
  if (isUnavailable(events)) return events;
  return {
    met: events.length <= max,
    measured: events.length,
    evidence: events.slice(0, MAX_EVIDENCE).map((e) => ({ startMs: e.startMs, endMs: e.endMs, party: null, text: `${label} ${seconds(e.endMs - e.startMs)}` })),
  };
}

/** Lines whose mean makes "the sentiment at the end": the customer's last lines (how the contact left them). */
export const END_LINES = 3;

function sentimentEnd(min: number, data: AutoData): Outcome {
  if (isUnavailable(data.sentiment)) return data.sentiment;
  const all = data.sentiment;
  const customer = all.filter((p) => p.role === 'customer');
  // Like the conversation's score: the customer's lines when the customer is known, else everyone's.
  const last = (customer.length ? customer : all).slice(-END_LINES);
  if (last.length === 0) return unavailable('sentiment_unavailable', 'Nothing was said or written to score');
  const mean = Math.round((last.reduce((s, p) => s + p.score, 0) / last.length) * 10) / 10;
  const text = isUnavailable(data.text) ? new Map<string, InsightLine>() : new Map(data.text.lines.map((l) => [l.id, l]));
  const evidence = last.map((p) => {
    const l = text.get(p.lineId);
    const startMs = l?.startMs ?? p.atMs ?? 0;
    return { startMs, endMs: Math.max(startMs, l?.endMs ?? startMs), party: p.role, text: `${p.score}: ${l ? excerpt(l.text) : ''}`.trim() };
  });
  return { met: mean >= min, measured: mean, evidence };
}

/** One question's proposal. */
export function propose(question: Question, data: AutoData): Proposal {
  const rule = question.autoRule!;
  let outcome: Outcome;
  switch (rule.kind) {
    case 'phrase':
      outcome = phrase(rule, data);
      break;
    case 'silence_count':
      outcome = data.isCall ? count(data.silences, rule.max, 'Silence') : unavailable('not_a_call', 'Silences are measured on calls only');
      break;
    case 'hold_count':
      outcome = data.isCall ? count(data.holds, rule.max, 'Hold') : unavailable('not_a_call', 'Holds are measured on calls only');
      break;
    case 'talk_listen': {
      const r = data.isCall ? data.talkListen : unavailable('not_a_call', 'Talk-to-listen is measured on calls only');
      outcome = isUnavailable(r) ? r : { met: r >= rule.min && r <= rule.max, measured: r, evidence: [] };
      break;
    }
    case 'sentiment_end':
      outcome = sentimentEnd(rule.min, data);
      break;
  }
  if (isUnavailable(outcome))
    return { questionId: question.id, available: false, reason: outcome.reason, reasonCode: outcome.code, proposed: null, evidence: [] };
  return { questionId: question.id, available: true, proposed: answerFor(question, outcome.met), measured: outcome.measured, evidence: outcome.evidence };
}
