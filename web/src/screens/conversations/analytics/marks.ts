// What the Analytics tab asks the transcript to mark: the places of one indicator's mentions (or a topic's hits, the
// next steps, the good questions). The tab sets them through a context the transcript panel reads, so neither
// imports the other's components. A place is a line (utterance id) and a character range in its text; the range is
// turned into the words it covers.
import { createContext, useContext } from 'react';
import type { TranscriptUtterance } from '../player/transcript/api.ts';

export interface InsightMark {
  lineId: string;
  /** [start, end) into the line's text; null: the whole line. */
  range: [number, number] | null;
  /** Chats: when the message was sent (epoch ms), which is how the thread finds it (it does not know message ids). */
  at?: number | null;
}

export interface InsightMarks {
  /** What is marked now (changes identity on every selection, so choosing the same item again scrolls again). */
  marks: readonly InsightMark[];
  /** The selection's key (e.g. "indicator:ind1"), null when nothing is marked. */
  selected: string | null;
  select: (key: string | null, marks: readonly InsightMark[]) => void;
}

export const InsightMarksContext = createContext<InsightMarks | null>(null);
export const useInsightMarks = () => useContext(InsightMarksContext);

/** Character offsets of the whitespace-separated tokens of a text. */
function tokens(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/\S+/g)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * The global word numbers (utterance by utterance, word by word, as the transcript index counts them) the marks
 * cover, ascending. The range is into the utterance's text; when its tokens do not line up one to one with the
 * timed words (a redaction joined several words), the whole utterance is marked rather than the wrong words.
 */
export function markedWords(utterances: readonly TranscriptUtterance[], firstOf: ArrayLike<number>, marks: readonly InsightMark[]): number[] {
  if (marks.length === 0) return [];
  const byLine = new Map<string, InsightMark[]>();
  for (const m of marks) byLine.set(m.lineId, [...(byLine.get(m.lineId) ?? []), m]);
  const out = new Set<number>();
  utterances.forEach((u, k) => {
    const ms = byLine.get(u.id);
    if (!ms) return;
    const first = firstOf[k]!;
    const toks = tokens(u.text);
    const aligned = toks.length === u.words.length;
    for (const m of ms) {
      u.words.forEach((_, i) => {
        if (!m.range || !aligned) out.add(first + i);
        else if (toks[i]![0] < m.range[1] && toks[i]![1] > m.range[0]) out.add(first + i);
      });
    }
  });
  return [...out].sort((a, b) => a - b);
}

/** The ranges marked in a chat message sent at `sentAt` (a second's leeway: the insights count whole milliseconds). */
export function messageRanges(marks: readonly InsightMark[] | undefined, sentAt: string): [number, number][] {
  if (!marks?.length) return [];
  const t = Date.parse(sentAt);
  return marks.filter((m) => m.at !== undefined && m.at !== null && Math.abs(m.at - t) < 1000).map((m) => m.range ?? [0, Number.MAX_SAFE_INTEGER]);
}

/**
 * The ranges marked in an e-mail (the insights' line for an e-mail is its segment: subject, a newline, body — either
 * left out when empty; src/analytics/insights/email-text.ts), split back into the subject's and the body's own offsets.
 * A mark without a range marks the whole body.
 */
export function emailRanges(
  marks: readonly InsightMark[] | undefined,
  segmentId: string,
  subject: string | null | undefined,
  body: string,
): { subject: [number, number][]; body: [number, number][] } {
  const out = { subject: [] as [number, number][], body: [] as [number, number][] };
  const hasSubject = !!subject && subject.trim() !== '';
  const subjectLength = hasSubject ? subject.length : 0;
  const bodyFrom = hasSubject ? subjectLength + 1 : 0;
  for (const m of marks ?? []) {
    if (m.lineId !== segmentId) continue;
    if (!m.range) {
      out.body.push([0, body.length]);
      continue;
    }
    const [a, b] = m.range;
    if (hasSubject && a < subjectLength) out.subject.push([a, Math.min(b, subjectLength)]);
    if (b > bodyFrom) out.body.push([Math.max(a, bodyFrom) - bodyFrom, Math.min(b - bodyFrom, body.length)]);
  }
  return out;
}
