/**
 * Earshot's text analyzer: the one place that turns text into indexed terms, so SQLite FTS5 and
 * PostgreSQL tsvector index exactly the same terms and a query word means the same on both.
 *
 * Pipeline, per token:
 *  1. Special tokens first (regex pass over the raw text): email addresses, and runs of letters and
 *     digits joined by - _ . / : that contain a digit (conversation ids/UUIDs, `CX-1042`, `4111`,
 *     `1,000.50`, `2024-05-01`). Each is ONE term, lower-cased, never stemmed, never split; its pieces
 *     are NOT emitted, so `jamie.doe@example.com` is found by the whole address only (not by `jamie`
 *     or `example.com`) and `CX-1042` by `cx-1042` only (not by `cx` or `1042`).
 *  2. The rest is cut into words by `Intl.Segmenter(lang, { granularity: 'word' })`, keeping
 *     word-like segments (so emoji and punctuation are dropped, Chinese and Japanese are segmented by
 *     ICU's dictionaries, `don't`, `l'appel` and `U.S.A` stay one token, `check-in` is two).
 *  3. NFKC, then `toLocaleLowerCase(lang)`; typographic apostrophes become `'`; invisible format
 *     characters (soft hyphen, zero-width joiners) are removed. Russian folds ё → е (as Snowball
 *     does); French drops elided articles and pronouns (`l'appel` → `appel`, `qu'il` → `il`).
 *  4. Stop words (Snowball lists; a small Czech list): see "Stop words" below.
 *  5. Snowball stemming in the tenant's language (`help`, `helping`, `helped`, `helps` → `help`).
 *
 * What one token yields (all at the token's position; the primary first):
 *  - the primary term (`kind` word / stop / special): the stem, the lower-cased stop word, or the
 *    special token. Exactly one per position; positions are 0, 1, 2, ... with no gaps.
 *  - `=surface` (`kind` exact), when the lower-cased NFKC surface differs from the primary: the word
 *    as written is findable too (`=helped`, `=factures`, `=l'appel`). `=` cannot start any other term.
 *  - the accent-folded term (`kind` folded), when it differs from the primary: the term an
 *    unaccented spelling of the word analyses to, i.e. stem(fold(word)). Folding strips marks from
 *    Latin letters (é→e, ñ→n, ř→r, ß→ss) and ё→е, in every language (French, Spanish, Portuguese
 *    and Czech customers often type without accents; it also helps names like José in English).
 *    It is one-way on purpose: `reclamation` finds `réclamation` and `reclamation`, while a
 *    query typed with the accent, `réclamation`, finds only the accented spelling (`año` does not
 *    find `ano`). German needs no variant: its stemmer already folds umlauts and ß.
 *
 * Stop words are indexed like every other token (kind `stop`) and removed from the QUERY only:
 *  - a single query word that is a stop word is dropped when the query has other words (`the bill`
 *    means `bill`); a query made only of stop words keeps them, so searching `not` still works;
 *  - inside a phrase they must match at their positions: `"interested in"` matches the two tokens
 *    in a row, not `interested and`, and `"not interested"` does not match a bare `interested`.
 *  This costs index size (stop words are about half of spoken text) but keeps phrases exact, which
 *  contact-center phrases need (`not interested`, `no longer`, `cancel my`), and keeps every
 *  backend's positions aligned (one primary term per position, consecutive positions).
 *
 * Exact words in any language or alphabet: a word is analysed with the tenant's stemmer on both
 * sides, so a Russian or Czech word in an English tenant still matches itself (stemmers leave other
 * alphabets alone, and the `=surface` variant is there as well); `exactQueryTerms` gives the terms
 * of a word as written for queries that must not stem.
 *
 * Offsets are UTF-16 indices into the analysed string: `text.slice(start, end) === surface`.
 * Terms never contain whitespace and are at most 255 UTF-16 code units long.
 *
 * Performance: segmenters, stemmers and stop sets are built once per language; token analyses are
 * memoised per language in a bounded map; text is fed to Intl.Segmenter in pieces of about 512
 * characters cut at spaces (V8's segmenter slows down quadratically on long strings).
 * `node --import tsx bench/analyzer.bench.ts` prints MB/s per language.
 */
export { LANGUAGES, DEFAULT_LANGUAGE, isLanguage, type Language } from './languages.ts';
export { analyze, analyzeQueryTerm, exactQueryTerms, isStopWord, isPrimary, clearAnalyzerCaches, EXACT_PREFIX, type Term, type TermKind } from './analyze.ts';
export { highlight, highlighter, matchRanges, SNIPPET_MAX, type Highlight, type Highlighter } from './highlight.ts';
export { foldDiacritics, MAX_TERM_LENGTH } from './normalize.ts';
