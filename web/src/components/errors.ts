// Turns any thrown value into a message for the user. Codes whose meaning is fully captured by the code itself are
// translated; for the rest (validation, conflicts) the server's own message is the most specific text we have.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import { formatTime } from '../format.ts';

const TRANSLATED_CODES = new Set([
  'INVALID_CREDENTIALS',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ACCOUNT_DISABLED',
  'NETWORK',
  'INTERNAL',
  'UNAVAILABLE',
]);

/** The server asks for the organisation when an email exists in several tenants. */
export const isTenantRequired = (e: unknown) => e instanceof ApiError && (e.code === 'TENANT_REQUIRED' || e.details?.reason === 'TENANT_REQUIRED');

export function describeError(error: unknown, t: TFunction, lang: string): string {
  if (error instanceof ApiError) {
    if (error.code === 'ACCOUNT_LOCKED') {
      const until = error.details?.lockedUntil;
      return typeof until === 'string' ? t('errors.ACCOUNT_LOCKED', { time: formatTime(until, lang) }) : t('errors.ACCOUNT_LOCKED_NO_TIME');
    }
    if (isTenantRequired(error)) return t('errors.TENANT_REQUIRED');
    if (TRANSLATED_CODES.has(error.code)) return t(`errors.${error.code}`);
    return error.message || t('errors.UNKNOWN');
  }
  if (error instanceof Error && error.message) return error.message;
  return t('errors.UNKNOWN');
}
