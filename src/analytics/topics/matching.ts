// Matching lines to topics by their similarity to the topics' guiding sentences (offline, no model download):
// BM25 over Snowball stems with a small synonym expansion. docs/analytics.md ("Topics") explains the method.
//
//  - Every guiding sentence of the tenant's topics is a document; its terms are the stems of its content words (the
//    tenant's search analyzer, stop words left out). IDF is computed over those sentences, so a word that many topics
//    use ("account", "need") weighs little and a word that singles one out ("lawyer", "router") weighs much.
//  - A line is the query. Each of its stems counts fully; each stem of a synonym of one of its words counts half
//    (SYNONYM_WEIGHT), so "attorney" still points at a sentence about a "lawyer".
//  - sim(line, sentence) = BM25(line → sentence) / BM25(sentence → sentence): the share of the sentence's weight that
//    the line covers, 0–1, comparable across sentences of any length. A topic's score is its best sentence's.
//  - A line is a hit when the score is at least MIN_SCORE and at least MIN_TERMS different terms of the sentence were
//    matched: one shared word alone ("price") is a keyword hit, not a similar sentence.
// The constants are set from the method (what share of a sentence makes it "about the same thing"), not fitted to any
// transcript.
import { analyze, type Language } from '../../search/analyzer/index.ts';
import type { InsightLine } from '../insights/model.ts';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
export const SYNONYM_WEIGHT = 0.5;
export const MIN_SCORE = 0.3;
export const MIN_TERMS = 2;

export interface TopicDefinition {
  id: string;
  sentences: readonly string[];
}

export interface TopicHit {
  topicId: string;
  lineId: string;
  role: InsightLine['role'];
  startMs: number | null;
  /** 0–1 (see above). */
  score: number;
  /** The guiding sentence the line is closest to (index into the topic's sentences). */
  sentence: number;
}

/**
 * Synonym groups per language, written as plain words (stemmed with the tenant's analyzer when a matcher is built).
 * General contact-center and business vocabulary, kept small on purpose: each group holds words a customer uses
 * interchangeably. Languages without a list match by stems alone.
 */
export const SYNONYMS: Partial<Record<Language, readonly (readonly string[])[]>> = {
  en: [
    ['price', 'cost', 'charge', 'fee', 'rate', 'pricing'],
    ['expensive', 'costly', 'overpriced', 'pricey'],
    ['cheap', 'cheaper', 'affordable', 'inexpensive'],
    ['bill', 'invoice', 'statement'],
    ['discount', 'deal', 'offer', 'promotion', 'coupon'],
    ['refund', 'reimburse', 'reimbursement', 'repay'],
    ['buy', 'purchase', 'order'],
    ['cancel', 'terminate', 'discontinue'],
    ['lawyer', 'attorney', 'solicitor', 'counsel', 'legal'],
    ['court', 'lawsuit', 'sue', 'litigation', 'tribunal'],
    ['contract', 'agreement', 'terms'],
    ['law', 'regulation', 'statute', 'legislation'],
    ['data', 'information', 'details', 'records'],
    ['personal', 'private', 'confidential'],
    ['delete', 'remove', 'erase', 'wipe'],
    ['consent', 'permission', 'authorization', 'authorisation'],
    ['share', 'disclose', 'sell'],
    ['password', 'passcode', 'pin', 'credentials'],
    ['fraud', 'scam', 'phishing', 'fraudulent'],
    ['hack', 'hacked', 'breach', 'compromised', 'unauthorized', 'unauthorised'],
    ['secure', 'safe', 'protected', 'encrypted'],
    ['device', 'equipment', 'hardware', 'unit'],
    ['router', 'modem', 'gateway'],
    ['cable', 'cord', 'wire'],
    ['broken', 'faulty', 'defective', 'damaged'],
    ['fix', 'repair', 'resolve', 'replace'],
    ['license', 'licence', 'seat', 'entitlement'],
    ['renew', 'renewal', 'extend', 'extension'],
    ['expire', 'expiry', 'expiration', 'lapse'],
    ['activate', 'activation', 'enable'],
    ['require', 'requirement', 'need', 'must'],
    ['feature', 'function', 'functionality', 'capability'],
    ['integrate', 'integration', 'connect', 'compatible'],
    ['user', 'member', 'employee', 'staff', 'seat'],
    ['company', 'business', 'organization', 'organisation', 'firm'],
  ],
};

interface Doc {
  topic: number;
  sentence: number;
  /** term → frequency in the sentence */
  tf: Map<string, number>;
  length: number;
  self: number;
}

/** The content stems of a text (stop words, numbers and ids left out), with the accent-folded variant folded in. */
export function contentTerms(text: string, lang: Language): string[] {
  const out: string[] = [];
  for (const t of analyze(text, lang)) if (t.kind === 'word') out.push(t.term);
  return out;
}

/** A tenant's topics compiled for matching. */
export class TopicMatcher {
  private readonly docs: Doc[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly synonyms = new Map<string, Set<string>>();
  private readonly avgdl: number;

  constructor(
    private readonly topics: readonly TopicDefinition[],
    readonly language: Language,
  ) {
    for (const group of SYNONYMS[language] ?? []) {
      const stems = [...new Set(group.flatMap((w) => contentTerms(w, language)))];
      for (const s of stems) {
        const set = this.synonyms.get(s) ?? new Set();
        for (const o of stems) if (o !== s) set.add(o);
        this.synonyms.set(s, set);
      }
    }
    topics.forEach((topic, ti) =>
      topic.sentences.forEach((sentence, si) => {
        const terms = contentTerms(sentence, language);
        if (terms.length === 0) return;
        const tf = new Map<string, number>();
        for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
        this.docs.push({ topic: ti, sentence: si, tf, length: terms.length, self: 0 });
      }),
    );
    const n = this.docs.length;
    this.avgdl = n ? this.docs.reduce((s, d) => s + d.length, 0) / n : 1;
    this.docs.forEach((d, di) => {
      for (const t of d.tf.keys()) {
        const list = this.postings.get(t) ?? [];
        list.push(di);
        this.postings.set(t, list);
      }
    });
    for (const [t, list] of this.postings) this.idf.set(t, Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5)));
    for (const d of this.docs) d.self = [...d.tf.keys()].reduce((s, t) => s + this.weight(t, d), 0);
  }

  get size() {
    return this.docs.length;
  }

  private weight(term: string, d: Doc): number {
    const tf = d.tf.get(term) ?? 0;
    return (this.idf.get(term) ?? 0) * ((tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * d.length) / this.avgdl)));
  }

  /** The best topic hits of one line's content terms: at most one per topic. */
  scoreTerms(terms: readonly string[]): Array<{ topic: number; sentence: number; score: number }> {
    if (this.docs.length === 0 || terms.length === 0) return [];
    // term → how much it counts for this line: 1 when said, SYNONYM_WEIGHT when a synonym was.
    const query = new Map<string, number>();
    for (const t of terms) query.set(t, 1);
    for (const t of terms) for (const s of this.synonyms.get(t) ?? []) if ((query.get(s) ?? 0) < SYNONYM_WEIGHT) query.set(s, SYNONYM_WEIGHT);
    const sums = new Map<number, { score: number; terms: number }>();
    for (const [t, w] of query) {
      const docs = this.postings.get(t);
      if (!docs) continue;
      for (const di of docs) {
        const acc = sums.get(di) ?? { score: 0, terms: 0 };
        acc.score += w * this.weight(t, this.docs[di]!);
        acc.terms++;
        sums.set(di, acc);
      }
    }
    const best = new Map<number, { topic: number; sentence: number; score: number }>();
    for (const [di, acc] of sums) {
      const d = this.docs[di]!;
      if (d.self <= 0 || acc.terms < Math.min(MIN_TERMS, d.tf.size)) continue;
      const score = acc.score / d.self;
      if (score < MIN_SCORE) continue;
      const cur = best.get(d.topic);
      if (!cur || score > cur.score) best.set(d.topic, { topic: d.topic, sentence: d.sentence, score });
    }
    return [...best.values()];
  }

  /** The topic hits of these lines, in line order, best topic first within a line. */
  match(lines: readonly InsightLine[], terms?: (line: InsightLine) => readonly string[]): TopicHit[] {
    const out: TopicHit[] = [];
    if (this.docs.length === 0) return out;
    for (const line of lines) {
      const hits = this.scoreTerms(terms ? terms(line) : contentTerms(line.text, this.language)).sort((a, b) => b.score - a.score);
      for (const h of hits)
        out.push({
          topicId: this.topics[h.topic]!.id,
          lineId: line.id,
          role: line.role,
          startMs: line.startMs,
          score: Math.round(h.score * 1000) / 1000,
          sentence: h.sentence,
        });
    }
    return out;
  }
}
