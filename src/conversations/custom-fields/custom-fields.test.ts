// Custom fields through the HTTP API: definitions, values by type, audit with old/new, access, and the ingest helper.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId } from '../../platform/ids.ts';
import { applyIngestCustomData, checkValue } from './service.ts';

interface AuditItem {
  action: string;
  details: string;
  changes: Array<{ field: string; old: unknown; new: unknown }> | null;
}

describe('checkValue', () => {
  const def = (type: string, options: string[] = []) => ({ key: 'k', label: 'K', type, options });
  it('accepts real YYYY-MM-DD days only', () => {
    expect(checkValue(def('date'), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-05', '05/01/2024', '2024-05-01T00:00:00Z']) expect(checkValue(def('date'), bad).ok, bad).toBe(false);
  });
  it('takes an option from the list, text up to 1000 characters, and empty as none', () => {
    expect(checkValue(def('option', ['Yes', 'No']), 'No')).toEqual({ ok: true, value: 'No' });
    expect(checkValue(def('option', ['Yes', 'No']), 'no').ok).toBe(false);
    expect(checkValue(def('text'), 'é'.repeat(1000)).ok).toBe(true);
    expect(checkValue(def('text'), 'x'.repeat(1001))).toMatchObject({ ok: false, reason: 'VALUE_TOO_LONG' });
    expect(checkValue(def('text'), '  ')).toEqual({ ok: true, value: null });
    expect(checkValue(def('date'), null)).toEqual({ ok: true, value: null });
  });
});

describe.each(ENGINES)('custom fields on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let fields: Record<string, Json>;

  const audit = async (resourceId: string, action: string): Promise<AuditItem[]> =>
    (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId, action, limit: '200' })}`)).items as AuditItem[]).reverse();
  const chat = async (opts: Parameters<typeof makeChat>[2] = {}) => (await makeChat(t, ingest, opts)).conversationId;
  const valuesOf = async (conv: string) =>
    Object.fromEntries((ok(await admin.get(`/api/conversations/${conv}`)).customFieldValues as Json[]).map((v) => [v.key, v.value]));

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    fields = {
      case_no: ok(await admin.post('/api/custom-fields', { key: 'case_no', label: 'Case number', type: 'text', showInList: true })),
      follow_up: ok(await admin.post('/api/custom-fields', { key: 'follow_up', label: 'Follow-up date', type: 'date' })),
      outcome: ok(await admin.post('/api/custom-fields', { key: 'outcome', label: 'Outcome', type: 'option', options: ['Solved', 'Escalated', 'Callback'] })),
    };
  });
  afterAll(() => t?.cleanup());

  describe('definitions', () => {
    it('lists definitions in position order, each created one after the last, and audits creation', async () => {
      const items = ok(await admin.get('/api/custom-fields')).items as Json[];
      expect(items.map((f) => [f.key, f.position])).toEqual([
        ['case_no', 0],
        ['follow_up', 1],
        ['outcome', 2],
      ]);
      expect(items[0]).toMatchObject({ label: 'Case number', type: 'text', options: [], showInList: true });
      expect(items[2]).toMatchObject({ type: 'option', options: ['Solved', 'Escalated', 'Callback'], showInList: false });
      const events = await audit(fields.outcome.id, 'CUSTOM_FIELD_CREATE');
      expect(events).toHaveLength(1);
      expect(events[0]!.changes).toEqual(
        expect.arrayContaining([
          { field: 'key', old: null, new: 'outcome' },
          { field: 'options', old: null, new: ['Solved', 'Escalated', 'Callback'] },
        ]),
      );
    });

    it('validates key, label and options', async () => {
      for (const key of ['Case', '1abc', '_x', 'has-dash', 'a'.repeat(41), '']) {
        fails(await admin.post('/api/custom-fields', { key, label: 'X', type: 'text' }), 400, 'VALIDATION_FAILED');
      }
      ok(await admin.post('/api/custom-fields', { key: 'a'.repeat(40), label: 'Long key', type: 'text' }));
      fails(await admin.post('/api/custom-fields', { key: 'case_no', label: 'Again', type: 'text' }), 409, 'ALREADY_EXISTS');
      fails(await admin.post('/api/custom-fields', { key: 'no_label', label: '  ', type: 'text' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/custom-fields', { key: 'bad_type', label: 'X', type: 'number' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/custom-fields', { key: 'choice', label: 'X', type: 'option' }), 400, 'VALIDATION_FAILED', 'OPTIONS_REQUIRED');
      fails(await admin.post('/api/custom-fields', { key: 'choice', label: 'X', type: 'option', options: [] }), 400, 'VALIDATION_FAILED', 'OPTIONS_REQUIRED');
      fails(
        await admin.post('/api/custom-fields', { key: 'choice', label: 'X', type: 'option', options: ['A', 'B', 'a'] }),
        400,
        'VALIDATION_FAILED',
        'DUPLICATE_OPTIONS',
      );
      fails(
        await admin.post('/api/custom-fields', { key: 'choice', label: 'X', type: 'text', options: ['A'] }),
        400,
        'VALIDATION_FAILED',
        'OPTIONS_NOT_ALLOWED',
      );
      fails(await admin.patch(`/api/custom-fields/${fields.case_no.id}`, { key: 'renamed' }), 400, 'VALIDATION_FAILED');
      fails(await admin.patch(`/api/custom-fields/${newId()}`, { label: 'X' }), 404, 'NOT_FOUND');
    });

    it('edits a definition with old and new values in the audit trail', async () => {
      const f = ok(await admin.post('/api/custom-fields', { key: 'region', label: 'Region', type: 'text' }));
      const edited = ok(await admin.patch(`/api/custom-fields/${f.id}`, { label: 'Sales region', showInList: true, position: 9 }));
      expect(edited).toMatchObject({ key: 'region', label: 'Sales region', showInList: true, position: 9 });
      const events = await audit(f.id, 'CUSTOM_FIELD_UPDATE');
      expect(events).toHaveLength(1);
      expect(events[0]!.changes).toEqual([
        { field: 'label', old: 'Region', new: 'Sales region' },
        { field: 'showInList', old: false, new: true },
        { field: 'position', old: expect.any(Number), new: 9 },
      ]);
      // Without values the type may change; an option field gets its options, leaving option drops them.
      const opt = ok(await admin.patch(`/api/custom-fields/${f.id}`, { type: 'option', options: ['North', 'South'] }));
      expect(opt).toMatchObject({ type: 'option', options: ['North', 'South'] });
      fails(await admin.patch(`/api/custom-fields/${f.id}`, { options: [] }), 400, 'VALIDATION_FAILED', 'OPTIONS_REQUIRED');
      expect(ok(await admin.patch(`/api/custom-fields/${f.id}`, { type: 'date' }))).toMatchObject({ type: 'date', options: [] });
      // Nothing changed: nothing audited.
      ok(await admin.patch(`/api/custom-fields/${f.id}`, { type: 'date' }));
      expect(await audit(f.id, 'CUSTOM_FIELD_UPDATE')).toHaveLength(3);
      ok(await admin.del(`/api/custom-fields/${f.id}`), 204);
    });

    it('says which fields "Add new filter" offers: all by default, an administrator takes one out, audited', async () => {
      const f = ok(await admin.post('/api/custom-fields', { key: 'internal_ref', label: 'Internal ref', type: 'text' }));
      expect(f).toMatchObject({ showInFilters: true, showInList: false });
      const hidden = ok(await admin.post('/api/custom-fields', { key: 'batch_no', label: 'Batch', type: 'text', showInFilters: false }));
      expect(hidden.showInFilters).toBe(false);
      expect(ok(await admin.patch(`/api/custom-fields/${f.id}`, { showInFilters: false })).showInFilters).toBe(false);
      const listed = (ok(await admin.get('/api/custom-fields')).items as Json[]).find((x) => x.id === f.id)!;
      expect(listed.showInFilters).toBe(false);
      expect((await audit(f.id, 'CUSTOM_FIELD_UPDATE'))[0]!.changes).toEqual([{ field: 'showInFilters', old: true, new: false }]);
      ok(await admin.del(`/api/custom-fields/${f.id}`), 204);
      ok(await admin.del(`/api/custom-fields/${hidden.id}`), 204);
    });

    it('keeps the type of a field with values, and options that are in use', async () => {
      const f = ok(
        await admin.post('/api/custom-fields', { key: 'channel_pref', label: 'Preferred channel', type: 'option', options: ['Phone', 'Email', 'Chat'] }),
      );
      const conv = await chat();
      ok(await admin.put(`/api/conversations/${conv}/custom-fields`, { values: { channel_pref: 'Email' } }));
      fails(await admin.patch(`/api/custom-fields/${f.id}`, { type: 'text' }), 409, 'IN_USE', 'FIELD_HAS_VALUES');
      const err = fails(await admin.patch(`/api/custom-fields/${f.id}`, { options: ['Phone', 'Chat'] }), 409, 'IN_USE', 'OPTION_IN_USE');
      expect(err.details?.options).toEqual(['Email']);
      expect(ok(await admin.patch(`/api/custom-fields/${f.id}`, { options: ['Email', 'Phone', 'SMS'] })).options).toEqual(['Email', 'Phone', 'SMS']);
      // Once the value is gone, the type can change.
      ok(await admin.put(`/api/conversations/${conv}/custom-fields`, { values: { channel_pref: null } }));
      expect(ok(await admin.patch(`/api/custom-fields/${f.id}`, { type: 'text' }))).toMatchObject({ type: 'text', options: [] });
      ok(await admin.del(`/api/custom-fields/${f.id}`), 204);
    });

    it('deletes a definition with its values, audited', async () => {
      const f = ok(await admin.post('/api/custom-fields', { key: 'temp', label: 'Temporary', type: 'text' }));
      const conv = await chat();
      ok(await admin.put(`/api/conversations/${conv}/custom-fields`, { values: { temp: 'x' } }));
      ok(await admin.del(`/api/custom-fields/${f.id}`), 204);
      expect(await valuesOf(conv)).not.toHaveProperty('temp');
      const events = await audit(f.id, 'CUSTOM_FIELD_DELETE');
      expect(events).toHaveLength(1);
      expect(events[0]!.details).toContain('1 conversation');
      expect(events[0]!.changes).toContainEqual({ field: 'key', old: 'temp', new: null });
      fails(await admin.del(`/api/custom-fields/${f.id}`), 404, 'NOT_FOUND');
    });
  });

  describe('values', () => {
    it('sets, changes and removes values by key, audited with old and new per key', async () => {
      const conv = await chat();
      const url = `/api/conversations/${conv}/custom-fields`;
      const res = ok(await admin.put(url, { values: { case_no: ' CS-1001 ', follow_up: '2024-06-30', outcome: 'Escalated' } }));
      expect(Object.fromEntries((res.items as Json[]).map((v) => [v.key, v.value]))).toMatchObject({
        case_no: 'CS-1001',
        follow_up: '2024-06-30',
        outcome: 'Escalated',
      });
      expect(await valuesOf(conv)).toMatchObject({ case_no: 'CS-1001', follow_up: '2024-06-30', outcome: 'Escalated' });
      // The list shows custom fields too.
      const row = (ok(await admin.get('/api/conversations?limit=200')).items as Json[]).find((c) => c.id === conv);
      expect(row.customFields).toMatchObject({ case_no: 'CS-1001', outcome: 'Escalated' });

      ok(await admin.put(url, { values: { outcome: 'Solved', follow_up: null } }));
      expect(await valuesOf(conv)).toMatchObject({ case_no: 'CS-1001', follow_up: null, outcome: 'Solved' });
      ok(await admin.put(url, { values: { case_no: '' } }));
      expect((await valuesOf(conv)).case_no).toBeNull();
      // Nothing changed: nothing audited.
      ok(await admin.put(url, { values: { outcome: 'Solved' } }));

      const events = await audit(conv, 'CONVERSATION_CUSTOM_FIELDS_UPDATE');
      expect(events.map((e) => e.changes)).toEqual([
        [
          { field: 'case_no', old: null, new: 'CS-1001' },
          { field: 'follow_up', old: null, new: '2024-06-30' },
          { field: 'outcome', old: null, new: 'Escalated' },
        ],
        [
          { field: 'outcome', old: 'Escalated', new: 'Solved' },
          { field: 'follow_up', old: '2024-06-30', new: null },
        ],
        [{ field: 'case_no', old: 'CS-1001', new: null }],
      ]);
      expect(events[1]!.details).toBe('Custom fields: Outcome = Solved; Follow-up date cleared');
    });

    it('validates each value by its type and changes nothing when one is wrong', async () => {
      const conv = await chat();
      const url = `/api/conversations/${conv}/custom-fields`;
      fails(await admin.put(url, { values: { follow_up: '2024-02-30' } }), 400, 'VALIDATION_FAILED', 'INVALID_DATE');
      fails(await admin.put(url, { values: { follow_up: '30.06.2024' } }), 400, 'VALIDATION_FAILED', 'INVALID_DATE');
      fails(await admin.put(url, { values: { outcome: 'Maybe' } }), 400, 'VALIDATION_FAILED', 'INVALID_OPTION');
      const long = fails(await admin.put(url, { values: { case_no: 'x'.repeat(1001) } }), 400, 'VALIDATION_FAILED', 'VALUE_TOO_LONG');
      expect(long.message).toContain('1000');
      fails(await admin.put(url, { values: { nope: 'x', case_no: 'ok' } }), 400, 'VALIDATION_FAILED', 'UNKNOWN_FIELD');
      fails(await admin.put(url, { values: { case_no: 'ok', outcome: 'Maybe' } }), 400, 'VALIDATION_FAILED', 'INVALID_OPTION');
      fails(await admin.put(url, {}), 400, 'VALIDATION_FAILED');
      expect(Object.values(await valuesOf(conv)).every((v) => v === null)).toBe(true);
      expect(await audit(conv, 'CONVERSATION_CUSTOM_FIELDS_UPDATE')).toEqual([]);
      fails(await admin.put(`/api/conversations/${newId()}/custom-fields`, { values: { case_no: 'x' } }), 404, 'NOT_FOUND');
    });

    it('stores ingest customData that names a field, skipping unknown keys and invalid values', async () => {
      const conv = await chat();
      const stored = await inTransaction(t.db, ({ tx }) =>
        applyIngestCustomData(t, tx, tenantId, conv, { Case_No: 'CS-77', follow_up: 'tomorrow', outcome: 'Callback', crm_id: '123' }),
      );
      expect(stored.sort()).toEqual(['case_no', 'outcome']);
      expect(await valuesOf(conv)).toMatchObject({ case_no: 'CS-77', follow_up: null, outcome: 'Callback' });
      // A later segment's value replaces the earlier one.
      await inTransaction(t.db, ({ tx }) => applyIngestCustomData(t, tx, tenantId, conv, { outcome: 'Solved' }));
      expect((await valuesOf(conv)).outcome).toBe('Solved');
      expect(await inTransaction(t.db, ({ tx }) => applyIngestCustomData(t, tx, tenantId, conv, undefined))).toEqual([]);
      // Another tenant's fields are not this tenant's.
      const other = await makeTenant(t);
      expect(await inTransaction(t.db, ({ tx }) => applyIngestCustomData(t, tx, other.tenantId, conv, { case_no: 'X' }))).toEqual([]);
    });

    it('needs the permissions (403) and a conversation the caller can see (404)', async () => {
      const conv = await chat();
      const viewer = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'] }));
      ok(await viewer.get('/api/custom-fields'));
      fails(await viewer.put(`/api/conversations/${conv}/custom-fields`, { values: { case_no: 'x' } }), 403, 'FORBIDDEN');
      fails(await viewer.post('/api/custom-fields', { key: 'nope', label: 'Nope', type: 'text' }), 403, 'FORBIDDEN');
      fails(await viewer.patch(`/api/custom-fields/${fields.case_no.id}`, { label: 'Nope' }), 403, 'FORBIDDEN');
      fails(await viewer.del(`/api/custom-fields/${fields.case_no.id}`), 403, 'FORBIDDEN');

      const agent = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
      expect((ok(await agent.get('/api/custom-fields')).items as Json[]).map((f) => f.key)).toContain('case_no');
      const editor = await makeUser(t, tenantId, { extension: '6006', permissions: ['conversations.view_own', 'conversations.edit_custom_fields'] });
      const editorClient = await signIn(t.app, editor);
      const own = await chat({ agentExtension: '6006' });
      ok(await editorClient.put(`/api/conversations/${own}/custom-fields`, { values: { case_no: 'MINE-1' } }));
      fails(await editorClient.put(`/api/conversations/${conv}/custom-fields`, { values: { case_no: 'NOT-MINE' } }), 404, 'NOT_FOUND');
      expect((await valuesOf(conv)).case_no).toBeNull();
    });

    it('leaves definitions to an administrator of the whole organisation; a group-scoped manager still sets values in its group', async () => {
      // Issue 15: definitions are tenant-wide (deleting one drops values in every group), so a customfields.manage
      // holder scoped to one group must not change them.
      const group = await makeGroup(t, tenantId, `G-${newId().slice(-6)}`);
      await makeUser(t, tenantId, { roles: ['agent'], extension: '7007', groupId: group });
      const scoped = await signIn(
        t.app,
        await makeUser(t, tenantId, {
          permissions: ['conversations.view', 'customfields.manage', 'conversations.edit_custom_fields'],
          groupId: group,
        }),
      );
      const before = ok(await admin.get('/api/custom-fields')).items as Json[];
      fails(await scoped.post('/api/custom-fields', { key: `scoped_${newId().slice(-6).toLowerCase()}`, label: 'Scoped', type: 'text' }), 403, 'FORBIDDEN');
      fails(await scoped.patch(`/api/custom-fields/${fields.outcome.id}`, { label: 'Renamed by a group', options: ['Solved'] }), 403, 'FORBIDDEN');
      fails(await scoped.patch(`/api/custom-fields/${fields.follow_up.id}`, { type: 'text' }), 403, 'FORBIDDEN');
      fails(await scoped.del(`/api/custom-fields/${fields.case_no.id}`), 403, 'FORBIDDEN');
      expect(ok(await admin.get('/api/custom-fields')).items).toEqual(before);
      // Values on a conversation in the group stay the scoped user's to set.
      const inGroup = await chat({ agentExtension: '7007' });
      ok(await scoped.put(`/api/conversations/${inGroup}/custom-fields`, { values: { case_no: 'GROUP-1', outcome: 'Solved' } }));
      expect(await valuesOf(inGroup)).toMatchObject({ case_no: 'GROUP-1', outcome: 'Solved' });
    });
  });
});
