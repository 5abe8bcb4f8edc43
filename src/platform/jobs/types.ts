export type JobStatus = 'queued' | 'running' | 'succeeded' | 'dead';

/** How a job type retries; declared beside the job in the registry (src/jobs.ts). */
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
