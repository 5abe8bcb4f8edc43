// A child started with spawnTied dies when its parent is killed with SIGKILL (the parent cannot clean up), and a
// missing command still fails with ENOENT, as callers that probe for optional binaries expect.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childrenTied, spawnTied } from './tied.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('spawnTied', () => {
  it.runIf(childrenTied)('kills the child when the parent is killed with SIGKILL', async () => {
    const tied = pathToFileURL(fileURLToPath(new URL('./tied.ts', import.meta.url))).href;
    // The parent starts `sleep 60` through spawnTied, prints its pid and waits.
    const script = `import(${JSON.stringify(tied)}).then(({ spawnTied }) => { const c = spawnTied('sleep', ['60'], { stdio: 'ignore' }); c.on('spawn', () => console.log(c.pid)); setInterval(() => {}, 1000); });`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      parent.once('exit', () => reject(new Error('the parent exited before starting its child')));
    });
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await until(() => !alive(pid), 5000)).toBe(true);
  });

  it('fails a missing command with ENOENT', async () => {
    const child = spawnTied('earshot-no-such-binary', [], { stdio: 'ignore' });
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    expect(err.code).toBe('ENOENT');
  });

  it('passes arguments and output through', async () => {
    const child = spawnTied('echo', ['a b', '--c'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.once('close', r));
    expect(out).toBe('a b --c\n');
  });
});
