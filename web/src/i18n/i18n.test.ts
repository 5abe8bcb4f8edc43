// The two catalogues must stay in step: same keys, no blanks, same placeholders; and every key the code uses exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const enKeys = flatten(en as Tree);
const frKeys = flatten(fr as Tree);

describe('i18n catalogues', () => {
  it('en and fr have exactly the same keys', () => {
    const onlyEn = [...enKeys.keys()].filter((k) => !frKeys.has(k));
    const onlyFr = [...frKeys.keys()].filter((k) => !enKeys.has(k));
    expect({ onlyEn, onlyFr }).toEqual({ onlyEn: [], onlyFr: [] });
  });

  it('has no empty values', () => {
    const empty = [...enKeys, ...frKeys].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('uses the same {{placeholders}} in both languages', () => {
    const mismatched = [...enKeys].filter(([k, v]) => frKeys.has(k) && placeholders(v).join() !== placeholders(frKeys.get(k) ?? '').join()).map(([k]) => k);
    expect(mismatched).toEqual([]);
  });

  it('defines every literal key the web code uses', () => {
    const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const files = fs.readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    const used = new Set<string>();
    for (const f of files) {
      const text = fs.readFileSync(path.join(srcDir, f), 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\blabelKey:\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !enKeys.has(k))).toEqual([]);
  });
});
