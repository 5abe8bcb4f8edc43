// A legal hold by rule is a stored search filter evaluated whenever protection is asked for, so a conversation that
// arrives while the hold is active is held the moment it exists (no materialised list to fall behind).
import type { Actor } from '../../auth/actor.ts';
import type { AppContext } from '../../context.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import { invalid } from '../../platform/errors.ts';
import type { SearchFilter } from '../../search/filter.ts';
import { matchingIds } from '../../search/repository.ts';
import { planSearch } from '../../search/service.ts';

/**
 * Sees every conversation of the tenant and nothing else: a hold (or a protected search) is tenant-wide whoever made
 * it. users.manage lets a filter for conversations not assigned to anyone plan (the search reserves that view to it).
 */
export function holdActor(tenantId: string): Actor {
  return {
    tenantId,
    userId: '',
    name: 'legal hold',
    email: '',
    permissions: new Set(['conversations.view', 'users.manage']),
    scope: { all: true },
    ip: null,
    application: 'system',
  };
}

/** Periods that move with the clock would let conversations slip out of a hold as days pass. */
const FIXED_PERIODS = new Set(['all_time', 'custom']);

/** Refuses what a hold cannot mean: a moving period, or "my conversations" (a hold has no user). */
export function assertHoldFilter(filter: SearchFilter) {
  if (filter.period && !FIXED_PERIODS.has(filter.period.kind))
    throw invalid('A legal hold needs a fixed time period (All time or a custom date range): a moving period would release conversations as days pass', {
      reason: 'HOLD_MOVING_PERIOD',
      field: 'filter.period',
    });
  if (filter.view === 'mine')
    throw invalid('A legal hold cannot use "My conversations": choose the agent instead', { reason: 'HOLD_VIEW_MINE', field: 'filter.view' });
}

/** The ids the hold's filter matches: among `ids`, or the next page after `afterId`. */
export async function ruleMatches(
  db: Executor,
  adapter: DialectAdapter,
  tenantId: string,
  filter: unknown,
  opts: { ids?: readonly string[]; afterId?: string | null; limit?: number },
): Promise<string[]> {
  // planSearch reads only the database and its dialect (filter lookups, language, sites); nothing request-bound.
  const ctx = { db, adapter } as unknown as AppContext;
  const stored = typeof filter === 'string' ? adapter.fromJson(filter) : filter;
  const { plan } = await planSearch(ctx, holdActor(tenantId), stored, new Date());
  if (!plan) return [];
  return matchingIds(db, adapter, plan, opts);
}

/** Checks a filter for a hold and returns its canonical form. */
export async function canonicalHoldFilter(db: Executor, adapter: DialectAdapter, tenantId: string, input: unknown): Promise<SearchFilter> {
  const ctx = { db, adapter } as unknown as AppContext;
  const raw = (input ?? {}) as Record<string, unknown>;
  // A hold covers conversations that cannot be reviewed too, unless the filter says otherwise.
  const withDefaults = { reviewable: 'all', period: null, ...raw };
  const { filter } = await planSearch(ctx, holdActor(tenantId), withDefaults, new Date());
  assertHoldFilter(filter);
  return filter;
}
