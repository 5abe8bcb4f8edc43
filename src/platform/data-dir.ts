// The data directory holds the SQLite database (every conversation, user and hash), the master key and the
// media folder: nobody but the account that runs Earshot may read it. A umask of 077 makes every file and
// folder created afterwards (database, WAL, media, exports) private, whatever library creates it; the data
// directory itself is tightened; files an older version left readable are named in a warning (not changed:
// the operator may have a reason, and the 0700 directory already keeps others out).
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

export interface DataDirReport {
  /** Paths that group or others may read or write. */
  tooOpen: string[];
  /** The data directory was tightened to 0700. */
  tightened: boolean;
}

export function secureDataDir(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'masterKeyFile'>): DataDirReport {
  if (process.platform === 'win32') return { tooOpen: [], tightened: false };
  process.umask(0o077);
  const dir = config.dataDir;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let tightened = false;
  const tooOpen: string[] = [];
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode & 0o077) {
    try {
      fs.chmodSync(dir, 0o700);
      tightened = true;
    } catch {
      tooOpen.push(dir);
    }
  }
  const candidates = new Set(fs.readdirSync(dir).map((n) => path.join(dir, n)));
  if (config.databaseUrl.startsWith('sqlite:')) {
    const db = path.resolve(config.databaseUrl.slice('sqlite:'.length));
    for (const suffix of ['', '-wal', '-shm']) candidates.add(db + suffix);
  }
  candidates.add(config.masterKeyFile);
  for (const p of candidates) {
    try {
      if (fs.statSync(p).mode & 0o077) tooOpen.push(p);
    } catch {
      // missing: created private later
    }
  }
  return { tooOpen: tooOpen.sort(), tightened };
}
