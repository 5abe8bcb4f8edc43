// Every string a user reads goes through i18n (issue 16): this walks each component of web/src (the TypeScript parser,
// not regexes, so a `>` in an expression is not text) and fails on words written into the markup — JSX text, and the
// attributes people read (label, title, placeholder, aria-label, description, alt, …) or the same keys in an object
// literal (a notification's message, a select's options). What is not a word of any
// language passes: numbers, punctuation, symbols, and the few names below that stay the same in every language.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const WEB_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Attributes whose string value a user reads or hears. */
const READ_ATTRIBUTES = new Set([
  'label',
  'title',
  'placeholder',
  'aria-label',
  'aria-description',
  'aria-valuetext',
  'description',
  'alt',
  'tooltip',
  'message',
  'nothingFoundMessage',
  'emptyMessage',
  'confirmLabel',
  'cancelLabel',
  'error',
  'hint',
]);

/** Names that are not translated: the product, the languages in their own words, units and formats. */
const NOT_WORDS = new Set(['Earshot', 'English', 'Français', 'WAV', 'MP3', 'JSON', 'CSV', 'MM:SS', 'HH:MM', 'ms', 'kB', 'MB', 'px', 'Hz', 'm:ss']);

/** A string with a word in it: two letters in a row, of any script, once the untranslated names are taken out. */
function hasWords(text: string): boolean {
  const rest = text
    .split(/(\s+)/)
    .filter((w) => !NOT_WORDS.has(w.trim().replace(/[.,:;()]+$/g, '')))
    .join('');
  return /\p{L}{2,}/u.test(rest);
}

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/** The string literals an expression can evaluate to as it stands: itself, the branches of `?:`, the sides of `??`/`||`. */
function literalsOf(e: ts.Expression): Array<{ node: ts.Node; text: string }> {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ node: e, text: e.text }];
  // `Play ${name}`: the words written around the substitutions.
  if (ts.isTemplateExpression(e)) return [{ node: e, text: [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' ') }];
  if (ts.isParenthesizedExpression(e)) return literalsOf(e.expression);
  if (ts.isConditionalExpression(e)) return [...literalsOf(e.whenTrue), ...literalsOf(e.whenFalse)];
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
    return [...literalsOf(e.left), ...literalsOf(e.right)];
  }
  return [];
}

export function findHardcoded(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: Finding[] = [];
  const add = (node: ts.Node, text: string) => out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.trim() });
  const check = (e: ts.Expression | undefined) => {
    for (const lit of e ? literalsOf(e) : []) if (hasWords(lit.text)) add(lit.node, lit.text);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) add(node, node.text);
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(sf)) && node.initializer) {
      const init = node.initializer;
      if (ts.isStringLiteral(init) && hasWords(init.text)) add(init, init.text);
      if (ts.isJsxExpression(init)) check(init.expression);
    }
    // { label: 'Some words' } handed to a component or a notification.
    if (ts.isPropertyAssignment(node) && READ_ATTRIBUTES.has(node.name.getText(sf).replace(/['"]/g, ''))) check(node.initializer);
    // {'Some words'} or {busy ? 'Saving' : label} as a child of an element.
    if (ts.isJsxExpression(node) && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) check(node.expression);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function components(): string[] {
  return fs
    .readdirSync(WEB_SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tsx') && !f.endsWith('.test.tsx') && !f.startsWith(`test${path.sep}`))
    .sort();
}

describe('hard-coded UI strings', () => {
  it('finds words in JSX text and read attributes, and leaves translated ones, symbols and names alone', () => {
    const src = `
      export const A = () => (
        <Group title="Open the file" aria-label={t('x.y')}>
          Hello there
          <Text>{t('a.b')} · {count} %</Text>
          <Badge>{'Two words'}</Badge>
          <Img alt={\`A picture\`} />
          <Title>Earshot</Title>
          <Input placeholder="HH:MM" data-testid="not-read" />
          <Code>{a > b ? 1 : 2}</Code>
          {notify({ title: 'Saved it', color: 'green' })}
          <Button>{busy ? 'Saving' : t('save')}</Button>
          <Text>{name ?? 'Nobody'}</Text>
          <Button aria-label={\`Play \${name}\`} title={\`\${a} – \${b}\`} />
        </Group>
      );`;
    expect(findHardcoded('x.tsx', src).map((f) => f.text)).toEqual([
      'Open the file',
      'Hello there',
      'Two words',
      'A picture',
      'Saved it',
      'Saving',
      'Nobody',
      'Play',
    ]);
  });

  it('has none in the components of web/src', () => {
    const findings = components().flatMap((f) => findHardcoded(f, fs.readFileSync(path.join(WEB_SRC, f), 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`)).toEqual([]);
  });
});
