import { describe, expect, it } from 'vitest';
import { randomToken } from './factories.ts';

describe('randomToken', () => {
  it('holds no digit and no hex letter, so searches by a number or a short word cannot find it', () => {
    const tokens = Array.from({ length: 2000 }, () => randomToken());
    for (const t of tokens) expect(t).toMatch(/^[ghjkmnpqrsvwxz]{10}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
