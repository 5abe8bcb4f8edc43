// The archive run against real servers, on both engines: the primary target is Debian's OpenSSH sshd (SFTP, key login,
// host key pinned on first contact), the secondary s3rver. The SFTP server goes down half-way through a run (its
// sessions killed): the copy in flight fails and waits with back-off, the rest wait untouched, the S3 copies carry on;
// once the server is back, the next run copies everything — each file once, verified, and listed per conversation.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp } from '../helpers/context.ts';
import { tenantWithAdmin } from '../helpers/conversations.ts';
import { ok, type Client, type Json } from '../helpers/http.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { ingestCall } from '../../src/conversations/ingest/calls.ts';
import { interleave } from '../../src/media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../src/media/wav-write.ts';
import { newId } from '../../src/platform/ids.ts';
import { runArchive } from '../../src/compliance/archive/service.ts';
import { startS3rver, type TestS3 } from '../s3.ts';
import { startSftp, type TestSftp } from './servers.ts';

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(ENGINES)('archive run against SFTP and S3 (%s)', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let sftp: TestSftp;
  let s3: TestS3;
  const calls: Array<{ conversationId: string; callId: string; wav: Buffer }> = [];

  beforeAll(async () => {
    [sftp, s3] = await Promise.all([startSftp(), startS3rver()]);
    t = await createTestApp(engine);
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    ok(
      await admin.put('/api/archive/targets/primary', {
        kind: 'sftp',
        settings: { host: sftp.host, port: sftp.port, username: sftp.username, directory: sftp.directory },
        secrets: { privateKey: sftp.privateKey },
      }),
    );
    ok(
      await admin.put('/api/archive/targets/secondary', {
        kind: 's3',
        settings: { bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, prefix: 'recordings', accessKeyId: s3.accessKeyId },
        secrets: { secretAccessKey: s3.secretAccessKey },
      }),
    );
    ok(
      await admin.put('/api/archive/settings', {
        enabled: true,
        nameTemplate: '%{direction}/%{call-id}',
        timeZone: 'UTC',
        encryption: 'none',
        includeOlder: false,
      }),
    );
    for (let i = 0; i < 5; i++) {
      const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([synthSpeechLike(3000, 8000, i + 1), synthSpeechLike(3000, 8000, i + 7)]) });
      const callId = `sftp-${i}-${newId()}`;
      const r = await ingestCall(
        t,
        ingest,
        {
          callId,
          startTime: new Date(Date.now() - 60_000 + i * 1000).toISOString(),
          direction: 'outbound',
          parties: [
            { key: 'agent', role: 'agent', extension: '7001' },
            { key: 'customer', role: 'customer', phone: `+1555010${i}` },
          ],
          audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
        },
        [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
      );
      calls.push({ conversationId: r.conversationId, callId, wav });
    }
  }, 90_000);
  afterAll(async () => {
    await t?.cleanup();
    await Promise.all([sftp?.cleanup(), s3?.stop()]);
  });

  const s3Object = async (key: string) => {
    const r = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  };

  it('the SFTP server going down half-way leaves nothing half-copied; the next run finishes the job', async () => {
    let primaryDone = 0;
    let stopping: Promise<void> | null = null;
    const first = await runArchive(t, {
      tenantId,
      onItem: (event, item) => {
        if (event === 'done' && item.role === 'primary' && ++primaryDone === 2) stopping = sftp.stop();
      },
    });
    await stopping;
    const items = await t.db.selectFrom('archive_items').selectAll().where('tenant_id', '=', tenantId).execute();
    const primary = items.filter((i) => i.role === 'primary');
    const secondary = items.filter((i) => i.role === 'secondary');
    expect(secondary.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const done = primary.filter((i) => i.status === 'done');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(5);
    // The copy in flight failed and waits with back-off; those after it were not charged an attempt.
    const waiting = primary.filter((i) => i.status !== 'done');
    expect(waiting.every((i) => i.status === 'pending')).toBe(true);
    expect(waiting.filter((i) => Number(i.attempts) > 0).length).toBeLessThanOrEqual(1);
    expect(first.unreachable.join()).toMatch(/primary/);
    // Nothing but complete, verified files under final names; no temporary file left behind on the server.
    const onServer = (rel: string) => path.join(sftp.directory, rel);
    for (const i of done) {
      const c = calls.find((x) => x.conversationId === i.conversation_id)!;
      expect(sha(fs.readFileSync(onServer(i.path)))).toBe(sha(c.wav));
    }
    const listed = fs.readdirSync(path.join(sftp.directory, 'outbound'));
    expect(listed.filter((f) => f.endsWith('.wav')).length).toBe(done.length);
    // The host key was pinned on first contact.
    const target = await t.db
      .selectFrom('archive_targets')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('role', '=', 'primary')
      .executeTakeFirstOrThrow();
    expect(target.host_key).toBe(sftp.hostKeyFingerprint);

    // While the server is down, a run changes nothing and charges nothing.
    const idle = await runArchive(t, { tenantId, now: () => new Date(Date.now() + 10 * 60_000) });
    expect(idle.copied).toBe(0);
    const attemptsWhileDown = (
      await t.db
        .selectFrom('archive_items')
        .select(['attempts'])
        .where('role', '=', 'primary')
        .where('status', '=', 'pending')
        .where('tenant_id', '=', tenantId)
        .execute()
    ).map((r) => Number(r.attempts));
    expect(attemptsWhileDown.filter((a) => a > 0).length).toBeLessThanOrEqual(1);

    await sftp.start();
    // Before the back-off has passed the failed one waits; past it, everything is copied.
    const later = await runArchive(t, { tenantId, now: () => new Date(Date.now() + 10 * 60_000) });
    expect(later).toMatchObject({ failed: 0, unreachable: [] });
    const after = await t.db.selectFrom('archive_items').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(after.map((i) => i.status)).toEqual(after.map(() => 'done'));
    for (const c of calls) {
      const wav = fs.readFileSync(onServer(`outbound/${c.callId}.wav`));
      expect(sha(wav)).toBe(sha(c.wav));
      const side = JSON.parse(fs.readFileSync(onServer(`outbound/${c.callId}.json`), 'utf8'));
      expect(side.caller).toMatchObject({ number: '7001' });
      expect(side.file.archived.sha256).toBe(sha(c.wav));
      expect(sha(await s3Object(`recordings/outbound/${c.callId}.wav`))).toBe(sha(c.wav));
      const listedFor = ok(await admin.get(`/api/conversations/${c.conversationId}/archive`)).items as Json[];
      expect(listedFor.map((i) => [i.role, i.status])).toEqual([
        ['primary', 'done'],
        ['secondary', 'done'],
      ]);
      expect(listedFor[0].where).toBe(`sftp://${sftp.username}@${sftp.host}:${sftp.port}${sftp.directory}/outbound/${c.callId}.wav`);
      expect(listedFor[1].where).toBe(`s3://${s3.bucket}/recordings/outbound/${c.callId}.wav`);
    }
    expect(fs.readdirSync(path.join(sftp.directory, 'outbound')).filter((f) => f.endsWith('.part'))).toEqual([]);
    // Each file once: five calls, five recordings and five sidecars.
    expect(fs.readdirSync(path.join(sftp.directory, 'outbound')).sort()).toHaveLength(10);
    // The connection test of the saved target passes and says where it wrote.
    const test = ok(await admin.post('/api/archive/targets/primary/test', {}));
    expect(test).toMatchObject({ ok: true, hostKey: sftp.hostKeyFingerprint });
  }, 120_000);
});
