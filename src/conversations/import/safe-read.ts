// Opening the files of an import tree. The tree is untrusted input: a symbolic link could point anywhere on the
// host (/etc/shadow, another tenant's data) and a device or pipe (/dev/zero, a FIFO) never ends. So only
// regular files are read, never through a link (the last component is opened with O_NOFOLLOW, and a linked
// folder on the way is refused because the walk starts from the real path of the root), and never more than a
// cap, checked on the open handle rather than on a path that could change in between.
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../platform/errors.ts';

const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = fs.constants;

/** Why an entry of the tree is not read. */
export const NOT_FOLLOWED = 'is a symbolic link; links are not followed';
export const NOT_REGULAR = 'is not a regular file (a device, pipe or socket)';

function refused(what: string, name: string, why: string, reason: 'SYMLINK' | 'NOT_A_REGULAR_FILE'): DomainError {
  return new DomainError('VALIDATION_FAILED', `${what} "${name}" ${why}`, { reason });
}

export function tooLarge(what: string, name: string, size: number, maxBytes: number): DomainError {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  return new DomainError('VALIDATION_FAILED', `${what} "${name}" is ${mb(size)}; files larger than ${mb(maxBytes)} are refused`, {
    reason: 'FILE_TOO_LARGE',
    sizeBytes: size,
    maxBytes,
  });
}

/**
 * Opens a regular file of the tree for reading. `what` and `name` only word the error ("The recording",
 * "2025/06/01/x.wav"). Throws a DomainError for a link, a device, a pipe or a socket, and for a file over
 * `maxBytes`; other errors (ENOENT, EACCES) are thrown as they are.
 */
export async function openRegular(absPath: string, what: string, name: string, maxBytes: number): Promise<{ fh: fs.promises.FileHandle; size: number }> {
  // A folder on the way that is a link: the walk starts from the root's real path, so the real path differs.
  const dir = path.dirname(absPath);
  if ((await fs.promises.realpath(dir)) !== dir)
    throw refused(what, name, 'is inside a folder reached through a symbolic link; links are not followed', 'SYMLINK');
  let fh: fs.promises.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fh = await fs.promises.open(absPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw refused(what, name, NOT_FOLLOWED, 'SYMLINK');
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw refused(what, name, st.isDirectory() ? 'is a folder' : NOT_REGULAR, 'NOT_A_REGULAR_FILE');
    if (st.size > maxBytes) throw tooLarge(what, name, st.size, maxBytes);
    return { fh, size: st.size };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Reads a whole regular file of the tree (see openRegular), at most `maxBytes` even if it grows meanwhile. */
export async function readRegularFile(absPath: string, what: string, name: string, maxBytes: number): Promise<Buffer> {
  const { fh, size } = await openRegular(absPath, what, name, maxBytes);
  try {
    const buf = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw tooLarge(what, name, filled, maxBytes);
    return buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}
