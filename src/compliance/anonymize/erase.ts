// The erased values of a conversation and a function that takes them out of any text: wherever a customer's number,
// address, name or custom value still appears (a tag comment, an agent's comment, an audit event's details, a chat
// line when chats are not anonymized), it becomes the placeholder of its class. Pure: unit-tested on its own.
import { PLACEHOLDER } from '../setup/model.ts';

export interface ErasedValue {
  value: string;
  placeholder: string;
  /** Phone numbers match whatever separators the text uses between their digits ("+1 (555) 010-2030"). */
  phone?: boolean;
}

/** Shorter values would take out ordinary words and numbers along with them. */
const MIN_LENGTH = 3;
/** A number is recognised by its last digits, with or without its country code. */
const PHONE_MIN_DIGITS = 6;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function phonePattern(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < PHONE_MIN_DIGITS) return null;
  // Any of: the full number, or the number without up to three leading digits (a country code written differently).
  const sep = '[\\s().\\-/]*';
  const tails = [...new Set([0, 1, 2, 3].filter((k) => digits.length - k >= PHONE_MIN_DIGITS).map((k) => digits.slice(k)))];
  const alt = tails.map((t) => t.split('').join(sep)).join('|');
  return `(?<![0-9])(?:\\+|\\()?(?:${alt})(?![0-9])`;
}

export type Eraser = (text: string) => string;

/** Replaces every erased value in a text (longest first, case-insensitively); the identity when there are none. */
export function makeEraser(values: readonly ErasedValue[]): Eraser {
  const rules: Array<{ re: RegExp; placeholder: string }> = [];
  const seen = new Set<string>();
  const sorted = [...values].filter((v) => v.value.trim().length >= MIN_LENGTH && !isPlaceholder(v.value)).sort((a, b) => b.value.length - a.value.length);
  for (const v of sorted) {
    const key = `${v.phone ? 'p' : 't'}:${v.value.trim().toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = v.phone ? phonePattern(v.value) : escape(v.value.trim());
    if (source) rules.push({ re: new RegExp(source, 'giu'), placeholder: v.placeholder });
  }
  if (rules.length === 0) return (text) => text;
  return (text) => {
    if (!text) return text;
    let out = text;
    for (const r of rules) out = out.replace(r.re, r.placeholder);
    return out;
  };
}

const PLACEHOLDERS = new Set<string>(Object.values(PLACEHOLDER));
export const isPlaceholder = (s: string | null | undefined) => s != null && PLACEHOLDERS.has(s);

/** Every string inside a JSON value through the eraser (keys stay). */
export function eraseDeep(value: unknown, erase: Eraser): unknown {
  if (typeof value === 'string') return erase(value);
  if (Array.isArray(value)) return value.map((v) => eraseDeep(v, erase));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, eraseDeep(v, erase)]));
  return value;
}
