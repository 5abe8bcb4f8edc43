// vCon export end to end on both engines: a call with stereo audio, a chat, a call the recording policy did not keep;
// the package built by its job, downloaded (audited), every vCon valid against the draft's shape (vcon-schema.ts), its
// media matching the vCon's content_hash, and the signed manifest caught by verify-export when a byte, a file or the
// signature changes.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { zipOf } from '../../conversations/import/test-zip.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { VCON_SCHEMA } from './vcon-schema.ts';
import { verifyExport } from './verify.ts';
import { verifyExportCommand } from './cli.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validVcon = ajv.compile(VCON_SCHEMA);

function entriesOf(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('end', () => resolve(out));
      zip.on('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(e2);
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        }),
      );
      zip.readEntry();
    });
  });
}

describe.each(ENGINES)('vCon export on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let callId: string;
  let chatId: string;
  let skippedCallId: string;
  let wav: Buffer;
  let dir: string;

  const build = async (client: Client, body: Json) => {
    const x = ok(await client.post('/api/compliance/vcon-exports', body));
    expect(x.status).toBe('queued');
    await runJobs(t);
    return ok(await client.get(`/api/compliance/vcon-exports/${x.id}`));
  };
  const download = async (client: Client, id: string, name: string) => {
    const res = await client.get(`/api/compliance/vcon-exports/${id}/download`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const file = path.join(dir, name);
    fs.writeFileSync(file, res.rawPayload);
    return file;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    dir = fs.mkdtempSync(path.join(t.dataDir, 'pkg-'));
    await makeUser(t, tenantId, { roles: ['agent'], extension: '2001', name: 'Alex Agent' });
    const left = synthSpeechLike(3000, 8000, 1);
    const right = synthSpeechLike(3000, 8000, 2);
    const stereo = new Int16Array(left.length * 2);
    for (let i = 0; i < left.length; i++) {
      stereo[2 * i] = left[i]!;
      stereo[2 * i + 1] = right[i]!;
    }
    wav = encodeWav({ sampleRate: 8000, channels: 2, samples: stereo });
    const meta = (id: string, phone: string) =>
      ({
        callId: id,
        startTime: '2026-11-03T09:00:00.000Z',
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '2001' },
          { key: 'cust', role: 'customer', phone, name: 'Pat Customer' },
        ],
        audio: [{ file: 'call.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
        events: [
          { type: 'hold', offsetMs: 1000, party: 'cust' },
          { type: 'resume', offsetMs: 2000, party: 'cust' },
        ],
      }) as never;
    const file = [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }];
    callId = (await ingestCall(t, ingest, meta('vcon-call-1', '+15550100'), file)).conversationId;
    ok(await admin.post('/api/compliance/recording-policies', { name: 'Private line', action: 'skip', numbers: ['+1555099*'] }));
    skippedCallId = (await ingestCall(t, ingest, meta('vcon-call-2', '+15550999'), file)).conversationId;
    chatId = (await makeChat(t, ingest, { agentExtension: '2001', text: 'My invoice 4711 is wrong' })).conversationId;
    await runJobs(t);
    const tags = ok(await admin.get('/api/tags')).items as Json[];
    ok(await admin.post(`/api/conversations/${callId}/tags`, { tagId: tags.find((x) => x.preset === 'flag').id }));
    ok(await admin.post(`/api/conversations/${callId}/comments`, { text: 'Customer asked for a refund', visibility: 'public' }));
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('packages vCons valid against the draft, with their media, audit events and a manifest the offline check accepts', async () => {
    const x = await build(admin, { conversationIds: [callId, chatId, skippedCallId] });
    expect(x).toMatchObject({ status: 'done', total: 3, done: 3, skipped: 0, scope: 'conversations', media: 'files' });
    const file = await download(admin, x.id, 'files.zip');
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(x.sha256);

    const report = await verifyExport(file);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, conversations: 3, pinned: false });

    const entries = await entriesOf(file);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest.files.map((f: Json) => f.path).sort()).toEqual([...entries.keys()].filter((n) => !n.startsWith('manifest')).sort());
    for (const c of manifest.conversations) {
      const vcon = JSON.parse(entries.get(c.vcon)!.toString());
      expect(validVcon(vcon), JSON.stringify(validVcon.errors)).toBe(true);
      expect(c.audit_events.at(-1).action).toBe('CONVERSATION_VCON_EXPORT');
    }
    const call = JSON.parse(entries.get(`vcons/${callId}.vcon.json`)!.toString());
    expect(call.vcon).toBe('0.3.0');
    expect(call.parties.map((p: Json) => p.role).sort()).toEqual(['agent', 'customer']);
    const customer = call.parties.findIndex((p: Json) => p.role === 'customer');
    expect(call.parties[customer].tel).toBe('tel:+15550100');
    const [rec] = call.dialog;
    expect(rec).toMatchObject({ type: 'recording', duration: 3, mediatype: 'audio/x-wav', originator: customer, session_id: 'vcon-call-1' });
    expect(rec.parties).toHaveLength(2);
    expect(rec.party_history.map((h: Json) => h.event)).toEqual(['hold', 'unhold']);
    // The recording in the package is the original upload, and its SHA-512 is the vCon's content_hash.
    const media = entries.get(manifest.conversations.find((c: Json) => c.id === callId).media[0])!;
    expect(media.equals(wav)).toBe(true);
    expect(rec.content_hash).toBe(`sha512-${createHash('sha512').update(wav).digest('base64url')}`);
    const purposes = call.attachments.map((a: Json) => a.purpose);
    expect(purposes).toEqual(expect.arrayContaining(['tags', 'comments', 'recording_policy', 'lifecycle']));
    expect(call.attachments.find((a: Json) => a.purpose === 'comments').body[0].text).toBe('Customer asked for a refund');

    const chat = JSON.parse(entries.get(`vcons/${chatId}.vcon.json`)!.toString());
    expect(chat.dialog.map((d: Json) => [d.type, d.encoding])).toEqual([
      ['text', 'none'],
      ['text', 'none'],
      ['text', 'none'],
    ]);
    // The call the policy did not keep: its dialog has no content, and the package says why.
    const skipped = JSON.parse(entries.get(`vcons/${skippedCallId}.vcon.json`)!.toString());
    expect(skipped.dialog[0].url).toBeUndefined();
    expect(skipped.attachments.find((a: Json) => a.purpose === 'recording_policy').body[0]).toMatchObject({ recorded: false, ruleName: 'Private line' });
    expect(manifest.conversations.find((c: Json) => c.id === skippedCallId).notes[0]).toContain('not recorded');

    // The trail: asked, built, downloaded; each conversation says it was exported, in the package too.
    const trail = (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: x.id, limit: '20' })}`)).items as Json[]).map((e) => e.action);
    expect(trail.sort()).toEqual(['VCON_EXPORT_CREATE', 'VCON_EXPORT_DOWNLOAD', 'VCON_EXPORT_READY']);
    const auditDoc = JSON.parse(entries.get(`audit/${callId}.json`)!.toString()) as Json[];
    expect(auditDoc.map((e) => e.action)).toEqual(expect.arrayContaining(['CONVERSATION_INGEST', 'CONVERSATION_VCON_EXPORT']));
    expect(auditDoc.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it('catches a changed byte, an added or removed file, an altered manifest and a foreign signature', async () => {
    const x = await build(admin, { conversationIds: [callId] });
    const file = await download(admin, x.id, 'tamper.zip');
    const entries = await entriesOf(file);
    const rezip = (name: string, m: Map<string, Buffer>) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, zipOf([...m].map(([n, data]) => ({ name: n, data }))));
      return p;
    };
    // Rewritten but unchanged: still valid (the check is on content, not on the zip's bytes).
    expect((await verifyExport(rezip('same.zip', new Map(entries)))).ok).toBe(true);

    const flipped = new Map(entries);
    const mediaPath = [...entries.keys()].find((n) => n.startsWith('media/'))!;
    const altered = Buffer.from(entries.get(mediaPath)!);
    altered[200] ^= 1;
    flipped.set(mediaPath, altered);
    const r1 = await verifyExport(rezip('flipped.zip', flipped));
    expect(r1.ok).toBe(false);
    expect(r1.problems.join('\n')).toContain(`${mediaPath} was altered`);
    expect(r1.problems.join('\n')).toContain('references media that is not in the package');

    const vconPath = `vcons/${callId}.vcon.json`;
    const edited = new Map(entries);
    edited.set(vconPath, Buffer.from(entries.get(vconPath)!.toString().replace('Pat Customer', 'Someone Else')));
    expect((await verifyExport(rezip('edited.zip', edited))).problems).toEqual([`${vconPath} was altered (SHA-256 or size differs from the manifest)`]);

    const added = new Map(entries).set('media/extra.wav', wav);
    expect((await verifyExport(rezip('added.zip', added))).problems).toEqual(['media/extra.wav is in the package but not in the manifest']);
    const removed = new Map(entries);
    removed.delete(`audit/${callId}.json`);
    expect((await verifyExport(rezip('removed.zip', removed))).problems).toEqual([
      `audit/${callId}.json is listed in the manifest but missing from the package`,
    ]);

    // The manifest edited to match an edited vCon: the signature no longer holds.
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    const forged = entries.get(vconPath)!.toString().replace('Pat Customer', 'Someone Else');
    manifest.files.find((f: Json) => f.path === vconPath).sha256 = createHash('sha256').update(forged).digest('hex');
    manifest.files.find((f: Json) => f.path === vconPath).bytes = Buffer.byteLength(forged);
    const forgedManifest = Buffer.from(JSON.stringify(manifest, null, 2));
    const reManifested = new Map(entries).set(vconPath, Buffer.from(forged)).set('manifest.json', forgedManifest);
    const r2 = await verifyExport(rezip('remanifested.zip', reManifested));
    expect(r2.problems).toEqual(['The signature of manifest.json is not valid: the manifest was altered or signed by another key']);

    // Re-signed with someone else's key: valid on its face, refused once the organisation's key is pinned.
    const other = generateKeyPairSync('ed25519');
    const otherPem = other.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const { keyIdOf } = await import('./signing.ts');
    manifest.signing.key_id = keyIdOf(otherPem);
    const otherManifest = Buffer.from(JSON.stringify(manifest, null, 2));
    const sig = {
      algorithm: 'Ed25519',
      key_id: keyIdOf(otherPem),
      public_key: otherPem,
      signed_file: 'manifest.json',
      signature: sign(null, otherManifest, other.privateKey).toString('base64'),
    };
    const resigned = rezip(
      'resigned.zip',
      new Map(reManifested).set('manifest.json', otherManifest).set('manifest.sig.json', Buffer.from(JSON.stringify(sig))),
    );
    expect((await verifyExport(resigned)).ok).toBe(true);
    const key = ok(await admin.get('/api/compliance/vcon-exports/signing-key'));
    const pinned = await verifyExport(resigned, { publicKeyPem: key.publicKeyPem });
    expect(pinned.ok).toBe(false);
    expect(pinned.problems.join('\n')).toContain(`not with the pinned key ${key.keyId}`);
    expect((await verifyExport(file, { publicKeyPem: key.publicKeyPem })).ok).toBe(true);

    // The command: 0 when it holds, 1 when it does not, 2 for a wrong call.
    const keyFile = path.join(dir, 'org.pem');
    fs.writeFileSync(keyFile, key.publicKeyPem);
    const out: string[] = [];
    const log = (s: string) => out.push(s);
    expect(await verifyExportCommand([file, '--public-key', keyFile], log)).toBe(0);
    expect(out.join('\n')).toContain('verified');
    expect(await verifyExportCommand([resigned, '--public-key', keyFile], log)).toBe(1);
    expect(await verifyExportCommand([], log)).toBe(2);
  });

  it('inlines media as base64url when asked, and exports what a search finds', async () => {
    const x = await build(admin, { conversationIds: [callId], media: 'inline' });
    const entries = await entriesOf(await download(admin, x.id, 'inline.zip'));
    expect([...entries.keys()].some((n) => n.startsWith('media/'))).toBe(false);
    const vcon = JSON.parse(entries.get(`vcons/${callId}.vcon.json`)!.toString());
    expect(validVcon(vcon), JSON.stringify(validVcon.errors)).toBe(true);
    expect(vcon.dialog[0].encoding).toBe('base64url');
    expect(Buffer.from(vcon.dialog[0].body, 'base64url').equals(wav)).toBe(true);

    const s = await build(admin, { filter: { period: null, q: 'invoice' }, media: 'none' });
    expect(s).toMatchObject({ status: 'done', scope: 'search', total: 1 });
    const se = await entriesOf(await download(admin, s.id, 'search.zip'));
    expect([...se.keys()].filter((n) => n.startsWith('vcons/'))).toEqual([`vcons/${chatId}.vcon.json`]);
    fails(await admin.post('/api/compliance/vcon-exports', { filter: { period: null, q: 'zzzznothing' } }), 400, 'VALIDATION_FAILED', 'NOTHING_TO_EXPORT');
    fails(await admin.post('/api/compliance/vcon-exports', {}), 400, 'VALIDATION_FAILED', 'SCOPE_REQUIRED');
    fails(await admin.post('/api/compliance/vcon-exports', { conversationIds: ['nope'] }), 404, 'NOT_FOUND');
  });

  it('keeps exports to who asked (or a compliance manager), refuses without the permission, and deletes on request', async () => {
    const x = await build(admin, { conversationIds: [chatId] });
    const exporter = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'conversations.export'] }));
    fails(await exporter.get(`/api/compliance/vcon-exports/${x.id}`), 404, 'NOT_FOUND');
    fails(await exporter.get(`/api/compliance/vcon-exports/${x.id}/download`), 404, 'NOT_FOUND');
    expect(ok(await exporter.get('/api/compliance/vcon-exports')).items).toEqual([]);
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    fails(await viewer.post('/api/compliance/vcon-exports', { conversationIds: [chatId] }), 403, 'FORBIDDEN');
    // Without "play unredacted", recordings stay out of the package and it says why.
    const own = await build(exporter, { conversationIds: [callId] });
    const entries = await entriesOf(await download(exporter, own.id, 'no-media.zip'));
    expect([...entries.keys()].some((n) => n.startsWith('media/'))).toBe(false);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest.conversations[0].notes[0]).toContain('media.play_unredacted');
    ok(await admin.del(`/api/compliance/vcon-exports/${x.id}`), 204);
    fails(await admin.get(`/api/compliance/vcon-exports/${x.id}`), 404, 'NOT_FOUND');
  });
});
