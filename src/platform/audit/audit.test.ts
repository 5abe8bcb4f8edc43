import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import type { Initiator } from './types.ts';
import { diffFields } from './types.ts';

const who: Initiator = { userId: 'u1', name: 'Tess Tester', ip: '127.0.0.9', application: 'api' };

describe.each(ENGINES)('audit trail on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(() => ctx.cleanup());

  async function chainWith(n: number, tenantId = `tenant-${Math.random().toString(36).slice(2)}`) {
    for (let i = 1; i <= n; i++) {
      await ctx.audit.append({
        tenantId,
        initiator: who,
        resourceType: 'user',
        resourceId: `r${i}`,
        action: i % 2 ? 'USER_UPDATE' : 'LOGIN',
        details: `event number ${i}`,
        changes: i % 2 ? [{ field: 'name', old: `old ${i}`, new: { nested: `new ${i}`, z: 1, a: 2 } }] : null,
      });
    }
    return tenantId;
  }

  it('records every field and links events into an intact chain', async () => {
    const t = await chainWith(5);
    const { items } = await ctx.audit.find({ tenantId: t, limit: 10 });
    expect(items.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    const first = items[4]!;
    expect(first).toMatchObject({
      initiatorId: 'u1',
      initiatorName: 'Tess Tester',
      clientIp: '127.0.0.9',
      application: 'api',
      resourceType: 'user',
      resourceId: 'r1',
      action: 'USER_UPDATE',
      details: 'event number 1',
    });
    expect(first.changes).toEqual([{ field: 'name', old: 'old 1', new: { nested: 'new 1', z: 1, a: 2 } }]);
    expect(await ctx.audit.verifyChain(t)).toEqual({ intact: true, checked: 5, firstBroken: null });
  });

  it('filters by action, resource, initiator, date range and text inside the data, and pages by cursor', async () => {
    const t = await chainWith(6);
    expect((await ctx.audit.find({ tenantId: t, action: 'LOGIN', limit: 10 })).items.map((e) => e.seq)).toEqual([6, 4, 2]);
    expect((await ctx.audit.find({ tenantId: t, resourceType: 'user', resourceId: 'r3', limit: 10 })).items).toHaveLength(1);
    expect((await ctx.audit.find({ tenantId: t, initiator: 'tess', limit: 10 })).items).toHaveLength(6);
    expect((await ctx.audit.find({ tenantId: t, initiator: 'nobody', limit: 10 })).items).toHaveLength(0);
    expect((await ctx.audit.find({ tenantId: t, q: 'NUMBER 5', limit: 10 })).items.map((e) => e.seq)).toEqual([5]);
    expect((await ctx.audit.find({ tenantId: t, q: 'new 3', limit: 10 })).items.map((e) => e.seq)).toEqual([3]);
    expect((await ctx.audit.find({ tenantId: t, to: '2000-01-01T00:00:00.000Z', limit: 10 })).items).toHaveLength(0);
    expect((await ctx.audit.find({ tenantId: t, from: new Date(Date.now() - 60_000).toISOString(), limit: 10 })).items).toHaveLength(6);
    const p1 = await ctx.audit.find({ tenantId: t, limit: 4 });
    expect(p1.nextCursor).toBe('3');
    const p2 = await ctx.audit.find({ tenantId: t, limit: 4, beforeSeq: Number(p1.nextCursor) });
    expect(p2.items.map((e) => e.seq)).toEqual([2, 1]);
    expect(p2.nextCursor).toBeNull();
  });

  it("suggests the resource types and actions of the tenant's own trail, sorted, and nothing of another tenant's", async () => {
    const t = await chainWith(3);
    await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'import', resourceId: 'i1', action: 'IMPORT_STARTED', details: 'x' });
    const other = await chainWith(0);
    await ctx.audit.append({ tenantId: other, initiator: who, resourceType: 'scorecard', resourceId: 's1', action: 'SCORECARD_CREATE', details: 'y' });
    expect(await ctx.audit.vocabulary(t)).toEqual({ resourceTypes: ['import', 'user'], actions: ['IMPORT_STARTED', 'LOGIN', 'USER_UPDATE'] });
    expect(await ctx.audit.vocabulary(other)).toEqual({ resourceTypes: ['scorecard'], actions: ['SCORECARD_CREATE'] });
    expect(await ctx.audit.vocabulary('tenant-without-events')).toEqual({ resourceTypes: [], actions: [] });
  });

  it('detects an altered event and names the first broken one', async () => {
    const t = await chainWith(5);
    await ctx.adapter.dropAppendOnly(ctx.db, 'audit_events');
    try {
      await ctx.db.updateTable('audit_events').set({ details: 'nothing happened here' }).where('chain', '=', t).where('seq', '=', 3).execute();
    } finally {
      await ctx.adapter.makeAppendOnly(ctx.db, 'audit_events');
    }
    const r = await ctx.audit.verifyChain(t);
    expect(r.intact).toBe(false);
    expect(r.firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/altered/) });
  });

  it('detects a removed event in the middle and at the end', async () => {
    const t = await chainWith(5);
    await ctx.adapter.dropAppendOnly(ctx.db, 'audit_events');
    try {
      await ctx.db.deleteFrom('audit_events').where('chain', '=', t).where('seq', '=', 2).execute();
    } finally {
      await ctx.adapter.makeAppendOnly(ctx.db, 'audit_events');
    }
    expect((await ctx.audit.verifyChain(t)).firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/missing/) });

    const t2 = await chainWith(4);
    await ctx.adapter.dropAppendOnly(ctx.db, 'audit_events');
    try {
      await ctx.db.deleteFrom('audit_events').where('chain', '=', t2).where('seq', '=', 4).execute();
    } finally {
      await ctx.adapter.makeAppendOnly(ctx.db, 'audit_events');
    }
    const r = await ctx.audit.verifyChain(t2);
    expect(r.intact).toBe(false);
    expect(r.firstBroken?.reason).toMatch(/after 3 are missing/);
  });

  it('keeps the chain intact under concurrent appends', async () => {
    const t = 'concurrent-tenant';
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'PING', details: `p${i}` })),
    );
    const r = await ctx.audit.verifyChain(t);
    expect(r).toEqual({ intact: true, checked: 40, firstBroken: null });
  });

  it('keeps the chain intact with 8 concurrent writers, each also appending several events per transaction', async () => {
    const t = `eight-${Math.random().toString(36).slice(2)}`;
    const seqs: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 15; i++) {
          if (i % 3 === 0) {
            // A unit of work recording several changes: the events commit together, in order.
            const evs = await ctx.db.transaction().execute(async (tx) => {
              const a = await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'TX_A', details: `w${w} ${i}` }, tx);
              const b = await ctx.audit.appendMany(
                [
                  { tenantId: t, initiator: who, resourceType: 'x', action: 'TX_B', details: `w${w} ${i}` },
                  { tenantId: t, initiator: who, resourceType: 'x', action: 'TX_C', details: `w${w} ${i}` },
                ],
                tx,
              );
              return [a, ...b];
            });
            expect(evs.map((e) => e.seq)).toEqual([evs[0]!.seq, evs[0]!.seq + 1, evs[0]!.seq + 2]);
            seqs.push(...evs.map((e) => e.seq));
          } else {
            seqs.push((await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'PING', details: `w${w} ${i}` })).seq);
          }
        }
      }),
    );
    const total = 8 * (10 + 5 * 3);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(await ctx.audit.verifyChain(t)).toEqual({ intact: true, checked: total, firstBroken: null });
  });

  it('fails only the bad event of a group commit, and keeps the chain intact', async () => {
    const t = `group-${Math.random().toString(36).slice(2)}`;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        ctx.audit.append({ tenantId: t, initiator: who, resourceType: (i === 5 ? null : 'x') as string, action: 'PING', details: `p${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    expect(await ctx.audit.verifyChain(t)).toEqual({ intact: true, checked: 11, firstBroken: null });
  });

  it('starts a chain whose first event was rolled back', async () => {
    const t = `rolled-${Math.random().toString(36).slice(2)}`;
    await expect(
      ctx.db.transaction().execute(async (tx) => {
        await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'GONE', details: '' }, tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'FIRST', details: '' })).seq).toBe(1);
    expect(await ctx.audit.verifyChain(t)).toEqual({ intact: true, checked: 1, firstBroken: null });
  });

  it('commits an event with the transaction that records it, and not without', async () => {
    const t = 'tx-tenant';
    await ctx.db.transaction().execute(async (tx) => {
      await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'KEPT', details: '' }, tx);
    });
    await expect(
      ctx.db.transaction().execute(async (tx) => {
        await ctx.audit.append({ tenantId: t, initiator: who, resourceType: 'x', action: 'ROLLED_BACK', details: '' }, tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { items } = await ctx.audit.find({ tenantId: t, limit: 10 });
    expect(items.map((e) => e.action)).toEqual(['KEPT']);
    expect((await ctx.audit.verifyChain(t)).intact).toBe(true);
    const n = await sql<{ n: number }>`select count(*) as n from audit_events where chain = ${t}`.execute(ctx.db);
    expect(Number(n.rows[0]!.n)).toBe(1);
  });
});

describe('diffFields', () => {
  it('lists only the fields that changed, with old and new values', () => {
    expect(diffFields({ a: 1, b: 'x', c: null as string | null }, { a: 1, b: 'y', c: 'z' }, ['a', 'b', 'c'])).toEqual([
      { field: 'b', old: 'x', new: 'y' },
      { field: 'c', old: null, new: 'z' },
    ]);
  });
});
