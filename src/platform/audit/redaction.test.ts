// Redaction of erased values from earlier audit events (anonymization, issue 12) on both engines: the chain still
// verifies afterwards, the values and the salts that would let anyone test a guess are gone, and the database lets
// only the value columns change; a redacted event altered in any other way, or a value swapped in place of its seal,
// is still caught. Version-1 events (hashed over their values, before migration 0035) are left alone and counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { inTransaction } from '../db/uow.ts';
import { newId } from '../ids.ts';
import { eventHash, valueDigest, type AuditSeals } from './chain.ts';
import type { Initiator } from './types.ts';

const who: Initiator = { userId: 'u1', name: 'Tess Tester', ip: '127.0.0.9', application: 'api' };

describe.each(ENGINES)('audit redaction on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(() => ctx.cleanup());

  const erase = (s: string) => s.replace(/\+15550102030/g, '[anonphonenumber]').replace(/Jane Roe/g, '[anonymized]');
  const row = (tenantId: string, seq: number) =>
    ctx.db.selectFrom('audit_events').selectAll().where('chain', '=', tenantId).where('seq', '=', seq).executeTakeFirstOrThrow();

  async function trail() {
    const tenantId = `tenant-${newId()}`;
    const conversationId = newId();
    const base = { tenantId, initiator: who, resourceType: 'conversation', resourceId: conversationId };
    await ctx.audit.append({ ...base, action: 'CONVERSATION_INGEST', details: 'Ingested call c-1 (12 s)' });
    await ctx.audit.append({
      ...base,
      action: 'CONVERSATION_CUSTOM_FIELDS_UPDATE',
      details: 'Custom fields: Phone = +15550102030; Name = Jane Roe',
      changes: [
        { field: 'phone', old: null, new: '+15550102030' },
        { field: 'name', old: { first: 'Jane Roe', n: 1 }, new: 'Jane Roe' },
        { field: 'segment', old: 'a', new: 'b' },
      ],
    });
    await ctx.audit.append({ ...base, resourceId: 'another', action: 'CONVERSATION_CUSTOM_FIELDS_UPDATE', details: 'Phone = +15550102030' });
    return { tenantId, conversationId };
  }

  it('erases the values from earlier events and the chain still verifies', async () => {
    const { tenantId, conversationId } = await trail();
    const before = await row(tenantId, 2);
    const result = await inTransaction(ctx.db, ({ tx }) => ctx.audit.redactConversationEvents(tx, tenantId, [conversationId], erase));
    expect(result).toEqual({ redacted: [2], legacy: [] });
    const after = await row(tenantId, 2);
    expect(after.hash).toBe(before.hash);
    expect(after.details).toBe('Custom fields: Phone = [anonphonenumber]; Name = [anonymized]');
    expect(ctx.adapter.fromJson(after.changes)).toEqual([
      { field: 'phone', old: null, new: '[anonphonenumber]' },
      { field: 'name', old: { first: '[anonymized]', n: 1 }, new: '[anonymized]' },
      { field: 'segment', old: 'a', new: 'b' },
    ]);
    // Redacted values keep only their digest; the untouched ones keep their salt.
    const seals = ctx.adapter.fromJson<AuditSeals>(after.seals);
    expect(seals.details).toHaveProperty('d');
    expect(seals.changes[0]![0]).toHaveProperty('s');
    expect(seals.changes[0]![1]).toHaveProperty('d');
    expect(seals.changes[2]![0]).toHaveProperty('s');
    expect(JSON.stringify(after)).not.toMatch(/5550102030|Jane Roe/);
    // Another conversation's event is not touched.
    expect((await row(tenantId, 3)).details).toBe('Phone = +15550102030');
    expect(await ctx.audit.verifyChain(tenantId)).toEqual({ intact: true, checked: 3, firstBroken: null });
    // Redacting again changes nothing.
    expect(await inTransaction(ctx.db, ({ tx }) => ctx.audit.redactConversationEvents(tx, tenantId, [conversationId], erase))).toEqual({
      redacted: [],
      legacy: [],
    });
  });

  it('lets only the value columns change, and still catches tampering with a redacted event', async () => {
    const { tenantId, conversationId } = await trail();
    await inTransaction(ctx.db, ({ tx }) => ctx.audit.redactConversationEvents(tx, tenantId, [conversationId], erase));
    // Who and when stay immutable in the database itself.
    await expect(ctx.db.updateTable('audit_events').set({ initiator_name: 'Someone else' }).where('chain', '=', tenantId).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.deleteFrom('audit_events').where('chain', '=', tenantId).execute()).rejects.toThrow(/append-only/);
    // A value that was not redacted, altered in place: detected.
    const r = await row(tenantId, 2);
    const changes = ctx.adapter.fromJson<Array<{ field: string; old: unknown; new: unknown }>>(r.changes);
    await ctx.db
      .updateTable('audit_events')
      .set({ changes: ctx.adapter.json([changes[0], changes[1], { ...changes[2]!, new: 'c' }]) })
      .where('id', '=', r.id)
      .execute();
    expect((await ctx.audit.verifyChain(tenantId)).firstBroken).toMatchObject({ seq: 2 });
  });

  it('rejects a forged seal: a digest that is not the original value’s breaks the chain', async () => {
    const { tenantId, conversationId } = await trail();
    await inTransaction(ctx.db, ({ tx }) => ctx.audit.redactConversationEvents(tx, tenantId, [conversationId], erase));
    const r = await row(tenantId, 2);
    const seals = ctx.adapter.fromJson<AuditSeals>(r.seals);
    const forged: AuditSeals = { ...seals, details: { d: valueDigest('x', 'Custom fields: nothing') } };
    await ctx.db
      .updateTable('audit_events')
      .set({ details: 'Custom fields: nothing', seals: ctx.adapter.json(forged) })
      .where('id', '=', r.id)
      .execute();
    expect((await ctx.audit.verifyChain(tenantId)).firstBroken).toMatchObject({ seq: 2, reason: expect.stringMatching(/altered/) });
  });

  it('leaves version-1 events (hashed over their values) as they are and counts them', async () => {
    const tenantId = `tenant-${newId()}`;
    const conversationId = newId();
    await ctx.audit.append({ tenantId, initiator: who, resourceType: 'conversation', resourceId: conversationId, action: 'X', details: 'first' });
    // An event as written before migration 0035: no seals, its hash over the values.
    const head = await ctx.db.selectFrom('audit_heads').selectAll().where('chain', '=', tenantId).executeTakeFirstOrThrow();
    const legacy = {
      id: newId(),
      chain: tenantId,
      seq: Number(head.seq) + 1,
      tenant_id: tenantId,
      at: new Date().toISOString(),
      initiator_id: 'u1',
      initiator_name: 'Tess Tester',
      client_ip: null,
      application: 'api',
      resource_type: 'conversation',
      resource_id: conversationId,
      action: 'CONVERSATION_CUSTOM_FIELDS_UPDATE',
      details: 'Phone = +15550102030',
      changes: null,
      prev_hash: head.hash,
      hash: '',
    };
    legacy.hash = eventHash(legacy);
    await ctx.db.insertInto('audit_events').values(legacy).execute();
    await ctx.db.updateTable('audit_heads').set({ seq: legacy.seq, hash: legacy.hash }).where('chain', '=', tenantId).execute();
    expect(await inTransaction(ctx.db, ({ tx }) => ctx.audit.redactConversationEvents(tx, tenantId, [conversationId], erase))).toEqual({
      redacted: [],
      legacy: [2],
    });
    expect(await ctx.audit.verifyChain(tenantId)).toMatchObject({ intact: true, checked: 2 });
  });
});
