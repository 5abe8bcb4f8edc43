import { describe, expect, it } from 'vitest';
import { buildLookup, markRanges, NO_HIGHLIGHTS } from './highlight.ts';

const render = (text: string, ranges: [number, number][]) =>
  markRanges(text, ranges)
    .map((p) => (p.mark ? `<${p.text}>` : p.text))
    .join('');

describe('markRanges', () => {
  it('marks each range and keeps the text between', () => {
    expect(
      render('the billing refund is late', [
        [4, 11],
        [12, 18],
      ]),
    ).toBe('the <billing> <refund> is late');
    expect(markRanges('abc', [[0, 1]])).toEqual([
      { text: 'a', mark: true },
      { text: 'bc', mark: false },
    ]);
  });

  it('returns the whole text unmarked without ranges', () => {
    expect(markRanges('hello', [])).toEqual([{ text: 'hello', mark: false }]);
    expect(markRanges('hello', null)).toEqual([{ text: 'hello', mark: false }]);
    expect(markRanges('', [[0, 3]])).toEqual([{ text: '', mark: false }]);
  });

  it('sorts, merges overlapping and touching ranges', () => {
    expect(
      render('abcdefghij', [
        [6, 8],
        [1, 3],
        [2, 4],
      ]),
    ).toBe('a<bcd>ef<gh>ij');
    expect(
      render('abcdefghij', [
        [1, 3],
        [3, 5],
      ]),
    ).toBe('a<bcde>fghij');
    expect(
      render('abcdef', [
        [0, 6],
        [2, 3],
      ]),
    ).toBe('<abcdef>');
  });

  it('clips ranges past the text and drops empty or inverted ones', () => {
    expect(render('abcdef', [[4, 99]])).toBe('abcd<ef>');
    expect(render('abcdef', [[-5, 2]])).toBe('<ab>cdef');
    expect(
      render('abcdef', [
        [3, 3],
        [5, 2],
        [10, 12],
      ]),
    ).toBe('abcdef');
  });

  it('counts UTF-16 offsets and never splits a surrogate pair', () => {
    // "👋" is two UTF-16 units: "hi 👋 café" has "café" at 6..10.
    const text = 'hi 👋 café';
    expect(render(text, [[6, 10]])).toBe('hi 👋 <café>');
    expect(render(text, [[4, 5]])).toBe('hi <👋> café');
  });
});

describe('buildLookup', () => {
  it('finds the ranges of each place the server names', () => {
    const lookup = buildLookup([
      { where: 'chat_message', segmentId: 's1', seq: 2, tagId: null, ranges: [[0, 3]] },
      { where: 'chat_message', segmentId: 's1', seq: 2, tagId: null, ranges: [[5, 8]] },
      { where: 'chat_message', segmentId: 's2', seq: 2, tagId: null, ranges: [[1, 2]] },
      { where: 'email_subject', segmentId: 'e1', seq: null, tagId: null, ranges: [[0, 6]] },
      { where: 'email_body', segmentId: 'e1', seq: null, tagId: null, ranges: [[10, 16]] },
      { where: 'tag_comment', segmentId: null, seq: null, tagId: 't1', ranges: [[4, 9]] },
      { where: 'room_name', segmentId: 's1', seq: null, tagId: null, ranges: [[0, 7]] },
    ]);
    expect(lookup.chatMessage('s1', 2)).toEqual([
      [0, 3],
      [5, 8],
    ]);
    expect(lookup.chatMessage('s2', 2)).toEqual([[1, 2]]);
    expect(lookup.chatMessage('s1', 3)).toBeUndefined();
    expect(lookup.chatMessage(undefined, 2)).toBeUndefined();
    expect(lookup.emailSubject('e1')).toEqual([[0, 6]]);
    expect(lookup.emailBody('e1')).toEqual([[10, 16]]);
    expect(lookup.tagComment('t1')).toEqual([[4, 9]]);
    expect(lookup.roomName('s1')).toEqual([[0, 7]]);
    expect(lookup.roomName('s2')).toBeUndefined();
  });

  it('finds nothing without highlights', () => {
    expect(buildLookup([])).toBe(NO_HIGHLIGHTS);
    expect(NO_HIGHLIGHTS.emailBody('e1')).toBeUndefined();
  });
});
