import { describe, expect, it } from 'vitest';
import { detailPath } from './searchLinks.ts';

describe('detailPath', () => {
  it('carries the query, and the time of a speech hit for the player', () => {
    expect(detailPath('c1', null)).toBe('/conversations/c1');
    expect(detailPath('c1', ' late fee ')).toBe('/conversations/c1?q=late%20fee');
    expect(detailPath('c1', '"cancel my"', '', 12_345.6)).toBe('/conversations/c1?q=%22cancel%20my%22&t=12345');
    expect(detailPath('c1', 'x', '#segments', 0)).toBe('/conversations/c1?q=x&t=0#segments');
    expect(detailPath('c1', '', '', undefined)).toBe('/conversations/c1');
    expect(detailPath('c1', '', '', Number.NaN)).toBe('/conversations/c1');
  });
});
