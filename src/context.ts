// The process-wide dependencies, built once at boot and handed to services, routes, jobs and the CLI.
import pino, { type Logger } from 'pino';
import { logDestination } from './platform/logging.ts';
import type { Config } from './config.ts';
import { openDatabase, type Db } from './platform/db/index.ts';
import type { DialectAdapter } from './platform/db/adapter.ts';
import { migrate } from './platform/db/migrate.ts';
import { createReadPool, type ReadPool } from './platform/db/read-pool.ts';
import { AuditLog } from './platform/audit/service.ts';
import { JobQueue } from './platform/jobs/queue.ts';
import { loadOrCreateMasterKey, type Keyring } from './platform/crypto/keys.ts';
import { createBlobBackend } from './platform/blobs/backend.ts';
import { BlobStore } from './platform/blobs/service.ts';
import { recoverPendingRotation } from './platform/blobs/rotate.ts';
import type { JobRegistry } from './platform/jobs/registry.ts';
import type { Tx } from './platform/db/index.ts';
import { BLOB_REFERENCES } from './blob-references.ts';

export interface AppContext {
  config: Config;
  log: Logger;
  db: Db;
  adapter: DialectAdapter;
  audit: AuditLog;
  jobs: JobQueue;
  /** Platform events that features hook into (src/features.ts), so no platform or auth code imports them. */
  hooks: {
    /** Runs in the transaction that creates a tenant, and for every tenant at start-up (the hooks are idempotent). */
    tenantCreated(tx: Tx, tenantId: string): Promise<void>;
    /** What features add to /api/health, by name (e.g. whether a speech engine can run); a failing check is reported, not thrown. */
    health(): Promise<Record<string, HealthCheck>>;
  };
  keyring: Keyring;
  blobs: BlobStore;
  /** Heavy reads (searches): worker threads on SQLite, the normal pool on PostgreSQL. */
  reads: ReadPool;
  close(): Promise<void>;
}

/**
 * What the features contribute to the platform, handed in by the composition root (src/features.ts): the context is
 * built from platform parts only, so importing it never pulls a feature in (and features importing it make no cycle).
 */
export interface FeatureWiring {
  jobs: JobRegistry<AppContext>;
  tenantCreated: ReadonlyArray<(ctx: AppContext, tx: Tx, tenantId: string) => Promise<void>>;
  /** Feature checks shown in /api/health under their name. */
  health?: Readonly<Record<string, (ctx: AppContext) => Promise<HealthCheck>>>;
}

/** A feature's part of /api/health: `ok` false with a message an operator can act on; details as the feature likes. */
export interface HealthCheck {
  ok: boolean;
  message: string | null;
  details?: unknown;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { app: 'earshot' } }, logDestination() ?? pino.destination(1));
}

export async function createContext(config: Config, opts: { features: FeatureWiring; log?: Logger; migrate?: boolean }): Promise<AppContext> {
  const log = opts.log ?? createLogger(config);
  const { db, adapter, close } = openDatabase(config.databaseUrl, { onIdleError: (err) => log.warn({ err }, 'database connection dropped') });
  if (opts.migrate !== false) {
    const ran = await migrate(db, adapter);
    if (ran.length) log.info({ migrations: ran }, 'database migrated');
  }
  const keyring = loadOrCreateMasterKey(config);
  // Settle a key rotation that a crash interrupted before anything reads or writes media.
  const recovered = await recoverPendingRotation({ db, keyring });
  if (recovered !== 'none') log.warn({ recovered }, 'finished an interrupted master key rotation');
  const backend = createBlobBackend(config.media);
  const blobs = new BlobStore({ db, adapter, backend, keyring, references: BLOB_REFERENCES });
  const reads = createReadPool(config.databaseUrl, db, { timeoutMs: config.searchTimeoutMs });
  const ctx: AppContext = {
    config,
    log,
    db,
    adapter,
    audit: new AuditLog(db, adapter),
    jobs: new JobQueue(db, adapter, opts.features.jobs),
    hooks: {
      async tenantCreated(tx, tenantId) {
        for (const hook of opts.features.tenantCreated) await hook(ctx, tx, tenantId);
      },
      async health() {
        const entries = await Promise.all(
          Object.entries(opts.features.health ?? {}).map(async ([name, check]) => {
            const r = await check(ctx).catch((err: unknown): HealthCheck => ({ ok: false, message: `The check failed: ${(err as Error).message}` }));
            return [name, r] as const;
          }),
        );
        return Object.fromEntries(entries);
      },
    },
    keyring,
    blobs,
    reads,
    async close() {
      await reads.close();
      await backend.close?.();
      await close();
    },
  };
  return ctx;
}
