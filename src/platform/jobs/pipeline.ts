// Pipelines: the order in which jobs follow one another for one subject (a conversation), declared in one place
// instead of each job knowing its successor. When a step's job succeeds, the worker queues the next step that applies
// to the subject in the same transaction that records the success (so a step that lost its lease, or whose success
// rolled back, queues nothing). The subject travels in the job's payload under PIPELINE_KEY.
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

// Method syntax, so a pipeline of any subject type fits in one list.
export interface PipelineStep<S> {
  /** The job type this step runs. */
  job: string;
  /** Runs only for subjects this holds for (e.g. conversations with audio); the others skip the step. */
  when?(subject: S): boolean;
  /** The step's job payload, built from the subject. */
  payload(subject: S): unknown;
  /** Not built yet: skipped until a feature registers the job (any other unregistered step stops start-up). */
  planned?: boolean;
  /** When the job fails for good (dead), the subject still moves on, so an optional enrichment never blocks the rest. */
  continueOnFailure?: boolean;
}

export interface Pipeline<S> {
  name: string;
  /** Checked whenever a step's job is read back, like the job's own payload. */
  subject: TSchema;
  steps: ReadonlyArray<PipelineStep<S>>;
}

export function definePipeline<T extends TSchema>(p: { name: string; subject: T; steps: ReadonlyArray<PipelineStep<Static<T>>> }): Pipeline<Static<T>> {
  return p;
}

/** What a pipeline step's job carries besides its own payload. */
export interface PipelineEnvelope {
  pipeline: string;
  subject: unknown;
}

export interface QueuedStep {
  type: string;
  payload: unknown;
  envelope: PipelineEnvelope;
}

export interface PipelineIndex {
  problems: string[];
  /** The first step that applies to the subject, from the start or from the step running `fromJob`. */
  first(pipeline: string, subject: unknown, fromJob?: string): QueuedStep | null;
  /** The step after the one that ran `job`, for the envelope's subject; null at the end. */
  after(envelope: PipelineEnvelope, job: string): QueuedStep | null;
  continuesOnFailure(envelope: PipelineEnvelope, job: string): boolean;
  /** Checks an envelope read back from a job; throws when the pipeline is unknown or the subject does not match. */
  check(envelope: unknown): PipelineEnvelope;
}

export function definePipelineIndex(pipelines: ReadonlyArray<Pipeline<unknown>>, registered: (job: string) => boolean): PipelineIndex {
  const problems: string[] = [];
  const byName = new Map<string, { p: Pipeline<unknown>; check: ReturnType<typeof Compile> }>();
  for (const p of pipelines) {
    if (byName.has(p.name)) problems.push(`pipeline ${p.name} is declared twice`);
    byName.set(p.name, { p, check: Compile(p.subject) });
    const seen = new Set<string>();
    for (const s of p.steps) {
      if (seen.has(s.job)) problems.push(`pipeline ${p.name}: ${s.job} appears twice`);
      seen.add(s.job);
      if (!s.planned && !registered(s.job))
        problems.push(`pipeline ${p.name}: step ${s.job} has no registered job (mark it planned until its feature registers one)`);
    }
  }
  const pipeline = (name: string) => {
    const e = byName.get(name);
    if (!e) throw new Error(`unknown pipeline ${name}`);
    return e;
  };
  const from = (name: string, subject: unknown, start: number): QueuedStep | null => {
    const { p } = pipeline(name);
    for (let i = start; i < p.steps.length; i++) {
      const s = p.steps[i]!;
      if (!registered(s.job) || (s.when && !s.when(subject))) continue;
      return { type: s.job, payload: s.payload(subject), envelope: { pipeline: name, subject } };
    }
    return null;
  };
  const indexOf = (name: string, job: string) => {
    const i = pipeline(name).p.steps.findIndex((s) => s.job === job);
    if (i < 0) throw new Error(`pipeline ${name} has no step ${job}`);
    return i;
  };
  return {
    problems,
    first: (name, subject, fromJob) => {
      const { check } = pipeline(name);
      if (!check.Check(subject)) throw new Error(`pipeline ${name}: the subject does not match its schema`);
      return from(name, subject, fromJob ? indexOf(name, fromJob) : 0);
    },
    after: (env, job) => from(env.pipeline, env.subject, indexOf(env.pipeline, job) + 1),
    continuesOnFailure: (env, job) => pipeline(env.pipeline).p.steps[indexOf(env.pipeline, job)]!.continueOnFailure === true,
    check: (raw) => {
      const env = raw as Partial<PipelineEnvelope> | null;
      if (!env || typeof env !== 'object' || typeof env.pipeline !== 'string') throw new Error('the pipeline envelope is malformed');
      const e = byName.get(env.pipeline);
      if (!e) throw new Error(`unknown pipeline ${env.pipeline}`);
      if (!e.check.Check(env.subject)) throw new Error(`the subject of pipeline ${env.pipeline} does not match its schema`);
      return env as PipelineEnvelope;
    },
  };
}
