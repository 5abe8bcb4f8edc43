// What the user dropped or picked, as files with their paths inside it: a dropped folder is walked (its files keep
// "folder/sub/name"), a folder picked with the folder chooser gives webkitRelativePath, single files their name.
// Hidden files and folders (.DS_Store, .git) are left out, as the import itself leaves them out.
import type { UploadFile } from '../../../api/imports.ts';

const hidden = (path: string) => path.split('/').some((part) => part.startsWith('.'));

export function fromFileList(list: FileList | File[]): UploadFile[] {
  return Array.from(list)
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .filter((f) => !hidden(f.path));
}

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: UploadFile[]) {
  const path = `${prefix}${entry.name}`;
  if (entry.name.startsWith('.')) return;
  if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
  else if (entry.isDirectory) for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, `${path}/`, out);
}

/** The files of a drop, folders walked. Reads the DataTransfer's items at once (they are gone after the event). */
export function fromDrop(data: DataTransfer): Promise<UploadFile[]> {
  const entries: Array<FileSystemEntry | File> = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    const file = item.getAsFile();
    if (entry) entries.push(entry);
    else if (file) entries.push(file);
  }
  if (entries.length === 0) return Promise.resolve(fromFileList(data.files));
  return (async () => {
    const out: UploadFile[] = [];
    for (const e of entries) {
      if (e instanceof File) out.push({ file: e, path: e.name });
      else await walk(e, '', out);
    }
    return out.filter((f) => !hidden(f.path));
  })();
}

/** Adds `more` to `current`, a path given twice keeping the newer file. */
export function mergeFiles(current: UploadFile[], more: UploadFile[]): UploadFile[] {
  const byPath = new Map(current.map((f) => [f.path, f]));
  for (const f of more) byPath.set(f.path, f);
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export const totalBytes = (files: UploadFile[]) => files.reduce((n, f) => n + f.file.size, 0);

export function formatBytes(n: number, lang: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}
