// Process roles come from a registry: a role this version has not built refuses to start, before anything is opened,
// instead of being accepted and doing nothing.
import { spawnSync } from 'node:child_process';
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
  it('every role has an entry and a place in the start order; api, worker and scheduler are built', () => {
    expect(Object.keys(ROLE_REGISTRY).sort()).toEqual([...ROLES].sort());
    expect([...ROLE_START_ORDER].sort()).toEqual([...ROLES].sort());
    expect(() => assertRolesImplemented(['api', 'worker', 'scheduler'])).not.toThrow();
    expect(() => assertRolesImplemented(['worker', 'recorder'], '--roles')).toThrow(
      '--roles: the recorder role is not implemented in this version (records calls from an SBC over SIPREC; planned); run one or more of worker, scheduler, api',
    );
  });

  it('earshot serve refuses a role that is not built, with one line, before opening the database', () => {
    const r = serve([], { EARSHOT_ROLES: 'api,recorder' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^earshot: EARSHOT_ROLES: the recorder role is not implemented in this version/);
    expect(fs.existsSync(path.join(r.dataDir, 'earshot.db'))).toBe(false);
  });
});
