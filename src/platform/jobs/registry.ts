// The job registry. Each feature declares its jobs in its own jobs.ts (name, TypeBox payload schema, handler, lease,
// retries, optional schedule); the composition root (src/jobs.ts) hands the list and the pipelines here. The platform
// never imports a feature: it only knows the definitions it is given. A malformed registry stops start-up.
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { definePipelineIndex, type Pipeline, type PipelineIndex } from './pipeline.ts';
import type { JobContext, JobSpec } from './types.ts';

export const DEFAULT_LEASE_MS = 60_000;

export interface JobDefinition<Ctx = unknown, S extends TSchema = TSchema, T extends string = string> extends JobSpec {
  type: T;
  /** What the job does and who queues it (shown in docs and logs). */
  description: string;
  /** Validated when the job is queued and again when a worker reads it back. */
  payload: S;
  /** Queued by the scheduler role at this interval (payload `{}`), unless one is already waiting or running. */
  everyMs?: number;
  // Method syntax: a list holds definitions of different payload types.
  handler(ctx: Ctx, payload: Static<S>, job: JobContext): Promise<unknown>;
}

/** Declares one job; `type` stays a literal so src/jobs.ts can check the list against JobPayloads. */
export function defineJob<Ctx, S extends TSchema, T extends string>(def: JobDefinition<Ctx, S, T>): JobDefinition<Ctx, S, T> {
  return def;
}

/** A payload that does not match its job's schema: a bug in the code that queued it, or a row from an older version. */
export class JobPayloadError extends Error {
  constructor(
    readonly type: string,
    readonly where: string,
    message: string,
  ) {
    super(`payload of ${type} does not match its schema${where ? ` at ${where}` : ''}: ${message}`);
  }
}

/** Payload keys starting with "$" belong to the queue (the pipeline envelope), never to a handler. */
export const PIPELINE_KEY = '$pipeline';

interface Entry {
  def: JobDefinition;
  check: ReturnType<typeof Compile>;
}

export class JobRegistry<Ctx = unknown> {
  private readonly entries = new Map<string, Entry>();
  readonly pipelines: PipelineIndex;

  constructor(definitions: ReadonlyArray<JobDefinition<Ctx, TSchema, string>>, pipelines: ReadonlyArray<Pipeline<unknown>> = []) {
    const problems: string[] = [];
    for (const def of definitions) {
      if (!def || typeof def.type !== 'string' || !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(def.type)) {
        problems.push(`job type ${JSON.stringify(def?.type)} is not a dotted lower-case name`);
        continue;
      }
      if (this.entries.has(def.type)) problems.push(`job type ${def.type} is declared twice`);
      if (typeof def.handler !== 'function') problems.push(`job type ${def.type} has no handler`);
      if (!def.payload || typeof def.payload !== 'object') problems.push(`job type ${def.type} has no payload schema`);
      if (!(Number.isInteger(def.maxAttempts) && def.maxAttempts >= 1)) problems.push(`job type ${def.type}: maxAttempts must be a whole number ≥ 1`);
      if (def.leaseMs !== undefined && !(def.leaseMs > 0)) problems.push(`job type ${def.type}: leaseMs must be positive`);
      if (def.everyMs !== undefined && !(def.everyMs >= 1000)) problems.push(`job type ${def.type}: everyMs must be at least 1000`);
      if (problems.length === 0) this.entries.set(def.type, { def: def as JobDefinition<unknown>, check: Compile(def.payload) });
    }
    if (problems.length === 0) {
      const index = definePipelineIndex(pipelines, (t) => this.entries.has(t));
      problems.push(...index.problems);
      this.pipelines = index;
    } else this.pipelines = definePipelineIndex([], () => false);
    if (problems.length) throw new Error(`the job registry is not valid:\n  ${problems.join('\n  ')}`);
  }

  types(): string[] {
    return [...this.entries.keys()];
  }

  has(type: string): boolean {
    return this.entries.has(type);
  }

  definition(type: string): JobDefinition<Ctx> {
    const e = this.entries.get(type);
    if (!e) throw new Error(`unknown job type ${type}`);
    return e.def as JobDefinition<Ctx>;
  }

  spec(type: string): JobSpec {
    return this.definition(type);
  }

  leaseMs(type: string): number {
    return this.entries.get(type)?.def.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The jobs the scheduler queues on a timer. */
  schedules(): Array<{ type: string; everyMs: number }> {
    return [...this.entries.values()].filter((e) => e.def.everyMs).map((e) => ({ type: e.def.type, everyMs: e.def.everyMs! }));
  }

  /** Checks a payload (without the pipeline envelope) against its job's schema; throws JobPayloadError. */
  check(type: string, payload: unknown): void {
    const e = this.entries.get(type);
    if (!e) throw new Error(`unknown job type ${type}`);
    if (e.check.Check(payload)) return;
    const first = e.check.Errors(payload)[0];
    throw new JobPayloadError(type, first?.instancePath ?? '', first?.message ?? 'does not match');
  }
}
