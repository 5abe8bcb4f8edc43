// Archiving on both engines, through the HTTP API and the real archive run: who may configure it; the file name
// template refused with the bad field named; targets (a folder outside the archive root, missing credentials, secrets
// never read back nor audited); a run copying each recording and its sidecar to the primary and the secondary folder,
// byte for byte and listed per conversation (paths for archive managers only); OpenPGP-encrypted copies that gpg's
// format decrypts back to the original; media deleted before its turn is skipped, not failed.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { interleave } from '../../media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { newId } from '../../platform/ids.ts';
import { runArchive } from './service.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(ENGINES)('archiving on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let archivist: Client;
  let viewer: Client;
  let agent: Client;
  const wavs = new Map<string, Buffer>();

  const audit = async (resourceId: string, action?: string) =>
    (ok(await admin.get(`/api/audit?resourceId=${resourceId}&limit=200${action ? `&action=${action}` : ''}`)).items as Json[]).reverse();

  async function call(opts: { seconds?: number; phone?: string; at?: Date } = {}) {
    const ms = (opts.seconds ?? 2) * 1000;
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([synthSpeechLike(ms, 8000, 3), synthSpeechLike(ms, 8000, 4)]) });
    const callId = `arch-${newId()}`;
    const r = await ingestCall(
      t,
      ingest,
      {
        callId,
        startTime: (opts.at ?? new Date(Date.now() - 60_000)).toISOString(),
        direction: 'inbound',
        queue: 'Billing',
        parties: [
          { key: 'agent', role: 'agent', extension: '6101' },
          { key: 'customer', role: 'customer', phone: opts.phone ?? '+15550100', name: 'Pat Customer' },
        ],
        audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
      },
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    );
    wavs.set(r.conversationId, wav);
    return { conversationId: r.conversationId, callId };
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    await makeUser(t, tenantId, { roles: ['agent'], extension: '6101', name: 'Alex Agent' });
    archivist = await signIn(t.app, await makeUser(t, tenantId, { roles: ['compliance_analyst'] }));
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    agent = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
  }, 60_000);
  afterAll(() => t?.cleanup());

  const folder = (p: string) => ({ kind: 'folder', settings: { path: p } });
  const onDisk = (p: string, rel: string) => path.join(t.config.archiveDir, p, rel);

  it('is for archive managers only; the others get 403', async () => {
    fails(await agent.get('/api/archive'), 403, 'FORBIDDEN');
    fails(await viewer.put('/api/archive/targets/primary', folder('x')), 403, 'FORBIDDEN');
    fails(await viewer.post('/api/archive/run', {}), 403, 'FORBIDDEN');
    const o = ok(await archivist.get('/api/archive'));
    expect(o).toMatchObject({
      config: { enabled: false, nameTemplate: '%{setup-time##%Y%m%d}/%{setup-time##%Y%m%d%H%M%S}-%{call-id}', encryption: 'none' },
      primary: null,
      secondary: null,
    });
    expect(o.example).toBe('20260314/20260314092653-a84f3c2e-7b1d.wav');
  });

  it('refuses a bad template, time zone or key with the field named, and archiving without a primary target', async () => {
    const base = { enabled: false, timeZone: 'UTC', encryption: 'none', includeOlder: false };
    const bad = async (nameTemplate: string, reason: string, field?: string) => {
      const err = fails(await archivist.put('/api/archive/settings', { ...base, nameTemplate }), 400, 'VALIDATION_FAILED', reason);
      if (field) expect(err.details?.field).toBe(field);
      return err;
    };
    expect((await bad('%{setup-time}-%{caller}', 'TEMPLATE_UNKNOWN_FIELD', 'caller')).message).toContain('"caller"');
    await bad('%{setup-time##%Y%Q}-%{call-id}', 'TEMPLATE_BAD_FORMAT', 'setup-time');
    await bad('%{direction##%Y}-%{call-id}', 'TEMPLATE_BAD_FORMAT', 'direction');
    await bad('%{setup-time##%Y%m%d}', 'TEMPLATE_NOT_UNIQUE');
    await bad('../%{call-id}', 'TEMPLATE_BAD_PATH');
    await bad('%{call-id', 'TEMPLATE_SYNTAX');
    fails(
      await archivist.put('/api/archive/settings', { ...base, nameTemplate: '%{call-id}', timeZone: 'Mars/Olympus' }),
      400,
      'VALIDATION_FAILED',
      'TIME_ZONE_UNKNOWN',
    );
    fails(
      await archivist.put('/api/archive/settings', { ...base, nameTemplate: '%{call-id}', encryption: 'pgp' }),
      400,
      'VALIDATION_FAILED',
      'PUBLIC_KEY_REQUIRED',
    );
    fails(
      await archivist.put('/api/archive/settings', { ...base, nameTemplate: '%{call-id}', encryption: 'pgp', publicKey: 'not a key' }),
      400,
      'VALIDATION_FAILED',
      'PUBLIC_KEY_INVALID',
    );
    fails(await archivist.put('/api/archive/settings', { ...base, enabled: true, nameTemplate: '%{call-id}' }), 409, 'CONFLICT', 'NO_PRIMARY_TARGET');
    const p = ok(
      await archivist.post('/api/archive/template-preview', {
        nameTemplate: '%{group}/%{setup-time##%Y/%m/%d}/%{caller-number}_%{call-id}',
        timeZone: 'Europe/Paris',
      }),
    );
    expect(p.example).toBe('Support/2026/03/14/+14155550123_a84f3c2e-7b1d.wav');
    // Nothing was saved by the refusals.
    expect(await t.db.selectFrom('archive_configs').selectAll().where('tenant_id', '=', tenantId).execute()).toEqual([]);
  });

  it('refuses a target outside the archive root or without its credentials; secrets are never read back nor audited', async () => {
    fails(await archivist.put('/api/archive/targets/primary', folder('../../etc')), 400, 'VALIDATION_FAILED', 'TARGET_OUTSIDE_ROOT');
    fails(
      await archivist.put('/api/archive/targets/primary', { kind: 'sftp', settings: { host: 'sftp.example.com', username: 'rec' } }),
      400,
      'VALIDATION_FAILED',
      'TARGET_INVALID',
    );
    fails(
      await archivist.put('/api/archive/targets/primary', {
        kind: 'sftp',
        settings: { host: 'sftp.example.com', username: 'rec' },
        secrets: { privateKey: 'garbage' },
      }),
      400,
      'VALIDATION_FAILED',
      'PRIVATE_KEY_INVALID',
    );
    fails(
      await archivist.put('/api/archive/targets/primary', { kind: 's3', settings: { bucket: 'b', accessKeyId: 'AK' }, secrets: { secretAccessKey: 'x' } }),
      400,
      'VALIDATION_FAILED',
      'TARGET_INVALID',
    );
    const o = ok(
      await archivist.put('/api/archive/targets/secondary', {
        kind: 'ftp',
        settings: { host: 'ftp.example.com', username: 'rec', security: 'none' },
        secrets: { password: 'Sup3r-Secret-FTP' },
      }),
    );
    expect(o.secondary).toMatchObject({ kind: 'ftp', insecure: true, secretsSet: { password: true }, settings: { port: 21, directory: '/' } });
    expect(JSON.stringify(o)).not.toContain('Sup3r-Secret-FTP');
    const events = await audit(o.secondary.id);
    expect(events.map((e) => e.action)).toEqual(['ARCHIVE_TARGET_CREATE']);
    expect(events[0].changes).toContainEqual({ field: 'password', old: null, new: '(set)' });
    expect(JSON.stringify(events)).not.toContain('Sup3r-Secret-FTP');
    // Stored sealed.
    const row = await t.db.selectFrom('archive_targets').select('secret').where('id', '=', o.secondary.id).executeTakeFirstOrThrow();
    expect(row.secret).not.toContain('Sup3r');
    // A change without secrets keeps the stored password; the test of an unreachable server says why.
    const kept = ok(
      await archivist.put('/api/archive/targets/secondary', { kind: 'ftp', settings: { host: 'ftp.example.com', username: 'rec2', security: 'none' } }),
    );
    expect(kept.secondary.secretsSet.password).toBe(true);
    expect(kept.secondary.id).toBe(o.secondary.id);
    const test = ok(
      await archivist.post('/api/archive/targets/secondary/test', {
        target: { kind: 'ftp', settings: { host: '127.0.0.1', port: 1, username: 'rec', security: 'none' } },
      }),
    );
    expect(test).toMatchObject({ ok: false });
    expect(test.message).toMatch(/refused/i);
    ok(await archivist.del('/api/archive/targets/secondary'), 204);
    expect(ok(await archivist.get('/api/archive')).secondary).toBeNull();
  });

  it('copies each recording and its sidecar to the primary and secondary folders, verified and listed per conversation', async () => {
    const older = await call({ at: new Date(Date.now() - 3 * 86_400_000) });
    await t.db
      .updateTable('conversations')
      .set({ created_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
      .where('id', '=', older.conversationId)
      .execute();
    ok(await archivist.put('/api/archive/targets/primary', folder('primary')));
    ok(await archivist.put('/api/archive/targets/secondary', folder('secondary')));
    const test = ok(await archivist.post('/api/archive/targets/primary/test', {}));
    expect(test).toMatchObject({ ok: true });
    const settings = {
      enabled: true,
      nameTemplate: '%{setup-time##%Y%m%d}/%{setup-time##%Y%m%d%H%M%S}-%{call-id}',
      timeZone: 'UTC',
      encryption: 'none',
      includeOlder: false,
    };
    const on = ok(await archivist.put('/api/archive/settings', settings));
    expect(on.config.enabled).toBe(true);
    const a = await call({ phone: '+15550111' });
    const b = await call({ phone: '+15550122' });
    await makeChat(t, ingest, {});

    const summary = await runArchive(t, { tenantId });
    // The call from before archiving was switched on is left alone; two calls × two targets copied.
    expect(summary).toMatchObject({ copied: 4, failed: 0, skipped: 0, unreachable: [] });

    for (const c of [a, b]) {
      const conv = await t.db.selectFrom('segments').select(['started_at']).where('external_id', '=', c.callId).executeTakeFirstOrThrow();
      const stamp = new Date(conv.started_at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
      const rel = `${stamp.slice(0, 8)}/${stamp}-${c.callId}`;
      for (const where of ['primary', 'secondary']) {
        const media = fs.readFileSync(onDisk(where, `${rel}.wav`));
        expect(media.equals(wavs.get(c.conversationId)!)).toBe(true);
        const side = JSON.parse(fs.readFileSync(onDisk(where, `${rel}.json`), 'utf8'));
        expect(side).toMatchObject({
          format: 'earshot-archive/1',
          target: where,
          conversation: { id: c.conversationId, direction: 'inbound', agent: 'Alex Agent' },
          segment: { callId: c.callId, queue: 'Billing' },
          caller: { number: c === a ? '+15550111' : '+15550122', name: 'Pat Customer' },
          callee: { number: '6101' },
          file: {
            name: `${stamp}-${c.callId}.wav`,
            channelMap: [
              { channel: 0, party: 'agent' },
              { channel: 1, party: 'customer' },
            ],
            original: { sha256: sha(media), size: media.length },
            archived: { sha256: sha(media) },
            encryption: { kind: 'none' },
          },
        });
      }
      const listed = ok(await archivist.get(`/api/conversations/${c.conversationId}/archive`)).items as Json[];
      expect(listed.map((i) => [i.role, i.status, i.path])).toEqual([
        ['primary', 'done', `${rel}.wav`],
        ['secondary', 'done', `${rel}.wav`],
      ]);
      expect(listed[0].sha256).toBe(sha(wavs.get(c.conversationId)!));
      // Someone who only sees the conversation learns that and when, not where.
      const seen = ok(await viewer.get(`/api/conversations/${c.conversationId}/archive`)).items as Json[];
      expect(seen.map((i) => [i.role, i.status, i.path, i.where])).toEqual([
        ['primary', 'done', null, null],
        ['secondary', 'done', null, null],
      ]);
      const events = await audit(c.conversationId, 'CONVERSATION_ARCHIVE');
      expect(events).toHaveLength(2);
      expect(events[0].details).toContain('verified by reading it back');
    }
    expect(ok(await archivist.get(`/api/conversations/${older.conversationId}/archive`)).items).toEqual([]);
    // A second run has nothing to do; nothing is copied twice.
    expect(await runArchive(t, { tenantId })).toMatchObject({ discovered: 0, copied: 0 });
    const o = ok(await archivist.get('/api/archive'));
    expect(o.primary.counts).toMatchObject({ done: 2, pending: 0, failed: 0 });
    const page = ok(await archivist.get('/api/archive/items?role=secondary&status=done&limit=1'));
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeTruthy();
    expect(ok(await archivist.get(`/api/archive/items?role=secondary&status=done&limit=1&cursor=${encodeURIComponent(page.nextCursor)}`)).items).toHaveLength(
      1,
    );

    // "Include older recordings" copies the one from before.
    ok(await archivist.put('/api/archive/settings', { ...settings, includeOlder: true }));
    expect(await runArchive(t, { tenantId })).toMatchObject({ copied: 2 });
    expect((ok(await archivist.get(`/api/conversations/${older.conversationId}/archive`)).items as Json[]).map((i) => i.status)).toEqual(['done', 'done']);
    const changes = (await audit(tenantId, 'ARCHIVE_SETTINGS_UPDATE')).map((e) => e.changes);
    expect(changes.at(-1)).toEqual([{ field: 'includeOlder', old: false, new: true }]);
    // Moving the secondary elsewhere: its copies still to do there are skipped with the reason; the new place gets its own.
    const late = await call();
    await runArchive(t, { tenantId, budgetMs: -1 });
    const oldSecondary = ok(await archivist.get('/api/archive')).secondary.id;
    const moved = ok(await archivist.put('/api/archive/targets/secondary', folder('secondary-2')));
    expect(moved.secondary.id).not.toBe(oldSecondary);
    const lateItems = ok(await archivist.get(`/api/conversations/${late.conversationId}/archive`)).items as Json[];
    expect(lateItems.map((i) => [i.role, i.status, i.targetRetired])).toEqual([
      ['primary', 'pending', false],
      ['secondary', 'skipped', true],
    ]);
    expect(lateItems[1].lastError).toContain('moved elsewhere');
    await runArchive(t, { tenantId });
    expect(fs.existsSync(onDisk('secondary-2', ''))).toBe(true);
    const after = (ok(await archivist.get(`/api/conversations/${late.conversationId}/archive`)).items as Json[]).map((i) => [i.role, i.status]);
    expect(after).toContainEqual(['secondary', 'done']);
    expect(after).toContainEqual(['primary', 'done']);
  });

  it('encrypts copies to the customer’s OpenPGP public key; its private key opens the original again', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Records', email: 'records@example.com' }],
      format: 'armored',
    });
    fails(
      await archivist.put('/api/archive/settings', {
        enabled: true,
        nameTemplate: 'enc/%{call-id}',
        timeZone: 'UTC',
        encryption: 'pgp',
        publicKey: privateKey,
        includeOlder: false,
      }),
      400,
      'VALIDATION_FAILED',
      'PUBLIC_KEY_PRIVATE',
    );
    const o = ok(
      await archivist.put('/api/archive/settings', {
        enabled: true,
        nameTemplate: 'enc/%{call-id}',
        timeZone: 'UTC',
        encryption: 'pgp',
        publicKey,
        includeOlder: false,
      }),
    );
    expect(o.config.publicKeyUserIds).toEqual(['Records <records@example.com>']);
    expect(o.config.publicKeyFingerprint).toMatch(/^[0-9A-F]{40}$/);
    const c = await call();
    expect(await runArchive(t, { tenantId })).toMatchObject({ copied: 2, failed: 0 });
    const key = await openpgp.readPrivateKey({ armoredKey: privateKey });
    const open = async (file: string) => {
      const raw = fs.readFileSync(file);
      expect(raw.includes(Buffer.from('RIFF'))).toBe(false);
      const message = await openpgp.readMessage({ binaryMessage: raw });
      const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary' });
      return Buffer.from(data as Uint8Array);
    };
    const media = await open(onDisk('primary', `enc/${c.callId}.wav.pgp`));
    expect(media.equals(wavs.get(c.conversationId)!)).toBe(true);
    const side = JSON.parse((await open(onDisk('secondary-2', `enc/${c.callId}.json.pgp`))).toString('utf8'));
    expect(side.file).toMatchObject({ encryption: { kind: 'openpgp', recipient: o.config.publicKeyFingerprint }, original: { sha256: sha(media) } });
    expect(side.file.archived.sha256).toBe(sha(fs.readFileSync(onDisk('secondary-2', `enc/${c.callId}.wav.pgp`))));
    ok(
      await archivist.put('/api/archive/settings', {
        enabled: true,
        nameTemplate: '%{call-id}',
        timeZone: 'UTC',
        encryption: 'none',
        publicKey: null,
        includeOlder: false,
      }),
    );
  });

  it('skips a recording whose media was deleted before its turn, and retries failed copies on request', async () => {
    const c = await call();
    await t.db.updateTable('conversations').set({ media_state: 'planned_for_deletion' }).where('id', '=', c.conversationId).execute();
    expect(await runArchive(t, { tenantId })).toMatchObject({ discovered: 0, copied: 0 });
    // Discovered while present, deleted before it was copied: skipped with the reason.
    await t.db.updateTable('conversations').set({ media_state: null }).where('id', '=', c.conversationId).execute();
    const d = await call();
    const realNow = Date.now();
    await runArchive(t, { tenantId, budgetMs: -1 });
    await t.db.updateTable('conversations').set({ media_state: 'deleted' }).where('id', 'in', [c.conversationId, d.conversationId]).execute();
    const r = await runArchive(t, { tenantId, now: () => new Date(realNow + 1000) });
    expect(r).toMatchObject({ copied: 0, skipped: 4 });
    const items = ok(await archivist.get(`/api/conversations/${d.conversationId}/archive`)).items as Json[];
    expect(items.map((i) => i.status)).toEqual(['skipped', 'skipped']);
    expect(items[0].lastError).toContain('deleted');
    // Retry: nothing failed here.
    expect(ok(await archivist.post('/api/archive/items/retry', {}))).toEqual({ retried: 0 });
    const run = ok(await archivist.post('/api/archive/run', {}));
    expect(run.queued).toBe(true);
    expect(ok(await archivist.post('/api/archive/run', {}))).toEqual({ queued: false, jobId: null });
  });

  it('refuses to remove the primary target while archiving is on', async () => {
    fails(await archivist.del('/api/archive/targets/primary'), 409, 'CONFLICT', 'TARGET_IN_USE');
  });
});
