// recorder_calls round trip on both engines: JSON columns come back as the model's shapes, patches leave other fields
// alone, listActive sees only running calls (and a group scope), the control API's callRef lookup prefers the live one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDb, type TestDb } from '../../../test/db.ts';
import { newId } from '../../platform/ids.ts';
import { countActive, getCall, getCallByRef, insertCall, listActive, listUnfinishedOnNode, updateCall } from './repository.ts';

describe.each(ENGINES)('recorder_calls on %s', (engine) => {
  let t: TestDb;
  let tenantId: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    tenantId = newId();
    const now = new Date().toISOString();
    await t.db
      .insertInto('tenants')
      .values({ id: tenantId, name: 'R', language: 'en', settings: t.adapter.json({}), created_at: now, updated_at: now })
      .execute();
  });
  afterAll(() => t?.cleanup());

  it('inserts, patches, lists the active calls and finds a call by its reference', async () => {
    const id = newId();
    const call = await insertCall(t.db, t.adapter, {
      id,
      tenantId,
      callRef: 'ucid-1',
      sessionId: 'c2Vzc2lvbg',
      sipCallId: 'rs-1@sbc',
      node: 'node-a',
      state: 'recording',
      startedAt: '2026-01-01T10:00:00.000Z',
      direction: 'inbound',
      groupId: 'g1',
      participants: [{ id: 'p1', name: 'Customer', aor: 'sip:+155501@x', number: '+155501', sends: ['1'], role: 'customer', userId: null, side: 'caller' }],
      streams: [
        {
          label: '1',
          index: 0,
          port: 30000,
          address: '127.0.0.1',
          codec: { pt: 0, name: 'pcmu', rate: 8000 },
          extraCodecs: [],
          crypto: null,
          reason: null,
          storedRaw: false,
        },
      ],
    });
    expect(call.participants[0]!.side).toBe('caller');
    const other = await insertCall(t.db, t.adapter, {
      id: newId(),
      tenantId,
      callRef: 'ucid-2',
      sessionId: 's2',
      sipCallId: 'rs-2',
      node: 'node-b',
      state: 'paused',
      startedAt: '2026-01-01T10:01:00.000Z',
      groupId: 'g2',
    });
    expect((await listActive(t.db, t.adapter, tenantId)).map((c) => c.id)).toEqual([id, other.id]);
    expect((await listActive(t.db, t.adapter, tenantId, { groupIds: ['g2'] })).map((c) => c.id)).toEqual([other.id]);
    expect(await listActive(t.db, t.adapter, tenantId, { groupIds: [] })).toEqual([]);
    expect(await countActive(t.db, tenantId)).toBe(2);

    const after = await updateCall(t.db, t.adapter, id, {
      state: 'ended',
      endedAt: '2026-01-01T10:05:00.000Z',
      endReason: 'bye',
      quality: [
        {
          label: '1',
          packetsExpected: 500,
          packetsReceived: 500,
          packetsLost: 0,
          packetsLate: 0,
          packetsDuplicate: 0,
          jitterMs: 0.5,
          mos: 4.4,
          longestGapMs: 20,
        },
      ],
      flags: ['one_sided'],
    });
    expect(after!.state).toBe('ended');
    expect(after!.direction).toBe('inbound');
    expect(after!.participants).toHaveLength(1);
    expect(after!.quality[0]!.mos).toBe(4.4);
    expect(after!.flags).toEqual(['one_sided']);
    expect((await listActive(t.db, t.adapter, tenantId)).map((c) => c.id)).toEqual([other.id]);
    expect((await listUnfinishedOnNode(t.db, t.adapter, 'node-b')).map((c) => c.id)).toEqual([other.id]);
    expect(await getCall(t.db, t.adapter, 'another-tenant', id)).toBeUndefined();

    // A second session for the same call reference (the SRC re-established it): the running one wins.
    const again = await insertCall(t.db, t.adapter, {
      id: newId(),
      tenantId,
      callRef: 'ucid-1',
      sessionId: 's3',
      sipCallId: 'rs-3',
      node: 'node-a',
      state: 'recording',
      startedAt: '2026-01-01T09:00:00.000Z',
    });
    expect((await getCallByRef(t.db, t.adapter, tenantId, 'ucid-1'))!.id).toBe(again.id);
    await updateCall(t.db, t.adapter, again.id, { endedAt: '2026-01-01T09:10:00.000Z', state: 'ended' });
    expect((await getCallByRef(t.db, t.adapter, tenantId, 'ucid-1'))!.id).toBe(id);
  });
});
