// Mentions in comment text: the editor writes `@[Name](userId)`; conversation and evaluation comments both read them.
/** `@[Name](userId)`: the token the comment editor writes for a mention. */
export const MENTION_TOKEN = /@\[([^\]\n]{1,200})\]\(([A-Za-z0-9_-]{1,64})\)/g;

/** The user ids mentioned by tokens in the text, in order of appearance, without repeats. */
export function parseMentions(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION_TOKEN)].map((m) => m[2]!))];
}

/** The text as it reads: mentions as @Name. */
export const mentionsAsNames = (text: string) => text.replace(MENTION_TOKEN, (_, name: string) => `@${name}`);
