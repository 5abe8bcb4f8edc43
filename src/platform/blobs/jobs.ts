// The jobs of the media store (collected by src/jobs.ts). Handlers name only the platform services they use.
import type { Logger } from 'pino';
import { Type, type Static } from 'typebox';
import { defineJob } from '../jobs/registry.ts';
import type { BlobStore } from './service.ts';

const Empty = Type.Object({}, { additionalProperties: false });

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'blobs.verify_all': Static<typeof Empty>;
    'blobs.sweep_orphans': Static<typeof Empty>;
  }
}

type BlobsCtx = { blobs: BlobStore; log: Logger };

export const blobJobs = [
  defineJob({
    type: 'blobs.verify_all',
    description: "Re-reads and checks every stored media object; an admin's integrity check with progress.",
    payload: Empty,
    maxAttempts: 2,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: async (ctx: BlobsCtx, _p, job) => {
      const r = await ctx.blobs.verifyAll({
        onProgress: (p) => void job.progress(p.total ? p.checked / p.total : 1, `${p.checked} of ${p.total} objects, ${p.failed} failed`),
      });
      if (r.failed.length) ctx.log.error({ failed: r.failed }, 'media integrity check found failures');
      return { checked: r.checked, failed: r.failed.length };
    },
  }),
  defineJob({
    type: 'blobs.sweep_orphans',
    description: 'Removes blob rows nothing references, stored objects without a row and stale temp files (scheduler, hourly).',
    payload: Empty,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    everyMs: 60 * 60_000,
    handler: async (ctx: BlobsCtx) => {
      const r = await ctx.blobs.sweepOrphans();
      if (r.unregisteredReferences.length)
        ctx.log.error(
          { columns: r.unregisteredReferences },
          'orphan sweep judged no blob rows: these columns look like blob references but are not in src/blob-references.ts',
        );
      return r;
    },
  }),
] as const;
