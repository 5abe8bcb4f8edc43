// Production build: the server (src/ → dist/, each TypeScript file transpiled with the options of
// tsconfig.build.json, its `.ts` imports rewritten to `.js`) and the web UI (Vite → dist/web).
//   node scripts/build.mjs [server|web]...   build (both by default)
//   --if-stale   only what changed since the last build; when the build tools are missing (npm ci --omit=dev),
//                run the existing build rather than fail, and fail only when there is none.
// Type checking is `npm run typecheck` (tsc over everything); transpiling file by file takes seconds, not minutes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, TARGETS, buildState, writeStamp } from './build-state.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const names = args.filter((a) => !a.startsWith('--'));
const wanted = names.length ? names : ['server', 'web'];
for (const n of wanted) if (!TARGETS[n]) throw new Error(`unknown build target "${n}" (server, web)`);

function resolvable(pkg) {
  try {
    require.resolve(`${pkg}/package.json`, { paths: [ROOT] });
    return true;
  } catch {
    return false;
  }
}

function buildServer() {
  const ts = require(require.resolve('typescript', { paths: [ROOT] }));
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (parsed.errors.length) throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  const srcDir = path.join(ROOT, 'src');
  const outDir = path.join(ROOT, 'dist');
  // Only the server's own output goes: the web build and the stamps stay.
  if (fs.existsSync(outDir)) {
    for (const e of fs.readdirSync(outDir)) if (e !== 'web' && !e.startsWith('.build-')) fs.rmSync(path.join(outDir, e), { recursive: true, force: true });
  }
  // Per-file transpiling needs no output layout: the paths are computed here.
  // The package is "type": "module": every file is an ES module (NodeNext alone cannot tell without the package.json).
  const options = { ...parsed.options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  for (const key of ['outDir', 'rootDir', 'declaration', 'noEmit', 'incremental', 'tsBuildInfoFile']) delete options[key];
  const failures = [];
  const sources = parsed.fileNames.filter((f) => !/\.d\.[mc]?ts$/.test(f)); // declarations emit nothing
  for (const file of sources) {
    const rel = path.relative(srcDir, file);
    const target = path.join(outDir, rel.replace(/\.mts$/, '.mjs').replace(/\.tsx?$/, '.js'));
    const sourceRoot = path.relative(path.dirname(target), path.dirname(file)).split(path.sep).join('/');
    let out;
    try {
      out = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { ...options, sourceRoot }, fileName: file, reportDiagnostics: true });
    } catch (err) {
      throw new Error(`TypeScript could not transpile ${rel}: ${err.message}`, { cause: err });
    }
    for (const d of out.diagnostics ?? []) failures.push(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
    if (out.sourceMapText) fs.writeFileSync(`${target}.map`, out.sourceMapText);
  }
  if (failures.length) throw new Error(`TypeScript could not transpile:\n${failures.join('\n')}`);
  // Plain JavaScript entry files (worker thread entries) go as they are.
  const copy = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) copy(p);
      else if (/\.(mjs|cjs|js|json)$/.test(e.name)) {
        const target = path.join(outDir, path.relative(srcDir, p));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(p, target);
      }
    }
  };
  copy(srcDir);
  return sources.length;
}

function buildWeb() {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

const BUILDERS = { server: buildServer, web: buildWeb };

let failed = false;
for (const name of wanted) {
  const target = TARGETS[name];
  const { state, hash } = buildState(target);
  if (ifStale && (state === 'current' || state === 'prebuilt')) continue;
  if (hash === null) {
    console.error(`earshot build: the ${target.label} sources (${target.sourceDir}/) are not here and ${target.output} is missing`);
    failed = true;
    continue;
  }
  if (!resolvable(target.tool)) {
    const how = `${target.tool} is a development dependency: run \`npm install\` (not --omit=dev), then \`npm run build\``;
    if (ifStale && state === 'stale') {
      console.warn(`earshot build: ${target.sourceDir}/ changed since the last ${target.label} build, but ${how}. Using the existing build.`);
      continue;
    }
    console.error(`earshot build: cannot build the ${target.label} (${target.output} is ${state}): ${how}`);
    failed = true;
    continue;
  }
  const started = Date.now();
  console.log(`Building the ${target.label}…`);
  const count = BUILDERS[name]();
  writeStamp(target, hash);
  console.log(`Built the ${target.label}${typeof count === 'number' ? ` (${count} files)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
if (failed) process.exit(1);
