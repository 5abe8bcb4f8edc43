// Administration → Recorder through the HTTP API, on both engines: sources (the SRC allow-list) and party rules —
// validation with stable codes, one address per tenant, audit with old/new values, the permission, and the directory
// the recorder resolves requests with (most specific CIDR, TLS identity, disabled sources, refusals counted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { SourceDirectory } from './directory.ts';

describe.each(ENGINES)('recorder sources and party rules on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let agentId: string;

  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId, limit: '50' })}`)).items as Json[]).reverse();

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin } = await tenantWithAdmin(t));
    agentId = (await makeUser(t, tenantId, { roles: ['agent'], extension: '2001', name: 'Alex Agent' })).id;
  });
  afterAll(() => t?.cleanup());

  it('allows a source, normalises its address, audits create/update/delete with old and new values', async () => {
    const s = ok(await admin.post('/api/recorder/sources', { name: ' CUBE  Paris ', address: '10.1.2.0/24', vendor: 'cisco', pingUri: 'sip:10.1.2.5:5060' }));
    expect(s).toMatchObject({ name: 'CUBE Paris', address: '10.1.2.0/24', vendor: 'cisco', enabled: true, calls: 0, tlsIdentity: null });
    const edited = ok(await admin.patch(`/api/recorder/sources/${s.id}`, { enabled: false, address: '10.1.2.7' }));
    expect(edited).toMatchObject({ enabled: false, address: '10.1.2.7' });
    const list = ok(await admin.get('/api/recorder/sources'));
    expect(list.items.map((x: Json) => x.id)).toContain(s.id);
    expect(list.refusals).toEqual(expect.any(Array));
    expect((await admin.del(`/api/recorder/sources/${s.id}`)).statusCode).toBe(204);
    const events = await audit(s.id);
    expect(events.map((e: Json) => e.action)).toEqual(['RECORDER_SOURCE_CREATE', 'RECORDER_SOURCE_UPDATE', 'RECORDER_SOURCE_DELETE']);
    expect(events[1].changes).toEqual([
      { field: 'address', old: '10.1.2.0/24', new: '10.1.2.7' },
      { field: 'enabled', old: true, new: false },
    ]);
  });

  it('refuses bad input with stable codes, and an address another tenant already uses', async () => {
    fails(await admin.post('/api/recorder/sources', { name: 'x', address: 'sbc.example.com' }), 400, 'VALIDATION_FAILED', 'BAD_ADDRESS');
    fails(await admin.post('/api/recorder/sources', { name: 'x', address: '0.0.0.0/0' }), 400, 'VALIDATION_FAILED', 'BAD_ADDRESS');
    fails(await admin.post('/api/recorder/sources', { name: 'x' }), 400, 'VALIDATION_FAILED', 'SOURCE_EMPTY');
    fails(await admin.post('/api/recorder/sources', { name: 'x', address: '10.9.9.9', pingUri: 'http://x' }), 400, 'VALIDATION_FAILED', 'BAD_URI');
    const other = await makeTenant(t);
    const otherAdmin = await signIn(t.app, other.admin);
    ok(await otherAdmin.post('/api/recorder/sources', { name: 'Theirs', address: '192.0.2.10' }));
    fails(await admin.post('/api/recorder/sources', { name: 'Mine', address: '192.0.2.10' }), 409, 'ALREADY_EXISTS');
    // Another tenant's source is not ours to see or change.
    const theirs = ok(await otherAdmin.get('/api/recorder/sources')).items[0];
    fails(await admin.patch(`/api/recorder/sources/${theirs.id}`, { name: 'stolen' }), 404, 'NOT_FOUND');
  });

  it('needs "manage the recorder"', async () => {
    const agent = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
    fails(await agent.get('/api/recorder/sources'), 403, 'FORBIDDEN');
    fails(await agent.post('/api/recorder/party-rules', { kind: 'domain', value: 'x.example', role: 'agent' }), 403, 'FORBIDDEN');
  });

  it('party rules: validated, ordered, audited, and tried with "test"', async () => {
    fails(
      await admin.post('/api/recorder/party-rules', { kind: 'extension_range', value: '2000', valueTo: '299', role: 'agent' }),
      400,
      'VALIDATION_FAILED',
      'BAD_RANGE',
    );
    fails(
      await admin.post('/api/recorder/party-rules', { kind: 'extension_range', value: '2999', valueTo: '2000', role: 'agent' }),
      400,
      'VALIDATION_FAILED',
      'BAD_RANGE',
    );
    fails(await admin.post('/api/recorder/party-rules', { kind: 'domain', value: 'not a domain', role: 'agent' }), 400, 'VALIDATION_FAILED', 'BAD_DOMAIN');
    const range = ok(await admin.post('/api/recorder/party-rules', { kind: 'extension_range', value: '2000', valueTo: '2999', role: 'agent' }));
    const vip = ok(await admin.post('/api/recorder/party-rules', { kind: 'number', value: '+33142000000', role: 'customer' }));
    const supervisor = ok(await admin.post('/api/recorder/party-rules', { kind: 'number', value: 'sip:boss@cc.example.com', role: 'agent', userId: agentId }));
    expect([range.position, vip.position, supervisor.position]).toEqual([1, 2, 3]);
    expect(supervisor.userName).toBe('Alex Agent');
    expect(ok(await admin.post('/api/recorder/party-rules/test', { aor: 'sip:2001@pbx' }))).toEqual({
      number: '2001',
      role: 'agent',
      userId: agentId,
      matchedBy: range.id,
    });
    expect(ok(await admin.post('/api/recorder/party-rules/test', { aor: '+33 1 42 00 00 00' }))).toMatchObject({ role: 'customer', matchedBy: vip.id });
    expect(ok(await admin.post('/api/recorder/party-rules/test', { aor: 'sip:boss@cc.example.com' }))).toMatchObject({
      role: 'agent',
      userId: agentId,
      matchedBy: supervisor.id,
    });
    expect(ok(await admin.post('/api/recorder/party-rules/test', { aor: 'tel:+15550100' }))).toMatchObject({ role: 'unknown', matchedBy: 'none' });
    // Without the range rule, the user's extension still makes 2001 the agent.
    expect((await admin.del(`/api/recorder/party-rules/${range.id}`)).statusCode).toBe(204);
    expect(ok(await admin.post('/api/recorder/party-rules/test', { aor: '2001' }))).toMatchObject({ role: 'agent', userId: agentId, matchedBy: 'extension' });
    const moved = ok(await admin.patch(`/api/recorder/party-rules/${vip.id}`, { position: 9, role: 'agent' }));
    expect(moved).toMatchObject({ position: 9, role: 'agent' });
    const events = await audit(vip.id);
    expect(events.map((e: Json) => e.action)).toEqual(['RECORDER_PARTY_RULE_CREATE', 'RECORDER_PARTY_RULE_UPDATE']);
    expect(events[1].changes).toEqual([
      { field: 'position', old: 2, new: 9 },
      { field: 'role', old: 'customer', new: 'agent' },
    ]);
    fails(await admin.patch(`/api/recorder/party-rules/${vip.id}`, { userId: 'nobody' }), 400, 'VALIDATION_FAILED');
  });

  it('the directory: most specific CIDR, TLS identities, disabled sources ignored, refusals counted in batches', async () => {
    const a = await makeTenant(t);
    const b = await makeTenant(t);
    const ca = await signIn(t.app, a.admin);
    const cb = await signIn(t.app, b.admin);
    const wide = ok(await ca.post('/api/recorder/sources', { name: 'Net', address: '198.51.100.0/24' }));
    const host = ok(await cb.post('/api/recorder/sources', { name: 'Host', address: '198.51.100.7' }));
    const tls = ok(await cb.post('/api/recorder/sources', { name: 'TLS SBC', tlsIdentity: 'SBC1.Example.com' }));
    const off = ok(await ca.post('/api/recorder/sources', { name: 'Off', address: '203.0.113.9', enabled: false }));
    const dir = new SourceDirectory(t.db, t.log, 0);
    expect((await dir.resolve({ transport: 'udp', address: '198.51.100.8', port: 5060 }))?.sourceId).toBe(wide.id);
    expect((await dir.resolve({ transport: 'udp', address: '198.51.100.7', port: 5060 }))?.sourceId).toBe(host.id);
    expect((await dir.resolve({ transport: 'tls', address: '203.0.113.50', port: 5061, tlsIdentities: ['sbc1.example.com'] }))?.sourceId).toBe(tls.id);
    // A TLS-only source is not trusted by address, nor over TCP.
    expect(await dir.resolve({ transport: 'tcp', address: '203.0.113.50', port: 5060 })).toBeNull();
    expect(await dir.resolve({ transport: 'udp', address: '203.0.113.9', port: 5060 })).toBeNull();
    void off;
    dir.refuse({ transport: 'udp', address: '203.0.113.9', port: 5060 }, 'not_allowed');
    dir.refuse({ transport: 'udp', address: '203.0.113.9', port: 5062 }, 'not_allowed');
    await dir.flush();
    dir.refuse({ transport: 'tcp', address: '203.0.113.9', port: 5060 }, 'not_allowed');
    await dir.flush();
    const refusals = ok(await ca.get('/api/recorder/sources')).refusals as Json[];
    expect(refusals.find((r) => r.address === '203.0.113.9')).toMatchObject({ count: 3, reason: 'not_allowed', transport: 'tcp' });
  });
});
