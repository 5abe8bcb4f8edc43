export type JobStatus = 'queued' | 'running' | 'succeeded' | 'dead';

/**
 * The payload of every job type, by name. Each feature's jobs.ts adds its entries by declaration merging
 * (`declare module '../platform/jobs/types.ts'`), typed from the TypeBox schema it registers, so `ctx.jobs.enqueue`
 * is checked at compile time without the platform importing any feature. src/jobs.ts checks that every entry here
 * has a registered job and the other way round.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

/** How a job type retries; declared beside the job in its feature's jobs.ts. */
export interface JobSpec {
  maxAttempts: number;
  /** First retry delay; doubles with each attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs?: number;
  /**
   * A running job whose worker stops heart-beating for this long is taken over by another worker (default 60 s).
   * Claimed with this lease and renewed every quarter of it.
   */
  leaseMs?: number;
  priority?: number;
}

export interface JobContext {
  id: string;
  tenantId: string | null;
  attempt: number;
  /** Records progress 0..1 with an optional note; cheap to call often (throttled). */
  progress(fraction: number, note?: string): Promise<void>;
  signal: AbortSignal;
}

export type JobHandler<P> = (payload: P, job: JobContext) => Promise<unknown>;

export interface JobView {
  id: string;
  type: string;
  tenantId: string | null;
  status: JobStatus;
  progress: number;
  progressNote: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: string;
  createdAt: string;
  finishedAt: string | null;
}
