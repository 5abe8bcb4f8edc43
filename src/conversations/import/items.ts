// What the planners of each import format produce: items (one conversation segment each) that are read and
// mapped only when their turn comes, and the folder walk they share.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../platform/errors.ts';
import { NOT_FOLLOWED, NOT_REGULAR } from './safe-read.ts';
import type { BufferedFile as UploadedFile } from '../ingest/calls.ts';
import type { CallMetadata, ChatInput } from '../schemas.ts';

/** One item, read and mapped: ready to ingest, or to be skipped without ingesting. */
export type Prepared =
  | { kind: 'call'; meta: CallMetadata; files: UploadedFile[]; note?: string }
  | { kind: 'email'; raw: Buffer }
  | { kind: 'chat'; input: ChatInput }
  | { kind: 'skip'; reason: string };

export interface ImportItem {
  /** The file, relative to the import root ("/"-separated), with "(record N)" for a record of a multi-record file. */
  label: string;
  /** Reads the item's files and maps them; throws a DomainError saying why when it cannot be imported. */
  prepare(ctx: AppContext, tenantId: string): Promise<Prepared>;
}

/** Skipped because it is already stored (the ingest is idempotent by external id). */
export const ALREADY_IMPORTED = 'already imported';

export interface DirEntries {
  /** Absolute path of the folder. */
  dir: string;
  /** Folder relative to the import root, "/"-separated, "" for the root. */
  rel: string;
  /** Regular files, sorted by name; hidden files left out. */
  files: string[];
  /** Entries that are neither regular files nor folders (links, devices, pipes, sockets): never read. */
  refused: Array<{ name: string; why: string }>;
  /** Set when the folder could not be listed (its files are then unknown). */
  error?: string;
}

export const relPath = (rel: string, name: string) => (rel ? `${rel}/${name}` : name);

/**
 * Walks a folder tree depth first, a folder's files before its subfolders, names sorted, hidden entries left
 * out; `skipDir` prunes folders. Links are never followed (neither to folders nor to files: the tree must not
 * reach outside itself), and they, devices, pipes and sockets are listed in `refused`. Holds one listing per
 * open folder level, never the tree.
 */
export async function* walkDirs(root: string, opts: { skipDir?: (name: string, rel: string) => boolean } = {}, rel = ''): AsyncGenerator<DirEntries> {
  const dir = rel ? path.join(root, ...rel.split('/')) : root;
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (!rel) throw err;
    yield { dir, rel, files: [], refused: [], error: `The folder could not be read: ${(err as Error).message}` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  const dirs: string[] = [];
  const refused: DirEntries['refused'] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) {
      if (!opts.skipDir?.(e.name, relPath(rel, e.name))) dirs.push(e.name);
    } else if (e.isFile()) files.push(e.name);
    else refused.push({ name: e.name, why: e.isSymbolicLink() ? NOT_FOLLOWED : NOT_REGULAR });
  }
  yield { dir, rel, files, refused };
  for (const d of dirs) yield* walkDirs(root, opts, relPath(rel, d));
}

/** An item standing for a folder that could not be listed, so the problem shows in the summary. */
export function unreadableDirItem(rel: string, error: string): ImportItem {
  return {
    label: `${rel}/`,
    async prepare(): Promise<Prepared> {
      throw new DomainError('VALIDATION_FAILED', error, { reason: 'UNREADABLE' });
    },
  };
}

/** An item standing for a link, device, pipe or socket of the tree: reported, never read. */
export function refusedItem(label: string, why: string): ImportItem {
  return {
    label,
    async prepare(): Promise<Prepared> {
      throw new DomainError('VALIDATION_FAILED', `"${label}" ${why}`, { reason: why === NOT_FOLLOWED ? 'SYMLINK' : 'NOT_A_REGULAR_FILE' });
    },
  };
}
