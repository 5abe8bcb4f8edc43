// decideRecording: the rules read from the database on both engines, first match wins, samples stable per call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { RecordingPoliciesTable } from '../../platform/db/schema.ts';
import { decide, decideRecording, numberMatches, sampleBucket, type RecordingCall } from './decide.ts';
import { insertPolicy } from './repository.ts';

const call = (over: Partial<RecordingCall> = {}): RecordingCall => ({
  kind: 'call',
  callRef: 'call-1',
  numbers: ['+33 1 23 45 67 89', '2001'],
  agentUserIds: ['u-agent'],
  queue: 'Billing',
  direction: 'inbound',
  durationMs: 60_000,
  ...over,
});

describe('numberMatches / sampleBucket', () => {
  it('compares digits only and supports a trailing * prefix', () => {
    expect(numberMatches('+33123456789', '+33 1 23 45 67 89')).toBe(true);
    expect(numberMatches('33123456789', '+33123456789')).toBe(true);
    expect(numberMatches('+331*', '+33 1 23 45 67 89')).toBe(true);
    expect(numberMatches('+332*', '+33 1 23 45 67 89')).toBe(false);
    expect(numberMatches('*', '+33 1 23')).toBe(false);
    expect(numberMatches('2001', '2001')).toBe(true);
    expect(numberMatches('2001', '20011')).toBe(false);
  });
  it('draws a stable bucket per call reference, spread over 0–100', () => {
    expect(sampleBucket('abc')).toBe(sampleBucket('abc'));
    const buckets = Array.from({ length: 2000 }, (_, i) => sampleBucket(`call-${i}`));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
    const under20 = buckets.filter((b) => b < 20).length / buckets.length;
    expect(under20).toBeGreaterThan(0.16);
    expect(under20).toBeLessThan(0.24);
  });
});

describe('decide (pure)', () => {
  const base = {
    enabled: true,
    appliesTo: 'call' as const,
    samplePercent: null,
    numbers: [],
    agentUserIds: [],
    queues: [],
    directions: [],
    shorterThanSeconds: null,
  };
  it('records when no rule matches, naming no rule', () => {
    expect(decide([], call())).toEqual({ record: true, ruleId: null, ruleName: 'Record all (default)', reason: 'No recording rule matched: record' });
  });
  it('a duration rule does not match while the duration is unknown (call start), and matches at the end', () => {
    const rules = [{ ...base, id: 'r1', name: 'Short', action: 'skip' as const, shorterThanSeconds: 5 }];
    expect(decide(rules, call({ durationMs: null })).record).toBe(true);
    expect(decide(rules, call({ durationMs: 4_999 }))).toMatchObject({ record: false, ruleId: 'r1' });
    expect(decide(rules, call({ durationMs: 5_000 })).record).toBe(true);
  });
  it('a call rule leaves screen recordings alone; an "all" rule takes both', () => {
    const skip = { ...base, id: 'r1', name: 'Nothing', action: 'skip' as const };
    expect(decide([skip], call({ kind: 'screen' })).record).toBe(true);
    expect(decide([{ ...skip, appliesTo: 'all' }], call({ kind: 'screen' })).reason).toContain('do not record this screen recording');
  });
  it('a sample keeps exactly the calls under its percentage, and raising it keeps them', () => {
    const rule = (p: number) => [{ ...base, id: 's', name: 'QA', action: 'sample' as const, samplePercent: p }];
    const refs = Array.from({ length: 500 }, (_, i) => `ref-${i}`);
    const at10 = refs.filter((r) => decide(rule(10), call({ callRef: r })).record);
    const at30 = new Set(refs.filter((r) => decide(rule(30), call({ callRef: r })).record));
    for (const r of at10) expect(at30.has(r)).toBe(true);
    expect(decide(rule(0), call()).record).toBe(false);
    expect(decide(rule(100), call()).record).toBe(true);
  });
});

describe.each(ENGINES)('decideRecording on %s', (engine) => {
  let t: TestContext;
  let tenantId: string;
  let other: string;
  const row = (tenant: string, position: number, over: Partial<RecordingPoliciesTable>): RecordingPoliciesTable => ({
    id: newId(),
    tenant_id: tenant,
    name: `rule ${position}`,
    position,
    enabled: 1,
    applies_to: 'call',
    action: 'record',
    sample_percent: null,
    numbers: '[]',
    agent_user_ids: '[]',
    queues: '[]',
    directions: '[]',
    shorter_than_s: null,
    created_by: null,
    created_at: nowIso(),
    updated_at: nowIso(),
    ...over,
  });

  beforeAll(async () => {
    t = await createTestContext(engine);
    tenantId = (await makeTenant(t)).tenantId;
    other = (await makeTenant(t)).tenantId;
    await insertPolicy(t.db, row(tenantId, 0, { name: 'Disabled', enabled: 0, action: 'skip' }));
    await insertPolicy(t.db, row(tenantId, 1, { name: 'Private line', action: 'skip', numbers: JSON.stringify(['+33 1 23*']) }));
    await insertPolicy(t.db, row(tenantId, 2, { name: 'Outbound sales', action: 'skip', directions: '["outbound"]', queues: '["sales"]' }));
    await insertPolicy(t.db, row(tenantId, 3, { name: 'Half', action: 'sample', sample_percent: 50 }));
    await insertPolicy(t.db, row(other, 0, { name: 'Other tenant', action: 'skip' }));
  });
  afterAll(() => t?.cleanup());

  it('takes the first enabled rule that matches, in order, within the tenant', async () => {
    const d = await decideRecording(t.db, tenantId, call());
    expect(d).toMatchObject({ record: false, ruleName: 'Private line' });
    expect(d.reason).toContain('number +33 1 23 45 67 89');
    const sales = await decideRecording(t.db, tenantId, call({ numbers: ['+4420'], direction: 'outbound', queue: 'Sales' }));
    expect(sales).toMatchObject({ record: false, ruleName: 'Outbound sales' });
    const inbound = await decideRecording(t.db, tenantId, call({ numbers: ['+4420'], direction: 'inbound', queue: 'Sales', callRef: 'x' }));
    expect(inbound.ruleName).toBe('Half');
    expect(inbound.record).toBe(sampleBucket('x') < 50);
    expect((await decideRecording(t.db, other, call())).ruleName).toBe('Other tenant');
  });

  it('answers the same for the same call every time', async () => {
    const c = call({ numbers: [], callRef: 'stable-ref' });
    const first = await decideRecording(t.db, tenantId, c);
    for (let i = 0; i < 5; i++) expect(await decideRecording(t.db, tenantId, c)).toEqual(first);
  });
});
