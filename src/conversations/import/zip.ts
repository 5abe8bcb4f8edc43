// Unpacks a zip uploaded on the Import screen (an Amazon Connect export, a folder of calls) into the import's
// working folder. The zip is untrusted: entry names are checked by yauzl (no absolute path, no "..") and again here,
// links and encrypted entries are not written, and the sizes the zip declares (which yauzl holds each entry to) are
// capped per entry and in total before anything is written, so a zip bomb stops at its central directory.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { DomainError } from '../../platform/errors.ts';

export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed bytes of the whole zip. */
  maxTotalBytes: number;
  /** Uncompressed bytes of one entry (larger ones are not written and reported). */
  maxEntryBytes: number;
}

export interface ZipResult {
  files: number;
  bytes: number;
  /** Entries not written, with why (shown as failures in the import's summary). */
  refused: Array<{ file: string; reason: string }>;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const badZip = (label: string, why: string, details: Record<string, unknown> = {}) =>
  new DomainError('VALIDATION_FAILED', `"${label}" ${why}`, { reason: 'BAD_ZIP', ...details });

const open = (file: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );

/** The entries of a zip, one at a time (lazyEntries): memory holds one central directory record. */
async function* entries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const next = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => done(null, e);
      const onEnd = () => done(null, null);
      const onError = (err: Error) => done(err, null);
      const done = (err: Error | null, e: yauzl.Entry | null) => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
        if (err) reject(err);
        else resolve(e);
      };
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

const openEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry) =>
  new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));

/**
 * Unpacks `zipFile` into `destDir` (created). `label` names the zip in messages. Throws a DomainError (reason
 * BAD_ZIP) when the file is not a readable zip or breaks a limit; nothing outside `destDir` is ever written.
 */
export async function extractZip(zipFile: string, destDir: string, label: string, limits: ZipLimits): Promise<ZipResult> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(zipFile);
  } catch (err) {
    throw badZip(label, `is not a readable zip file (${(err as Error).message})`);
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw badZip(label, `holds ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`, { maxEntries: limits.maxEntries });
    const root = path.resolve(destDir);
    await fs.promises.mkdir(root, { recursive: true, mode: 0o700 });
    const result: ZipResult = { files: 0, bytes: 0, refused: [] };
    let declared = 0;
    try {
      for await (const entry of entries(zip)) {
        const name = entry.fileName;
        const where = `${label}/${name}`;
        if (name.endsWith('/')) continue; // folders are made for the files in them
        const target = path.resolve(root, ...name.split('/'));
        if (!target.startsWith(root + path.sep)) throw badZip(label, `has an entry outside the zip ("${name}")`);
        if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
          result.refused.push({ file: where, reason: 'is a symbolic link; links are not followed' });
          continue;
        }
        if (entry.isEncrypted()) {
          result.refused.push({ file: where, reason: 'is encrypted; zip passwords are not supported' });
          continue;
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) {
          const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
          result.refused.push({ file: where, reason: `is ${mb(entry.uncompressedSize)}; files larger than ${mb(limits.maxEntryBytes)} are refused` });
          continue;
        }
        declared += entry.uncompressedSize;
        if (declared > limits.maxTotalBytes)
          throw badZip(label, `unpacks to more than ${Math.round(limits.maxTotalBytes / 2 ** 20)} MB; split it into smaller zips`, {
            maxBytes: limits.maxTotalBytes,
          });
        await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        // yauzl holds the stream to the declared size (validateEntrySizes), so `declared` bounds what is written.
        await pipeline(await openEntry(zip, entry), fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
        result.files++;
        result.bytes += entry.uncompressedSize;
      }
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw badZip(label, 'names the same file twice');
      if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw err; // the disk (ENOSPC, EACCES), not the zip
      throw badZip(label, `is damaged (${(err as Error).message})`);
    }
    return result;
  } finally {
    zip.close();
  }
}
