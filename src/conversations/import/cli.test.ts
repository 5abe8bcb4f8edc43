// The real command line: `earshot tenant create`, then `earshot import DIR` on a fresh data dir (SQLite), its
// summary on stdout, progress on stderr, and the exit code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBrokenTree, buildFilesTree, tempDir } from './test-trees.ts';

const BIN = path.resolve('bin/earshot.js');
const dirs: string[] = [];
const tmp = () => {
  const d = tempDir('earshot-import-cli-');
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function earshot(args: string[], dataDir: string) {
  // The database is the SQLite file in the data dir (EARSHOT_DATABASE_URL left out).
  const { EARSHOT_DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = { ...inherited, EARSHOT_DATA_DIR: dataDir, EARSHOT_DEMO: 'false', EARSHOT_LOG_LEVEL: 'warn' };
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

describe('earshot import (CLI)', () => {
  it('imports a tree into the only tenant, reports failures with exit code 1, and a re-run skips everything', () => {
    const dataDir = tmp();
    const tree = tmp();
    const good = buildFilesTree(path.join(tree, 'good'), { agentExtension: '1001' });

    const none = earshot(['import', tree], dataDir);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^earshot: There is no tenant to import into yet/m);

    const created = earshot(['tenant', 'create', 'Acme', '--admin-email', 'admin@acme.example', '--admin-password', 'Correct-Horse-42!'], dataDir);
    expect(created.status, created.stderr).toBe(0);

    const first = earshot(['import', path.join(tree, 'good')], dataDir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^Imported ${good.items}, skipped 0, failed 0 \\(${good.items} item\\(s\\) in \\d+:\\d\\d\\)$`, 'm'));
    expect(first.stderr).toMatch(new RegExp(`Importing ${good.items} item\\(s\\) from .* \\(files\\) into tenant "Acme"`));

    const again = earshot(['import', path.join(tree, 'good'), '--tenant', 'acme'], dataDir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^Imported 0, skipped ${good.items}, failed 0 `, 'm'));
    expect(again.stdout).toMatch(new RegExp(`^  ${good.items} already imported$`, 'm'));

    buildBrokenTree(path.join(tree, 'mixed'));
    const mixed = earshot(['import', path.join(tree, 'mixed'), '--format', 'files'], dataDir);
    expect(mixed.status).toBe(1);
    expect(mixed.stdout).toMatch(/^Imported 1, skipped 0, failed 3 /m);
    expect(mixed.stdout).toMatch(/^Failed:\n {2}bad\/bad\.json: Invalid call metadata field "direction"/m);
    expect(mixed.stdout).toMatch(/^ {2}broken\/broken\.json: "broken\.wav" /m);
    expect(mixed.stdout).toMatch(/^ {2}lonely\/lonely\.wav: No sidecar/m);
  }, 180_000);
});
