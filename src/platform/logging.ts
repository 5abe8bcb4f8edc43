// Where pino writes: JSON lines for machines (files, journald, Docker, log shippers), and readable coloured
// lines when a person watches a terminal (`npm start`). The choice follows stdout, not a setting, so piping
// the output anywhere gives JSON again.
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';

type Pretty = (opts: Record<string, unknown>) => DestinationStream;

export function logDestination(stdout: { isTTY?: boolean } = process.stdout, destination?: NodeJS.WritableStream): DestinationStream | undefined {
  if (!stdout.isTTY) return undefined;
  let pretty: Pretty;
  try {
    pretty = createRequire(import.meta.url)('pino-pretty') as Pretty;
  } catch {
    return undefined; // not installed: JSON it is
  }
  // Synchronous, so the last lines before process.exit are not lost.
  return pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', ...(destination ? { destination } : {}) });
}
