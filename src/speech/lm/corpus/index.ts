// The contact-center text corpus (README.md): hand-written dialogue plus template-generated spoken forms.
import { BILLING } from './billing.ts';
import { FINANCE } from './finance.ts';
import { GENERAL } from './general.ts';
import { MORE } from './more.ts';
import { spokenSentences } from './spoken.ts';
import { SUPPORT } from './support.ts';

/** Bumped whenever the corpus text changes, so cached language models are rebuilt. */
export const CORPUS_VERSION = 2;

export function corpusSentences(): string[] {
  const written = [GENERAL, BILLING, SUPPORT, FINANCE, MORE].flatMap((block) =>
    block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  return [...written, ...spokenSentences()];
}
