// The Dockerfile and compose.yaml cannot be built here (no Docker engine in CI), so their essentials are checked as
// text: a multi-stage build that runs as a non-root user with a data volume and a health check, COPY sources that
// exist, and a compose file with PostgreSQL, MinIO and the three roles wired to them.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([A-Za-z]+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`not an instruction: ${l}`);
      return { op: m[1]!.toUpperCase(), args: m[2]! };
    });
}

const KNOWN = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

describe('Dockerfile', () => {
  const ins = parseDockerfile(fs.readFileSync('Dockerfile', 'utf8'));
  const lastFrom = ins.map((i) => i.op).lastIndexOf('FROM');
  const final = ins.slice(lastFrom);

  it('parses: known instructions, several stages, JSON-array commands', () => {
    for (const i of ins) expect(KNOWN.has(i.op), i.op).toBe(true);
    expect(ins[0]!.op).toBe('FROM');
    expect(ins.filter((i) => i.op === 'FROM').length).toBeGreaterThanOrEqual(2);
    for (const i of ins.filter((x) => ['CMD', 'ENTRYPOINT'].includes(x.op))) expect(() => JSON.parse(i.args), i.args).not.toThrow();
  });

  it('runs the built server as a non-root user, with a data volume and a health check on /api/health', () => {
    const user = final.filter((i) => i.op === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(final.some((i) => i.op === 'VOLUME' && i.args.includes('/data'))).toBe(true);
    expect(final.some((i) => i.op === 'ENV' && /EARSHOT_DATA_DIR=\/data/.test(i.args))).toBe(true);
    const health = final.find((i) => i.op === 'HEALTHCHECK');
    expect(health?.args).toContain('/api/health');
    expect(final.find((i) => i.op === 'ENTRYPOINT')?.args).toContain('bin/earshot.js');
  });

  it('copies only paths that exist (from the build context, or from the build stage)', () => {
    const ignored = fs
      .readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const i of ins.filter((x) => x.op === 'COPY' && !x.args.includes('--from'))) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        expect(fs.existsSync(src), `COPY ${src}`).toBe(true);
        expect(ignored.includes(src), `${src} is in .dockerignore`).toBe(false);
      }
    }
    expect(ins.some((i) => i.op === 'RUN' && i.args.includes('npm run build'))).toBe(true);
  });
});

describe('compose.yaml', () => {
  const text = fs.readFileSync('compose.yaml', 'utf8');
  const services = [...text.matchAll(/^ {2}([a-z][a-z0-9-]*):\s*$/gm)].map((m) => m[1]);

  it('has PostgreSQL, MinIO and the api, worker and scheduler roles of the same image', () => {
    for (const s of ['postgres', 'minio', 'migrate', 'api', 'worker', 'scheduler']) expect(services, s).toContain(s);
    for (const role of ['api', 'worker', 'scheduler']) expect(text).toMatch(new RegExp(`command: \\[['"]serve['"], ['"]--roles['"], ['"]${role}['"]\\]`));
    expect(text).not.toMatch(/\t/);
  });

  it('points Earshot at them with the documented variables', () => {
    for (const v of [
      'EARSHOT_DATABASE_URL: postgres://',
      'EARSHOT_MEDIA_BACKEND: s3',
      'EARSHOT_S3_ENDPOINT: http://minio:9000',
      'EARSHOT_S3_BUCKET:',
      'EARSHOT_S3_ACCESS_KEY_ID:',
      'EARSHOT_S3_SECRET_ACCESS_KEY:',
      'EARSHOT_MASTER_KEY:',
    ]) {
      expect(text).toContain(v);
    }
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const v of text.match(/EARSHOT_[A-Z0-9_]+/g)!) expect(readme, `${v} documented in README.md`).toContain(v);
  });
});
