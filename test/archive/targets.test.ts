// The archive targets against real servers: Debian's OpenSSH sshd (SFTP, key login, pinned host key), ftp-srv (FTP
// and FTPS), s3rver (S3) and a folder. Each writes atomically, reads back, reports sizes and deletes; wrong
// credentials, a wrong host key and a server that is down fail with a sentence instead of a hang.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, digest, probe, type Env, type TargetSpec } from '../../src/compliance/archive/targets.ts';
import { startS3rver, type TestS3 } from '../s3.ts';
import { startFtp, startSftp, type TestFtp, type TestSftp } from './servers.ts';

let sftp: TestSftp;
let ftp: TestFtp;
let ftps: TestFtp;
let s3: TestS3;
let folderRoot: string;
let env: Env;

beforeAll(async () => {
  [sftp, ftp, ftps, s3] = await Promise.all([startSftp(), startFtp(), startFtp({ secure: true }), startS3rver()]);
  folderRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-archive-root-'));
  env = { folderRoot, timeoutMs: 10_000 };
}, 60_000);
afterAll(async () => {
  await Promise.all([sftp?.cleanup(), ftp?.cleanup(), ftps?.cleanup(), s3?.stop()]);
  fs.rmSync(folderRoot, { recursive: true, force: true });
});

const specs = (): Array<[string, TargetSpec, (rel: string) => string | null]> => [
  ['folder', { kind: 'folder', settings: { path: 'calls' }, secrets: {}, hostKey: null }, (rel) => path.join(folderRoot, 'calls', rel)],
  [
    'sftp',
    {
      kind: 'sftp',
      settings: { host: sftp.host, port: sftp.port, username: sftp.username, directory: sftp.directory },
      secrets: { privateKey: sftp.privateKey },
      hostKey: sftp.hostKeyFingerprint,
    },
    (rel) => path.join(sftp.directory, rel),
  ],
  [
    'ftp',
    {
      kind: 'ftp',
      settings: { host: ftp.host, port: ftp.port, username: ftp.username, directory: '/rec', security: 'none', allowUntrustedCertificate: false },
      secrets: { password: ftp.password },
      hostKey: null,
    },
    (rel) => path.join(ftp.root, 'rec', rel),
  ],
  [
    'ftps',
    {
      kind: 'ftp',
      settings: { host: ftps.host, port: ftps.port, username: ftps.username, directory: '/rec', security: 'explicit', allowUntrustedCertificate: true },
      secrets: { password: ftps.password },
      hostKey: null,
    },
    (rel) => path.join(ftps.root, 'rec', rel),
  ],
  [
    's3',
    {
      kind: 's3',
      settings: {
        bucket: s3.bucket,
        region: s3.region,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        prefix: 'archive',
        accessKeyId: s3.accessKeyId,
        storageClass: null,
      },
      secrets: { secretAccessKey: s3.secretAccessKey },
      hostKey: null,
    },
    () => null,
  ],
];

describe('archive targets on real servers', () => {
  it.each(['folder', 'sftp', 'ftp', 'ftps', 's3'])(
    '%s: the connection test writes, reads back and deletes a probe file',
    async (name) => {
      const [, spec] = specs().find(([n]) => n === name)!;
      const r = await probe(spec, env);
      expect(r, r.message).toMatchObject({ ok: true });
      if (name === 'sftp') expect(r.hostKey).toBe(sftp.hostKeyFingerprint);
    },
    30_000,
  );

  it.each(['folder', 'sftp', 'ftp', 'ftps', 's3'])(
    '%s: puts a file in nested folders atomically, sizes and reads it back, removes it',
    async (name) => {
      const [, spec, onDisk] = specs().find(([n]) => n === name)!;
      const body = randomBytes(300_000);
      const rel = `2026/12/07/call-${randomBytes(3).toString('hex')}.wav`;
      const conn = await connect(spec, env);
      try {
        expect(await conn.size(rel)).toBeNull();
        await conn.put(rel, Readable.from([body.subarray(0, 100_000), body.subarray(100_000)]));
        expect(await conn.size(rel)).toBe(body.length);
        expect(await digest(await conn.read(rel))).toEqual({ size: body.length, sha256: createHash('sha256').update(body).digest('hex') });
        const file = onDisk(rel);
        if (file) {
          expect(fs.readFileSync(file).equals(body)).toBe(true);
          // Nothing left under a temporary name.
          expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.part'))).toEqual([]);
        }
        // Writing again replaces it.
        await conn.put(rel, Readable.from([Buffer.from('second')]));
        expect(await conn.size(rel)).toBe(6);
        await conn.remove(rel);
        expect(await conn.size(rel)).toBeNull();
      } finally {
        await conn.close();
      }
    },
    30_000,
  );

  it('a stream that breaks mid-upload leaves nothing under the final name (folder, sftp, ftp)', async () => {
    for (const name of ['folder', 'sftp', 'ftp']) {
      const [, spec] = specs().find(([n]) => n === name)!;
      const conn = await connect(spec, env);
      const rel = `broken-${name}.wav`;
      try {
        const failing = Readable.from(
          (async function* () {
            for (let i = 0; i < 4; i++) {
              yield randomBytes(64 * 1024);
              await new Promise((r) => setTimeout(r, 20));
            }
            throw new Error('source broke');
          })(),
        );
        await expect(conn.put(rel, failing)).rejects.toThrow();
        // The FTP control connection may be gone after an aborted transfer: look with a fresh one.
        const look = await connect(spec, env);
        expect(await look.size(rel)).toBeNull();
        await look.close();
      } finally {
        await conn.close();
      }
    }
  }, 60_000);

  it('says why a target cannot be used: wrong key, wrong password, wrong host key, nobody listening, outside the archive root', async () => {
    const all = specs();
    const sftpSpec = all.find(([n]) => n === 'sftp')![1];
    const ftpSpec = all.find(([n]) => n === 'ftp')![1];
    const otherKey = (await import('node:child_process')).execFileSync('sh', [
      '-c',
      `d=$(mktemp -d) && ssh-keygen -q -t ed25519 -N '' -f $d/k && cat $d/k && rm -rf $d`,
    ]);
    const wrongUserKey = await probe({ ...sftpSpec, secrets: { privateKey: otherKey.toString() } }, env);
    expect(wrongUserKey.ok).toBe(false);
    expect(wrongUserKey.message).toMatch(/auth/i);

    const wrongHost = await probe({ ...sftpSpec, hostKey: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, env);
    expect(wrongHost.ok).toBe(false);
    expect(wrongHost.message).toMatch(/host key/);

    const wrongPassword = await probe({ ...ftpSpec, secrets: { password: 'nope' } }, env);
    expect(wrongPassword.ok).toBe(false);

    const down = await probe({ ...ftpSpec, settings: { ...ftpSpec.settings, port: 1 } }, env);
    expect(down).toMatchObject({ ok: false });
    expect(down.message).toMatch(/refused/i);

    const outside = await probe({ kind: 'folder', settings: { path: '../../etc' }, secrets: {}, hostKey: null }, env);
    expect(outside).toMatchObject({ ok: false });
    expect(outside.message).toMatch(/inside the archive root/);
  }, 60_000);
});
