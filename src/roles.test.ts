// Process roles come from a registry: a role this version has not built refuses to start, before anything is opened,
// instead of being accepted and doing nothing.
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLES } from './config.ts';
import { ROLE_REGISTRY, ROLE_START_ORDER, assertRolesImplemented } from './roles.ts';

const BIN = path.resolve('bin/earshot.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function serve(args: string[], env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-roles-'));
  dirs.push(dataDir);
  const r = spawnSync(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, EARSHOT_DATA_DIR: dataDir, PORT: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, dataDir };
}

describe('process roles', () => {
  it('every role has an entry and a place in the start order; all four are built', () => {
    expect(Object.keys(ROLE_REGISTRY).sort()).toEqual([...ROLES].sort());
    expect([...ROLE_START_ORDER].sort()).toEqual([...ROLES].sort());
    expect(() => assertRolesImplemented(['api', 'worker', 'scheduler', 'recorder'])).not.toThrow();
  });

  it('earshot serve refuses a recorder with a bad setting, with one line naming it, before opening the database', () => {
    const r = serve([], { EARSHOT_ROLES: 'api,recorder', EARSHOT_SIP_HOST: 'sbc.example.com' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^earshot: EARSHOT_SIP_HOST: expected an IP address to bind to, got "sbc.example.com"/);
    expect(fs.existsSync(path.join(r.dataDir, 'earshot.db'))).toBe(false);
  });

  it('earshot recorder runs the SIPREC server: it answers SIP (a source on no allow-list gets 403)', async () => {
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
    const sipPort = await new Promise<number>((r) => {
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => r(p));
      });
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-roles-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, [BIN, 'recorder'], {
      env: {
        ...process.env,
        EARSHOT_DATA_DIR: dataDir,
        EARSHOT_DEMO: 'false',
        EARSHOT_SIP_HOST: '127.0.0.1',
        EARSHOT_SIP_PORT: String(sipPort),
        EARSHOT_RTP_WORKERS: '1',
        EARSHOT_LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    try {
      const options = [
        `OPTIONS sip:srs@127.0.0.1:${sipPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${probe.address().port};branch=z9hG4bKroles1`,
        'From: <sip:probe@127.0.0.1>;tag=1',
        `To: <sip:srs@127.0.0.1:${sipPort}>`,
        'Call-ID: roles-test-1',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      const answer = new Promise<string>((r) => probe.once('message', (m) => r(m.toString())));
      const timer = setInterval(() => probe.send(options, sipPort, '127.0.0.1'), 500);
      const text = await Promise.race([answer, new Promise<string>((r) => setTimeout(() => r('timeout'), 50_000))]).finally(() => clearInterval(timer));
      expect(text).toMatch(/^SIP\/2\.0 403 Forbidden\r\n/);
    } finally {
      child.kill('SIGTERM');
      probe.close();
    }
  }, 60_000);
});
