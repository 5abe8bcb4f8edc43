// Who a segment's party key is (issue 16, item 1): the two legs of a transfer both call their agent "agent"; each
// leg's own agent must be named in the conversation's segments and in the player's manifest (one lane per person),
// whether the agents are users (matched by extension) or only names, and for segments stored before the links were
// recorded (resolved from the agent's user and the order participants were added). Both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { login, makeTenant, makeUser } from '../../test/helpers/factories.ts';
import { actorOfUser } from '../../test/helpers/conversations.ts';
import { encodeWav } from '../media/wav-write.ts';
import type { Actor } from '../auth/actor.ts';
import { ingestCall } from './ingest/calls.ts';
import { participantFor, resolveSegmentParties } from './segment-parties.ts';
import * as repo from './repository.ts';

describe('participantFor (segments stored before the links)', () => {
  const p = (id: string, party_key: string, created_at: string, user_id: string | null = null) => ({ id, party_key, created_at, user_id });
  const seg = (id: string, created_at: string, agent_user_id: string | null = null) => ({ id, created_at, agent_party_key: 'agent', agent_user_id });
  const people = [
    p('cust', 'customer', '2026-01-01T10:00:00Z'),
    p('alex', 'agent', '2026-01-01T10:00:00Z', 'u-alex'),
    p('julien', 'agent', '2026-01-01T10:05:00Z'),
  ];

  it('uses the recorded link first', () => {
    expect(participantFor(seg('s2', '2026-01-01T10:05:00Z'), 'agent', people, [{ segment_id: 's2', party_key: 'agent', participant_id: 'alex' }])).toBe('alex');
  });

  it("takes the segment's agent user, else the participant added with the segment, else the last one before it", () => {
    expect(participantFor(seg('s3', '2026-01-01T10:09:00Z', 'u-alex'), 'agent', people, [])).toBe('alex');
    expect(participantFor(seg('s2', '2026-01-01T10:05:00Z'), 'agent', people, [])).toBe('julien');
    expect(participantFor(seg('s1', '2026-01-01T10:00:00Z'), 'agent', people, [])).toBe('alex');
    expect(participantFor(seg('s9', '2026-01-01T10:07:00Z'), 'agent', people, [])).toBe('julien');
    // One participant with the key: that one; none: null.
    expect(participantFor(seg('s2', '2026-01-01T10:05:00Z'), 'customer', people, [])).toBe('cust');
    expect(participantFor(seg('s2', '2026-01-01T10:05:00Z'), 'colleague', people, [])).toBeNull();
  });

  it('resolves every key of every segment, the agent key included', () => {
    const map = resolveSegmentParties([seg('s1', '2026-01-01T10:00:00Z'), seg('s2', '2026-01-01T10:05:00Z')], () => ['customer'], people, []);
    expect(Object.fromEntries(map.get('s1')!)).toEqual({ customer: 'cust', agent: 'alex' });
    expect(Object.fromEntries(map.get('s2')!)).toEqual({ customer: 'cust', agent: 'julien' });
  });
});

/** A short stereo call: channel 0 the agent, 1 the customer. */
const stereo = () =>
  encodeWav({ sampleRate: 8000, channels: 2, samples: Int16Array.from({ length: 8000 * 2 * 2 }, (_, i) => Math.round(Math.sin(i / 7) * 3000)) });

interface ManifestStream {
  party: string;
  participantId: string | null;
  name: string | null;
  role: string;
}

describe.each(ENGINES)('transferred calls name each leg’s agent on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let ingest: Actor;
  let cookie: string;
  const get = (url: string) => t.app.inject({ url, headers: { cookie } });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const tenant = await makeTenant(t);
    ingest = await actorOfUser(t, tenant.admin.id);
    await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '2001', name: 'Alex Agent' });
    await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '2002', name: 'Julien Laurent' });
    cookie = await login(t.app, tenant.admin);
  });
  afterAll(() => t.cleanup());

  const leg = (callId: string, start: string, agent: Record<string, string>, extra: Record<string, unknown> = {}) =>
    ingestCall(
      t,
      ingest,
      {
        callId,
        startTime: start,
        direction: 'inbound',
        agent: 'agent',
        parties: [
          { key: 'agent', role: 'agent', ...agent },
          { key: 'customer', role: 'customer', phone: '+33 1 23 45 67 89' },
        ],
        audio: [{ file: `${callId}.wav`, channelMap: { '0': 'agent', '1': 'customer' } }],
        ...extra,
      } as never,
      [{ fieldName: `${callId}.wav`, fileName: `${callId}.wav`, contentType: 'audio/wav', data: stereo() }],
    );

  /** The detail's participant name of each call leg's agent, in leg order. */
  async function legAgents(conversationId: string) {
    const c = (await get(`/api/conversations/${conversationId}`)).json();
    const names = new Map<string, string>(c.participants.map((p: { id: string; name: string }) => [p.id, p.name]));
    return c.segments
      .filter((s: { kind: string }) => s.kind === 'call')
      .map((s: { parties: { partyKey: string; participantId: string }[] }) => names.get(s.parties.find((p) => p.partyKey === 'agent')!.participantId));
  }

  /** The manifest's agent stream of each leg: its participant and name. */
  async function manifestAgents(conversationId: string) {
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    return {
      m,
      agents: m.segments.map((s: { streams: ManifestStream[] }) => s.streams.find((x) => x.party === 'agent')!),
      customers: m.segments.map((s: { streams: ManifestStream[] }) => s.streams.find((x) => x.party === 'customer')!),
    };
  }

  it('agents who are users: each leg names its own, and the customer is one person across the legs', async () => {
    const a = await leg(
      'tx-1',
      '2026-11-03T09:00:00.000Z',
      { extension: '2001' },
      { events: [{ type: 'transfer', offsetMs: 1500, party: 'agent', to: '2002' }] },
    );
    const b = await leg('tx-2', '2026-11-03T09:00:02.000Z', { extension: '2002' }, { previousCallId: 'tx-1', metadata: { afterContactWorkDuration: '30' } });
    expect(b.conversationId).toBe(a.conversationId);
    expect(await legAgents(a.conversationId)).toEqual(['Alex Agent', 'Julien Laurent']);

    const { m, agents, customers } = await manifestAgents(a.conversationId);
    expect(agents.map((x: ManifestStream) => x.name)).toEqual(['Alex Agent', 'Julien Laurent']);
    expect(agents[0].participantId).not.toBe(agents[1].participantId);
    expect(customers[0].participantId).toBe(customers[1].participantId);
    // The transfer is marked where the call said; the wrap-up follows the last leg for the time the system gave.
    expect(m.marks).toEqual([{ type: 'transfer', atMs: 1500, segmentId: a.segmentId, to: '2002' }]);
    const lastEnd = Math.max(...m.segments.map((s: { endMs: number }) => s.endMs));
    expect(m.wrapUp).toEqual({ startMs: lastEnd, endMs: lastEnd + 30_000 });
  });

  it('agents known only by name, one of them taking the call back: the links say who; without them the order does', async () => {
    const a = await leg('nm-1', '2026-11-03T10:00:00.000Z', { name: 'Julien Laurent (ext)' });
    await leg('nm-2', '2026-11-03T10:00:02.000Z', { name: 'Alex Agent (ext)' }, { previousCallId: 'nm-1' });
    await leg('nm-3', '2026-11-03T10:00:04.000Z', { name: 'Julien Laurent (ext)' }, { previousCallId: 'nm-2' });
    expect(await legAgents(a.conversationId)).toEqual(['Julien Laurent (ext)', 'Alex Agent (ext)', 'Julien Laurent (ext)']);
    const { m, agents } = await manifestAgents(a.conversationId);
    expect(agents.map((x: ManifestStream) => x.name)).toEqual(['Julien Laurent (ext)', 'Alex Agent (ext)', 'Julien Laurent (ext)']);
    expect(agents[0].participantId).toBe(agents[2].participantId);
    // A leg joined by previousCallId without a transfer event is marked where it starts.
    expect(m.marks.map((x: { type: string; segmentId: string }) => [x.type, x.segmentId])).toEqual([
      ['transfer', m.segments[1].id],
      ['transfer', m.segments[2].id],
    ]);

    // Stored before segment_parties existed: the first two legs are still told apart.
    const segIds = m.segments.map((s: { id: string }) => s.id);
    await t.db.deleteFrom('segment_parties').where('segment_id', 'in', segIds).execute();
    expect((await legAgents(a.conversationId)).slice(0, 2)).toEqual(['Julien Laurent (ext)', 'Alex Agent (ext)']);
  });

  it('conversations merged into one (an e-mail linking two threads) keep each segment’s people', async () => {
    const a = await leg('mg-1', '2026-11-03T12:00:00.000Z', { extension: '2001' }, { engagementId: 'mg-a' });
    const b = await leg('mg-2', '2026-11-03T12:10:00.000Z', { extension: '2002' }, { engagementId: 'mg-b' });
    expect(b.conversationId).not.toBe(a.conversationId);
    await repo.mergeConversations(t.db, a.conversationId, [b.conversationId]);
    // The customer was in both: the moved leg's "customer" now names the target's; its agent moved along.
    const links = await t.db.selectFrom('segment_parties').selectAll().where('segment_id', '=', b.segmentId).orderBy('party_key').execute();
    const people = await t.db.selectFrom('conversation_participants').selectAll().where('conversation_id', '=', a.conversationId).execute();
    expect(links.map((l) => [l.party_key, people.find((p) => p.id === l.participant_id)?.role])).toEqual([
      ['agent', 'agent'],
      ['customer', 'customer'],
    ]);
    expect(await legAgents(a.conversationId)).toEqual(['Alex Agent', 'Julien Laurent']);
  });

  it('a consultation keeps its own marker, distinct from a transfer', async () => {
    const main = await leg(
      'cs-1',
      '2026-11-03T11:00:00.000Z',
      { extension: '2001' },
      { events: [{ type: 'consult', offsetMs: 1000, party: 'agent', to: '2002' }] },
    );
    const { m } = await manifestAgents(main.conversationId);
    expect(m.marks).toEqual([{ type: 'consult', atMs: 1000, segmentId: main.segmentId, to: '2002' }]);
    expect(m.wrapUp).toBeNull();
  });
});
