// An import tree is untrusted: links must not lead the import out of it (to /etc/passwd, to another tenant's
// folder), devices and pipes must not be read (/dev/zero once took 3 GB in 12 s), no file may be read past the
// upload limit, and no error may quote what a file holds. Both databases, trees generated in a temp dir.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { systemActor } from '../../auth/actor.ts';
import { buildEml } from '../email/fixtures.ts';
import { importTree } from './service.ts';
import { monoWav, put, tempDir } from './test-trees.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const SECRET = 'root:x:0:0:root:/root:/bin/bash\nsecret-token-4711\n';
const email = (id: string) =>
  buildEml({ messageId: id, from: 'jamie@example.com', to: 'support@acme.test', subject: `Mail ${id}`, date: new Date('2026-01-02T03:04:05Z'), text: 'hello' });
const call = (callId: string, extra: Record<string, unknown> = {}) => ({
  callId,
  startTime: '2026-01-02T03:04:05Z',
  direction: 'inbound',
  parties: [
    { key: 'agent', role: 'agent' },
    { key: 'customer', role: 'customer' },
  ],
  ...extra,
});
const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.each(ENGINES)('import tree safety on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(() => t.cleanup());

  const newTenant = async () => {
    const tenant = await makeTenant(t);
    return { tenantId: tenant.tenantId, actor: systemActor(tenant.tenantId, 'earshot import', 'cli') };
  };
  const segments = async (tenantId: string) =>
    Number((await sql<{ n: number }>`select count(*) as n from segments where tenant_id = ${tenantId}`.execute(t.db)).rows[0]!.n);
  const reasonOf = (s: { failures: Array<{ file: string; reason: string }> }, file: string) =>
    s.failures.find((f) => f.file === file)?.reason ?? '(not failed)';

  it('never follows a link: to a file outside, to a folder outside, or on the way to a listed audio file', async () => {
    const { tenantId, actor } = await newTenant();
    const outside = tmp();
    put(outside, 'passwd.json', SECRET);
    put(outside, 'other-tenant.eml', email('stolen@x.test'));
    put(outside, 'calls/x.wav', monoWav(500, 1));
    const root = tmp();
    put(root, 'ok.eml', email('ok@x.test'));
    fs.symlinkSync(path.join(outside, 'passwd.json'), path.join(root, 'passwd.json'));
    fs.symlinkSync(path.join(outside, 'other-tenant.eml'), path.join(root, 'leak.eml'));
    fs.symlinkSync(outside, path.join(root, 'linked'));
    put(root, 'via-link.json', call('via-link', { audio: [{ file: 'linked/calls/x.wav', party: 'agent' }] }));

    const s = await importTree(t, actor, { dir: root });
    expect(s.imported).toBe(1);
    expect(reasonOf(s, 'passwd.json')).toMatch(/symbolic link/);
    expect(reasonOf(s, 'leak.eml')).toMatch(/symbolic link/);
    expect(reasonOf(s, 'via-link.json')).toMatch(/symbolic link/);
    // The linked folder is not walked: the email inside it is neither imported nor listed.
    expect(s.failures.map((f) => f.file).sort()).toEqual(['leak.eml', 'passwd.json', 'via-link.json']);
    expect(await segments(tenantId)).toBe(1);
    expect(JSON.stringify(s)).not.toMatch(/root:x|secret-token/);
  });

  it('refuses devices and pipes instead of reading them without end', async () => {
    const { actor } = await newTenant();
    const root = tmp();
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.wav'));
    put(root, 'zero.json', call('zero'));
    if (hasMkfifo) execFileSync('mkfifo', [path.join(root, 'pipe.eml')]);
    const before = process.memoryUsage().rss;
    const s = await importTree(t, actor, { dir: root });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
    // zero.wav is refused (a link), so zero.json is a call without a recording, and is imported as one.
    expect(reasonOf(s, 'zero.wav')).toMatch(/symbolic link/);
    if (hasMkfifo) expect(reasonOf(s, 'pipe.eml')).toMatch(/not a regular file/);
  });

  it('refuses files over the upload limit, before reading them', async () => {
    const { actor } = await newTenant();
    const root = tmp();
    put(root, 'big.json', call('big'));
    put(root, 'big.wav', monoWav(2000, 1)); // ~32 kB
    put(root, 'big.eml', email('big@x.test'));
    const small = { ...t, config: { ...t.config, uploadLimitBytes: 10_000 } };
    const s = await importTree(small, actor, { dir: root });
    expect(reasonOf(s, 'big.json')).toMatch(/"big\.wav" is 0\.0 MB; files larger than 0\.0 MB are refused/);
    expect(s.imported).toBe(1); // the email: its own 25 MB cap applies
  });

  it('never quotes a file in an error message (sidecar, chat, CTR records)', async () => {
    const { actor } = await newTenant();
    const root = tmp();
    put(root, 'a.json', SECRET);
    put(root, 'b.chat.json', `{"chatId": "${SECRET.replace(/\n/g, ' ')}" ,}`);
    put(root, 'c.json', '{"callId": "secret-token-4711", "x": tru}');
    const s = await importTree(t, actor, { dir: root, format: 'files' });
    expect(s.failed).toBe(3);
    for (const f of s.failures) expect(f.reason).toMatch(/is not valid JSON/);
    expect(reasonOf(s, 'b.chat.json')).toMatch(/at line 1, column \d+/);
    const connect = tmp();
    put(connect, 'ctr/records.jsonl', `${SECRET}{"ContactId": "secret-token-4711", "Channel": tru}\n`);
    const c = await importTree(t, actor, { dir: connect, format: 'connect' });
    expect(c.failed).toBeGreaterThan(0);
    expect(JSON.stringify([s, c])).not.toMatch(/root:x|secret-token|bin\/bash/);
  });
});
