// The searchable document of one conversation: which fields are searched, and the terms every full-text engine
// indexes.
//
// A document has three parts: `agent` (what agents said: their utterances, chat messages and emails), `customer`
// (the same for customers) and `body` (everything else: ids, room names, tag comments, addresses, utterances of an
// unknown speaker). "Said by" searches one part; an unrestricted search all three. FTS5 keeps them as three columns,
// PostgreSQL as tsvector weights (src/search/fulltext/), so a speaker costs no extra terms.
//
// Inside a part, every engine indexes the same list of terms: every primary term (one per token position, stop words
// included, so phrases are exact), field after field with one FIELD_GAP term between two fields (utterances, chat
// messages, email subject and body are fields), then FIELD_GAP and every variant (`=surface`, accent-folded).
// A phrase needs consecutive positions, so it never runs from one utterance or message into the next, nor into the
// variants; a phrase matches on primary terms (stems), which is what a person expects of `"helped you"` (it also
// finds "helping you"). How an engine stores the list is its own business (FTS5 gets it space-joined with the gap
// as a term no query can produce; PostgreSQL as a tsvector literal where the gap is a position without a lexeme).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { analyze, isPrimary, type Language } from '../analyzer/index.ts';

export const FIELD_KINDS = [
  'conversation_id',
  'external_id',
  'room_name',
  'chat_message',
  'email_subject',
  'email_body',
  'email_address',
  'tag_comment',
  'transcript',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** Who wrote or said a field: its document part. Null: nobody in particular (ids, tag comments, unknown speakers). */
export type Speaker = 'agent' | 'customer';
export const SPEAKERS: readonly Speaker[] = ['agent', 'customer'];

/** Where a transcript field was said: what the player needs to seek to it. */
export interface SpeechAt {
  utteranceId: string;
  startMs: number;
  endMs: number;
  role: Speaker | 'unknown';
  /** The utterance's word count (TranscriptWord[]), to map a match in the text to words when they line up. */
  words: number;
}

/** One searched text and where it comes from (so a highlight can be placed in the opened conversation). */
export interface SearchField {
  where: FieldKind;
  segmentId: string | null;
  seq: number | null;
  tagId: string | null;
  text: string;
  /** The author's or speaker's role (chat messages, emails, utterances); absent or null: the body part. */
  speaker?: Speaker | null;
  /** Transcript fields: the utterance. */
  speech?: SpeechAt;
}

/** A conversation's terms are capped (a pathological email thread must not make one row of megabytes). */
export const MAX_DOCUMENT_TERMS = 100_000;

/**
 * The term between two fields of a part, and between its primaries and its variants. A lone `|` is no token the
 * analyzer can emit (terms hold a letter or digit), so no query can ask for it and no phrase can run across it.
 */
export const FIELD_GAP = '|';

export const DOC_PARTS = ['body', 'agent', 'customer'] as const;
export type DocPart = (typeof DOC_PARTS)[number];

export interface IndexedTerms {
  /** Per part: primary terms with FIELD_GAP between fields, then FIELD_GAP and the variants. */
  parts: Record<DocPart, string[]>;
}

export const partOf = (f: Pick<SearchField, 'speaker'>): DocPart => f.speaker ?? 'body';

export function indexTerms(fields: readonly SearchField[], lang: Language): IndexedTerms {
  const primaries: Record<DocPart, string[]> = { body: [], agent: [], customer: [] };
  const variants: Record<DocPart, string[]> = { body: [], agent: [], customer: [] };
  let nPrimaries = 0;
  let nVariants = 0;
  for (const f of fields) {
    if (nPrimaries >= MAX_DOCUMENT_TERMS) break;
    const part = partOf(f);
    const prim = primaries[part];
    const vars = variants[part];
    let first = true;
    for (const t of analyze(f.text, lang)) {
      if (isPrimary(t)) {
        if (nPrimaries >= MAX_DOCUMENT_TERMS) break;
        if (first && prim.length) prim.push(FIELD_GAP);
        first = false;
        prim.push(t.term);
        nPrimaries++;
      } else if (nVariants < MAX_DOCUMENT_TERMS) {
        vars.push(t.term);
        nVariants++;
      }
    }
  }
  const join = (p: DocPart) => (variants[p].length ? [...primaries[p], FIELD_GAP, ...variants[p]] : primaries[p]);
  return { parts: { body: join('body'), agent: join('agent'), customer: join('customer') } };
}

// ---- packed texts (search_docs.texts, bytea on PostgreSQL) ----------------------------------------------------------
// A document's fields are stored deflated (raw deflate, no header). Inside, two layouts, told apart by the first
// character (no migration: documents written before the second layout keep reading as they are):
//  - `[`: the first layout, one JSON array of rows [where, segmentId, seq, tagId, text, speaker?, speech?];
//  - `\u0001`: the current one, made for the page's highlights, which read every field's kind, speaker and text but
//    the ids and the utterance of one field only: a JSON head [where, speaker (0 none, 1 agent, 2 customer), length of
//    the field's meta, length of its text, ...] on the first line, then per field its meta (JSON [segmentId, seq,
//    tagId, speech?]) and its text, unescaped, by their UTF-16 lengths. The texts are then slices of the inflated
//    string, and a field's meta is parsed only when asked for. A text with a lone surrogate would not survive UTF-8
//    (it becomes U+FFFD), so a document with one is written in the first layout (JSON escapes it).
// Measured before choosing: storing the texts undeflated (no zlib set-up per document) made them 2.8x larger at 1 M
// (2.8 kB against 1.0 kB a document), for about 10 us a document; not taken.

type Packed = [FieldKind, string | null, number | null, string | null, string, (Speaker | null)?, ([string, number, number, SpeechAt['role'], number] | null)?];
type PackedMeta = [string | null, number | null, string | null, [string, number, number, SpeechAt['role'], number]?];

const LAYOUT_HEAD = '\u0001';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const SPEAKER_CODE = { agent: 1, customer: 2 } as const;
const SPEAKER_OF: ReadonlyArray<Speaker | null> = [null, 'agent', 'customer'];

const speechTuple = (s: SpeechAt): [string, number, number, SpeechAt['role'], number] => [s.utteranceId, s.startMs, s.endMs, s.role, s.words];
const speechOf = (t: [string, number, number, SpeechAt['role'], number]): SpeechAt => ({
  utteranceId: t[0],
  startMs: t[1],
  endMs: t[2],
  role: t[3],
  words: t[4],
});

/** The first layout (still written for texts with a lone surrogate; see above). */
function packJson(fields: readonly SearchField[]): string {
  return JSON.stringify(
    fields.map((f): Packed => {
      const row: Packed = [f.where, f.segmentId, f.seq, f.tagId, f.text];
      if (f.speaker || f.speech) row.push(f.speaker ?? null);
      if (f.speech) row.push(speechTuple(f.speech));
      return row;
    }),
  );
}

export function packFields(fields: readonly SearchField[]): Buffer {
  if (fields.some((f) => LONE_SURROGATE.test(f.text))) return deflateRawSync(Buffer.from(packJson(fields)));
  const head: Array<string | number> = [];
  let body = '';
  for (const f of fields) {
    const meta: PackedMeta = [f.segmentId, f.seq, f.tagId];
    if (f.speech) meta.push(speechTuple(f.speech));
    const m = JSON.stringify(meta);
    head.push(f.where, f.speaker ? SPEAKER_CODE[f.speaker] : 0, m.length, f.text.length);
    body += m + f.text;
  }
  return deflateRawSync(Buffer.from(LAYOUT_HEAD + JSON.stringify(head) + '\n' + body));
}

/**
 * The packed string. The output buffer is sized for a typical text's ratio (about 3x) instead of zlib's 16 kB default:
 * a page inflates dozens of documents of about 3 kB, and allocating 16 kB for each showed in the p95 (0.87x with this,
 * inflating the 1 M set's documents interleaved); a larger output takes more chunks, joined by zlib's own loop.
 */
const inflated = (buf: Buffer | Uint8Array) => inflateRawSync(buf, { chunkSize: Math.max(1024, buf.length * 4) }).toString('utf8');

/** A packed field as the page's highlights read it: kind, speaker and text at once, the rest on demand. */
export class PackedField {
  constructor(
    readonly where: FieldKind,
    /** Null: the body part (as SearchField.speaker). */
    readonly speaker: Speaker | null,
    readonly text: string,
    /** The whole field once known; else where its meta is in `src`. */
    private full: SearchField | null,
    private readonly src = '',
    private readonly metaAt = 0,
    private readonly metaEnd = 0,
  ) {}

  /** The whole field (ids, utterance), its meta parsed on the first call. */
  field(): SearchField {
    if (this.full) return this.full;
    const [segmentId, seq, tagId, speech] = JSON.parse(this.src.slice(this.metaAt, this.metaEnd)) as PackedMeta;
    const f: SearchField = { where: this.where, segmentId, seq, tagId, text: this.text };
    if (this.speaker) f.speaker = this.speaker;
    if (speech) f.speech = speechOf(speech);
    return (this.full = f);
  }
}

/** Every field of a packed document, its ids and utterance parsed only when `field()` is called. */
export function unpackTexts(buf: Buffer | Uint8Array): PackedField[] {
  const s = inflated(buf);
  return s.startsWith(LAYOUT_HEAD) ? fromLayout(s) : fromJson(s).map((f) => new PackedField(f.where, f.speaker ?? null, f.text, f));
}

function fromLayout(s: string): PackedField[] {
  const nl = s.indexOf('\n');
  const head = JSON.parse(s.slice(LAYOUT_HEAD.length, nl)) as Array<string | number>;
  const out: PackedField[] = [];
  let at = nl + 1;
  for (let i = 0; i + 3 < head.length; i += 4) {
    const metaAt = at;
    const textAt = at + (head[i + 2] as number);
    at = textAt + (head[i + 3] as number);
    out.push(new PackedField(head[i] as FieldKind, SPEAKER_OF[head[i + 1] as number] ?? null, s.slice(textAt, at), null, s, metaAt, textAt));
  }
  return out;
}

function fromJson(s: string): SearchField[] {
  return (JSON.parse(s) as Packed[]).map(([where, segmentId, seq, tagId, text, speaker, speech]) => {
    const f: SearchField = { where, segmentId, seq, tagId, text };
    if (speaker) f.speaker = speaker;
    if (speech) f.speech = speechOf(speech);
    return f;
  });
}

/** Every field of a packed document, whole (either layout). */
export function unpackFields(buf: Buffer | Uint8Array): SearchField[] {
  const s = inflated(buf);
  return s.startsWith(LAYOUT_HEAD) ? fromLayout(s).map((f) => f.field()) : fromJson(s);
}

/** Seconds resolution × 10⁵ slots per second: start-time order, safe integers until the year 4000. */
export const DOC_KEY_SLOTS = 100_000;

/** The preferred key of a document: its start second and a slot picked from the id (FNV-1a), probed onward on clashes. */
export function preferredDocKey(startedAt: string, conversationId: string): number {
  const seconds = Math.max(0, Math.floor(Date.parse(startedAt) / 1000));
  let h = 0x811c9dc5;
  for (let i = 0; i < conversationId.length; i++) {
    h ^= conversationId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return seconds * DOC_KEY_SLOTS + (h % DOC_KEY_SLOTS);
}

/** The key range holding every document started in [from, to): null bounds are open. */
export const docKeyRange = (from: Date | null, to: Date | null) => secondKeyRange(from, to, DOC_KEY_SLOTS);

/** For keys of start second × slots + slot: the range (inclusive) of those started in [from, to); null bounds are open. */
export function secondKeyRange(from: Date | null, to: Date | null, slots: number): { lo: number | null; hi: number | null } {
  return {
    lo: from ? Math.max(0, Math.floor(from.getTime() / 1000)) * slots : null,
    hi: to ? (Math.floor((to.getTime() - 1) / 1000) + 1) * slots - 1 : null,
  };
}
