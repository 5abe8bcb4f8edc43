// Mentions in comment text. The server stores `@[Name](userId)` (src/conversations/comments/service.ts); the editor
// shows `@Name` and writes the token back on save for the people picked from the list.

/** The token the server reads; the same pattern as MENTION_TOKEN on the server. */
const TOKEN = /@\[([^\]\n]{1,200})\]\(([A-Za-z0-9_-]{1,64})\)/g;

export type TextPart = { kind: 'text'; text: string } | { kind: 'mention'; name: string; userId: string };

/** The text cut into plain runs and mentions, for display. */
export function splitMentions(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) parts.push({ kind: 'text', text: text.slice(last, m.index) });
    parts.push({ kind: 'mention', name: m[1]!, userId: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The text as it reads, mentions as @Name (tooltips and other plain-text places). */
export const plainText = (text: string) => text.replace(TOKEN, (_, name: string) => `@${name}`);

export interface Mentioned {
  id: string;
  name: string;
}

/** Stored text → what the editor shows (`@Name`) and who is mentioned in it. */
export function toEditable(text: string): { text: string; mentioned: Mentioned[] } {
  const mentioned: Mentioned[] = [];
  const shown = splitMentions(text)
    .map((p) => {
      if (p.kind === 'text') return p.text;
      if (!mentioned.some((m) => m.id === p.userId)) mentioned.push({ id: p.userId, name: p.name });
      return `@${p.name}`;
    })
    .join('');
  return { text: shown, mentioned };
}

/**
 * Editor text → stored text: every `@Name` of someone picked becomes their token. Longer names first, so picking
 * "Ann Lee" and "Ann" marks each where it is written. A name deleted from the text mentions no one.
 */
export function toStored(text: string, mentioned: Mentioned[]): string {
  const names = [...mentioned].sort((a, b) => b.name.length - a.name.length);
  if (names.length === 0) return text;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`@(${names.map((m) => escape(m.name)).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return text.replace(pattern, (_, name: string) => {
    const m = names.find((x) => x.name === name)!;
    return `@[${m.name}](${m.id})`;
  });
}

/** The `@query` being typed just before the caret, if any: where it starts and what was typed after the @. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  // An @ inside a word (an e-mail address) starts no mention.
  if (at > 0 && !/\s|[(]/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  // A name has at most a few words; a line break or a long run means the @ was something else.
  if (query.length > 40 || /\n/.test(query) || query.split(' ').length > 3) return null;
  return { start: at, query };
}

/** Puts `@Name ` in place of the `@query` being typed; returns the new text and where the caret goes. */
export function insertMention(text: string, at: { start: number; query: string }, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const end = at.start + 1 + at.query.length;
  return { text: text.slice(0, at.start) + inserted + text.slice(end), caret: at.start + inserted.length };
}
