// Finding indicator keywords in a conversation's lines, with the tenant's search analyzer (src/search/analyzer), so a
// keyword matches what a search for it would: words by their Snowball stem ("cancel" finds "cancelled", "cancelling"),
// an unaccented keyword also finds the accented spelling, and a phrase ("file a complaint") only its words at
// consecutive positions in that order, stop words included. Mentions never span two lines.
//
// Where several keywords of one indicator overlap in a line ("summit" inside "summit wireless", "late fee" and "late
// fees", which stem alike), the longest counts once: a mention is one place something was said, not one per keyword.
import { analyze, analyzeQueryTerm, isPrimary, type Language } from '../../search/analyzer/index.ts';
import type { InsightLine, TextPlace } from '../insights/model.ts';

export type IndicatorSpeaker = 'agent' | 'customer' | 'both';
export const INDICATOR_SPEAKERS: readonly IndicatorSpeaker[] = ['agent', 'customer', 'both'];

export interface IndicatorDefinition {
  id: string;
  speaker: IndicatorSpeaker;
  keywords: ReadonlyArray<{ id: string; text: string }>;
}

export interface Mention extends TextPlace {
  indicatorId: string;
  keywordId: string;
  role: InsightLine['role'];
}

/** One token of an analysed line: the primary term and its accent-folded variant, with offsets into the text. */
export interface LineToken {
  term: string;
  /** A stop word or a special token (number, id): kept for phrases, not a content word for topics. */
  stop: boolean;
  folded: string | undefined;
  start: number;
  end: number;
}

/** The line's tokens in position order (one per position: positions are consecutive, stop words included). */
export function lineTokens(text: string, lang: Language): LineToken[] {
  const out: LineToken[] = [];
  for (const t of analyze(text, lang)) {
    if (isPrimary(t)) out.push({ term: t.term, stop: t.kind !== 'word', folded: undefined, start: t.start, end: t.end });
    else if (t.kind === 'folded' && out.length) out[out.length - 1]!.folded = t.term;
  }
  return out;
}

/** The terms a keyword must match at consecutive positions; empty when it has no word (punctuation only). */
export const keywordTerms = (text: string, lang: Language): string[] => analyzeQueryTerm(text, lang);

interface Pattern {
  indicatorId: string;
  keywordId: string;
  terms: string[];
  speaker: IndicatorSpeaker;
}

const speaks = (speaker: IndicatorSpeaker, role: InsightLine['role']) => speaker === 'both' || speaker === role;

/**
 * A tenant's indicators compiled for matching: patterns indexed by their first term, so a line costs one map lookup
 * per token whatever the number of keywords (a tenant may have 250 indicators with dozens of keywords each).
 */
export class IndicatorMatcher {
  private readonly byFirst = new Map<string, Pattern[]>();
  readonly size: number;

  constructor(
    definitions: readonly IndicatorDefinition[],
    readonly language: Language,
  ) {
    let n = 0;
    for (const d of definitions)
      for (const k of d.keywords) {
        const terms = keywordTerms(k.text, language);
        if (terms.length === 0) continue;
        const list = this.byFirst.get(terms[0]!) ?? [];
        list.push({ indicatorId: d.id, keywordId: k.id, terms, speaker: d.speaker });
        this.byFirst.set(terms[0]!, list);
        n++;
      }
    this.size = n;
  }

  /** The mentions in these lines, in line order then position. `tokens` may pass already analysed lines. */
  match(lines: readonly InsightLine[], tokens?: (line: InsightLine) => LineToken[]): Mention[] {
    const out: Mention[] = [];
    if (this.size === 0) return out;
    for (const line of lines) {
      const toks = tokens ? tokens(line) : lineTokens(line.text, this.language);
      out.push(...this.matchLine(line, toks));
    }
    return out;
  }

  private matchLine(line: InsightLine, toks: readonly LineToken[]): Mention[] {
    // Candidates per indicator, then the longest of overlapping ones.
    const found = new Map<string, Array<{ keywordId: string; from: number; to: number }>>();
    const at = (i: number, term: string) => {
      const t = toks[i];
      return t !== undefined && (t.term === term || t.folded === term);
    };
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      const candidates = [...(this.byFirst.get(t.term) ?? []), ...(t.folded ? (this.byFirst.get(t.folded) ?? []) : [])];
      for (const p of candidates) {
        if (!speaks(p.speaker, line.role)) continue;
        let ok = true;
        for (let j = 1; j < p.terms.length && ok; j++) ok = at(i + j, p.terms[j]!);
        if (!ok) continue;
        const list = found.get(p.indicatorId) ?? [];
        list.push({ keywordId: p.keywordId, from: i, to: i + p.terms.length - 1 });
        found.set(p.indicatorId, list);
      }
    }
    const out: Mention[] = [];
    for (const [indicatorId, list] of found) {
      const kept: typeof list = [];
      for (const c of list.sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from)) {
        if (kept.some((k) => c.from <= k.to && k.from <= c.to)) continue;
        kept.push(c);
      }
      for (const c of kept)
        out.push({
          indicatorId,
          keywordId: c.keywordId,
          lineId: line.id,
          role: line.role,
          startMs: line.startMs,
          range: [toks[c.from]!.start, toks[c.to]!.end],
        });
    }
    return out.sort((a, b) => a.range[0] - b.range[0] || a.indicatorId.localeCompare(b.indicatorId));
  }
}
