// The "Reviewed" filter (issue 11): conversations a quality review of was submitted (conversations.reviewed_at, set
// by src/quality/evaluations on the first submitted review) or not yet. Declared here whole — its schema, its check,
// its chip and its SQL condition — so filter.ts and the search repository each name it in one line.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { Type, type Static } from 'typebox';
import type { Database } from '../../platform/db/schema.ts';
import { filterError } from './errors.ts';

export const REVIEWED_OPTIONS = ['yes', 'no'] as const;
export const Reviewed = Type.Union([Type.Literal('yes'), Type.Literal('no')], {
  description: 'yes: a review of it was submitted; no: none yet (see also reviewable)',
});
export type Reviewed = Static<typeof Reviewed>;

/** The canonical value of an incoming one (null/undefined: no condition). */
export function checkReviewed(v: unknown, field = 'reviewed'): Reviewed {
  if (v === 'yes' || v === 'no') return v;
  if (v === true) return 'yes';
  if (v === false) return 'no';
  throw filterError('INVALID_FILTER', `Reviewed must be one of yes, no${typeof v === 'string' ? `, not ${JSON.stringify(v)}` : ''}`, field);
}

export const reviewedChip = (v: Reviewed) => ({ field: 'reviewed' as const, label: `Reviewed: ${v === 'yes' ? 'Yes' : 'No'}` });

/** WHERE term on `conversations c`. */
export function reviewedCondition(eb: ExpressionBuilder<Database & { c: Database['conversations'] }, 'c'>, v: Reviewed): Expression<SqlBool> {
  return v === 'yes' ? eb('c.reviewed_at', 'is not', null) : eb('c.reviewed_at', 'is', null);
}
