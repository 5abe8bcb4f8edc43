// Process roles, as a registry: what each role starts in `earshot serve` and how it stops. A role that is not built
// yet has no `start` and refuses to start with a message, instead of being accepted and silently doing nothing.
import { ConfigError, type ProcessRole } from './config.ts';
import type { AppContext } from './context.ts';
import { buildApp } from './app.ts';
import { JobWorker } from './platform/jobs/worker.ts';
import { Scheduler } from './platform/jobs/scheduler.ts';
import { startRecorder } from './recorder/role.ts';
import { loadSipConfig } from './recorder/sip/config.ts';

export type StopRole = () => Promise<void> | void;

export interface RoleDefinition {
  summary: string;
  /** Absent while the role is not built; `serve` then refuses it. */
  start?: (ctx: AppContext) => Promise<StopRole>;
  /** Checks the role's own settings before anything starts (throws ConfigError naming the variable). */
  checkConfig?: (env: Record<string, string | undefined>) => void;
}

export const ROLE_REGISTRY: { readonly [R in ProcessRole]: RoleDefinition } = {
  worker: {
    summary: 'runs background jobs (EARSHOT_WORKER_CONCURRENCY at a time)',
    async start(ctx) {
      const worker = new JobWorker(ctx.jobs, ctx, { concurrency: ctx.config.workerConcurrency, log: ctx.log });
      worker.start();
      return () => worker.stop();
    },
  },
  scheduler: {
    summary: 'queues periodic maintenance jobs (the jobs that declare everyMs)',
    async start(ctx) {
      const scheduler = new Scheduler(ctx.jobs, ctx.log);
      scheduler.start();
      return () => scheduler.stop();
    },
  },
  api: {
    summary: 'serves the HTTP API and the web UI',
    async start(ctx) {
      const { app } = await buildApp(ctx);
      await app.listen({ host: ctx.config.host, port: ctx.config.port });
      ctx.log.info(`Earshot is listening on http://${ctx.config.host === '0.0.0.0' ? 'localhost' : ctx.config.host}:${ctx.config.port}`);
      return () => app.close();
    },
  },
  recorder: {
    summary: 'records calls from SBCs and PBXs over SIPREC (EARSHOT_SIP_*: UDP/TCP 5060, TLS 5061; RTP 20000-29999)',
    checkConfig: (env) => void loadSipConfig(env),
    async start(ctx) {
      const recorder = await startRecorder(ctx);
      return () => recorder.stop();
    },
  },
};

/** The order roles start in: the API last, so it takes requests once the rest runs (and stops first). */
export const ROLE_START_ORDER: readonly ProcessRole[] = ['worker', 'scheduler', 'recorder', 'api'];

/** Refuses, before anything starts, roles this version cannot run (`variable` names where they were asked for). */
export function assertRolesImplemented(roles: readonly ProcessRole[], variable = 'EARSHOT_ROLES') {
  const missing = roles.filter((r) => !ROLE_REGISTRY[r].start);
  if (missing.length === 0) {
    for (const r of roles) ROLE_REGISTRY[r].checkConfig?.(process.env);
    return;
  }
  const runnable = (Object.keys(ROLE_REGISTRY) as ProcessRole[]).filter((r) => ROLE_REGISTRY[r].start);
  throw new ConfigError(
    variable,
    `${missing.map((r) => `the ${r} role is not implemented in this version (${ROLE_REGISTRY[r].summary})`).join('; ')}; run one or more of ${runnable.join(', ')}`,
  );
}
