// Saved searches through the HTTP API: CRUD, names unique per user, delete with undo, protection, audit events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeGroup, makeTenant, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { newId } from '../../platform/ids.ts';
import { listProtectedSearches, purgeDeletedSavedSearches, UNDO_WINDOW_MS } from './service.ts';

interface AuditItem {
  action: string;
  resourceType: string;
  resourceId: string | null;
  initiatorId: string | null;
  details: string;
  changes: Array<{ field: string; old: unknown; new: unknown }> | null;
}

const DEFAULTS = { version: 1, period: { kind: 'last_days', days: 90 }, reviewable: 'reviewable', view: 'all', sort: 'newest' };

describe.each(ENGINES)('saved searches on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  /** An agent: sees own conversations only, no lifecycle.manage. */
  let agentUser: TestUser;
  let agent: Client;
  /** A supervisor: conversations.view, no lifecycle.manage. */
  let supervisorUser: TestUser;
  let supervisor: Client;
  /** A data life cycle manager. */
  let managerUser: TestUser;
  let manager: Client;
  let n = 0;
  const unique = (base: string) => `${base} ${++n}`;

  const audit = async (resourceId: string, action?: string): Promise<AuditItem[]> => {
    const q = new URLSearchParams({ resourceId, limit: '200', ...(action ? { action } : {}) });
    return (ok(await admin.get(`/api/audit?${q}`)).items as AuditItem[]).reverse();
  };
  const names = async (c: Client, query = '') => (ok(await c.get(`/api/saved-searches${query}`)).items as Json[]).map((s) => s.name);
  const create = async (c: Client, name: string, filter: object = {}) => ok(await c.post('/api/saved-searches', { name, filter }));
  /** Moves a deletion back in time, as if the undo window had passed. */
  const backdate = (id: string, ms: number) =>
    t.db
      .updateTable('saved_searches')
      .set({ deleted_at: new Date(Date.now() - ms).toISOString() })
      .where('id', '=', id)
      .execute();

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    const tenant = await makeTenant(t);
    tenantId = tenant.tenantId;
    admin = await signIn(t.app, tenant.admin);
    agentUser = await makeUser(t, tenantId, { roles: ['agent'], name: 'Alex Agent' });
    supervisorUser = await makeUser(t, tenantId, { permissions: ['conversations.view'], name: 'Sam Supervisor' });
    managerUser = await makeUser(t, tenantId, { roles: ['compliance_analyst'], name: 'Casey Compliance' });
    [agent, supervisor, manager] = await Promise.all([agentUser, supervisorUser, managerUser].map((u) => signIn(t.app, u)));
    ok(await admin.post('/api/custom-fields', { key: 'cisco_id', label: 'Cisco ID', type: 'text' }));
  });
  afterAll(() => t?.cleanup());

  it('saves, lists, reads, renames and changes a search, storing the filter in canonical form, with audit events', async () => {
    const tag = ok(await admin.post('/api/tags', { name: unique('Escalated'), color: '#123456' }));
    const created = await create(supervisor, '  Billing   complaints ', {
      q: ' billing -refund ',
      channels: ['chat', 'call'],
      tags: [tag.id],
      agentId: agentUser.id,
      customData: [{ fieldKey: 'cisco_id', op: { op: 'starts_with', value: 'ABC' } }],
    });
    expect(created).toMatchObject({
      name: 'Billing complaints',
      protected: false,
      protectedAt: null,
      mine: true,
      canEdit: true,
      canProtect: false,
      owner: { id: supervisorUser.id, name: 'Sam Supervisor' },
      filter: {
        ...DEFAULTS,
        q: 'billing -refund',
        channels: ['call', 'chat'],
        tags: [tag.id],
        agentId: agentUser.id,
        customData: [{ fieldKey: 'cisco_id', op: { op: 'starts_with', value: 'ABC' } }],
        sort: 'relevance',
      },
    });
    expect(created.chips.map((c: Json) => c.label)).toEqual([
      'Time period: Last 90 days',
      'Channel: Calls, Chats',
      'Agent: Alex Agent',
      `Tags: ${tag.name}`,
      'Cisco ID starts with “ABC”',
    ]);
    expect(ok(await supervisor.get(`/api/saved-searches/${created.id}`))).toEqual(created);
    expect((ok(await supervisor.get('/api/saved-searches')).items as Json[]).find((s) => s.id === created.id)).toEqual(created);

    const renamed = ok(await supervisor.patch(`/api/saved-searches/${created.id}`, { name: 'Billing' }));
    expect(renamed).toMatchObject({ name: 'Billing', filter: created.filter });
    const changed = ok(await supervisor.patch(`/api/saved-searches/${created.id}`, { filter: { period: null, direction: 'inbound' } }));
    expect(changed.filter).toEqual({ ...DEFAULTS, period: null, direction: 'inbound' });
    expect(changed.chips).toEqual([{ field: 'direction', label: 'Direction: Inbound' }]);
    // Nothing to change: no event.
    ok(await supervisor.patch(`/api/saved-searches/${created.id}`, { name: 'Billing', filter: { period: null, direction: 'inbound' } }));

    const events = await audit(created.id);
    expect(events.map((e) => e.action)).toEqual(['SAVED_SEARCH_CREATE', 'SAVED_SEARCH_UPDATE', 'SAVED_SEARCH_UPDATE']);
    expect(events.every((e) => e.resourceType === 'saved_search' && e.initiatorId === supervisorUser.id)).toBe(true);
    expect(events[0]!.details).toBe('Saved the search “Billing complaints”');
    expect(events[0]!.changes).toEqual([
      { field: 'name', old: null, new: 'Billing complaints' },
      { field: 'filter', old: null, new: created.filter },
    ]);
    expect(events[1]!.details).toBe('Renamed the saved search “Billing complaints” to “Billing”');
    expect(events[1]!.changes).toEqual([{ field: 'name', old: 'Billing complaints', new: 'Billing' }]);
    expect(events[2]!.details).toBe('Changed the filter of the saved search “Billing”');
    expect(events[2]!.changes).toEqual([{ field: 'filter', old: created.filter, new: changed.filter }]);
  });

  it('stores and answers every field of a filter as normalizeFilter makes it', async () => {
    const filter = {
      version: 1,
      q: '"internet bill" OR +billing',
      period: { kind: 'custom', from: '2024-01-01', to: '2024-03-31' },
      daysOfWeek: [1, 7],
      timeOfDay: { from: '3:5', to: '' },
      duration: { min: '', max: '1:3:5' },
      phone: '+331',
      channels: ['call', 'email', 'chat'],
      screen: 'without',
      direction: 'internal',
      agentId: agentUser.id,
      tags: ['t-1'],
      speechTags: { include: [], exclude: [{ tagId: 'st-1', confidence: 'probably' }] },
      reviewable: 'all',
      customData: [
        { fieldKey: 'cisco_id', op: { op: 'in', values: ['A', 'B'] } },
        { fieldKey: 'cisco_id', op: { op: 'regex', pattern: '^AB\\d+$' } },
      ],
      view: { tagId: 't-1' },
      sort: 'newest',
    };
    const s = await create(agent, unique('Everything'), filter);
    expect(s.filter).toEqual(filter);
    expect(ok(await agent.get(`/api/saved-searches/${s.id}`)).filter).toEqual(filter);
    for (const view of ['mine', 'unassigned', { userId: agentUser.id }]) {
      expect(
        ok(await agent.patch(`/api/saved-searches/${s.id}`, { filter: { view, duration: 'long', period: { kind: 'older_than_days', days: 30 } } })).filter,
      ).toEqual({ ...DEFAULTS, period: { kind: 'older_than_days', days: 30 }, duration: 'long', view });
    }
  });

  it('keeps a group filter and names the group in its chips (issue 14)', async () => {
    const group = await makeGroup(t, tenantId, `Care ${newId().slice(-6)}`);
    const s = await create(admin, unique('By group'), { groupId: group, channels: ['call'] });
    expect(s.filter).toMatchObject({ groupId: group, channels: ['call'] });
    expect(s.chips).toContainEqual({ field: 'groupId', label: expect.stringMatching(/^Group: Care /) });
    expect(ok(await admin.get(`/api/saved-searches/${s.id}`)).filter.groupId).toBe(group);
  });

  it('refuses a bad name or filter with the message of the rule it breaks', async () => {
    fails(await agent.post('/api/saved-searches', { name: '   ', filter: {} }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
    fails(await agent.post('/api/saved-searches', { name: 'x'.repeat(101), filter: {} }), 400, 'VALIDATION_FAILED');
    fails(await agent.post('/api/saved-searches', { name: 'No filter' }), 400, 'VALIDATION_FAILED');
    fails(await agent.post('/api/saved-searches', { name: 'Extra', filter: {}, shared: true }), 400, 'VALIDATION_FAILED');
    let err = fails(
      await agent.post('/api/saved-searches', { name: 'Night', filter: { timeOfDay: { from: '25', to: '' } } }),
      400,
      'VALIDATION_FAILED',
      'INVALID_TIME',
    );
    expect(err).toMatchObject({ message: '"25" is not a time: hours go from 0 to 23', details: { field: 'filter.timeOfDay.from' } });
    err = fails(await agent.post('/api/saved-searches', { name: 'Query', filter: { q: '(billing OR refund' } }), 400, 'VALIDATION_FAILED', 'INVALID_QUERY');
    expect(err).toMatchObject({ message: "Unbalanced parenthesis: '(' at character 1 is never closed", details: { field: 'filter.q', position: 0 } });
    err = fails(
      await agent.post('/api/saved-searches', { name: 'Period', filter: { period: { kind: 'last_days', days: 0 } } }),
      400,
      'VALIDATION_FAILED',
      'INVALID_DAYS',
    );
    expect(err.message).toBe('The number of days must be a whole number from 1 to 36600');
    err = fails(
      await agent.post('/api/saved-searches', { name: 'Field', filter: { customData: [{ fieldKey: 'region', op: { op: 'is_empty' } }] } }),
      400,
      'VALIDATION_FAILED',
      'UNKNOWN_CUSTOM_FIELD',
    );
    expect(err).toMatchObject({ message: 'There is no custom field "region"', details: { field: 'filter.customData.0.fieldKey' } });
    fails(
      await agent.post('/api/saved-searches', {
        name: 'Date op',
        filter: { customData: [{ fieldKey: 'cisco_id', op: { op: 'before', date: '2024-01-01' } }] },
      }),
      400,
      'VALIDATION_FAILED',
      'OPERATOR_NOT_ALLOWED',
    );
    fails(await agent.post('/api/saved-searches', { name: 'Array', filter: [] }), 400, 'VALIDATION_FAILED');
    const mine = await create(agent, unique('Valid'));
    fails(await agent.patch(`/api/saved-searches/${mine.id}`, { filter: { phone: 'abc' } }), 400, 'VALIDATION_FAILED', 'INVALID_PHONE_PREFIX');
    fails(await agent.patch(`/api/saved-searches/${mine.id}`, { name: ' ' }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
    expect(ok(await agent.get(`/api/saved-searches/${mine.id}`)).filter).toEqual(DEFAULTS);
  });

  it('keeps names unique per user regardless of case, while two users may share one', async () => {
    const name = unique('Angry customers');
    const first = await create(agent, name);
    const err = fails(await agent.post('/api/saved-searches', { name: ` ${name.toUpperCase()} `, filter: {} }), 409, 'ALREADY_EXISTS', 'NAME_TAKEN');
    expect(err.message).toBe(`You already have a saved search named “${name}”`);
    // Case folding beyond ASCII too.
    const accented = unique('Équipe');
    await create(agent, accented);
    fails(await agent.post('/api/saved-searches', { name: accented.toLowerCase(), filter: {} }), 409, 'ALREADY_EXISTS', 'NAME_TAKEN');
    // Another user, the same name.
    const theirs = await create(supervisor, name);
    expect(theirs.name).toBe(name);
    // Renaming onto another of one's own names is refused; changing the case of one's own name is not.
    const second = await create(agent, unique('Other'));
    fails(await agent.patch(`/api/saved-searches/${second.id}`, { name: name.toLowerCase() }), 409, 'ALREADY_EXISTS', 'NAME_TAKEN');
    expect(ok(await agent.patch(`/api/saved-searches/${first.id}`, { name: name.toLowerCase() })).name).toBe(name.toLowerCase());
    expect(await names(agent)).toContain(name.toLowerCase());
    expect(await names(agent)).not.toContain(theirs.name);
  });

  it("keeps each user's searches private: another user gets 404, whatever they try", async () => {
    const mine = await create(agent, unique('Private'));
    fails(await supervisor.get(`/api/saved-searches/${mine.id}`), 404, 'NOT_FOUND');
    fails(await supervisor.patch(`/api/saved-searches/${mine.id}`, { name: 'Hijacked' }), 404, 'NOT_FOUND');
    fails(await supervisor.del(`/api/saved-searches/${mine.id}`), 404, 'NOT_FOUND');
    fails(await supervisor.post(`/api/saved-searches/${mine.id}/restore`, { undoToken: 'x' }), 404, 'NOT_FOUND');
    expect(await names(supervisor)).not.toContain(mine.name);
    // Another tenant's admin neither.
    const other = await makeTenant(t);
    const outsider = await signIn(t.app, other.admin);
    fails(await outsider.get(`/api/saved-searches/${mine.id}`), 404, 'NOT_FOUND');
    fails(await outsider.put(`/api/saved-searches/${mine.id}/protected`, { protected: true }), 404, 'NOT_FOUND');
    fails(await agent.get(`/api/saved-searches/${newId()}`), 404, 'NOT_FOUND');
    // Without a conversation view permission there are no saved searches at all.
    const blind = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['reports.view'] }));
    fails(await blind.get('/api/saved-searches'), 403, 'FORBIDDEN');
    fails(await blind.post('/api/saved-searches', { name: 'x', filter: {} }), 403, 'FORBIDDEN');
  });

  it('deletes with an immediate undo, and refuses an undo under a name taken meanwhile unless given another', async () => {
    const name = unique('Refunds');
    const s = await create(agent, name, { q: 'refund' });
    const deleted = ok(await agent.del(`/api/saved-searches/${s.id}`));
    expect(deleted).toMatchObject({ id: s.id, name, undoToken: expect.any(String) });
    const expires = Date.parse(deleted.undoExpiresAt) - Date.now();
    expect(expires).toBeGreaterThan(UNDO_WINDOW_MS - 60_000);
    expect(expires).toBeLessThanOrEqual(UNDO_WINDOW_MS);
    expect(await names(agent)).not.toContain(name);
    fails(await agent.get(`/api/saved-searches/${s.id}`), 404, 'NOT_FOUND');
    fails(await agent.patch(`/api/saved-searches/${s.id}`, { name: 'x' }), 404, 'NOT_FOUND');
    fails(await agent.del(`/api/saved-searches/${s.id}`), 404, 'NOT_FOUND');

    fails(await agent.post(`/api/saved-searches/${s.id}/restore`, { undoToken: 'not-the-token' }), 404, 'NOT_FOUND', 'UNDO_TOKEN_INVALID');
    const restored = ok(await agent.post(`/api/saved-searches/${s.id}/restore`, { undoToken: deleted.undoToken }));
    expect(restored).toMatchObject({ id: s.id, name, filter: s.filter });
    expect(await names(agent)).toContain(name);
    fails(await agent.post(`/api/saved-searches/${s.id}/restore`, { undoToken: deleted.undoToken }), 409, 'CONFLICT', 'NOT_DELETED');

    // Deleted, then the name is used again: the undo needs another name.
    const again = ok(await agent.del(`/api/saved-searches/${s.id}`));
    const replacement = await create(agent, name);
    fails(await agent.post(`/api/saved-searches/${s.id}/restore`, { undoToken: again.undoToken }), 409, 'ALREADY_EXISTS', 'NAME_TAKEN');
    const renamed = ok(await agent.post(`/api/saved-searches/${s.id}/restore`, { undoToken: again.undoToken, name: `${name} (old)` }));
    expect(renamed.name).toBe(`${name} (old)`);
    expect(await names(agent)).toEqual(expect.arrayContaining([name, `${name} (old)`]));
    expect(replacement.id).not.toBe(s.id);

    const events = await audit(s.id);
    expect(events.map((e) => e.action)).toEqual([
      'SAVED_SEARCH_CREATE',
      'SAVED_SEARCH_DELETE',
      'SAVED_SEARCH_RESTORE',
      'SAVED_SEARCH_DELETE',
      'SAVED_SEARCH_RESTORE',
    ]);
    expect(events[1]!.changes).toEqual([{ field: 'deleted', old: false, new: true }]);
    expect(events[1]!.details).toBe(`Deleted the saved search “${name}”; it can be restored for 10 minutes`);
    expect(events[2]!.changes).toEqual([{ field: 'deleted', old: true, new: false }]);
    expect(events[4]!.changes).toEqual([
      { field: 'deleted', old: true, new: false },
      { field: 'name', old: name, new: `${name} (old)` },
    ]);
    expect(events[4]!.details).toBe(`Restored the saved search “${name}” as “${name} (old)”`);
  });

  it('refuses the undo once the window has passed, and the purge removes what has expired', async () => {
    const expired = await create(agent, unique('Expired'));
    const recent = await create(agent, unique('Recent'));
    const live = await create(agent, unique('Live'));
    const token = ok(await agent.del(`/api/saved-searches/${expired.id}`)).undoToken;
    ok(await agent.del(`/api/saved-searches/${recent.id}`));
    await backdate(expired.id, UNDO_WINDOW_MS + 1000);
    const err = fails(await agent.post(`/api/saved-searches/${expired.id}/restore`, { undoToken: token }), 404, 'NOT_FOUND', 'UNDO_EXPIRED');
    expect(err.message).toBe(`The saved search “${expired.name}” was deleted more than 10 minutes ago and can no longer be restored`);

    const { purged } = await purgeDeletedSavedSearches(t);
    expect(purged).toBeGreaterThanOrEqual(1);
    const left = await t.db.selectFrom('saved_searches').select('id').where('id', 'in', [expired.id, recent.id, live.id]).execute();
    expect(left.map((r) => r.id).sort()).toEqual([recent.id, live.id].sort());
    fails(await agent.post(`/api/saved-searches/${expired.id}/restore`, { undoToken: token }), 404, 'NOT_FOUND');
    // Idempotent.
    await purgeDeletedSavedSearches(t);
    expect(ok(await agent.get(`/api/saved-searches/${live.id}`)).id).toBe(live.id);
  });

  it('lets only lifecycle.manage protect, and then keeps the owner from renaming, changing or deleting it', async () => {
    const s = await create(supervisor, unique('Fraud case'), { q: 'fraud' });
    fails(await supervisor.put(`/api/saved-searches/${s.id}/protected`, { protected: true }), 403, 'FORBIDDEN');
    fails(await agent.put(`/api/saved-searches/${s.id}/protected`, { protected: true }), 403, 'FORBIDDEN');

    // A manager does not see it in the list until it is protected, but can find it with scope=tenant.
    expect(await names(manager)).not.toContain(s.name);
    expect(await names(manager, '?scope=tenant')).toContain(s.name);
    fails(await supervisor.get('/api/saved-searches?scope=tenant'), 403, 'FORBIDDEN');
    // …and cannot change another user's unprotected search.
    fails(await manager.patch(`/api/saved-searches/${s.id}`, { name: 'Mine now' }), 403, 'FORBIDDEN', 'NOT_OWNER');
    fails(await manager.del(`/api/saved-searches/${s.id}`), 403, 'FORBIDDEN', 'NOT_OWNER');

    const protectedView = ok(await manager.put(`/api/saved-searches/${s.id}/protected`, { protected: true }));
    expect(protectedView).toMatchObject({
      protected: true,
      protectedAt: expect.any(String),
      mine: false,
      canEdit: true,
      canProtect: true,
      owner: { id: supervisorUser.id },
    });
    // Again: nothing changes, no second event.
    ok(await manager.put(`/api/saved-searches/${s.id}/protected`, { protected: true }));
    expect(await names(manager)).toContain(s.name);
    expect(ok(await supervisor.get(`/api/saved-searches/${s.id}`))).toMatchObject({ protected: true, mine: true, canEdit: false, canProtect: false });
    expect((await listProtectedSearches(t, tenantId)).map((p) => p.id)).toContain(s.id);

    // The owner may still use it, not rename, change or delete it.
    let err = fails(await supervisor.patch(`/api/saved-searches/${s.id}`, { name: 'Renamed' }), 403, 'FORBIDDEN', 'PROTECTED');
    expect(err.message).toBe(
      `“${s.name}” is a protected search: only a user with the permission "lifecycle.manage" (Manage data life cycle) can rename it. You can still use it.`,
    );
    err = fails(await supervisor.patch(`/api/saved-searches/${s.id}`, { filter: { q: 'anything' } }), 403, 'FORBIDDEN', 'PROTECTED');
    expect(err.message).toContain('can change the filter of it');
    err = fails(await supervisor.del(`/api/saved-searches/${s.id}`), 403, 'FORBIDDEN', 'PROTECTED');
    expect(err.message).toContain('can delete it');
    // A no-op patch is not a change.
    ok(await supervisor.patch(`/api/saved-searches/${s.id}`, { name: s.name }));
    expect(ok(await supervisor.get(`/api/saved-searches/${s.id}`)).name).toBe(s.name);

    // The manager may rename it (uniqueness is the owner's), delete and restore it, and lift the protection.
    const taken = await create(supervisor, unique('Taken'));
    err = fails(await manager.patch(`/api/saved-searches/${s.id}`, { name: taken.name }), 409, 'ALREADY_EXISTS', 'NAME_TAKEN');
    expect(err.message).toBe(`Its owner already has a saved search named “${taken.name}”`);
    const newName = unique('Fraud case (kept)');
    expect(ok(await manager.patch(`/api/saved-searches/${s.id}`, { name: newName })).name).toBe(newName);
    const del = ok(await manager.del(`/api/saved-searches/${s.id}`));
    expect((await listProtectedSearches(t, tenantId)).map((p) => p.id)).not.toContain(s.id);
    fails(await supervisor.post(`/api/saved-searches/${s.id}/restore`, { undoToken: del.undoToken }), 403, 'FORBIDDEN', 'PROTECTED');
    expect(ok(await manager.post(`/api/saved-searches/${s.id}/restore`, { undoToken: del.undoToken }))).toMatchObject({ name: newName, protected: true });
    const lifted = ok(await manager.put(`/api/saved-searches/${s.id}/protected`, { protected: false }));
    expect(lifted).toMatchObject({ protected: false, protectedAt: null, canEdit: false });
    expect(ok(await supervisor.patch(`/api/saved-searches/${s.id}`, { name: `${newName} again` })).name).toBe(`${newName} again`);
    fails(await manager.put(`/api/saved-searches/${s.id}/protected`, {}), 400, 'VALIDATION_FAILED');

    const events = await audit(s.id);
    expect(events.map((e) => e.action)).toEqual([
      'SAVED_SEARCH_CREATE',
      'SAVED_SEARCH_PROTECT',
      'SAVED_SEARCH_UPDATE',
      'SAVED_SEARCH_DELETE',
      'SAVED_SEARCH_RESTORE',
      'SAVED_SEARCH_PROTECT',
      'SAVED_SEARCH_UPDATE',
    ]);
    expect(events[1]).toMatchObject({
      initiatorId: managerUser.id,
      details: `Protected the saved search “${s.name}” of Sam Supervisor`,
      changes: [{ field: 'protected', old: false, new: true }],
    });
    expect(events[2]).toMatchObject({ initiatorId: managerUser.id, details: `Renamed the saved search “${s.name}” to “${newName}” of Sam Supervisor` });
    expect(events[3]!.details).toBe(`Deleted the saved search “${newName}” (protected) of Sam Supervisor; it can be restored for 10 minutes`);
    expect(events[5]).toMatchObject({
      details: `Lifted the protection of the saved search “${newName}” of Sam Supervisor`,
      changes: [{ field: 'protected', old: true, new: false }],
    });
  });

  it('leaves protection to a data life cycle manager of the whole organisation, not one scoped to a group', async () => {
    // Issue 15: retention and anonymization read protected searches for the whole tenant, so protecting, lifting or
    // changing a protected search reaches every group; a group-scoped lifecycle.manage holder is refused all of it.
    const group = await makeGroup(t, tenantId, `G-${newId().slice(-6)}`);
    const scopedUser = await makeUser(t, tenantId, { permissions: ['conversations.view', 'lifecycle.manage'], groupId: group, name: 'Gale Group' });
    const scoped = await signIn(t.app, scopedUser);
    const own = await create(scoped, unique('Group fraud'), { q: 'fraud' });
    expect(own).toMatchObject({ mine: true, canEdit: true, canProtect: false });
    fails(await scoped.put(`/api/saved-searches/${own.id}/protected`, { protected: true }), 403, 'FORBIDDEN');

    const kept = await create(supervisor, unique('Kept everywhere'), { q: 'complaint' });
    ok(await manager.put(`/api/saved-searches/${kept.id}/protected`, { protected: true }));
    // Still seen, to know what is kept, but not changed.
    expect(ok(await scoped.get(`/api/saved-searches/${kept.id}`))).toMatchObject({ protected: true, canEdit: false, canProtect: false });
    expect(await names(scoped)).toContain(kept.name);
    fails(await scoped.put(`/api/saved-searches/${kept.id}/protected`, { protected: false }), 403, 'FORBIDDEN');
    fails(await scoped.patch(`/api/saved-searches/${kept.id}`, { name: 'Renamed by a group' }), 403, 'FORBIDDEN');
    fails(await scoped.patch(`/api/saved-searches/${kept.id}`, { filter: { q: 'nothing at all' } }), 403, 'FORBIDDEN');
    fails(await scoped.del(`/api/saved-searches/${kept.id}`), 403, 'FORBIDDEN');
    const del = ok(await manager.del(`/api/saved-searches/${kept.id}`));
    fails(await scoped.post(`/api/saved-searches/${kept.id}/restore`, { undoToken: del.undoToken }), 403, 'FORBIDDEN');
    ok(await manager.post(`/api/saved-searches/${kept.id}/restore`, { undoToken: del.undoToken }));
    expect(ok(await manager.get(`/api/saved-searches/${kept.id}`))).toMatchObject({ name: kept.name, filter: kept.filter, protected: true });
    expect((await listProtectedSearches(t, tenantId)).map((p) => p.id)).toEqual(expect.arrayContaining([kept.id]));
    expect((await listProtectedSearches(t, tenantId)).map((p) => p.id)).not.toContain(own.id);
    expect((await audit(kept.id)).filter((e) => e.initiatorId === scopedUser.id)).toEqual([]);

    // Its own unprotected searches stay its own to change.
    expect(ok(await scoped.patch(`/api/saved-searches/${own.id}`, { name: `${own.name} (renamed)` })).name).toBe(`${own.name} (renamed)`);
    ok(await scoped.del(`/api/saved-searches/${own.id}`));
  });

  it('keeps a protected search from the owner who lost the permission, and after the owner is deleted', async () => {
    const owner = await makeUser(t, tenantId, { permissions: ['conversations.view', 'lifecycle.manage'], name: 'Temporary Manager' });
    const ownerClient = await signIn(t.app, owner);
    const s = await create(ownerClient, unique('Legal hold'));
    const other = await create(ownerClient, unique('Scratch'));
    expect(ok(await ownerClient.put(`/api/saved-searches/${s.id}/protected`, { protected: true }))).toMatchObject({ mine: true, canEdit: true });
    ok(await admin.del(`/api/users/${owner.id}`), 204);
    const orphan = ok(await manager.get(`/api/saved-searches/${s.id}`));
    expect(orphan).toMatchObject({ owner: null, mine: false, protected: true, canEdit: true });
    expect(await names(manager)).toContain(s.name);
    await purgeDeletedSavedSearches(t);
    // The unprotected search of the deleted user is purged; the protected one stays.
    const left = await t.db.selectFrom('saved_searches').select('id').where('id', 'in', [s.id, other.id]).execute();
    expect(left.map((r) => r.id)).toEqual([s.id]);
    const events = await audit(s.id, 'SAVED_SEARCH_PROTECT');
    expect(events).toHaveLength(1);
  });
});
