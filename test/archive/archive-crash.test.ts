// kill -9 in the middle of an archive run (a real child process on the same database, media and archive folder), on
// both engines: what was copied stays copied and listed; the copy in flight is neither lost nor listed as done, and
// leaves no file under its final name that is not complete; the next run finishes every copy, each file once, each
// conversation with one archive audit event per target, no temporary file left behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp } from '../helpers/context.ts';
import { tenantWithAdmin } from '../helpers/conversations.ts';
import { ok, type Client } from '../helpers/http.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { ingestCall } from '../../src/conversations/ingest/calls.ts';
import { interleave } from '../../src/media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../src/media/wav-write.ts';
import { newId } from '../../src/platform/ids.ts';
import { runArchive } from '../../src/compliance/archive/service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const script = path.join(here, 'crash-archiver.script.ts');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(ENGINES)('kill -9 during an archive run (%s)', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  const calls: Array<{ conversationId: string; callId: string; wav: Buffer }> = [];

  beforeAll(async () => {
    t = await createTestApp(engine);
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    ok(await admin.put('/api/archive/targets/primary', { kind: 'folder', settings: { path: 'vault' } }));
    ok(await admin.put('/api/archive/settings', { enabled: true, nameTemplate: '%{call-id}', timeZone: 'UTC', encryption: 'none', includeOlder: false }));
    // Big enough (about 2 MB each) that the kill lands inside a copy.
    for (let i = 0; i < 6; i++) {
      const wav = encodeWav({
        sampleRate: 8000,
        channels: 2,
        samples: interleave([synthSpeechLike(60_000, 8000, i + 1), synthSpeechLike(60_000, 8000, i + 9)]),
      });
      const callId = `crash-${i}-${newId()}`;
      const r = await ingestCall(
        t,
        ingest,
        {
          callId,
          startTime: new Date(Date.now() - 600_000 + i * 1000).toISOString(),
          direction: 'inbound',
          parties: [
            { key: 'agent', role: 'agent', extension: '8001' },
            { key: 'customer', role: 'customer', phone: `+1555020${i}` },
          ],
          audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
        },
        [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
      );
      calls.push({ conversationId: r.conversationId, callId, wav });
    }
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('loses nothing, lists nothing that is not there, and the next run finishes', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: {
        ...process.env,
        EARSHOT_DATA_DIR: t.config.dataDir,
        EARSHOT_DATABASE_URL: t.config.databaseUrl,
        EARSHOT_MASTER_KEY: t.config.masterKey!,
        EARSHOT_ARCHIVE_DIR: t.config.archiveDir,
        EARSHOT_LOG_LEVEL: 'silent',
        EARSHOT_DEMO: 'false',
        CRASH_TENANT: tenantId,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
    const deadline = Date.now() + 90_000;
    while (!out.includes('START 3 ')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the archiver did not get going (exit ${child.exitCode}):\n${out}\n${err}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('FINISHED');

    const dir = path.join(t.config.archiveDir, 'vault');
    const items = await t.db.selectFrom('archive_items').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(items).toHaveLength(6);
    const done = items.filter((i) => i.status === 'done');
    expect(done.length).toBe(2);
    // The copy in flight: still to do, never listed as done.
    expect(items.filter((i) => i.status === 'uploading')).toHaveLength(1);
    // Every file under a final name is complete (a kill mid-write leaves at most a temporary file).
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.wav'))) {
      const c = calls.find((x) => f === `${x.callId}.wav`)!;
      expect(sha(fs.readFileSync(path.join(dir, f)))).toBe(sha(c.wav));
    }

    const r = await runArchive(t, { tenantId });
    expect(r).toMatchObject({ copied: 4, failed: 0 });
    const after = await t.db.selectFrom('archive_items').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(after.map((i) => i.status)).toEqual(after.map(() => 'done'));
    for (const c of calls) {
      expect(sha(fs.readFileSync(path.join(dir, `${c.callId}.wav`)))).toBe(sha(c.wav));
      expect(JSON.parse(fs.readFileSync(path.join(dir, `${c.callId}.json`), 'utf8')).file.original.sha256).toBe(sha(c.wav));
      const events = await t.db
        .selectFrom('audit_events')
        .select('id')
        .where('resource_id', '=', c.conversationId)
        .where('action', '=', 'CONVERSATION_ARCHIVE')
        .execute();
      expect(events).toHaveLength(1);
    }
    // Six recordings, six sidecars, nothing else (the interrupted write's temporary file is gone).
    expect(fs.readdirSync(dir).sort()).toEqual(calls.flatMap((c) => [`${c.callId}.json`, `${c.callId}.wav`]).sort());
  }, 180_000);
});
