// The searchable document of one conversation: which fields are searched, and the terms every full-text engine
// indexes.
//
// Every engine indexes the same list of terms: every primary term (one per token position, stop words included,
// so phrases are exact), then every variant (`=surface`, accent-folded) after the last primary. Variants therefore
// never sit inside a phrase; a phrase matches on primary terms (stems), which is what a person expects of
// `"helped you"` (it also finds "helping you"). How an engine stores the list is its own business
// (src/search/fulltext/: FTS5 gets it space-joined, PostgreSQL as a tsvector literal with its position limits).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { analyze, isPrimary, type Language } from '../analyzer/index.ts';

export type FieldKind =
  'conversation_id' | 'external_id' | 'room_name' | 'chat_message' | 'email_subject' | 'email_body' | 'email_address' | 'tag_comment' | 'transcript';

/** One searched text and where it comes from (so a highlight can be placed in the opened conversation). */
export interface SearchField {
  where: FieldKind;
  segmentId: string | null;
  seq: number | null;
  tagId: string | null;
  text: string;
}

/** A conversation's terms are capped (a pathological email thread must not make one row of megabytes). */
export const MAX_DOCUMENT_TERMS = 100_000;

export interface IndexedTerms {
  /** Primary terms then variants; a term's position is its index + 1. */
  terms: string[];
}

export function indexTerms(fields: readonly SearchField[], lang: Language): IndexedTerms {
  const primaries: string[] = [];
  const variants: string[] = [];
  for (const f of fields) {
    if (primaries.length >= MAX_DOCUMENT_TERMS) break;
    for (const t of analyze(f.text, lang)) {
      if (isPrimary(t)) {
        if (primaries.length >= MAX_DOCUMENT_TERMS) break;
        primaries.push(t.term);
      } else if (variants.length < MAX_DOCUMENT_TERMS) variants.push(t.term);
    }
  }
  return { terms: primaries.concat(variants) };
}

export const packFields = (fields: readonly SearchField[]): Buffer =>
  deflateRawSync(Buffer.from(JSON.stringify(fields.map((f) => [f.where, f.segmentId, f.seq, f.tagId, f.text]))));

export function unpackFields(buf: Buffer | Uint8Array): SearchField[] {
  const rows = JSON.parse(inflateRawSync(buf).toString('utf8')) as Array<[FieldKind, string | null, number | null, string | null, string]>;
  return rows.map(([where, segmentId, seq, tagId, text]) => ({ where, segmentId, seq, tagId, text }));
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
export function docKeyRange(from: Date | null, to: Date | null): { lo: number | null; hi: number | null } {
  return {
    lo: from ? Math.max(0, Math.floor(from.getTime() / 1000)) * DOC_KEY_SLOTS : null,
    hi: to ? (Math.floor((to.getTime() - 1) / 1000) + 1) * DOC_KEY_SLOTS - 1 : null,
  };
}
