import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client.ts';
import {
  decodeFilter,
  encodeFilter,
  errorTarget,
  fromCanonical,
  isQueryError,
  messageAt,
  patchFilter,
  requestFilter,
  stableJson,
  withoutChip,
} from './filterModel.ts';

const invalid = (field: string, message = 'bad', reason = 'INVALID_TIME') => new ApiError(400, 'VALIDATION_FAILED', message, { reason, field });

describe('the filter in the URL', () => {
  it('round-trips without the query and the version', () => {
    const f = { period: null, channels: ['call' as const], q: 'refund', version: 1 };
    const raw = encodeFilter(f);
    expect(JSON.parse(raw!)).toEqual({ period: null, channels: ['call'] });
    expect(decodeFilter(raw)).toEqual({ period: null, channels: ['call'] });
  });

  it('is absent for the default filter and reads garbage as no filter', () => {
    expect(encodeFilter({})).toBeNull();
    expect(encodeFilter({ q: 'x' })).toBeNull();
    expect(decodeFilter(null)).toEqual({});
    expect(decodeFilter('{nope')).toEqual({});
    expect(decodeFilter('[1,2]')).toEqual({});
  });
});

describe('changing the filter', () => {
  it('patches fields; null clears one except period (all time)', () => {
    expect(patchFilter({ phone: '+33' }, { phone: null, period: null })).toEqual({ period: null });
    expect(patchFilter({}, { channels: ['chat'] })).toEqual({ channels: ['chat'] });
  });

  it('removes the condition a chip stands for', () => {
    const f = {
      channels: ['call' as const],
      customData: [
        { fieldKey: 'a', op: { op: 'is_empty' as const } },
        { fieldKey: 'b', op: { op: 'not_empty' as const } },
      ],
    };
    expect(withoutChip(f, { field: 'channels' })).toEqual({ customData: f.customData });
    expect(withoutChip(f, { field: 'customData', index: 0 })).toEqual({ channels: ['call'], customData: [f.customData[1]] });
    expect(withoutChip({ customData: [f.customData[0]!] }, { field: 'customData', index: 0 })).toEqual({});
    expect(withoutChip({}, { field: 'period' })).toEqual({ period: null });
    expect(withoutChip(f, { field: 'nonsense' })).toBe(f);
  });

  it('adds the query to the request only when there is one', () => {
    expect(requestFilter({ phone: '1' }, '  ')).toEqual({ phone: '1' });
    expect(requestFilter({ phone: '1' }, ' refund ')).toEqual({ phone: '1', q: 'refund' });
  });
});

describe('a saved (canonical) filter', () => {
  it('drops the version and the defaults, and keeps the query apart', () => {
    expect(
      fromCanonical({
        version: 1,
        q: 'refund',
        period: { kind: 'last_days', days: 90 },
        reviewable: 'reviewable',
        view: 'all',
        sort: 'relevance',
        channels: ['call'],
      }),
    ).toEqual({ q: 'refund', filter: { channels: ['call'] } });
    expect(fromCanonical({ version: 1, period: null, reviewable: 'all', view: 'mine', sort: 'newest' })).toEqual({
      q: '',
      filter: { period: null, reviewable: 'all', view: 'mine' },
    });
    expect(fromCanonical({ q: 'x', sort: 'newest', period: { kind: 'today' } }).filter).toEqual({ sort: 'newest', period: { kind: 'today' } });
  });

  it('compares by content whatever the key order', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(stableJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});

describe('validation errors', () => {
  it('finds the filter a 400 is about', () => {
    expect(errorTarget(invalid('timeOfDay.to'))).toEqual({ field: 'timeOfDay' });
    expect(errorTarget(invalid('filter.customData.1.op.value'))).toEqual({ field: 'customData', index: 1 });
    expect(errorTarget(invalid('q'))).toEqual({ field: 'q' });
    expect(errorTarget(invalid('nope'))).toBeNull();
    expect(errorTarget(new ApiError(500, 'INTERNAL', 'x'))).toBeNull();
  });

  it('tells query errors apart', () => {
    expect(isQueryError(invalid('q', 'Unbalanced quote', 'INVALID_QUERY'))).toBe(true);
    expect(isQueryError(invalid('phone'))).toBe(false);
    expect(isQueryError(new Error('x'))).toBe(false);
  });

  it('gives the message for a path and what is inside it', () => {
    const e = invalid('timeOfDay.to', 'The second time must be later');
    expect(messageAt(e, 'timeOfDay')).toBe('The second time must be later');
    expect(messageAt(e, 'timeOfDay.to')).toBe('The second time must be later');
    expect(messageAt(e, 'timeOfDay.from')).toBeUndefined();
    expect(messageAt(e, 'time')).toBeUndefined();
    expect(messageAt(null, 'timeOfDay')).toBeUndefined();
  });
});
