// Real protocol servers for the archive tests, each on 127.0.0.1, a free port and a temp folder:
// - SFTP: Debian's own OpenSSH `sshd` (the server customers run), started by the test with a generated host key and
//   a key-authenticated login as the user running the tests (root logs in with prohibit-password); its internal-sftp
//   subsystem serves the files;
// - FTP/FTPS: `ftp-srv` (FTPS with a self-signed certificate made by `openssl`);
// - S3: `s3rver` through test/s3.ts.
// Each can be stopped and started again on the same port, to make a target fail half-way and recover.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadlineMs = 15_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The processes below `pid` (read from /proc: the sshd sessions this test's sshd forked). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export interface TestSftp {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** The host key's OpenSSH fingerprint (SHA256:…). */
  hostKeyFingerprint: string;
  /** An empty folder the user may write to (the target's directory). */
  directory: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startSftp(): Promise<TestSftp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const userKey = path.join(dir, 'user_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  const authorized = path.join(dir, 'authorized_keys');
  fs.writeFileSync(authorized, fs.readFileSync(`${userKey}.pub`), { mode: 0o600 });
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  const directory = path.join(dir, 'archive');
  fs.mkdirSync(directory);
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // sshd running as root wants its privilege-separation directory.
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    try {
      await waitForPort(port);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start: ${err || (e as Error).message}`, { cause: e });
    }
  };
  // Stopping sshd's listener leaves its per-connection processes running: kill those too, as a server going down would.
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const sessions = descendants(c.pid!);
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited;
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    username: os.userInfo().username,
    privateKey: fs.readFileSync(userKey, 'utf8'),
    hostKeyFingerprint: fp,
    directory,
    start,
    stop,
    async cleanup() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestFtp {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The FTP root on disk; the target's directory "/" is this folder. */
  root: string;
  secure: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

interface FtpSrvInstance {
  listen(): Promise<unknown>;
  close(): Promise<unknown>;
  on(event: 'login', fn: (data: { username: string; password: string }, resolve: (r: { root: string }) => void, reject: (e: Error) => void) => void): void;
  on(event: 'client-error', fn: () => void): void;
}

/** ftp-srv with one user; `secure` makes it FTPS (explicit AUTH TLS) with a fresh self-signed certificate. */
export async function startFtp(opts: { secure?: boolean } = {}): Promise<TestFtp> {
  const { FtpSrv } = (await import('ftp-srv')) as unknown as { FtpSrv: new (o: Record<string, unknown>) => FtpSrvInstance };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-ftp-'));
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  let tls: { key: Buffer; cert: Buffer } | false = false;
  if (opts.secure) {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`],
      { stdio: 'ignore' },
    );
    tls = { key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) };
  }
  const port = await freePort();
  const username = 'archiver';
  const password = 'ftp-secret-1';
  let server: FtpSrvInstance | null = null;
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };
  const start = async () => {
    server = new FtpSrv({
      url: `ftp://127.0.0.1:${port}`,
      pasv_url: '127.0.0.1',
      pasv_min: 40000,
      pasv_max: 60000,
      anonymous: false,
      tls,
      greeting: 'earshot test ftp',
      log: silent,
    });
    server.on('login', ({ username: u, password: p }, resolve, reject) =>
      u === username && p === password ? resolve({ root }) : reject(new Error('bad credentials')),
    );
    server.on('client-error', () => {});
    await server.listen();
  };
  const stop = async () => {
    const s = server;
    server = null;
    if (s) await s.close().catch(() => {});
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    root,
    secure: !!opts.secure,
    start,
    stop,
    async cleanup() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
