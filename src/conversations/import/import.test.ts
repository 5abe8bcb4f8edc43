// Bulk import end to end on both databases, with trees generated in a temp dir: sidecar calls, emails and chats;
// re-runs; failures beside successes; the dry run; an Amazon Connect export with a transfer.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { systemActor } from '../../auth/actor.ts';
import { decodeToPcm16 } from '../../media/decode.ts';
import { splitChannels } from '../../media/channels.ts';
import * as repo from '../repository.ts';
import { importTree } from './service.ts';
import { resolveImportTenant } from './cli.ts';
import { buildBrokenTree, buildConnectTree, buildFilesTree, CONNECT_IDS, hasFfmpeg, tempDir } from './test-trees.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe.each(ENGINES)('bulk import on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(() => t.cleanup());

  const newTenant = async () => {
    const tenant = await makeTenant(t);
    return { ...tenant, actor: systemActor(tenant.tenantId, 'earshot import', 'cli') };
  };
  const count = async (table: 'segments' | 'conversations' | 'blobs', tenantId: string) =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(t.db)).rows[0]!.n);
  const segment = async (tenantId: string, kind: string, externalId: string) => {
    const s = await repo.findSegmentByExternalId(t.db, tenantId, kind, externalId);
    expect(s, `${kind} ${externalId}`).toBeTruthy();
    return s!;
  };

  it('imports sidecar calls (stereo, per-party pair, MP3), emails and chats; a re-run skips everything', async () => {
    const { tenantId, actor } = await newTenant();
    const agentId = (await makeUser(t, tenantId, { roles: ['agent'], extension: '1001', name: 'Alex Agent' })).id;
    const root = tmp();
    const tree = buildFilesTree(root, { agentExtension: '1001' });

    const progress: number[] = [];
    let announced = 0;
    const first = await importTree(t, actor, { dir: root, onStart: (i) => (announced = i.total), onProgress: (p) => progress.push(p.done) });
    expect(first.failures).toEqual([]);
    expect(first.format).toBe('files');
    expect(announced).toBe(tree.items);
    expect(progress).toEqual(Array.from({ length: tree.items }, (_, i) => i + 1));
    expect({ imported: first.imported, skipped: first.skipped, failed: first.failed }).toEqual({ imported: tree.items, skipped: 0, failed: 0 });

    // c1: one stereo corpus file, no "audio" list: left = the first agent party, right = the first customer party.
    const c1 = await segment(tenantId, 'call', 'imp-c1');
    expect(c1.agent_user_id).toBe(agentId);
    const c1Streams = await repo.streamsOf(t.db, [c1.id]);
    expect(c1Streams.map((s) => [s.channel_index, s.party_key]).sort()).toEqual([
      [0, 'agent'],
      [1, 'customer'],
    ]);
    expect(c1Streams[0]!.file_name).toBe('c1.wav');
    const conv1 = await repo.getConversationRow(t.db, tenantId, c1.conversation_id);
    expect(t.adapter.fromJson(conv1!.custom_data)).toEqual({ batch: 'march' });
    // c2: one mono file per party, listed from a subfolder.
    const c2 = await segment(tenantId, 'call', 'imp-c2');
    expect((await repo.streamsOf(t.db, [c2.id])).map((s) => [s.file_name, s.party_key]).sort()).toEqual([
      ['agent.wav', 'agent'],
      ['customer.wav', 'customer'],
    ]);
    if (hasFfmpeg) {
      // c3: a mono MP3: one stream, every party mixed.
      const c3Streams = await repo.streamsOf(t.db, [(await segment(tenantId, 'call', 'imp-c3')).id]);
      expect(c3Streams).toHaveLength(1);
      expect(c3Streams[0]).toMatchObject({ container: 'mp3', channels: 1, channel_index: null });
    }
    // The two emails thread into one conversation; the chat is its own.
    const q = await segment(tenantId, 'email', 'q1@customer.example');
    const a = await segment(tenantId, 'email', 'a1@acme.example');
    expect(a.conversation_id).toBe(q.conversation_id);
    await segment(tenantId, 'chat', 'imp-chat-1');
    expect(await count('segments', tenantId)).toBe(tree.items);

    const again = await importTree(t, actor, { dir: root });
    expect({ imported: again.imported, skipped: again.skipped, failed: again.failed }).toEqual({ imported: 0, skipped: tree.items, failed: 0 });
    expect(again.skippedByReason).toEqual({ 'already imported': tree.items });
    expect(await count('segments', tenantId)).toBe(tree.items);
  });

  it('the dry run checks everything and stores nothing', async () => {
    const { tenantId, actor } = await newTenant();
    const root = tmp();
    const tree = buildFilesTree(root, { agentExtension: '2002' });
    buildBrokenTree(root);
    const dry = await importTree(t, actor, { dir: root, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.imported).toBe(tree.items + 1);
    expect(dry.failures.map((f) => f.file).sort()).toEqual(['bad/bad.json', 'broken/broken.json', 'lonely/lonely.wav']);
    expect(await count('segments', tenantId)).toBe(0);
    expect(await count('blobs', tenantId)).toBe(0);
  });

  it('a broken WAV and a bad sidecar fail with their reasons while the rest imports', async () => {
    const { tenantId, actor } = await newTenant();
    const root = tmp();
    buildBrokenTree(root);
    const r = await importTree(t, actor, { dir: root });
    expect({ imported: r.imported, skipped: r.skipped, failed: r.failed, total: r.total }).toEqual({ imported: 1, skipped: 0, failed: 3, total: 4 });
    const reasons = Object.fromEntries(r.failures.map((f) => [f.file, f.reason]));
    expect(reasons['broken/broken.json']).toMatch(/"broken\.wav"/);
    expect(reasons['bad/bad.json']).toMatch(/Invalid call metadata field "direction"/);
    expect(reasons['lonely/lonely.wav']).toMatch(/No sidecar: "lonely\.wav" needs "lonely\.json"/);
    await segment(tenantId, 'call', 'imp-good');
    // Nothing of the failures is left behind: one segment, one media object.
    expect(await count('segments', tenantId)).toBe(1);
    expect(await count('blobs', tenantId)).toBe(1);
  });

  it('imports an Amazon Connect export: a transfer joins one conversation, customer left / agent right, attributes, agents', async () => {
    const { tenantId, actor } = await newTenant();
    const jdoe = (await makeUser(t, tenantId, { roles: ['agent'], name: 'Jo Doe' })).id;
    await t.db.updateTable('users').set({ external_id: 'jdoe' }).where('id', '=', jdoe).execute();
    const maria = (await makeUser(t, tenantId, { roles: ['agent'], name: 'Maria Smith', email: `maria-${engine}@acme.example` })).id;
    const root = tmp();
    const signals = buildConnectTree(root, { firstAgent: 'jdoe', transferAgent: `maria-${engine}@acme.example` });
    const ids = CONNECT_IDS;

    const r = await importTree(t, actor, { dir: root }); // auto-detected
    expect(r.format).toBe('connect');
    expect({ total: r.total, imported: r.imported, skipped: r.skipped, failed: r.failed }).toEqual({ total: 6, imported: 4, skipped: 1, failed: 1 });
    expect(r.skippedByReason).toEqual({ 'chat transcripts are not in CTRs': 1 });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.file).toBe('ctr/2026/03/02/10/missing.json');
    expect(r.failures[0]!.reason).toMatch(new RegExp(`^recording ".*${ids.missing}_20260302T10:09_UTC\\.wav" not found`));
    const notes = Object.fromEntries(r.notes.map((n) => [n.file, n.note]));
    expect(notes[`connect/acme/CallRecordings/2026/03/03/${ids.orphan}_20260303T08:00_UTC.wav`]).toMatch(/no contact trace record/);
    expect(notes['ctr/2026/03/02/10/not-recorded.json']).toMatch(/not recorded/);

    // The transfer: two segments, one conversation, whatever order the records came in.
    const first = await segment(tenantId, 'call', ids.first);
    const second = await segment(tenantId, 'call', ids.transfer);
    expect(second.conversation_id).toBe(first.conversation_id);
    expect(await repo.segmentsOf(t.db, [first.conversation_id])).toHaveLength(2);
    const conv = (await repo.getConversationRow(t.db, tenantId, first.conversation_id))!;
    expect(conv.engagement_id).toBe(ids.first);
    expect(t.adapter.fromJson(conv.custom_data)).toEqual({ accountNumber: '12345', intent: expect.any(String), transferredFrom: 'Billing' });
    expect(conv.customer_phone).toBe('+15550100200');
    expect(t.adapter.fromJson<Record<string, string>>(second.metadata)).toMatchObject({
      previousCallId: ids.first,
      initiationMethod: 'TRANSFER',
      agentArn: expect.stringMatching(/agent\/second$/),
    });
    expect(first).toMatchObject({ direction: 'inbound', queue: 'Billing', agent_user_id: jdoe });
    expect(second).toMatchObject({ direction: 'inbound', queue: 'Retention', agent_user_id: maria });
    const people = await repo.participantsOf(t.db, [first.conversation_id]);
    expect(people.find((p) => p.user_id === jdoe)).toMatchObject({ role: 'agent', external_id: 'jdoe' });

    // Connect's stereo layout: channel 0 (left) is the customer, channel 1 (right) the agent — in the rows and the stored audio.
    const streams = await repo.streamsOf(t.db, [first.id]);
    expect(streams.map((s) => [s.channel_index, s.party_key]).sort()).toEqual([
      [0, 'customer'],
      [1, 'agent'],
    ]);
    const stored = await decodeToPcm16(await t.blobs.readAll(tenantId, streams[0]!.blob_id!), 'stored.wav');
    const [left, right] = splitChannels(stored.samples, stored.channels);
    expect(left).toEqual(signals.firstCustomer);
    expect(right).toEqual(signals.firstAgent);

    // A call the CTR says was not recorded: a call without audio, outbound.
    const notRecorded = await segment(tenantId, 'call', ids.notRecorded);
    expect(notRecorded.direction).toBe('outbound');
    expect(await repo.streamsOf(t.db, [notRecorded.id])).toEqual([]);
    // A recording without a CTR: the contact id and time from its path.
    const orphan = await segment(tenantId, 'call', ids.orphan);
    expect(orphan.started_at).toMatch(/^2026-03-03T08:00:00/);
    expect((await repo.streamsOf(t.db, [orphan.id])).map((s) => [s.channel_index, s.party_key]).sort()).toEqual([
      [0, 'customer'],
      [1, 'agent'],
    ]);
    expect(await repo.findSegmentByExternalId(t.db, tenantId, 'call', ids.chat)).toBeUndefined();

    const again = await importTree(t, actor, { dir: root, format: 'connect' });
    expect({ imported: again.imported, skipped: again.skipped, failed: again.failed }).toEqual({ imported: 0, skipped: 5, failed: 1 });
    expect(again.skippedByReason).toEqual({ 'already imported': 4, 'chat transcripts are not in CTRs': 1 });
  });

  it('picks the only tenant, and wants --tenant when there are several', async () => {
    const { name, tenantId } = await newTenant();
    expect(await resolveImportTenant(t, name.toUpperCase())).toEqual({ id: tenantId, name });
    await expect(resolveImportTenant(t, 'no such tenant')).rejects.toThrow(/There is no tenant named "no such tenant"/);
    await newTenant();
    await expect(resolveImportTenant(t)).rejects.toThrow(/--tenant NAME: there are \d+ tenants/);
  });
});
