// The "Network quality" filter (issue 13): recorded calls whose network quality was poor on at least one leg (E-model
// MOS under 3.6 or more than 5 % of packets lost, judged per leg by the recorder's assurance and kept in
// recording_quality), or calls measured and good on every leg. Conversations the recorder did not capture (imported
// files, chats) have no measurement and match neither. Declared here whole — schema, check, chip and SQL condition —
// so filter.ts and the search repository each name it in one line.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { Type, type Static } from 'typebox';
import type { Database } from '../../platform/db/schema.ts';
import { filterError } from './errors.ts';

export const NETWORK_QUALITY_OPTIONS = ['poor', 'good'] as const;
export const NetworkQuality = Type.Union([Type.Literal('poor'), Type.Literal('good')], {
  description: 'poor: a recorded leg had poor network quality (MOS < 3.6 or > 5 % loss); good: measured and good on every leg',
});
export type NetworkQuality = Static<typeof NetworkQuality>;

/** The canonical value of an incoming one (null/undefined: no condition). */
export function checkNetworkQuality(v: unknown, field = 'networkQuality'): NetworkQuality {
  if (v === 'poor' || v === 'good') return v;
  throw filterError('INVALID_FILTER', `Network quality must be one of poor, good${typeof v === 'string' ? `, not ${JSON.stringify(v)}` : ''}`, field);
}

export const networkQualityChip = (v: NetworkQuality) => ({ field: 'networkQuality' as const, label: `Network quality: ${v === 'poor' ? 'Poor' : 'Good'}` });

/** WHERE term on `conversations c`. */
export function networkQualityCondition(eb: ExpressionBuilder<Database & { c: Database['conversations'] }, 'c'>, v: NetworkQuality): Expression<SqlBool> {
  const legs = (poor: boolean) =>
    eb.exists(
      eb
        .selectFrom('recording_quality as rq')
        .select('rq.conversation_id')
        .whereRef('rq.conversation_id', '=', 'c.id')
        .where('rq.poor', '=', poor ? 1 : 0),
    );
  return v === 'poor' ? legs(true) : eb.and([legs(false), eb.not(legs(true))]);
}
