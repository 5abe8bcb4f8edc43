// Child processes that die with their parent. A worker killed with SIGKILL cannot stop its children, and a decoder
// or recognizer left behind keeps a core busy and its temporary files open until it finishes on its own. On Linux,
// util-linux's `setpriv --pdeathsig KILL` has the kernel kill the child when its parent goes; where setpriv is absent
// (other systems) the child is spawned as is. The death signal follows the thread that spawned the child, so call
// this from the main thread only (libuv spawns there; none of our worker threads start processes).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const SETPRIV = process.platform === 'linux' ? (['/usr/bin/setpriv', '/bin/setpriv'].find(executable) ?? null) : null;

/** The command's full path as the shell would find it, or null (then a plain spawn reports ENOENT as callers expect). */
function resolveCommand(command: string): string | null {
  if (command.includes('/')) return executable(command) ? command : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    if (executable(file)) return file;
  }
  return null;
}

/** `spawn`, with the child killed by the kernel when this process dies (Linux with setpriv); same overloads. */
export const spawnTied = ((command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess => {
  const resolved = SETPRIV ? resolveCommand(command) : null;
  if (!SETPRIV || !resolved) return spawn(command, args, options);
  return spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', resolved, ...args], options);
}) as typeof spawn;

/** Whether children started with spawnTied die with this process here. */
export const childrenTied = SETPRIV !== null;
