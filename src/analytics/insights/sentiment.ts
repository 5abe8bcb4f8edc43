// Sentiment on a 0–100 scale, 50 neutral (docs/analytics.md). Each line gets VADER's compound score (−1…1, a
// rule-based English lexicon built for short informal text), pulled down by the contact-center cues of its language
// (a request for a manager, frustration, explicit language): each kind of cue present lowers it by CUE_PENALTY and
// caps it at CUE_CAP. The conversation's score is the mean of the customer's lines (the agent is polite by trade, so
// their lines say little about how the contact went); without a known customer, the mean of all lines. Courtesy
// formulas are blanked before scoring (languages.ts): they are ritual, not sentiment.
import vader from 'vader-sentiment';
import type { InsightLine, LineSentiment, SentimentLabel } from './model.ts';
import { normalise } from './text.ts';
import type { LanguageRules } from './languages.ts';

export const CUE_PENALTY = 0.5;
export const CUE_CAP = -0.4;
/** Below NEGATIVE_BELOW is negative, above POSITIVE_ABOVE positive (±0.2 compound on average). */
export const NEGATIVE_BELOW = 40;
export const POSITIVE_ABOVE = 60;
/** Lines averaged for the smoothed sentiment-over-time curve (the line and the ones before it). */
export const SMOOTHING_LINES = 3;

export type Cue = 'manager_request' | 'frustration' | 'explicit_language';

export interface ScoredLine extends LineSentiment {
  cues: Cue[];
}

export const toScore = (compound: number) => Math.round((50 + 50 * Math.max(-1, Math.min(1, compound))) * 10) / 10;
export const labelOf = (score: number): SentimentLabel => (score < NEGATIVE_BELOW ? 'negative' : score > POSITIVE_ABOVE ? 'positive' : 'neutral');

export function scoreLine(line: InsightLine, rules: LanguageRules): ScoredLine {
  const text = normalise(line.text);
  const blank = (t: string, re: RegExp | undefined) => (re ? t.replace(re, (m) => ' '.repeat(m.length)) : t);
  // Courtesy first: "Okay great, thank you." is left "Okay great," and then an acknowledgement whole.
  const scored = blank(blank(blank(text, rules.courtesy), rules.acknowledgements), rules.topical);
  let compound = scored.trim() ? vader.SentimentIntensityAnalyzer.polarity_scores(scored).compound : 0;
  const cues: Cue[] = [];
  if (rules.cues) {
    if (rules.cues.managerRequest.test(text)) cues.push('manager_request');
    if (rules.cues.frustration.test(text)) cues.push('frustration');
    if (rules.cues.explicit.test(text)) cues.push('explicit_language');
  }
  if (cues.length) compound = Math.min(CUE_CAP, compound - CUE_PENALTY * cues.length);
  return { lineId: line.id, score: toScore(compound), cues };
}

export interface SentimentPoint {
  lineId: string;
  atMs: number | null;
  role: InsightLine['role'];
  score: number;
  /** The mean of this line and the SMOOTHING_LINES − 1 before it: the curve drawn over time. */
  smoothed: number;
  label: SentimentLabel;
}

/** A stretch of the conversation with one smoothed label; a new one starts where the sentiment changes. */
export interface SentimentSection {
  label: SentimentLabel;
  startMs: number | null;
  endMs: number | null;
  lineIds: string[];
  /** The mean smoothed score over the section. */
  score: number;
}

export interface ConversationSentiment {
  score: number;
  label: SentimentLabel;
  lines: ScoredLine[];
  points: SentimentPoint[];
  sections: SentimentSection[];
  cues: Array<{ lineId: string; cue: Cue; role: InsightLine['role'] }>;
}

export function conversationSentiment(lines: readonly InsightLine[], rules: LanguageRules): ConversationSentiment | null {
  const textual = lines.filter((l) => l.text.trim());
  if (textual.length === 0) return null;
  const scored = textual.map((l) => scoreLine(l, rules));
  const customer = scored.filter((_, i) => textual[i]!.role === 'customer');
  const basis = customer.length ? customer : scored;
  const score = Math.round((basis.reduce((s, l) => s + l.score, 0) / basis.length) * 10) / 10;

  const points: SentimentPoint[] = scored.map((l, i) => {
    const window = scored.slice(Math.max(0, i - SMOOTHING_LINES + 1), i + 1);
    const smoothed = Math.round((window.reduce((s, w) => s + w.score, 0) / window.length) * 10) / 10;
    return { lineId: l.lineId, atMs: textual[i]!.startMs, role: textual[i]!.role, score: l.score, smoothed, label: labelOf(smoothed) };
  });
  const sections: SentimentSection[] = [];
  points.forEach((p, i) => {
    const last = sections.at(-1);
    const line = textual[i]!;
    if (last && last.label === p.label) {
      last.lineIds.push(p.lineId);
      last.endMs = line.endMs ?? line.startMs ?? last.endMs;
      last.score += p.smoothed;
    } else sections.push({ label: p.label, startMs: line.startMs, endMs: line.endMs ?? line.startMs, lineIds: [p.lineId], score: p.smoothed });
  });
  for (const s of sections) s.score = Math.round((s.score / s.lineIds.length) * 10) / 10;

  const cues = scored.flatMap((l, i) => l.cues.map((cue) => ({ lineId: l.lineId, cue, role: textual[i]!.role })));
  return { score, label: labelOf(score), lines: scored, points, sections, cues };
}
