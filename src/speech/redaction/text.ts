// Redaction of written text (chat messages, e-mail subjects and bodies) for users without "media.play_unredacted":
// the text is split into words (keeping each word's place), detectPii runs over them, and every span is replaced by
// its placeholder ("[CARD]", "[EMAIL]"…), the punctuation around it kept.
import type { PiiType } from '../model.ts';
import { PII_PLACEHOLDERS } from '../text/redact.ts';
import { detectPii } from './detect.ts';

/** Words: runs of anything but spaces and the punctuation that never sits inside an e-mail, number or date. */
const WORD = /[^\s,;:!?"“”«»()[\]<>{}]+|\([\d ]+\)/g;

/** The characters of a word that detection sees (the trailing full stop of a sentence is not part of an address). */
function core(word: string): [number, number] {
  const lead = /^[^\p{L}\p{N}@+#(]*/u.exec(word)![0].length;
  const trail = /[^\p{L}\p{N})]*$/u.exec(word.slice(lead))![0].length;
  return [lead, word.length - trail];
}

export function redactText(text: string, types: readonly PiiType[]): string {
  if (!text || types.length === 0) return text;
  const words: Array<{ w: string; start: number; end: number }> = [];
  for (const m of text.matchAll(WORD)) {
    const [a, b] = core(m[0]);
    if (b > a) words.push({ w: m[0].slice(a, b), start: m.index + a, end: m.index + b });
  }
  const spans = detectPii(
    words.map((w) => w.w),
    types,
  );
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    const start = words[s.firstWord]!.start;
    if (start < at) continue;
    out += text.slice(at, start) + PII_PLACEHOLDERS[s.type];
    at = words[s.lastWord]!.end;
  }
  return out + text.slice(at);
}
