// Runs the queued jobs of a test context to completion (search indexing after ingest, reindexing, ...).
import pino from 'pino';
import type { AppContext } from '../../src/context.ts';
import { JobWorker } from '../../src/platform/jobs/worker.ts';

export async function runJobs(ctx: AppContext) {
  await new JobWorker(ctx.jobs, ctx, { concurrency: 1, log: pino({ level: 'silent' }) }).drain();
}
