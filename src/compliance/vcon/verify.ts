// Offline check of an export package (`earshot verify-export FILE`): needs no database and no key but the public one.
// The signature over manifest.json, then every file against the manifest's SHA-256 (nothing missing, nothing added),
// then each vCon's media references against the packaged files' SHA-512 (the vCon's content_hash).
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { keyIdOf, verifyBytes } from './signing.ts';
import { MANIFEST, PACKAGE_FORMAT, SIGNATURE, type Manifest } from './package.ts';

export interface ExportVerification {
  ok: boolean;
  keyId: string | null;
  /** True when the signature was checked against a key the caller supplied, not only the one the package carries. */
  pinned: boolean;
  exportId: string | null;
  createdAt: string | null;
  conversations: number;
  files: number;
  problems: string[];
}

const MAX_ENTRY = 4 * 1024 ** 3;

interface Entry {
  name: string;
  size: number;
  sha256: string;
  sha512: string;
  data: Buffer | null;
}

/** Reads every entry once, hashing it; JSON entries (small) are kept for parsing. */
function readZip(file: string): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const out = new Map<string, Entry>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (e: yauzl.Entry) => {
        if (/\/$/.test(e.fileName)) return zip.readEntry();
        if (e.uncompressedSize > MAX_ENTRY) return reject(new Error(`${e.fileName} is too large`));
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('unreadable entry'));
          const h256 = createHash('sha256');
          const h512 = createHash('sha512');
          const keep = e.fileName.endsWith('.json');
          const parts: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            h256.update(c);
            h512.update(c);
            size += c.length;
            if (keep) parts.push(c);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            if (out.has(e.fileName)) return reject(new Error(`${e.fileName} appears twice`));
            out.set(e.fileName, {
              name: e.fileName,
              size,
              sha256: h256.digest('hex'),
              sha512: h512.digest('base64url'),
              data: keep ? Buffer.concat(parts) : null,
            });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export async function verifyExport(file: string, opts: { publicKeyPem?: string } = {}): Promise<ExportVerification> {
  const result: ExportVerification = { ok: false, keyId: null, pinned: false, exportId: null, createdAt: null, conversations: 0, files: 0, problems: [] };
  const problems = result.problems;
  if (!fs.existsSync(file)) {
    problems.push(`${file} does not exist`);
    return result;
  }
  let entries: Map<string, Entry>;
  try {
    entries = await readZip(file);
  } catch (err) {
    problems.push(`Not a readable export package: ${(err as Error).message}`);
    return result;
  }
  const manifestEntry = entries.get(MANIFEST);
  const sigEntry = entries.get(SIGNATURE);
  if (!manifestEntry?.data || !sigEntry?.data) {
    problems.push(`The package lacks ${!manifestEntry ? MANIFEST : SIGNATURE}`);
    return result;
  }
  let sig: { algorithm?: string; key_id?: string; public_key?: string; signature?: string };
  let manifest: Manifest;
  try {
    sig = JSON.parse(sigEntry.data.toString('utf8'));
    manifest = JSON.parse(manifestEntry.data.toString('utf8'));
  } catch {
    problems.push('manifest.json or manifest.sig.json is not JSON');
    return result;
  }
  result.exportId = manifest.export_id ?? null;
  result.createdAt = manifest.created_at ?? null;
  if (manifest.format !== PACKAGE_FORMAT) problems.push(`Unknown package format ${String(manifest.format)}`);

  // 1. The signature, with the key the package carries or the one the caller pins.
  const carried = typeof sig.public_key === 'string' ? sig.public_key : null;
  let carriedId: string | null = null;
  try {
    carriedId = carried ? keyIdOf(carried) : null;
  } catch {
    problems.push('The public key in manifest.sig.json is not a valid key');
  }
  result.keyId = carriedId;
  if (sig.algorithm !== 'Ed25519') problems.push(`Unsupported signature algorithm ${String(sig.algorithm)}`);
  if (carriedId && (sig.key_id !== carriedId || manifest.signing?.key_id !== carriedId))
    problems.push('The key id in the signature or manifest does not match the public key carried');
  const key = opts.publicKeyPem ?? carried;
  if (opts.publicKeyPem) {
    result.pinned = true;
    let pinnedId: string | null = null;
    try {
      pinnedId = keyIdOf(opts.publicKeyPem);
    } catch {
      problems.push('The public key given is not a valid key');
    }
    if (pinnedId && pinnedId !== carriedId) problems.push(`Signed with key ${carriedId ?? 'unknown'}, not with the pinned key ${pinnedId}`);
  }
  if (!key || !sig.signature || !verifyBytes(key, manifestEntry.data, sig.signature))
    problems.push('The signature of manifest.json is not valid: the manifest was altered or signed by another key');

  // 2. Every file against the manifest, and nothing unlisted.
  const listed = new Set<string>([MANIFEST, SIGNATURE]);
  for (const f of manifest.files ?? []) {
    listed.add(f.path);
    const e = entries.get(f.path);
    if (!e) problems.push(`${f.path} is listed in the manifest but missing from the package`);
    else if (e.sha256 !== f.sha256 || e.size !== f.bytes) problems.push(`${f.path} was altered (SHA-256 or size differs from the manifest)`);
  }
  for (const name of entries.keys()) if (!listed.has(name)) problems.push(`${name} is in the package but not in the manifest`);
  result.files = (manifest.files ?? []).length;

  // 3. Each vCon parses and its media references match the packaged files.
  const bySha512 = new Map([...entries.values()].map((e) => [e.sha512, e.name]));
  for (const c of manifest.conversations ?? []) {
    const e = entries.get(c.vcon);
    if (!e?.data) continue;
    let vcon: { vcon?: string; uuid?: string; dialog?: Array<Record<string, unknown>> };
    try {
      vcon = JSON.parse(e.data.toString('utf8'));
    } catch {
      problems.push(`${c.vcon} is not JSON`);
      continue;
    }
    if (vcon.uuid !== c.uuid) problems.push(`${c.vcon}: its uuid differs from the manifest's`);
    for (const [i, d] of (vcon.dialog ?? []).entries()) {
      if (typeof d.content_hash !== 'string' || manifest.media_mode === 'none') continue;
      const digest = d.content_hash.replace(/^sha512-/, '');
      if (!bySha512.has(digest)) problems.push(`${c.vcon}: dialog ${i} references media that is not in the package`);
    }
  }
  result.conversations = (manifest.conversations ?? []).length;
  result.ok = problems.length === 0;
  return result;
}
