// The import rules of .dependency-cruiser.cjs hold for the code base, and they do catch what they are meant to catch
// (checked on a small throwaway tree that breaks each of them).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(cwd: string, config: string, targets: string[]): Violation[] {
  const r = spawnSync(process.execPath, [DEPCRUISE, '--config', config, '--output-type', 'json', ...targets], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  if (!r.stdout) throw new Error(`dependency-cruiser failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('import rules', () => {
  it('the code base keeps them: no cycle, the platform imports no feature, the web only shared schema types', () => {
    const violations = cruise(ROOT, '.dependency-cruiser.cjs', ['src', 'web/src']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('catch cycles, platform → feature, undeclared neighbours, composition roots, migrations and web → server code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-deps-'));
    dirs.push(dir);
    const files: Record<string, string> = {
      'src/platform/jobs/queue.ts': "import { x } from '../../search/service.ts';\nexport const q = x;\n",
      'src/platform/db/migrations/0001.ts': "import { q } from '../../jobs/queue.ts';\nexport const m = q;\n",
      'src/search/service.ts': "import { r } from '../reports/service.ts';\nexport const x = r;\n",
      'src/reports/service.ts': "import { ctx } from '../context.ts';\nexport const r = ctx;\n",
      'src/context.ts': "import { JOBS } from './jobs.ts';\nexport const ctx = JOBS;\n",
      'src/jobs.ts': "import { x } from './search/service.ts';\nexport const JOBS = x;\n",
      'src/settings/service.ts': "import { JOBS } from '../jobs.ts';\nexport const s = JOBS;\n",
      'web/src/page.ts': "import { x } from '../../src/search/service.ts';\nimport type { Q } from '../../src/search/schemas.ts';\nexport const p: Q = x;\n",
      'src/search/schemas.ts': 'export type Q = unknown;\n',
    };
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }),
    );
    fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
    const found = new Set(cruise(dir, '.dependency-cruiser.cjs', ['src', 'web/src']).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));
    for (const expected of [
      'platform-imports-no-feature: src/platform/jobs/queue.ts → src/search/service.ts',
      'migrations-import-no-live-code: src/platform/db/migrations/0001.ts → src/platform/jobs/queue.ts',
      'feature-imports-declared-neighbours: src/search/service.ts → src/reports/service.ts',
      'kernel-imports-only-platform: src/context.ts → src/jobs.ts',
      'features-import-no-composition-root: src/settings/service.ts → src/jobs.ts',
      'web-imports-server-code-only-if-shared: web/src/page.ts → src/search/service.ts',
      'web-imports-server-types-from-shared-paths: web/src/page.ts → src/search/service.ts',
    ]) {
      expect(found, [...found].join('\n')).toContain(expected);
    }
    // search → reports → context → jobs → search
    expect([...found].some((v) => v.startsWith('no-circular:'))).toBe(true);
    // A type-only import of a shared schema path is allowed.
    expect([...found].some((v) => v.includes('src/search/schemas.ts'))).toBe(false);
  });
});
