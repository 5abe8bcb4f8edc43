// For the e-mail template tests of issue 14 (mails in the recipient's language): the English wording a translated
// mail still carries. The English mail's text is cut at every piece of data (names, links, errors, figures), and
// each remaining fragment of two words or more that shows up in the other mail is an untranslated sentence.
export function englishLeftovers(englishText: string, translatedText: string, data: readonly string[]): string[] {
  const pieces = [...data].filter(Boolean).sort((a, b) => b.length - a.length);
  const out = new Set<string>();
  for (const line of englishText.split('\n')) {
    let fragments = [line];
    for (const d of pieces) fragments = fragments.flatMap((f) => f.split(d));
    for (const f of fragments) {
      const words = f.match(/[A-Za-z]{2,}/g) ?? [];
      const clean = f.trim();
      if (words.length >= 2 && translatedText.includes(clean)) out.add(clean);
    }
  }
  return [...out];
}
