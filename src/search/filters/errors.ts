// One way to refuse a filter input: VALIDATION_FAILED with a stable reason and the field it concerns.
import { DomainError } from '../../platform/errors.ts';

export type FilterErrorReason =
  | 'INVALID_FILTER'
  | 'INVALID_TIME_ZONE'
  | 'INVALID_DATE'
  | 'DATE_RANGE_REVERSED'
  | 'INVALID_DAYS'
  | 'INVALID_TIME'
  | 'TIME_RANGE_REVERSED'
  | 'INVALID_DURATION'
  | 'DURATION_RANGE_REVERSED'
  | 'INVALID_PHONE_PREFIX'
  | 'EMPTY_VALUE'
  | 'VALUE_TOO_LONG'
  | 'INVALID_REGEX'
  | 'REGEX_TOO_LONG'
  | 'UNSUPPORTED_REGEX'
  | 'OPERATOR_NOT_ALLOWED';

export function filterError(reason: FilterErrorReason, message: string, field: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { reason, field, ...extra });
}

/** Quotes what the person typed in a message, so "3:75" reads as their input and not as our text. */
export const quote = (input: string) => JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
