// The Import screen's API on both databases: an upload of a folder (sidecar calls, emails, a chat) and of an Amazon
// Connect export as a zip runs through the job to the same summary as `earshot import`; limits answer 4xx and leave
// nothing stored; hostile zips (a "../" entry, a link, junk) fail in the summary without writing outside; audited.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { login, makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import { multipart, type Part } from '../../../test/helpers/multipart.ts';
import * as repo from '../repository.ts';
import { buildConnectTree, buildFilesTree, CONNECT_IDS, monoWav, tempDir } from './test-trees.ts';
import { filesUnder, zipOf } from './test-zip.ts';
import type { ImportRunView } from './schemas.ts';
import { uploadPath } from './upload.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

describe('upload paths', () => {
  it('keeps a folder path and refuses what could leave the upload', () => {
    expect(uploadPath('calls/pair/c2.json')).toBe('calls/pair/c2.json');
    expect(uploadPath('calls\\c1.wav')).toBe('calls/c1.wav');
    expect(uploadPath('./a.eml')).toBe('a.eml');
    for (const bad of ['../x.json', 'a/../../x', '/etc/passwd', 'C:/x.wav', 'a//', '', 'a/\u0000b'])
      expect(() => uploadPath(bad), bad).toThrow(/not a file name/);
  });
});

describe.each(ENGINES)('import uploads on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    // Small limits, so the 413 cases need no large bodies.
    t = await createTestApp(engine, { EARSHOT_IMPORT_MAX_FILES: '12', EARSHOT_IMPORT_MAX_MB: '3', EARSHOT_UPLOAD_LIMIT_MB: '2' });
  });
  afterAll(() => t.cleanup());

  const newTenant = async () => {
    const tenant = await makeTenant(t);
    await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '1001', name: 'Alex Agent' });
    return { ...tenant, cookie: await login(t.app, tenant.admin) };
  };
  const upload = (cookie: string, files: Array<{ name: string; data: Buffer | string }>, fields: Record<string, string> = {}) => {
    const parts: Part[] = [
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      ...files.map((f) => ({ name: 'files', file: { fileName: f.name, data: Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data) } })),
    ];
    const body = multipart(parts);
    return t.app.inject({ method: 'POST', url: '/api/imports', headers: { ...body.headers, cookie }, payload: body.payload });
  };
  const get = async (cookie: string, id: string): Promise<ImportRunView> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const count = async (table: 'import_runs' | 'import_files' | 'blobs' | 'conversations', tenantId: string) =>
    table === 'import_files'
      ? Number(
          (
            await sql<{ n: number }>`select count(*) as n from import_files f join import_runs r on r.id = f.run_id where r.tenant_id = ${tenantId}`.execute(
              t.db,
            )
          ).rows[0]!.n,
        )
      : Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(t.db)).rows[0]!.n);
  const audit = async (tenantId: string) =>
    (
      await t.db
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('tenant_id', '=', tenantId)
        .where('resource_type', '=', 'import')
        .orderBy('seq')
        .execute()
    ).map((e) => e.action);

  it('imports a dropped folder through the job with the summary of earshot import; a second upload skips it all', async () => {
    const { tenantId, cookie } = await newTenant();
    const root = tmp();
    const tree = buildFilesTree(root, { agentExtension: '1001' });
    const files = filesUnder(root).map((f) => ({ name: `march/${f.name}`, data: f.data }));

    const res = await upload(cookie, files);
    expect(res.statusCode, res.body).toBe(202);
    const queued: ImportRunView = res.json();
    expect(queued).toMatchObject({ status: 'queued', format: 'auto', dryRun: false, fileCount: files.length, done: 0, summary: null });
    expect(queued.jobId).toBeTruthy();
    expect(await count('import_files', tenantId)).toBe(files.length);

    await runJobs(t);
    const run = await get(cookie, queued.id);
    expect(run.status).toBe('done');
    expect(run.summary).toMatchObject({ format: 'files', imported: tree.items, skipped: 0, failed: 0, total: tree.items, failures: [] });
    expect(run.done).toBe(tree.items);
    expect(run.summary).not.toHaveProperty('dir'); // the server's working folder is not shown
    expect(await repo.findSegmentByExternalId(t.db, tenantId, 'call', 'imp-c1')).toBeTruthy();
    expect(await repo.findSegmentByExternalId(t.db, tenantId, 'chat', 'imp-chat-1')).toBeTruthy();
    // The uploaded files are gone from the store and the working folder is removed.
    expect(await count('import_files', tenantId)).toBe(0);
    expect(fs.existsSync(path.join(t.dataDir, 'import-work', queued.id))).toBe(false);
    expect(await audit(tenantId)).toEqual(['IMPORT_STARTED', 'IMPORT_FINISHED']);

    const blobsBefore = await count('blobs', tenantId);
    const again = (await upload(cookie, files)).json() as ImportRunView;
    await runJobs(t);
    expect((await get(cookie, again.id)).summary).toMatchObject({ imported: 0, skipped: tree.items, skippedByReason: { 'already imported': tree.items } });
    expect(await count('blobs', tenantId)).toBe(blobsBefore);

    const list = await t.app.inject({ method: 'GET', url: '/api/imports', headers: { cookie } });
    expect(list.json().items.map((r: ImportRunView) => r.id)).toEqual([again.id, queued.id]);
    expect(list.json().limits).toMatchObject({ maxFiles: 12, maxBytes: 3 * 2 ** 20 });

    // Another tenant's administrator neither sees nor reads these runs.
    const other = await newTenant();
    expect((await t.app.inject({ method: 'GET', url: `/api/imports/${queued.id}`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/imports', headers: { cookie: other.cookie } })).json().items).toEqual([]);
  });

  it('fails a run whose uploader was disabled before it ran, saying why, and deletes the uploaded files', async () => {
    const { tenantId, cookie } = await newTenant();
    const importer = await makeUser(t, tenantId, { roles: ['admin'], name: 'Imelda Importer' });
    const run = (await upload(await login(t.app, importer), [{ name: 'a.eml', data: 'Subject: x\r\n\r\nx' }])).json() as ImportRunView;
    const blobs = await count('blobs', tenantId);
    await t.db.updateTable('users').set({ disabled: 1 }).where('id', '=', importer.id).execute();
    await runJobs(t);
    const failed = await get(cookie, run.id);
    expect(failed).toMatchObject({ status: 'failed', summary: null });
    expect(failed.error).toMatch(/Imelda Importer.*no longer has an active account/);
    expect(await count('import_files', tenantId)).toBe(0);
    expect(await count('blobs', tenantId)).toBe(blobs - 1);
    expect(await count('conversations', tenantId)).toBe(0);
    expect(await audit(tenantId)).toEqual(['IMPORT_STARTED', 'IMPORT_FINISHED']);
  });

  it('imports an Amazon Connect export sent as a zip (format detected), and a dry run stores nothing', async () => {
    const { tenantId, cookie } = await newTenant();
    await makeUser(t, tenantId, { roles: ['agent'], extension: '2001', name: 'Julien Laurent' });
    const root = tmp();
    buildConnectTree(root, { firstAgent: 'alex', transferAgent: 'julien' });
    const zip = zipOf(filesUnder(root));

    const dry = (await upload(cookie, [{ name: 'acme-export.zip', data: zip }], { dryRun: 'true' })).json() as ImportRunView;
    expect(dry.dryRun).toBe(true);
    await runJobs(t);
    const checked = await get(cookie, dry.id);
    expect(checked.summary).toMatchObject({ format: 'connect', dryRun: true });
    expect(checked.summary!.imported).toBeGreaterThan(0);
    expect(await count('conversations', tenantId)).toBe(0);

    const real = (await upload(cookie, [{ name: 'acme-export.zip', data: zip }], { format: 'connect' })).json() as ImportRunView;
    await runJobs(t);
    const done = await get(cookie, real.id);
    expect(done.status).toBe('done');
    expect(done.summary).toMatchObject({ format: 'connect', imported: checked.summary!.imported, failed: checked.summary!.failed });
    expect(done.summary!.failures.map((f) => f.file).join(' ')).toContain('acme-export/'); // labels inside the zip's folder
    expect(await repo.findSegmentByExternalId(t.db, tenantId, 'call', CONNECT_IDS.transfer)).toBeTruthy();
  });

  it('reports hostile and broken zips in the summary, writes nothing outside, and imports the rest', async () => {
    const { tenantId, cookie } = await newTenant();
    const meta = {
      callId: 'imp-beside-zips',
      startTime: '2026-03-02T09:00:00.000Z',
      direction: 'inbound',
      parties: [
        { key: 'agent', role: 'agent', extension: '1001' },
        { key: 'c', role: 'customer' },
      ],
    };
    const escape = path.join(t.dataDir, 'import-work', 'escaped.json');
    const res = await upload(cookie, [
      { name: 'good.wav', data: monoWav(1000, 9) },
      { name: 'good.json', data: JSON.stringify(meta) },
      { name: 'evil.zip', data: zipOf([{ name: '../escaped.json', data: '{}' }]) },
      { name: 'links.zip', data: zipOf([{ name: 'passwd.json', data: '/etc/passwd', symlink: true }]) },
      { name: 'junk.zip', data: 'this is not a zip' },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    await runJobs(t);
    const run = await get(cookie, (res.json() as ImportRunView).id);
    expect(run.summary).toMatchObject({ imported: 1, failed: 3 });
    const failures = Object.fromEntries(run.summary!.failures.map((f) => [f.file, f.reason]));
    expect(failures['evil.zip']).toMatch(/damaged.*relative path|outside/);
    expect(failures['links.zip/passwd.json']).toMatch(/symbolic link/);
    expect(failures['junk.zip']).toMatch(/not a readable zip/);
    expect(fs.existsSync(escape)).toBe(false);
    expect(await count('conversations', tenantId)).toBe(1);
  });

  it('answers 4xx with a reason for too many files, too many bytes, bad names and no file, storing nothing', async () => {
    const { tenantId, cookie } = await newTenant();
    const blobs = await count('blobs', tenantId);
    const many = Array.from({ length: 13 }, (_, i) => ({ name: `m/${i}.eml`, data: 'x' }));
    fails(await upload(cookie, many), 413, 'PAYLOAD_TOO_LARGE', 'TOO_MANY_FILES');
    const big = [
      { name: 'a.zip', data: Buffer.alloc(Math.round(2.2 * 2 ** 20)) }, // over the file limit, but a zip: taken
      { name: 'b.zip', data: Buffer.alloc(Math.round(2.2 * 2 ** 20)) }, // over the upload's total
    ];
    fails(await upload(cookie, big), 413, 'PAYLOAD_TOO_LARGE', 'UPLOAD_TOO_LARGE');
    // One file over EARSHOT_UPLOAD_LIMIT_MB (the import would not read it) is refused at once.
    fails(await upload(cookie, [{ name: 'huge.wav', data: Buffer.alloc(Math.round(2.5 * 2 ** 20)) }]), 413, 'PAYLOAD_TOO_LARGE', 'FILE_TOO_LARGE');
    fails(
      await upload(cookie, [
        { name: 'ok.eml', data: 'x' },
        { name: '../up.eml', data: 'x' },
      ]),
      400,
      'VALIDATION_FAILED',
      'BAD_FILE_NAME',
    );
    fails(
      await upload(cookie, [
        { name: 'a/b', data: 'x' },
        { name: 'a/b/c.eml', data: 'x' },
      ]),
      400,
      'VALIDATION_FAILED',
      'DUPLICATE_FILE',
    );
    fails(await upload(cookie, [], { format: 'files' }), 400, 'VALIDATION_FAILED', 'MISSING_FILE');
    fails(await upload(cookie, [{ name: 'a.eml', data: 'x' }], { format: 'csv' }), 400, 'VALIDATION_FAILED');
    const json = await t.app.inject({ method: 'POST', url: '/api/imports', headers: { cookie }, payload: {} });
    expect(json.statusCode).toBe(415);
    expect(await count('import_runs', tenantId)).toBe(0);
    expect(await count('blobs', tenantId)).toBe(blobs);
    expect(await audit(tenantId)).toEqual([]);
  });

  it('is refused to a user without ingest.write, before the upload is read', async () => {
    const { tenantId } = await newTenant();
    const manager = await makeUser(t, tenantId, { roles: ['cc_manager'] });
    const cookie = await login(t.app, manager);
    fails(await upload(cookie, [{ name: 'a.eml', data: 'x' }]), 403, 'FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: '/api/imports', headers: { cookie } })).statusCode).toBe(403);
    expect(await count('blobs', tenantId)).toBe(0);
  });
});
