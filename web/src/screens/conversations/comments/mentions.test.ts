// Mention tokens between what the server stores and what the editor shows.
import { describe, expect, it } from 'vitest';
import { insertMention, mentionQuery, plainText, splitMentions, toEditable, toStored } from './mentions.ts';

describe('mentions', () => {
  it('splits stored text into runs and mentions (the raw token never shows)', () => {
    expect(splitMentions('Hi @[Ann Lee](u-1), see 0:42 @[Bo](u_2)')).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'mention', name: 'Ann Lee', userId: 'u-1' },
      { kind: 'text', text: ', see 0:42 ' },
      { kind: 'mention', name: 'Bo', userId: 'u_2' },
    ]);
    expect(splitMentions('no mentions, @Ann or [x](y)')).toEqual([{ kind: 'text', text: 'no mentions, @Ann or [x](y)' }]);
    expect(plainText('Hi @[Ann Lee](u-1), see @[Bo](u_2)')).toBe('Hi @Ann Lee, see @Bo');
  });

  it('round-trips between the stored tokens and the editor text', () => {
    const stored = 'Listen @[Ann Lee](u-1) and @[Ann](u-2), again @[Ann Lee](u-1).';
    const editable = toEditable(stored);
    expect(editable.text).toBe('Listen @Ann Lee and @Ann, again @Ann Lee.');
    expect(editable.mentioned).toEqual([
      { id: 'u-1', name: 'Ann Lee' },
      { id: 'u-2', name: 'Ann' },
    ]);
    expect(toStored(editable.text, editable.mentioned)).toBe(stored);
    // A name removed from the text mentions no one; one not picked stays plain text; a longer word is not a name.
    expect(toStored('Thanks @Ann, cc @Zed and @Annabel', editable.mentioned)).toBe('Thanks @[Ann](u-2), cc @Zed and @Annabel');
    expect(toStored('Only @Ann Lee.', [{ id: 'u-1', name: 'Ann Lee' }])).toBe('Only @[Ann Lee](u-1).');
  });

  it('finds the @query being typed and puts the picked name in its place', () => {
    expect(mentionQuery('Hello @al', 9)).toEqual({ start: 6, query: 'al' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail me at ann@example.com', 26)).toBeNull();
    expect(mentionQuery('Hello @al\nnext', 14)).toBeNull();
    expect(mentionQuery('no at sign', 5)).toBeNull();
    expect(insertMention('Hello @al, bye', { start: 6, query: 'al' }, 'Alma Agent')).toEqual({ text: 'Hello @Alma Agent , bye', caret: 18 });
  });
});
