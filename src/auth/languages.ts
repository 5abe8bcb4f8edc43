// The UI languages and how a user's language is decided (issue 14): their own choice, else the nearest group up the
// tree that has one, else the organisation's default. The web UI (web/src/i18n/index.ts, same list) and every e-mail
// to a user (quality notifications, indicator alerts and digests, …) use this effective language.
import type { Executor } from '../platform/db/index.ts';
import { invalid } from '../platform/errors.ts';
import * as repo from './repository.ts';

export const LANGUAGES = ['en', 'fr', 'es', 'pt-BR', 'de', 'ru', 'cs'] as const;
export type UiLanguage = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: UiLanguage = 'en';

export const isUiLanguage = (value: unknown): value is UiLanguage => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** A language given in input: one of ours, or null/'' for "none of my own" (stored as ''). */
export function checkLanguage(value: string | null | undefined, field = 'language'): void {
  if (value === undefined || value === null || value === '') return;
  if (!isUiLanguage(value)) throw invalid(`Unsupported language "${value}" (available: ${LANGUAGES.join(', ')})`, { field });
}

/** The stored form of an optional language: '' or null means none. */
export const ownLanguage = (stored: string | null | undefined): UiLanguage | null => (isUiLanguage(stored) ? stored : null);

interface GroupLanguage {
  id: string;
  parent_id: string | null;
  language?: string | null;
}

/** The language a member of `groupId` gets when they choose none: the nearest group with one, else the tenant's. */
export function inheritedLanguage(groupId: string | null, groups: ReadonlyMap<string, GroupLanguage>, tenantLanguage: string | null | undefined): UiLanguage {
  const seen = new Set<string>();
  for (let id = groupId; id && !seen.has(id); id = groups.get(id)?.parent_id ?? null) {
    seen.add(id); // a cycle cannot be saved (org-service refuses it), but never loop on bad data
    const own = ownLanguage(groups.get(id)?.language);
    if (own) return own;
  }
  return ownLanguage(tenantLanguage) ?? DEFAULT_LANGUAGE;
}

export interface LanguageOf {
  /** What the user reads: their own, else inherited. */
  language: UiLanguage;
  /** Their own choice, null when they follow the defaults. */
  own: UiLanguage | null;
  /** What they would read without a choice of their own (group's, else organisation's). */
  inherited: UiLanguage;
}

/** The languages of some users of one tenant (unknown ids are left out). One query per table, whatever the count. */
export async function languagesOf(db: Executor, tenantId: string, userIds: readonly string[]): Promise<Map<string, LanguageOf>> {
  const out = new Map<string, LanguageOf>();
  if (!userIds.length) return out;
  const { tenantLanguage, groups, users } = await repo.languageFacts(db, tenantId, [...new Set(userIds)]);
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const u of users) {
    const inherited = inheritedLanguage(u.group_id, byId, tenantLanguage);
    const own = ownLanguage(u.language);
    out.set(u.id, { language: own ?? inherited, own, inherited });
  }
  return out;
}

/** One user's effective language (the organisation's default for an unknown user). */
export async function languageOf(db: Executor, tenantId: string, userId: string): Promise<UiLanguage> {
  return (await languagesOf(db, tenantId, [userId])).get(userId)?.language ?? DEFAULT_LANGUAGE;
}
