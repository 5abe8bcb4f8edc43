// The Network quality filter on both engines: conversations with a poor leg, measured and good on every leg, and those
// the recorder never measured (matching neither); its chip, the canonical filter and the refusal of other values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { fails, ok, type Client, type Json } from '../../../test/helpers/http.ts';
import { nowIso } from '../../platform/ids.ts';
import { checkNetworkQuality } from './network-quality.ts';

describe('checkNetworkQuality', () => {
  it('takes poor or good only', () => {
    expect(checkNetworkQuality('poor')).toBe('poor');
    expect(checkNetworkQuality('good')).toBe('good');
    expect(() => checkNetworkQuality('bad')).toThrow(/poor, good, not "bad"/);
  });
});

describe.each(ENGINES)('the Network quality filter on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: Client;
  let tenantId: string;
  const ids: Record<'poor' | 'good' | 'mixed' | 'unmeasured', string> = { poor: '', good: '', mixed: '', unmeasured: '' };

  beforeAll(async () => {
    t = await createTestApp(engine);
    let ingest;
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    for (const k of Object.keys(ids) as Array<keyof typeof ids>) ids[k] = (await makeChat(t, ingest, { customerName: `Q ${k}` })).conversationId;
    const leg = (conversationId: string, label: string, poor: boolean) => ({
      conversation_id: conversationId,
      call_id: `call-${conversationId}`,
      label,
      tenant_id: tenantId,
      participant: null,
      role: null,
      packets_expected: 1000,
      packets_received: poor ? 900 : 1000,
      packets_lost: poor ? 100 : 0,
      packets_late: 0,
      packets_duplicate: 0,
      jitter_ms: 3,
      mos: poor ? 3.1 : 4.3,
      longest_gap_ms: 40,
      intervals: null,
      poor: poor ? 1 : 0,
      created_at: nowIso(),
    });
    await t.db
      .insertInto('recording_quality')
      .values([
        leg(ids.poor, 'a', true),
        leg(ids.poor, 'b', true),
        leg(ids.good, 'a', false),
        leg(ids.good, 'b', false),
        leg(ids.mixed, 'a', false),
        leg(ids.mixed, 'b', true),
      ])
      .execute();
  });
  afterAll(() => t?.cleanup());

  it('finds the calls with a poor leg, or good on every leg, and names its chip', async () => {
    const search = async (v: unknown) => ok(await admin.post('/api/conversations/search', { period: null, reviewable: 'all', networkQuality: v }));
    const found = (r: Json) =>
      (r.items as Json[])
        .map((i) => i.id)
        .filter((id: string) => Object.values(ids).includes(id))
        .sort();
    const poor = await search('poor');
    expect(found(poor)).toEqual([ids.poor, ids.mixed].sort());
    expect(poor.filter.networkQuality).toBe('poor');
    expect(poor.chips).toContainEqual({ field: 'networkQuality', label: 'Network quality: Poor' });
    expect(found(await search('good'))).toEqual([ids.good]);
    const all = await search(null);
    expect(found(all)).toEqual(Object.values(ids).sort());
    expect(all.filter.networkQuality).toBeUndefined();
    fails(await admin.post('/api/conversations/search', { networkQuality: 'awful' }), 400, 'VALIDATION_FAILED', 'INVALID_FILTER');
  });
});
