// A user's own notification preferences through the HTTP API on both engines: every event on by default, turned off
// and on again, audited with old/new values, bad events refused, and each user's choices their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { QUALITY_EVENTS } from '../../quality/notification-emails.ts';

describe.each(ENGINES)('notification preferences on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: Client;
  let agentUser: TestUser;
  let agent: Client;
  let evaluator: Client;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    let tenantId: string;
    ({ tenantId, admin } = await tenantWithAdmin(t));
    agentUser = await makeUser(t, tenantId, { roles: ['agent'] });
    agent = await signIn(t.app, agentUser);
    evaluator = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'] }));
  });
  afterAll(() => t?.cleanup());

  const prefs = async (c: Client) => ok(await c.get('/api/me/notification-preferences')).items as Json[];

  it('lists every event, on, and marks those the user can receive', async () => {
    const items = await prefs(agent);
    expect(items.map((i) => i.event)).toEqual([...QUALITY_EVENTS]);
    expect(items.every((i) => i.email === true)).toBe(true);
    const relevant = items.filter((i) => i.relevant).map((i) => i.event);
    // An agent is evaluated and mentioned; they review only themselves.
    expect(relevant).toEqual(expect.arrayContaining(['evaluation_submitted', 'dispute_resolved', 'comment_mention']));
    expect(relevant).not.toContain('calibration_assigned');
    const ev = (await prefs(evaluator)).filter((i) => i.relevant).map((i) => i.event);
    expect(ev).toEqual(expect.arrayContaining(['evaluation_assigned', 'evaluation_reminder', 'dispute_raised', 'calibration_assigned']));
    expect(ev).not.toContain('evaluation_submitted');
  });

  it('turns events off and on, audits the change with old and new values, and keeps it per user', async () => {
    const after = ok(
      await agent.put('/api/me/notification-preferences', {
        items: [
          { event: 'comment_mention', email: false },
          { event: 'evaluation_submitted', email: false },
        ],
      }),
    ).items as Json[];
    expect(
      after
        .filter((i) => !i.email)
        .map((i) => i.event)
        .sort(),
    ).toEqual(['comment_mention', 'evaluation_submitted']);
    expect((await prefs(agent)).find((i) => i.event === 'comment_mention').email).toBe(false);
    expect((await prefs(evaluator)).every((i) => i.email)).toBe(true);
    // Unchanged: nothing written, nothing audited.
    ok(await agent.put('/api/me/notification-preferences', { items: [{ event: 'comment_mention', email: false }] }));
    ok(await agent.put('/api/me/notification-preferences', { items: [{ event: 'comment_mention', email: true }] }));
    const audit = ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: agentUser.id, action: 'NOTIFICATION_PREFERENCES_UPDATE' })}`))
      .items as Json[];
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.changes)).toEqual([
      [{ field: 'comment_mention', old: false, new: true }],
      [
        { field: 'comment_mention', old: true, new: false },
        { field: 'evaluation_submitted', old: true, new: false },
      ],
    ]);
    expect((await prefs(agent)).filter((i) => !i.email).map((i) => i.event)).toEqual(['evaluation_submitted']);
  });

  it('refuses unknown events and empty changes', async () => {
    fails(await agent.put('/api/me/notification-preferences', { items: [{ event: 'weather', email: false }] }), 400, 'VALIDATION_FAILED');
    fails(await agent.put('/api/me/notification-preferences', { items: [] }), 400, 'VALIDATION_FAILED');
    fails(await agent.put('/api/me/notification-preferences', { items: [{ event: 'comment_mention' }] }), 400, 'VALIDATION_FAILED');
  });
});
