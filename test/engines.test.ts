// `npm install` must not print EBADENGINE: every package the lock file installs accepts the oldest Node that
// package.json promises (engines.node). Overrides pin cookie and content-disposition for that (see package.json).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

// npm's own semver, so the test judges ranges exactly as npm does.
const npmRoot = path.join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm');
const semver = createRequire(path.join(npmRoot, 'package.json'))('semver') as {
  minVersion(r: string): { version: string };
  satisfies(v: string, r: string): boolean;
};

describe('engines', () => {
  it('every locked package accepts the oldest supported Node', () => {
    const oldest = semver.minVersion(pkg.engines.node).version;
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
      .map(([name, p]) => `${name}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
