// The four kinds of archive target behind one small interface: a folder (local or mounted, e.g. NFS), SFTP
// (ssh2-sftp-client), S3 or any S3-compatible store (the AWS SDK) and FTP/FTPS (basic-ftp).
//
// Every put is atomic at the target: a folder, SFTP or FTP file is written under a temporary name beside its final one
// and renamed into place; an S3 object appears only when its upload completes. So a crash or a broken connection
// never leaves a half-written file under a final name, and a retry simply writes it again.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, type StorageClass } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Client as FtpClient } from 'basic-ftp';
import SftpClient from 'ssh2-sftp-client';

export const TARGET_KINDS = ['folder', 'sftp', 's3', 'ftp'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface FolderSettings {
  /** Below the server's archive root (EARSHOT_ARCHIVE_DIR); "" is the root itself. */
  path: string;
}
export interface SftpSettings {
  host: string;
  port: number;
  username: string;
  directory: string;
}
export interface S3Settings {
  bucket: string;
  region: string;
  endpoint: string | null;
  forcePathStyle: boolean;
  prefix: string;
  accessKeyId: string;
  storageClass: string | null;
}
export interface FtpSettings {
  host: string;
  port: number;
  username: string;
  directory: string;
  /** none: plain FTP (credentials and recordings in the clear); explicit: AUTH TLS on the control port; implicit: TLS from the start (port 990). */
  security: 'none' | 'explicit' | 'implicit';
  /** Accept a certificate no public authority signed (a self-signed server). */
  allowUntrustedCertificate: boolean;
}
export type TargetSettings = FolderSettings | SftpSettings | S3Settings | FtpSettings;

/** What is sealed under the tenant key; never shown again. */
export interface TargetSecrets {
  password?: string;
  privateKey?: string;
  passphrase?: string;
  secretAccessKey?: string;
}

export interface TargetSpec {
  kind: TargetKind;
  settings: TargetSettings;
  secrets: TargetSecrets;
  /** SFTP: the pinned host key fingerprint (SHA256:…); null pins the first one seen. */
  hostKey: string | null;
}

export interface Env {
  /** Folder targets live below this directory (EARSHOT_ARCHIVE_DIR). */
  folderRoot: string;
  timeoutMs?: number;
}

export interface ArchiveConnection {
  /** Writes `body` to `rel` (a relative path with `/`), creating folders, atomically. */
  put(rel: string, body: Readable): Promise<void>;
  /** The size of `rel`, or null when it does not exist. */
  size(rel: string): Promise<number | null>;
  /** Reads `rel` back (verification). */
  read(rel: string): Promise<Readable>;
  remove(rel: string): Promise<void>;
  /** Where `rel` is, for people: sftp://host:22/dir/rel, s3://bucket/prefix/rel, … */
  where(rel: string): string;
  close(): Promise<void>;
  /** SFTP: the fingerprint of the host key the server presented. */
  readonly hostKey?: string | null;
}

export class TargetError extends Error {
  constructor(
    readonly reason: 'HOST_KEY_MISMATCH' | 'TARGET_OUTSIDE_ROOT' | 'TARGET_UNREACHABLE' | 'TARGET_CONFIG',
    message: string,
  ) {
    super(message);
  }
}

const tmpName = (rel: string) => {
  const dir = path.posix.dirname(rel);
  const base = `.${path.posix.basename(rel)}.${randomBytes(4).toString('hex')}.part`;
  return dir === '.' ? base : `${dir}/${base}`;
};
const joinRemote = (dir: string, rel: string) => path.posix.join(dir || '/', rel);
/** A temporary file an earlier, interrupted write of `rel` left behind (a crash, a dropped connection). */
const isTempOf = (rel: string, name: string) => name.startsWith(`.${path.posix.basename(rel)}.`) && name.endsWith('.part');

/** Where a target points (kind + server + folder, not the account): a change of it means a new target. */
export function locationOf(kind: TargetKind, s: TargetSettings): string {
  switch (kind) {
    case 'folder':
      return `folder:${(s as FolderSettings).path}`;
    case 'sftp': {
      const x = s as SftpSettings;
      return `sftp://${x.host}:${x.port}/${x.directory}`;
    }
    case 's3': {
      const x = s as S3Settings;
      return `s3:${x.endpoint ?? 'aws'}/${x.bucket}/${x.prefix}`;
    }
    case 'ftp': {
      const x = s as FtpSettings;
      return `ftp://${x.host}:${x.port}/${x.directory}`;
    }
  }
}

/** OpenSSH's fingerprint format: SHA256:<base64 without padding>. */
export const fingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

// ---- folder ---------------------------------------------------------------------------------------------------

export function folderDir(env: Env, s: FolderSettings): string {
  const root = path.resolve(env.folderRoot);
  const dir = path.resolve(root, s.path || '.');
  if (dir !== root && !dir.startsWith(root + path.sep)) throw new TargetError('TARGET_OUTSIDE_ROOT', `The folder must be inside the archive root ${root}`);
  return dir;
}

class FolderConnection implements ArchiveConnection {
  constructor(private readonly dir: string) {}

  private abs(rel: string): string {
    const p = path.resolve(this.dir, rel);
    if (!p.startsWith(this.dir + path.sep)) throw new TargetError('TARGET_OUTSIDE_ROOT', `"${rel}" is outside the archive folder`);
    return p;
  }

  async put(rel: string, body: Readable): Promise<void> {
    const final = this.abs(rel);
    const tmp = this.abs(tmpName(rel));
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    for (const f of await fs.promises.readdir(path.dirname(final))) {
      if (isTempOf(rel, f)) await fs.promises.rm(path.join(path.dirname(final), f), { force: true });
    }
    try {
      await pipeline(body, fs.createWriteStream(tmp, { flags: 'wx' }));
      const fh = await fs.promises.open(tmp, 'r');
      await fh.sync().finally(() => fh.close());
      await fs.promises.rename(tmp, final);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      throw e;
    }
  }

  async size(rel: string): Promise<number | null> {
    try {
      return (await fs.promises.stat(this.abs(rel))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async read(rel: string): Promise<Readable> {
    return fs.createReadStream(this.abs(rel));
  }

  async remove(rel: string): Promise<void> {
    await fs.promises.rm(this.abs(rel), { force: true });
  }

  where(rel: string): string {
    return path.join(this.dir, rel);
  }

  async close(): Promise<void> {}
}

// ---- SFTP -----------------------------------------------------------------------------------------------------

class SftpConnection implements ArchiveConnection {
  hostKey: string | null = null;
  private readonly client = new SftpClient('earshot-archive');

  constructor(private readonly s: SftpSettings) {}

  async open(secrets: TargetSecrets, pinned: string | null, timeoutMs: number): Promise<void> {
    let mismatch = false;
    try {
      await this.client.connect({
        host: this.s.host,
        port: this.s.port,
        username: this.s.username,
        ...(secrets.privateKey ? { privateKey: secrets.privateKey, passphrase: secrets.passphrase || undefined } : { password: secrets.password }),
        readyTimeout: timeoutMs,
        // The fingerprint the server shows is compared with the pinned one; with none pinned yet, the first is recorded.
        hostVerifier: (key: Buffer) => {
          this.hostKey = fingerprint(key);
          mismatch = pinned !== null && pinned !== this.hostKey;
          return !mismatch;
        },
      });
    } catch (e) {
      if (mismatch)
        throw new TargetError(
          'HOST_KEY_MISMATCH',
          `The SFTP server's host key ${this.hostKey} is not the pinned ${pinned}: refusing to connect (a new server, or someone in between). Clear the pinned key in the target to trust the new one.`,
        );
      throw e;
    }
  }

  async put(rel: string, body: Readable): Promise<void> {
    const final = joinRemote(this.s.directory, rel);
    const tmp = joinRemote(this.s.directory, tmpName(rel));
    await this.client.mkdir(path.posix.dirname(final), true);
    for (const f of await this.client.list(path.posix.dirname(final), (e) => isTempOf(rel, e.name))) {
      await this.client.delete(path.posix.join(path.posix.dirname(final), f.name), true);
    }
    try {
      await this.client.put(body, tmp);
      // SFTP v3's rename fails on an existing name; a leftover final file (a retry after an unverified copy) goes first.
      if (await this.client.exists(final)) await this.client.delete(final);
      await this.client.rename(tmp, final);
    } catch (e) {
      await this.client.delete(tmp, true).catch(() => {});
      throw e;
    }
  }

  async size(rel: string): Promise<number | null> {
    const p = joinRemote(this.s.directory, rel);
    const e = await this.client.exists(p);
    if (!e) return null;
    return (await this.client.stat(p)).size;
  }

  async read(rel: string): Promise<Readable> {
    const stream = this.client.createReadStream(joinRemote(this.s.directory, rel)) as unknown as Readable;
    // When the connection drops, ssh2's stream reports it again after its reader has stopped (its close request is
    // failed too): that late error has no listener left and would end the process. The reader still gets the first.
    stream.on('error', () => {});
    return stream;
  }

  async remove(rel: string): Promise<void> {
    await this.client.delete(joinRemote(this.s.directory, rel), true);
  }

  where(rel: string): string {
    return `sftp://${this.s.host}:${this.s.port}${joinRemote(this.s.directory, rel)}`;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

// ---- S3 -------------------------------------------------------------------------------------------------------

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

class S3Connection implements ArchiveConnection {
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(
    private readonly s: S3Settings,
    secrets: TargetSecrets,
    timeoutMs: number,
  ) {
    const p = s.prefix.replace(/^\/+/, '');
    this.prefix = p && !p.endsWith('/') ? `${p}/` : p;
    this.client = new S3Client({
      region: s.region || 'us-east-1',
      endpoint: s.endpoint || undefined,
      forcePathStyle: s.forcePathStyle,
      credentials: s.accessKeyId && secrets.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: secrets.secretAccessKey } : undefined,
      // The copy is verified by reading it back (size and SHA-256); the SDK's CRC trailers are not understood by every
      // S3-compatible store.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
      maxAttempts: 2,
    });
  }

  private key(rel: string) {
    return this.prefix + rel;
  }

  async put(rel: string, body: Readable): Promise<void> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.s.bucket, Key: this.key(rel), Body: body, ...(this.s.storageClass ? { StorageClass: this.s.storageClass as StorageClass } : {}) },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
    }).done();
  }

  async size(rel: string): Promise<number | null> {
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.s.bucket, Key: this.key(rel) }));
      return Number(h.ContentLength ?? 0);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async read(rel: string): Promise<Readable> {
    const r = await this.client.send(new GetObjectCommand({ Bucket: this.s.bucket, Key: this.key(rel) }));
    return r.Body as Readable;
  }

  async remove(rel: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s.bucket, Key: this.key(rel) }));
  }

  where(rel: string): string {
    return `s3://${this.s.bucket}/${this.key(rel)}`;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

// ---- FTP / FTPS -----------------------------------------------------------------------------------------------

class FtpConnection implements ArchiveConnection {
  private readonly client: FtpClient;
  /** A download handed out as a stream still holds the control connection until the server's 226: wait for it. */
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly s: FtpSettings,
    timeoutMs: number,
  ) {
    this.client = new FtpClient(timeoutMs);
  }

  async open(secrets: TargetSecrets): Promise<void> {
    await this.client.access({
      host: this.s.host,
      port: this.s.port,
      user: this.s.username || 'anonymous',
      password: secrets.password ?? '',
      secure: this.s.security === 'none' ? false : this.s.security === 'implicit' ? 'implicit' : true,
      secureOptions: this.s.allowUntrustedCertificate ? { rejectUnauthorized: false } : undefined,
    });
  }

  async put(rel: string, body: Readable): Promise<void> {
    await this.idle();
    const final = joinRemote(this.s.directory, rel);
    const tmp = joinRemote(this.s.directory, tmpName(rel));
    await this.client.ensureDir(path.posix.dirname(final));
    await this.client.cd('/');
    try {
      await this.client.uploadFrom(body, tmp);
      if ((await this.size(rel)) !== null) await this.client.remove(final);
      await this.client.rename(tmp, final);
    } catch (e) {
      if (!this.client.closed) await this.client.remove(tmp, true).catch(() => {});
      throw e;
    }
  }

  private async idle(): Promise<void> {
    await this.busy.catch(() => {});
  }

  async size(rel: string): Promise<number | null> {
    await this.idle();
    try {
      return await this.client.size(joinRemote(this.s.directory, rel));
    } catch (e) {
      // 550: no such file (what every server answers to SIZE of a missing file).
      if ((e as { code?: number }).code === 550) return null;
      throw e;
    }
  }

  async read(rel: string): Promise<Readable> {
    await this.idle();
    const out = new PassThrough();
    this.busy = this.client.downloadTo(out, joinRemote(this.s.directory, rel)).catch((e: Error) => out.destroy(e));
    return out;
  }

  async remove(rel: string): Promise<void> {
    await this.idle();
    await this.client.remove(joinRemote(this.s.directory, rel), true);
  }

  where(rel: string): string {
    return `${this.s.security === 'none' ? 'ftp' : 'ftps'}://${this.s.host}:${this.s.port}${joinRemote(this.s.directory, rel)}`;
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

// ---- opening --------------------------------------------------------------------------------------------------

export async function connect(spec: TargetSpec, env: Env): Promise<ArchiveConnection> {
  const timeoutMs = env.timeoutMs ?? 20_000;
  switch (spec.kind) {
    case 'folder': {
      const dir = folderDir(env, spec.settings as FolderSettings);
      await fs.promises.mkdir(dir, { recursive: true });
      return new FolderConnection(dir);
    }
    case 'sftp': {
      const c = new SftpConnection(spec.settings as SftpSettings);
      try {
        await c.open(spec.secrets, spec.hostKey, timeoutMs);
      } catch (e) {
        await c.close();
        throw e;
      }
      return c;
    }
    case 's3':
      return new S3Connection(spec.settings as S3Settings, spec.secrets, timeoutMs);
    case 'ftp': {
      const c = new FtpConnection(spec.settings as FtpSettings, timeoutMs);
      try {
        await c.open(spec.secrets);
      } catch (e) {
        await c.close();
        throw e;
      }
      return c;
    }
  }
}

/** Reads a stream to the end and returns its size and SHA-256. */
export async function digest(stream: Readable): Promise<{ size: number; sha256: string }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    h.update(b);
    size += b.length;
  }
  return { size, sha256: h.digest('hex') };
}

/**
 * The connection test: connect, write a small probe file, read it back and compare, delete it. Says what failed in
 * words a person can act on.
 */
export async function probe(spec: TargetSpec, env: Env): Promise<{ ok: boolean; message: string; hostKey: string | null; ms: number }> {
  const started = Date.now();
  let conn: ArchiveConnection | null = null;
  let hostKey: string | null = null;
  try {
    conn = await connect(spec, env);
    hostKey = conn.hostKey ?? null;
    const rel = `.earshot-probe-${randomBytes(6).toString('hex')}`;
    const body = Buffer.from(`earshot archive connection test ${new Date().toISOString()}\n`);
    await conn.put(rel, Readable.from([body]));
    const back = await digest(await conn.read(rel));
    await conn.remove(rel);
    if (back.size !== body.length || back.sha256 !== createHash('sha256').update(body).digest('hex'))
      return { ok: false, message: 'The test file read back differs from what was written', hostKey, ms: Date.now() - started };
    return { ok: true, message: `Connected, wrote, read back and deleted a test file at ${conn.where(rel)}`, hostKey, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, message: describeError(e), hostKey: hostKey ?? (e instanceof TargetError ? null : null), ms: Date.now() - started };
  } finally {
    await conn?.close();
  }
}

/** A transfer error in a sentence (network codes spelled out). */
export function describeError(e: unknown): string {
  const err = e as { code?: string | number; message?: string; name?: string } | null;
  const msg = (err?.message ?? String(e)).split('\n')[0]!.slice(0, 400);
  switch (err?.code) {
    case 'ECONNREFUSED':
      return `Connection refused (${msg})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Host name not found (${msg})`;
    case 'ETIMEDOUT':
      return `Timed out (${msg})`;
    case 'EACCES':
    case 'EPERM':
      return `Permission denied (${msg})`;
    default:
      return msg || err?.name || 'Unknown error';
  }
}
