// Recording assurance e-mails the administrators, on both engines: flagged calls and a recording source that stopped
// answering OPTIONS go into one digest per administrator (users with recorder.manage, not the others; not one who
// turned the recording_assurance preference off), queued in the notify outbox; everything reported is marked, so the
// next run sends nothing; new problems within the hour wait for the next digest (the rate limit), then go out; an SRC
// that recovers and fails again is reported again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { DIGEST_INTERVAL_MS, notifyAssurance } from '../../src/recorder/assurance/notify.ts';
import * as repo from '../../src/recorder/assurance/repository.ts';
import { setMany } from '../../src/notify/preferences/repository.ts';
import { ENGINES } from '../db.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { makeTenant, makeUser } from '../helpers/factories.ts';

describe.each(ENGINES)('recording assurance notifies the administrators (%s)', (engine) => {
  let t: TestContext;
  let tenantId: string;
  let owner: { id: string; email: string };
  let admin: { id: string; email: string };
  let quietAdmin: { id: string; email: string };
  let manager: { id: string; email: string };
  const T0 = Date.parse('2030-01-01T10:00:00.000Z');

  const event = (flag: string, callRef: string, at = new Date(T0 - 60_000).toISOString()) => ({
    id: newId(),
    tenant_id: tenantId,
    call_id: newId(),
    call_ref: callRef,
    conversation_id: flag === 'not_recorded' ? null : newId(),
    flag,
    detail: `detail of ${callRef}`,
    call_started_at: at,
    created_at: at,
    notified_at: null,
  });
  const outbox = () => t.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();

  beforeAll(async () => {
    t = await createTestContext(engine);
    const tenant = await makeTenant(t);
    tenantId = tenant.tenantId;
    // The organisation's first administrator holds every permission, recorder.manage included.
    owner = tenant.admin;
    admin = await makeUser(t, tenantId, { permissions: ['recorder.manage'], email: `rec-admin-${newId()}@example.test` });
    quietAdmin = await makeUser(t, tenantId, { permissions: ['recorder.manage'], email: `quiet-${newId()}@example.test` });
    manager = await makeUser(t, tenantId, { permissions: ['live.monitor'], email: `mgr-${newId()}@example.test` });
    await setMany(t.db, tenantId, quietAdmin.id, [{ event: 'recording_assurance', email: false }]);
  }, 60_000);
  afterAll(() => t?.cleanup());

  it('sends one digest per administrator, marks what it reported, and waits an hour before the next', async () => {
    const before = (await outbox()).length;
    await repo.insertEvents(t.db, [
      event('one_sided', 'call-A'),
      event('not_recorded', 'call-B'),
      event('clipped', 'call-C'),
      event('unsupported_codec', 'call-D'),
    ]);
    await repo.saveProbe(t.db, {
      tenant_id: tenantId,
      target: 'sbc1.example.com:5060',
      name: 'SBC 1',
      last_probe_at: new Date(T0).toISOString(),
      last_ok_at: null,
      last_status: null,
      last_error: 'no answer within 2000 ms',
      failing_since: new Date(T0 - 120_000).toISOString(),
      notified_at: null,
    });
    const sent = await notifyAssurance(t, T0);
    expect(sent.find((s) => s.tenantId === tenantId)).toEqual({ tenantId, emails: 2, events: 3, sources: 1 });
    const mails = (await outbox()).slice(before);
    // The administrator only: not the one who turned it off, not the manager without recorder.manage.
    expect(mails.map((m) => m.to_address).sort()).toEqual([owner.email, admin.email].sort());
    expect(mails.map((m) => m.to_address)).not.toContain(quietAdmin.email);
    expect(mails.map((m) => m.to_address)).not.toContain(manager.email);
    const m = mails[0]!;
    expect(m.kind).toBe('recording_assurance');
    expect(m.subject).toBe('Earshot: 3 calls with a recording problem, 1 recording source not answering');
    expect(m.body_text).toContain('SBC 1 (sbc1.example.com:5060)');
    expect(m.body_text).toContain('call call-A — one-sided');
    expect(m.body_text).toContain('call call-B — not recorded');
    // Informational flags are not mailed.
    expect(m.body_text).not.toContain('call-D');
    expect(m.body_text).toContain('/admin/recorder/health');

    // Nothing new: nothing sent.
    expect((await notifyAssurance(t, T0 + 1000)).find((s) => s.tenantId === tenantId)).toBeUndefined();
    // New problems within the hour wait…
    await repo.insertEvents(t.db, [event('long_gaps', 'call-E')]);
    expect((await notifyAssurance(t, T0 + 10 * 60_000)).find((s) => s.tenantId === tenantId)).toBeUndefined();
    expect((await outbox()).length).toBe(before + 2);
    // …for the next digest, which has them only.
    expect((await notifyAssurance(t, T0 + DIGEST_INTERVAL_MS + 1000)).find((s) => s.tenantId === tenantId)).toMatchObject({ events: 1, sources: 0 });
    const next = (await outbox()).slice(before + 2);
    expect(next).toHaveLength(2);
    expect(next[0]!.subject).toBe('Earshot: 1 call with a recording problem');
    expect(next[0]!.body_text).toContain('call-E');
    expect(next[0]!.body_text).not.toContain('call-A');

    // The SRC answers again, then fails again later: reported again.
    const probe = (await repo.getProbe(t.db, tenantId, 'sbc1.example.com:5060'))!;
    await repo.saveProbe(t.db, { ...probe, failing_since: null, last_ok_at: new Date(T0 + DIGEST_INTERVAL_MS + 2000).toISOString() });
    await repo.saveProbe(t.db, { ...probe, failing_since: new Date(T0 + 2 * DIGEST_INTERVAL_MS + 5000).toISOString() });
    expect((await notifyAssurance(t, T0 + 3 * DIGEST_INTERVAL_MS)).find((s) => s.tenantId === tenantId)).toMatchObject({ events: 0, sources: 1 });
  }, 60_000);
});
