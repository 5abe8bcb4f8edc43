// `earshot models pull` against a local HTTP server serving a small fake model archive (made with the system tar)
// whose checksum is in a test catalogue: installed when it matches; refused with nothing left behind on a checksum
// mismatch, an interrupted download, an archive that does not unpack or holds no model; a model without a pinned
// checksum needs one given; an installed model is replaced only with --force, and only once the new one is complete.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { detectModel } from '../engines/local-model.ts';
import type { CatalogueModel } from './catalogue.ts';
import { runModelsCommand } from './cli.ts';
import { listModels, pullModel } from './pull.ts';

let tmp: string;
let modelsDir: string;
let archive: Buffer;
let sha: string;
let server: http.Server;
let base: string;
let requests: string[];
let noModel: Buffer;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-models-'));
  const src = path.join(tmp, 'src', 'sherpa-onnx-fake-paraformer');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, 'model.int8.onnx'), crypto.randomBytes(64 * 1024));
  fs.writeFileSync(path.join(src, 'tokens.txt'), 'a 0\nb 1\n');
  const file = path.join(tmp, 'fake.tar.bz2');
  execFileSync('tar', ['-cjf', file, '-C', path.join(tmp, 'src'), 'sherpa-onnx-fake-paraformer']);
  archive = fs.readFileSync(file);
  sha = crypto.createHash('sha256').update(archive).digest('hex');
  fs.writeFileSync(path.join(tmp, 'README'), 'no model here');
  execFileSync('tar', ['-cjf', path.join(tmp, 'nothing.tar.bz2'), '-C', tmp, 'README']);
  noModel = fs.readFileSync(path.join(tmp, 'nothing.tar.bz2'));
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    if (req.url === '/model.tar.bz2') {
      res.writeHead(200, { 'content-length': archive.length });
      res.end(archive);
    } else if (req.url === '/cut.tar.bz2') {
      // Promises the whole archive, sends half, and drops the connection.
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, archive.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
    } else if (req.url === '/not-a-tar.bz2') {
      res.end('this is not an archive');
    } else if (req.url === '/empty-tar.bz2') {
      res.end(noModel);
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  modelsDir = fs.mkdtempSync(path.join(tmp, 'models-'));
});

const entry = (name: string, file: string, sha256: string | null): CatalogueModel => ({
  name,
  description: 'test',
  url: `${base}/${file}`,
  sizeBytes: null,
  sha256,
  layout: 'paraformer',
  languages: ['en'],
});

const catalogue = () => [
  entry('fake', 'model.tar.bz2', sha),
  entry('wrong-sum', 'model.tar.bz2', '0'.repeat(64)),
  entry('cut', 'cut.tar.bz2', sha),
  entry('unpinned', 'model.tar.bz2', null),
  entry('missing', 'gone.tar.bz2', sha),
];

const leftovers = () => fs.readdirSync(modelsDir);

describe('earshot models pull', () => {
  it('downloads, verifies, unpacks and installs the model with its manifest, reporting progress', async () => {
    const progress: number[] = [];
    const r = await pullModel('fake', { dir: modelsDir, catalogue: catalogue(), onProgress: (p) => progress.push(p.received) });
    expect(r).toEqual({ name: 'fake', dir: path.join(modelsDir, 'fake'), bytes: archive.length, sha256: sha });
    expect(leftovers()).toEqual(['fake']);
    expect(progress[progress.length - 1]).toBe(archive.length);
    const found = detectModel(r.dir);
    expect(found).toMatchObject({ ok: true, model: { layout: 'paraformer', languages: ['en'] } });
    expect(JSON.parse(fs.readFileSync(path.join(r.dir, 'earshot-model.json'), 'utf8'))).toMatchObject({
      name: 'fake',
      sha256: sha,
      url: `${base}/model.tar.bz2`,
    });
    expect(listModels(modelsDir, catalogue()).find((m) => m.name === 'fake')).toMatchObject({ installed: true, pinned: true });
  });

  it('refuses a checksum mismatch and deletes the download', async () => {
    await expect(pullModel('wrong-sum', { dir: modelsDir, catalogue: catalogue() })).rejects.toMatchObject({
      code: 'INTEGRITY_FAILURE',
      message: `Checksum mismatch for wrong-sum: expected ${'0'.repeat(64)}, got ${sha}. The download was deleted.`,
    });
    expect(leftovers()).toEqual([]);
  });

  it('an interrupted download leaves nothing', async () => {
    await expect(pullModel('cut', { dir: modelsDir, catalogue: catalogue() })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/interrupted/),
    });
    expect(leftovers()).toEqual([]);
  });

  it('an HTTP error, an archive that does not unpack, or one without a model: an error and nothing left', async () => {
    await expect(pullModel('missing', { dir: modelsDir, catalogue: catalogue() })).rejects.toThrow(/HTTP 404/);
    const garbage = crypto.createHash('sha256').update('this is not an archive').digest('hex');
    await expect(pullModel('g', { dir: modelsDir, catalogue: [entry('g', 'not-a-tar.bz2', garbage)] })).rejects.toThrow(/Could not unpack the model archive/);
    const emptySha = crypto.createHash('sha256').update(noModel).digest('hex');
    await expect(pullModel('e', { dir: modelsDir, catalogue: [entry('e', 'empty-tar.bz2', emptySha)] })).rejects.toThrow(
      /holds no model the local engine can run/,
    );
    expect(leftovers()).toEqual([]);
  });

  it('a model without a pinned checksum needs one given, and it must match', async () => {
    await expect(pullModel('unpinned', { dir: modelsDir, catalogue: catalogue() })).rejects.toThrow(/pins no checksum for unpinned.*--sha256/);
    expect(requests).toEqual([]);
    await expect(pullModel('unpinned', { dir: modelsDir, catalogue: catalogue(), sha256: 'abc' })).rejects.toThrow(/64 hexadecimal digits/);
    await expect(pullModel('unpinned', { dir: modelsDir, catalogue: catalogue(), sha256: 'f'.repeat(64) })).rejects.toThrow(/Checksum mismatch/);
    await pullModel('unpinned', { dir: modelsDir, catalogue: catalogue(), sha256: sha.toUpperCase() });
    expect(leftovers()).toEqual(['unpinned']);
    await expect(pullModel('fake', { dir: modelsDir, catalogue: catalogue(), sha256: 'f'.repeat(64) })).rejects.toThrow(/not the one this version pins/);
  });

  it('keeps an installed model unless --force, and keeps it when the replacement fails', async () => {
    await pullModel('fake', { dir: modelsDir, catalogue: catalogue() });
    await expect(pullModel('fake', { dir: modelsDir, catalogue: catalogue() })).rejects.toMatchObject({ code: 'CONFLICT' });
    const broken = [entry('fake', 'cut.tar.bz2', sha)];
    await expect(pullModel('fake', { dir: modelsDir, catalogue: broken, force: true })).rejects.toThrow(/interrupted/);
    expect(detectModel(path.join(modelsDir, 'fake')).ok).toBe(true);
    await pullModel('fake', { dir: modelsDir, catalogue: catalogue(), force: true });
    expect(leftovers()).toEqual(['fake']);
  });

  it('an unknown name lists the known ones', async () => {
    await expect(pullModel('nope', { dir: modelsDir, catalogue: catalogue() })).rejects.toThrow(/Unknown model "nope". Known models: fake, wrong-sum/);
  });
});

describe('earshot models list', () => {
  it('shows the catalogue, what is installed and in use, and folders installed by hand', async () => {
    const hand = path.join(modelsDir, 'my-whisper');
    fs.mkdirSync(hand);
    for (const f of ['base-encoder.onnx', 'base-decoder.onnx', 'base-tokens.txt']) fs.writeFileSync(path.join(hand, f), 'x');
    const lines: string[] = [];
    const config = loadConfig({ EARSHOT_MODELS_DIR: modelsDir, EARSHOT_ASR_LOCAL_MODEL: 'my-whisper' });
    expect(await runModelsCommand(config, ['list'], (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toBe(`Models folder: ${modelsDir}`);
    expect(lines.find((l) => l.includes('parakeet-tdt-0.6b-v2'))).toMatch(/not installed .*nemo_transducer \(en, 482\.5 MB\)/);
    expect(lines.find((l) => l.includes('whisper-tiny.en'))).toMatch(/no pinned checksum/);
    expect(lines.find((l) => l.includes('my-whisper'))).toMatch(/installed, in use .*whisper \(multilingual\) — installed by hand/);
    expect(lines[lines.length - 1]).toBe(`EARSHOT_ASR_LOCAL_MODEL: ${hand}`);
    await expect(runModelsCommand(config, ['pull'])).rejects.toThrow(/Usage: earshot models list/);
  });
});
