// Whether a build output is current: a content hash of its sources, kept in a stamp file beside the output. Content,
// not mtimes, so a copied or checked-out tree (Docker COPY, cp -r, git checkout) is judged by what it contains.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SKIP_DIRS = new Set(['node_modules', 'dist', '.vite', 'coverage']);

function walk(dir, filter, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, filter, out);
    } else if (filter(p)) out.push(p);
  }
  return out;
}

const isTest = (p) => /\.test\.tsx?$/.test(p) || /[\\/]test-[^\\/]*\.ts$/.test(p);

/** The two outputs: what they are built from and where they go. */
export const TARGETS = {
  server: {
    label: 'server',
    sourceDir: 'src',
    extra: ['tsconfig.json', 'tsconfig.build.json'],
    filter: (p) => !isTest(p),
    output: 'dist/main.js',
    stamp: 'dist/.build-server.json',
    tool: 'typescript',
  },
  web: {
    label: 'web UI',
    sourceDir: 'web',
    extra: [],
    filter: () => true,
    output: 'dist/web/index.html',
    stamp: 'dist/.build-web.json',
    tool: 'vite',
  },
};

/** Hash of the target's sources, or null when the sources are not here (a production image ships only dist/). */
export function sourceHash(target) {
  const dir = path.join(ROOT, target.sourceDir);
  if (!fs.existsSync(dir)) return null;
  const files = walk(dir, target.filter, [])
    .concat(target.extra.map((f) => path.join(ROOT, f)).filter((f) => fs.existsSync(f)))
    .sort();
  const h = crypto.createHash('sha256');
  for (const f of files) {
    h.update(path.relative(ROOT, f).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** 'current', 'stale' (sources changed since the build), 'missing' (no output), or 'prebuilt' (output, no sources). */
export function buildState(target) {
  const out = path.join(ROOT, target.output);
  const hash = sourceHash(target);
  if (!fs.existsSync(out)) return { state: 'missing', hash };
  if (hash === null) return { state: 'prebuilt', hash };
  let stamped = null;
  try {
    stamped = JSON.parse(fs.readFileSync(path.join(ROOT, target.stamp), 'utf8')).hash;
  } catch {
    // no stamp: built by something else; rebuild
  }
  return { state: stamped === hash ? 'current' : 'stale', hash };
}

export function writeStamp(target, hash) {
  fs.mkdirSync(path.dirname(path.join(ROOT, target.stamp)), { recursive: true });
  fs.writeFileSync(path.join(ROOT, target.stamp), JSON.stringify({ hash, builtAt: new Date().toISOString() }) + '\n');
}
