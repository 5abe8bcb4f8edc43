import { describe, expect, it } from 'vitest';
import { formatBytes, fromFileList, mergeFiles, totalBytes } from './files.ts';

const file = (name: string, size: number, relative = '') => {
  const f = new File([new Uint8Array(size)], name);
  if (relative) Object.defineProperty(f, 'webkitRelativePath', { value: relative });
  return f;
};

describe('import file selection', () => {
  it('keeps folder paths, leaves hidden files out, and merges a second pick by path', () => {
    const picked = fromFileList([
      file('a.wav', 10, 'export/calls/a.wav'),
      file('.DS_Store', 5, 'export/.DS_Store'),
      file('b.eml', 3),
      file('x', 1, 'export/.git/x'),
    ]);
    expect(picked.map((f) => f.path)).toEqual(['export/calls/a.wav', 'b.eml']);
    const merged = mergeFiles(picked, fromFileList([file('b.eml', 7), file('c.chat.json', 2)]));
    expect(merged.map((f) => f.path)).toEqual(['b.eml', 'c.chat.json', 'export/calls/a.wav']);
    expect(totalBytes(merged)).toBe(10 + 7 + 2);
  });

  it('words sizes in the UI language', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(2 * 2 ** 30, 'fr')).toBe('2 GB');
  });
});
