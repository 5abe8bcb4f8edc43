// `earshot models pull NAME`: download a catalogue model's archive, check its SHA-256 while it streams to disk,
// unpack it with the system tar (bzip2/gzip archives), check the local engine can read the folder, and only then
// move it into place under the models folder. Anything that fails on the way — the network, the checksum, the
// archive — leaves nothing behind: the partial download and the half-unpacked folder are deleted, and a model
// already installed under that name stays as it was until the new one is complete.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DomainError, invalid } from '../../platform/errors.ts';
import { detectModel, MANIFEST, type Manifest } from '../engines/local-model.ts';
import { CATALOGUE, type CatalogueModel } from './catalogue.ts';

export interface PullOptions {
  /** The models folder (EARSHOT_MODELS_DIR). */
  dir: string;
  catalogue?: readonly CatalogueModel[];
  /** The archive's SHA-256 (hex): required where the catalogue pins none, must agree where it does. */
  sha256?: string;
  /** Replace a model already installed under that name. */
  force?: boolean;
  onProgress?: (p: { received: number; total: number | null }) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  name: string;
  dir: string;
  bytes: number;
  sha256: string;
}

export function findModel(name: string, catalogue: readonly CatalogueModel[] = CATALOGUE): CatalogueModel {
  const m = catalogue.find((c) => c.name === name);
  if (!m) throw new DomainError('NOT_FOUND', `Unknown model "${name}". Known models: ${catalogue.map((c) => c.name).join(', ')}`);
  return m;
}

export async function pullModel(name: string, opts: PullOptions): Promise<PullResult> {
  const model = findModel(name, opts.catalogue);
  const given = opts.sha256?.trim().toLowerCase();
  if (given !== undefined && !/^[0-9a-f]{64}$/.test(given)) throw invalid('--sha256 takes the 64 hexadecimal digits of a SHA-256');
  if (given && model.sha256 && given !== model.sha256) {
    throw invalid(`The SHA-256 given (${given}) is not the one this version pins for ${name} (${model.sha256})`);
  }
  const expected = model.sha256 ?? given;
  if (!expected) {
    throw invalid(
      `This version pins no checksum for ${name}: get the archive's SHA-256 from a source you trust and run ` +
        `earshot models pull ${name} --sha256 <hex> (archive: ${model.url})`,
    );
  }
  const target = path.join(opts.dir, name);
  if (fs.existsSync(target) && !opts.force) throw new DomainError('CONFLICT', `${name} is already installed in ${target} (--force replaces it)`);

  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const tag = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const archive = path.join(opts.dir, `.${name}.${tag}.download`);
  const unpack = path.join(opts.dir, `.${name}.${tag}.unpack`);
  const old = path.join(opts.dir, `.${name}.${tag}.old`);
  try {
    const { bytes, sha256 } = await download(model.url, archive, opts);
    if (sha256 !== expected) {
      throw new DomainError('INTEGRITY_FAILURE', `Checksum mismatch for ${name}: expected ${expected}, got ${sha256}. The download was deleted.`);
    }
    fs.mkdirSync(unpack, { mode: 0o700 });
    await untar(archive, unpack);
    const root = modelRoot(unpack);
    const manifest: Manifest & Record<string, unknown> = {
      name,
      layout: model.layout,
      languages: model.languages,
      url: model.url,
      sha256,
      installedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(root, MANIFEST), JSON.stringify(manifest, null, 2));
    const found = detectModel(root);
    if (!found.ok) throw new DomainError('INTEGRITY_FAILURE', `The archive of ${name} holds no model the local engine can run: ${found.reason}`);
    // Swap: the old model stays usable until the new one is complete.
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(root, target);
    return { name, dir: target, bytes, sha256 };
  } finally {
    for (const p of [archive, unpack, old]) fs.rmSync(p, { recursive: true, force: true });
  }
}

async function download(url: string, file: string, opts: PullOptions): Promise<{ bytes: number; sha256: string }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: opts.signal, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DomainError('UNAVAILABLE', `Could not download ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new DomainError('UNAVAILABLE', `Could not download ${url}: HTTP ${res.status}`);
  }
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const hash = crypto.createHash('sha256');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      received += chunk.length;
      opts.onProgress?.({ received, total });
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), meter, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    throw new DomainError('UNAVAILABLE', `The download of ${url} was interrupted after ${received} bytes: ${(err as Error).message}`);
  }
  if (total !== null && received !== total) {
    throw new DomainError('UNAVAILABLE', `The download of ${url} was interrupted: ${received} of ${total} bytes`);
  }
  return { bytes: received, sha256: hash.digest('hex') };
}

/** GNU/BSD tar picks the decompressor itself (bzip2, gzip, xz); ownership from the archive is not kept. */
function untar(archive: string, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-xf', archive, '-C', into, '--no-same-owner'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new DomainError('UNAVAILABLE', `Could not run tar to unpack the model: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new DomainError('INTEGRITY_FAILURE', `Could not unpack the model archive: ${stderr.trim().split('\n').slice(-2).join(' ') || `tar exit ${code}`}`),
        );
    });
  });
}

/** sherpa-onnx archives hold one folder named after the model; a flat archive is its own root. */
function modelRoot(unpacked: string): string {
  const entries = fs.readdirSync(unpacked, { withFileTypes: true });
  return entries.length === 1 && entries[0]!.isDirectory() ? path.join(unpacked, entries[0]!.name) : unpacked;
}

export interface ListedModel {
  name: string;
  description: string;
  layout: string;
  languages: string[] | '*';
  sizeBytes: number | null;
  pinned: boolean;
  installed: boolean;
}

/** The catalogue with what is installed, then folders in the models folder the catalogue does not know. */
export function listModels(dir: string, catalogue: readonly CatalogueModel[] = CATALOGUE): ListedModel[] {
  const out: ListedModel[] = catalogue.map((m) => ({
    name: m.name,
    description: m.description,
    layout: m.layout,
    languages: m.languages,
    sizeBytes: m.sizeBytes,
    pinned: m.sha256 !== null,
    installed: detectModel(path.join(dir, m.name)).ok,
  }));
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    // no models folder yet
  }
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || catalogue.some((m) => m.name === e.name)) continue;
    const found = detectModel(path.join(dir, e.name));
    out.push({
      name: e.name,
      description: found.ok ? 'installed by hand' : `not usable: ${found.reason}`,
      layout: found.ok ? found.model.layout : '?',
      languages: found.ok ? found.model.languages : [],
      sizeBytes: null,
      pinned: false,
      installed: found.ok,
    });
  }
  return out;
}
