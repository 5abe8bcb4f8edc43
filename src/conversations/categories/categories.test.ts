// Categories through the HTTP API: definitions (create, rename, archive), filing one conversation or a selection,
// the "By category" view and the tags filter, permissions, and audit events — on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId } from '../../platform/ids.ts';

interface AuditItem {
  action: string;
  resourceType: string;
  details: string;
  changes: Array<{ field: string; old: unknown; new: unknown }> | null;
}

describe.each(ENGINES)('categories on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: Client;
  let ingest: Actor;
  let supervisor: Client;
  let agent: Client;
  let viewer: Client;

  const audit = async (resourceId: string, action?: string): Promise<AuditItem[]> => {
    const q = new URLSearchParams({ resourceId, limit: '200', ...(action ? { action } : {}) });
    return (ok(await admin.get(`/api/audit?${q}`)).items as AuditItem[]).reverse();
  };
  const chat = async (opts: Parameters<typeof makeChat>[2] = {}) => (await makeChat(t, ingest, opts)).conversationId;
  const category = async (name: string, color = '#228be6') => ok(await admin.post('/api/categories', { name, color }));
  const searchIds = async (filter: Record<string, unknown>, client = admin) =>
    (ok(await client.post('/api/conversations/search', { period: null, reviewable: 'all', ...filter })).items as Json[]).map((x) => x.id as string);
  const categoriesOf = async (conv: string) =>
    (ok(await admin.get(`/api/conversations/${conv}`)).tags as Json[]).filter((x) => x.kind === 'category').map((x) => x.name as string);

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ admin, ingest } = await tenantWithAdmin(t));
    const tenantId = (ok(await admin.get('/api/me')) as Json).tenantId as string;
    supervisor = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'] }));
    agent = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'], extension: '7007' }));
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
  });
  afterAll(() => t?.cleanup());

  it('creates, renames and archives categories, apart from tags, and audits each change', async () => {
    const c = await category('  Billing   dispute ');
    expect(c).toMatchObject({ name: 'Billing dispute', kind: 'category', archived: false, archivedAt: null, conversations: 0, color: '#228be6' });
    const listed = ok(await admin.get('/api/categories')).items as Json[];
    expect(listed.map((x) => x.name)).toContain('Billing dispute');
    // Categories are not tags: Add tag never offers them, and the tag routes do not reach them.
    expect((ok(await admin.get('/api/tags')).items as Json[]).map((x) => x.name)).not.toContain('Billing dispute');
    fails(await admin.patch(`/api/tags/${c.id}`, { name: 'x' }), 404, 'NOT_FOUND');
    fails(await admin.del(`/api/tags/${c.id}`), 404, 'NOT_FOUND');
    // One namespace for tags and categories, regardless of case.
    fails(await admin.post('/api/categories', { name: 'billing DISPUTE', color: '#000000' }), 409, 'ALREADY_EXISTS');
    ok(await admin.post('/api/tags', { name: 'Refund', color: '#000000' }));
    fails(await admin.post('/api/categories', { name: 'refund', color: '#000000' }), 409, 'ALREADY_EXISTS');
    fails(await admin.post('/api/categories', { name: 'x', color: 'red' }), 400, 'VALIDATION_FAILED');
    fails(await admin.post('/api/categories', { name: 'x', color: '#000000', dataKey: 'k' }), 400, 'VALIDATION_FAILED');

    const renamed = ok(await admin.patch(`/api/categories/${c.id}`, { name: 'Billing', color: '#FA5252' }));
    expect(renamed).toMatchObject({ name: 'Billing', color: '#fa5252', archived: false });
    const archived = ok(await admin.patch(`/api/categories/${c.id}`, { archived: true }));
    expect(archived.archived).toBe(true);
    expect(typeof archived.archivedAt).toBe('string');
    expect(ok(await admin.patch(`/api/categories/${c.id}`, { archived: false })).archived).toBe(false);

    const events = await audit(c.id);
    expect(events.map((e) => e.action)).toEqual(['CATEGORY_CREATE', 'CATEGORY_UPDATE', 'CATEGORY_UPDATE', 'CATEGORY_UPDATE']);
    expect(events.every((e) => e.resourceType === 'category')).toBe(true);
    expect(events[2]!.details).toMatch(/^Archived category Billing/);
    expect(events[2]!.changes).toEqual([{ field: 'archived', old: false, new: true }]);
    expect(events[3]!.details).toMatch(/^Restored category Billing/);
  });

  it('files a conversation under several categories, shows them, finds them by category, and audits the change', async () => {
    const sales = await category('Sales');
    const churn = await category('Churn risk');
    const conv = await chat();
    const other = await chat();
    const put = ok(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [sales.id, churn.id, sales.id] }));
    expect((put.items as Json[]).map((x) => x.name).sort()).toEqual(['Churn risk', 'Sales']);
    expect((put.items as Json[]).every((x) => x.kind === 'category')).toBe(true);
    expect((await categoriesOf(conv)).sort()).toEqual(['Churn risk', 'Sales']);
    // The "By category" view, and the tags filter.
    expect(await searchIds({ view: { tagId: sales.id } })).toEqual([conv]);
    expect(await searchIds({ tags: [churn.id] })).toEqual([conv]);
    expect((ok(await admin.get('/api/categories')).items as Json[]).find((x) => x.id === sales.id)!.conversations).toBe(1);

    // Exactly these: Churn risk goes, nothing else is written when nothing changes.
    ok(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [sales.id] }));
    ok(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [sales.id] }));
    expect(await categoriesOf(conv)).toEqual(['Sales']);
    const events = await audit(conv, 'CHAT_EVENT_CATEGORY_UPDATE');
    expect(events).toHaveLength(2);
    expect(events[0]!.details).toBe('Filed under Sales, Churn risk');
    expect(events[1]!.changes).toEqual([{ field: 'categories', old: ['Churn risk', 'Sales'], new: ['Sales'] }]);
    expect(await categoriesOf(other)).toEqual([]);

    fails(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [newId()] }), 400, 'VALIDATION_FAILED', 'UNKNOWN_CATEGORY');
    const flag = (ok(await admin.get('/api/tags')).items as Json[]).find((x) => x.name === 'Refund')!;
    fails(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [flag.id] }), 400, 'VALIDATION_FAILED', 'UNKNOWN_CATEGORY');
    // A category is not added as a tag either.
    fails(await admin.post(`/api/conversations/${conv}/tags`, { tagId: sales.id }), 400, 'VALIDATION_FAILED', 'UNKNOWN_TAG');
    fails(await admin.put(`/api/conversations/${newId()}/categories`, { categoryIds: [] }), 404, 'NOT_FOUND');
  });

  it('keeps an archived category where it is and in the filters, but assigns it nowhere new', async () => {
    const old = await category('Legacy');
    const conv = await chat();
    const fresh = await chat();
    ok(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [old.id] }));
    ok(await admin.patch(`/api/categories/${old.id}`, { archived: true }));
    expect(await categoriesOf(conv)).toEqual(['Legacy']);
    expect(await searchIds({ view: { tagId: old.id } })).toEqual([conv]);
    const err = fails(await admin.put(`/api/conversations/${fresh}/categories`, { categoryIds: [old.id] }), 409, 'CONFLICT', 'CATEGORY_ARCHIVED');
    expect(err.message).toContain('Legacy');
    fails(await admin.post('/api/conversations/categories', { conversationIds: [fresh], add: [old.id] }), 409, 'CONFLICT', 'CATEGORY_ARCHIVED');
    // Already there: it may stay while others change, and it may be removed.
    const other = await category('Current');
    ok(await admin.put(`/api/conversations/${conv}/categories`, { categoryIds: [old.id, other.id] }));
    expect((await categoriesOf(conv)).sort()).toEqual(['Current', 'Legacy']);
    ok(await admin.post('/api/conversations/categories', { conversationIds: [conv], remove: [old.id] }));
    expect(await categoriesOf(conv)).toEqual(['Current']);
  });

  it('adds and removes categories on a selection, all or nothing', async () => {
    const a = await category('Bulk A');
    const b = await category('Bulk B');
    const [c1, c2, c3] = [await chat(), await chat(), await chat()];
    ok(await admin.put(`/api/conversations/${c3}/categories`, { categoryIds: [a.id, b.id] }));
    const r = ok(await admin.post('/api/conversations/categories', { conversationIds: [c1, c2, c3], add: [a.id] }));
    expect(r).toEqual({ changed: 2, unchanged: 1 });
    expect((await searchIds({ view: { tagId: a.id } })).sort()).toEqual([c1, c2, c3].sort());
    expect(ok(await admin.post('/api/conversations/categories', { conversationIds: [c1, c3], add: [b.id], remove: [a.id] }))).toEqual({
      changed: 2,
      unchanged: 0,
    });
    expect(await categoriesOf(c1)).toEqual(['Bulk B']);
    expect(await categoriesOf(c2)).toEqual(['Bulk A']);
    expect(await categoriesOf(c3)).toEqual(['Bulk B']);
    expect((await audit(c1, 'CHAT_EVENT_CATEGORY_UPDATE')).map((e) => e.details)).toEqual(['Filed under Bulk A', 'Filed under Bulk B; removed from Bulk A']);

    // One conversation out of sight: nothing is written on the others.
    const missing = newId();
    const err = fails(await admin.post('/api/conversations/categories', { conversationIds: [c2, missing], add: [b.id] }), 404, 'NOT_FOUND');
    expect(err.details?.conversationIds).toEqual([missing]);
    expect(await categoriesOf(c2)).toEqual(['Bulk A']);
    fails(
      await admin.post('/api/conversations/categories', { conversationIds: [c2], add: [a.id], remove: [a.id] }),
      400,
      'VALIDATION_FAILED',
      'CONFLICTING_CATEGORIES',
    );
    fails(await admin.post('/api/conversations/categories', { conversationIds: [c2] }), 400, 'VALIDATION_FAILED', 'NOTHING_TO_CHANGE');
    fails(await admin.post('/api/conversations/categories', { conversationIds: [], add: [a.id] }), 400, 'VALIDATION_FAILED');
    fails(
      await admin.post('/api/conversations/categories', { conversationIds: Array.from({ length: 201 }, () => newId()), add: [a.id] }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('gives two people saving the same conversation at once each exactly what they chose, one after the other', async () => {
    const [a, b] = [await category(`Race A ${newId().slice(-6)}`), await category(`Race B ${newId().slice(-6)}`)];
    const conv = await chat();
    const url = `/api/conversations/${conv}/categories`;
    const answers = await Promise.all([admin.put(url, { categoryIds: [a.id] }), supervisor.put(url, { categoryIds: [b.id] })]);
    for (const r of answers) ok(r);
    // "Exactly these" from one of them: never both (a lost update read the categories before the other wrote).
    const final = await categoriesOf(conv);
    expect([[a.name], [b.name]]).toContainEqual(final);
    const events = await audit(conv, 'CHAT_EVENT_CATEGORY_UPDATE');
    expect(events).toHaveLength(2);
    expect(events[1]!.changes![0]!.new).toEqual(final);
    expect(events[1]!.changes![0]!.old).toEqual(events[0]!.changes![0]!.new);
  });

  it('needs tags.manage to define, tags.apply to assign, and a visible conversation', async () => {
    const c = await category('Permissions');
    const conv = await chat();
    // An evaluator applies tags but does not manage them.
    fails(await supervisor.post('/api/categories', { name: 'Nope', color: '#000000' }), 403, 'FORBIDDEN');
    fails(await supervisor.patch(`/api/categories/${c.id}`, { archived: true }), 403, 'FORBIDDEN');
    expect((ok(await supervisor.get('/api/categories')).items as Json[]).map((x) => x.name)).toContain('Permissions');
    ok(await supervisor.put(`/api/conversations/${conv}/categories`, { categoryIds: [c.id] }));
    fails(await viewer.put(`/api/conversations/${conv}/categories`, { categoryIds: [] }), 403, 'FORBIDDEN');
    fails(await viewer.post('/api/conversations/categories', { conversationIds: [conv], add: [c.id] }), 403, 'FORBIDDEN');
    // An agent sees only their own conversations; this one is not theirs (and agents do not apply tags).
    fails(await agent.put(`/api/conversations/${conv}/categories`, { categoryIds: [] }), 403, 'FORBIDDEN');
    expect(await searchIds({ view: { tagId: c.id } }, agent)).toEqual([]);
  });
});
