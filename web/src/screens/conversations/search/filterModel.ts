// The search filter on the client: how it sits in the URL, how a chip's removal or an editor's change alters it,
// and which filter a server validation error is about. Pure functions, tested beside.
import { ApiError } from '../../../api/client.ts';
import type { FilterChip, FilterField, SearchFilterInput, SearchSort } from '../../../api/types.ts';

/** Every field a chip or an editor can stand for, in the order the "Add new filter" pane lists them. */
export const FILTER_FIELDS = [
  'period',
  'saidBy',
  'daysOfWeek',
  'timeOfDay',
  'duration',
  'phone',
  'channels',
  'screen',
  'direction',
  'agentId',
  'groupId',
  'tags',
  'speechTags',
  'indicators',
  'topics',
  'sentiment',
  'engagement',
  'reviewable',
  'reviewed',
  'networkQuality',
  'customData',
  'view',
  'sort',
] as const satisfies readonly FilterField[];

const isField = (v: string): v is FilterField => (FILTER_FIELDS as readonly string[]).includes(v);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The filter as the `f` URL parameter holds it (without the text query, which has its own `q`); null when empty. */
export function encodeFilter(filter: SearchFilterInput): string | null {
  const { q: _q, version: _v, ...rest } = filter;
  const kept = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? JSON.stringify(kept) : null;
}

/** The `f` URL parameter back as a filter; anything unreadable is no filter (the server checks the rest). */
export function decodeFilter(raw: string | null): SearchFilterInput {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (!isPlainObject(v)) return {};
    const { q: _q, version: _v, ...rest } = v;
    return rest as SearchFilterInput;
  } catch {
    return {};
  }
}

/** Sets or clears fields: undefined and null clear one, except `period: null`, which means all time. */
export function patchFilter(filter: SearchFilterInput, patch: Partial<SearchFilterInput>): SearchFilterInput {
  const out: Record<string, unknown> = { ...filter };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || (v === null && k !== 'period')) delete out[k];
    else out[k] = v;
  }
  return out as SearchFilterInput;
}

/** The filter without the condition a chip stands for (its x). Removing the time period means all time. */
export function withoutChip(filter: SearchFilterInput, chip: Pick<FilterChip, 'field' | 'index'>): SearchFilterInput {
  if (chip.field === 'period') return patchFilter(filter, { period: null });
  if (chip.field === 'customData' && chip.index !== undefined) {
    const rest = (filter.customData ?? []).filter((_, i) => i !== chip.index);
    return patchFilter(filter, { customData: rest.length ? rest : undefined });
  }
  if (!isField(chip.field)) return filter;
  return patchFilter(filter, { [chip.field]: undefined });
}

const sameJson = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

/** JSON with object keys sorted, to compare filters whatever order their keys came in. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export const DEFAULT_PERIOD = { kind: 'last_days', days: 90 } as const;
export const defaultSort = (q: string | null | undefined): SearchSort => (q?.trim() ? 'relevance' : 'newest');

/**
 * A stored (canonical) filter as the URL should hold it: the text query apart, the version and every field that only
 * repeats a default left out — so that typing a query after using a saved search still sorts by relevance.
 */
export function fromCanonical(filter: SearchFilterInput): { q: string; filter: SearchFilterInput } {
  const { q, version: _v, ...rest } = filter;
  const out: Record<string, unknown> = { ...rest };
  if (out.period !== null && sameJson(out.period, DEFAULT_PERIOD)) delete out.period;
  if (out.reviewable === 'reviewable') delete out.reviewable;
  if (out.view === 'all') delete out.view;
  if (out.sort === defaultSort(q)) delete out.sort;
  for (const [k, v] of Object.entries(out)) if (v === null && k !== 'period') delete out[k];
  return { q: q ?? '', filter: out as SearchFilterInput };
}

/** The filter a search request sends: the fields plus the text query when there is one. */
export const requestFilter = (filter: SearchFilterInput, q: string): SearchFilterInput => (q.trim() ? { ...filter, q: q.trim() } : { ...filter });

// ---- validation errors ---------------------------------------------------------------------------------------------

/** The path into the filter (e.g. "timeOfDay.to", "customData.0.op.value") a 400 is about, or null. */
export function errorPath(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const field = error.details?.field;
  if (typeof field !== 'string') return null;
  return field.replace(/^filter\.?/, '');
}

/** Which chip/editor a validation error belongs to: the field, and for customData the condition. */
export function errorTarget(error: unknown): { field: FilterField | 'q'; index?: number } | null {
  const path = errorPath(error);
  if (path === null) return null;
  const [head = '', second] = path.split('.');
  if (head === 'q') return { field: 'q' };
  if (!isField(head)) return null;
  if (head === 'customData' && second !== undefined && /^\d+$/.test(second)) return { field: head, index: Number(second) };
  return { field: head };
}

/** Whether a 400 is about the text query (and shows under the search box). */
export function isQueryError(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  return errorTarget(error)?.field === 'q' || error.details?.reason === 'INVALID_QUERY';
}

/** The server's message when the error is about `path` or anything inside it ("timeOfDay" covers "timeOfDay.to"). */
export function messageAt(error: unknown, path: string): string | undefined {
  const at = errorPath(error);
  if (at === null || !(error instanceof ApiError)) return undefined;
  return at === path || at.startsWith(`${path}.`) ? error.message : undefined;
}
