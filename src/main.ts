// CLI entry: serve, worker, scheduler, migrate, demo, verify, keys rotate, tenant create, import.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, parseRoles, type Config } from './config.ts';
import { createContext, createLogger, type AppContext } from './context.ts';
import { FEATURES } from './features.ts';
import { ROLE_REGISTRY, ROLE_START_ORDER, assertRolesImplemented, type StopRole } from './roles.ts';
import { secureDataDir } from './platform/data-dir.ts';
import { startMetricsServer } from './platform/http/metrics.ts';
import { setFfmpegPath } from './media/ffmpeg.ts';
import { migrate } from './platform/db/migrate.ts';
import { DEMO_USERS, seedDemo } from './demo/seed.ts';
import { bootstrapUser, createTenant, refreshBuiltinRoles } from './auth/tenants.ts';
import { rotateMasterKey } from './platform/blobs/rotate.ts';
import { DomainError } from './platform/errors.ts';
import { IMPORT_USAGE, runImportCommand } from './conversations/import/cli.ts';
import { runModelsCommand } from './speech/models/cli.ts';
import { verifyExportCommand } from './compliance/vcon/cli.ts';
import { deletionReport } from './compliance/deletion/verify.ts';

const USAGE = `Usage: earshot <command> [options]

Commands:
  serve [--roles api,worker,scheduler]   Run the server (all roles in one process by default)
  worker                                 Run only job workers (same as serve --roles worker)
  scheduler                              Run only the scheduler (same as serve --roles scheduler)
  recorder                               Run only the SIPREC recorder (same as serve --roles recorder)
  migrate                                Apply database migrations and exit
  demo                                   Create the demo tenant and users (idempotent)
  verify                                 Check every media object and the audit chains, and list orphaned media;
                                         media deleted by a policy, a person or anonymization is told apart
                                         from missing media; exit 1 on any integrity failure (orphans alone exit 0)
  verify-export FILE [--public-key KEY.pem] [--json]
                                         Check a vCon export package offline (signature, every file's SHA-256,
                                         media hashes); needs no configuration; exit 1 if it does not hold
  keys rotate                            Re-wrap every media data key under a new master key
  tenant create NAME --admin-email E --admin-password P [--admin-name N]
                                         Create a tenant with its first administrator
  import DIR [--tenant NAME] [--dry-run] [--format auto|files|connect]
                                         Import a folder of calls (audio + sidecar JSON), .eml and .chat.json
                                         files, or an Amazon Connect export; exit 1 if any item failed
  models list                            The speech models the local engine can download, and which are installed
  models pull NAME [--sha256 HEX] [--force]
                                         Download a model into EARSHOT_MODELS_DIR, verify its SHA-256, unpack it

Configuration comes from environment variables; see README.md.`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  // Offline: no configuration, database or key needed (src/compliance/vcon/cli.ts).
  if (command === 'verify-export') {
    process.exitCode = await verifyExportCommand(rest);
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`earshot: invalid configuration: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  if (config.ffmpegPath) setFfmpegPath(config.ffmpegPath);
  reportDataDir(config);
  try {
    switch (command) {
      case 'serve':
      case 'worker':
      case 'scheduler':
      case 'recorder': {
        const { values } = parseArgs({ args: rest, options: { roles: { type: 'string' } } });
        const roles = values.roles ? parseRoles(values.roles, '--roles') : command === 'serve' ? config.roles : parseRoles(command);
        assertRolesImplemented(roles, values.roles ? '--roles' : 'EARSHOT_ROLES');
        await serve({ ...config, roles });
        return;
      }
      case 'migrate':
        await withContext(
          config,
          async (ctx) => {
            const ran = await migrate(ctx.db, ctx.adapter);
            console.log(ran.length ? `Applied ${ran.join(', ')}` : 'Database is up to date');
          },
          { migrate: false },
        );
        return;
      case 'demo':
        await withContext(config, async (ctx) => {
          const r = await seedDemo(ctx);
          console.log(r.created ? 'Created the demo tenant "Demo" (logins in README.md)' : 'The demo tenant already exists');
        });
        return;
      case 'verify':
        process.exitCode = await withContext(config, (ctx) => verify(ctx));
        return;
      case 'keys': {
        if (rest[0] !== 'rotate') throw new DomainError('VALIDATION_FAILED', 'Usage: earshot keys rotate');
        await withContext(config, async (ctx) => {
          const r = await rotateMasterKey({ db: ctx.db, adapter: ctx.adapter, config: ctx.config, keyring: ctx.keyring });
          console.log(`Re-wrapped ${r.rotated} data key(s): master key ${r.oldKekId} → ${r.newKekId}. Media was not re-encrypted.`);
        });
        return;
      }
      case 'tenant': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { 'admin-email': { type: 'string' }, 'admin-password': { type: 'string' }, 'admin-name': { type: 'string' } },
        });
        const name = positionals[1];
        if (positionals[0] !== 'create' || !name || !values['admin-email'] || !values['admin-password']) {
          throw new DomainError('VALIDATION_FAILED', 'Usage: earshot tenant create NAME --admin-email E --admin-password P [--admin-name N]');
        }
        await withContext(config, async (ctx) => {
          const tenantId = await createTenant(ctx, { name });
          await bootstrapUser(ctx, tenantId, {
            email: values['admin-email']!,
            name: values['admin-name'] ?? 'Administrator',
            password: values['admin-password']!,
            roles: ['admin'],
          });
          console.log(`Created tenant "${name}" (${tenantId}) with administrator ${values['admin-email']}`);
        });
        return;
      }
      case 'import': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { tenant: { type: 'string' }, 'dry-run': { type: 'boolean' }, format: { type: 'string' } },
        });
        if (positionals.length !== 1) throw new DomainError('VALIDATION_FAILED', IMPORT_USAGE);
        const args = { dir: positionals[0]!, tenant: values.tenant, dryRun: values['dry-run'] ?? false, format: values.format };
        process.exitCode = await withContext(config, (ctx) => runImportCommand(ctx, args));
        return;
      }
      case 'models':
        process.exitCode = await runModelsCommand(config, rest);
        return;
      default:
        console.error(`earshot: unknown command "${command}"\n\n${USAGE}`);
        process.exitCode = 2;
    }
  } catch (err) {
    if (err instanceof DomainError || err instanceof ConfigError) {
      console.error(`earshot: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Makes everything created from here on private to this account, and names what an older version left open. */
function reportDataDir(config: Config) {
  const r = secureDataDir(config);
  const log = createLogger(config);
  if (r.tightened) log.warn({ path: config.dataDir }, `data directory was readable by other users; changed it to 0700`);
  if (r.tooOpen.length) log.warn({ paths: r.tooOpen }, `readable by other users: ${r.tooOpen.join(', ')} (fix with chmod -R go-rwx)`);
}

async function withContext<T>(config: Config, fn: (ctx: AppContext) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const ctx = await createContext({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, { ...opts, features: FEATURES });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const DELETED_BY: Record<string, string> = { policy: 'retention policy', person: 'a person', anonymization: 'anonymization' };

async function verify(ctx: AppContext): Promise<number> {
  let failures = 0;
  let lastPrinted = 0;
  const media = await ctx.blobs.verifyAll({
    onProgress: ({ checked, total }) => {
      if (process.stderr.isTTY && Date.now() - lastPrinted > 200) {
        lastPrinted = Date.now();
        process.stderr.write(`\rChecking media ${checked}/${total}`);
      }
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  console.log(`Media objects checked: ${media.checked}, failed: ${media.failed.length}`);
  for (const f of media.failed) console.log(`  FAIL blob ${f.id} (tenant ${f.tenantId}): ${f.reason}`);
  failures += media.failed.length;
  // Media deleted on purpose (retention, a person, anonymization) is recorded; a reference to a blob without that record is missing.
  const deletions = await deletionReport(ctx);
  for (const d of deletions.deleted)
    console.log(
      `Media deleted by ${DELETED_BY[d.origin] ?? d.origin}: ${d.objects} object(s), data keys destroyed${d.removed < d.objects ? `, ${d.objects - d.removed} still to be removed from storage` : ''}`,
    );
  for (const r of deletions.references) {
    if (r.deletedBy) console.log(`  DELETED blob ${r.blobId} (${r.table}.${r.column}) by ${r.deletedBy}`);
    else {
      failures++;
      console.log(`  MISSING blob ${r.blobId} referenced by ${r.table}.${r.column}: no row and no deletion record`);
    }
  }
  const chains = await ctx.audit.verifyAllChains();
  for (const c of chains) {
    if (c.intact) console.log(`Audit chain ${c.chain}: intact (${c.checked} events)`);
    else {
      failures++;
      console.log(
        `Audit chain ${c.chain}: BROKEN at event ${c.firstBroken!.seq}${c.firstBroken!.id ? ` (${c.firstBroken!.id})` : ''}: ${c.firstBroken!.reason}`,
      );
    }
  }
  // Orphans are waste, not damage: listed (so a crash or a race is visible) but they do not change the exit code.
  const orphans = await ctx.blobs.findOrphans({ limit: 1000 });
  const shown = (n: number, listed: number) => (n > listed ? ` (first ${listed} listed)` : '');
  console.log(
    `Orphaned media rows (nothing references them): ${orphans.rowsUnchecked ? 'not checked' : orphans.rowCount}${shown(orphans.rowCount, orphans.rows.length)}`,
  );
  if (orphans.unregisteredReferences.length)
    console.log(`  not checked: ${orphans.unregisteredReferences.join(', ')} look like blob references but are not declared in src/blob-references.ts`);
  for (const o of orphans.rows)
    console.log(
      `  ORPHAN blob ${o.id} (tenant ${o.tenantId}, created ${o.createdAt})${o.sweepable ? '' : ' — within the grace period, may be a write in progress'}`,
    );
  console.log(`Orphaned media objects (no row): ${orphans.objectCount}${shown(orphans.objectCount, orphans.objects.length)}`);
  for (const o of orphans.objects)
    console.log(
      `  ORPHAN object ${o.key} (${o.size} bytes, ${o.lastModified})${deletions.deletedKeys.has(o.key) ? ' — deleted on purpose, its data key destroyed; removal pending' : o.sweepable ? '' : ' — within the grace period, may be a write in progress'}`,
    );
  if (orphans.incomplete.length) console.log(`Interrupted writes (temp files / unfinished uploads): ${orphans.incomplete.length}`);
  for (const o of orphans.incomplete)
    console.log(`  ORPHAN ${o.name} (${o.lastModified})${o.sweepable ? '' : ' — within the grace period, may be a write in progress'}`);
  const orphanCount = orphans.rowCount + orphans.objectCount + orphans.incomplete.length;
  if (failures) console.log(`${failures} integrity failure(s)`);
  else if (orphanCount)
    console.log(`Integrity verified; ${orphanCount} orphan(s) listed above, removed by the hourly blobs.sweep_orphans job once past their grace period`);
  else console.log('Everything verified');
  return failures ? 1 : 0;
}

/** Where to log in (and, with the demo, as whom): what a person starting the server needs first. */
export function loginHint(config: Config): string {
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  const admin = DEMO_USERS.find((u) => u.email.startsWith('admin@'));
  if (config.demo && admin) return `Log in at ${url} as ${admin.email} / ${admin.password} (demo tenant; the other demo logins are in README.md)`;
  return `Log in at ${url}`;
}

export async function serve(config: Config) {
  assertRolesImplemented(config.roles);
  // First on the terminal, before migrations and jobs start talking; repeated once the API listens.
  if (config.roles.includes('api')) createLogger(config).info(`Starting Earshot. ${loginHint(config)}`);
  const ctx = await createContext(config, { features: FEATURES });
  const stops: StopRole[] = [];
  if (config.roles.includes('api') || config.roles.includes('scheduler')) {
    await refreshBuiltinRoles(ctx);
    if (config.demo) {
      // Logins first, so the UI works at once; the demo conversations follow in the background (20–40 s on first start).
      const r = await seedDemo(ctx, { conversations: false });
      if (r.created) ctx.log.info('created the demo tenant (logins in README.md)');
    }
  }
  // Each role from the registry (src/roles.ts); stopped in reverse order, so the API stops taking requests first.
  for (const role of ROLE_START_ORDER) {
    if (config.roles.includes(role)) stops.unshift(await ROLE_REGISTRY[role].start!(ctx));
  }
  if (config.roles.includes('api')) ctx.log.info(loginHint(config));
  if (config.metrics && config.metricsListen) {
    const metrics = await startMetricsServer(config.metricsListen);
    stops.push(() => metrics.close());
    ctx.log.info(`Prometheus metrics on http://${config.metricsListen.host}:${metrics.port}/metrics`);
  }
  ctx.log.info({ roles: config.roles, database: ctx.adapter.name, media: config.media.backend }, 'started');
  let seeding: Promise<unknown> = Promise.resolve();
  if (config.demo && config.roles.includes('api')) {
    seeding = seedDemo(ctx)
      .then((r) => r.conversations && ctx.log.info({ conversations: r.conversations }, 'demo conversations created'))
      .catch((err) => ctx.log.error({ err }, 'could not create the demo conversations'));
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    for (const s of stops) await s();
    await Promise.race([seeding, new Promise((r) => setTimeout(r, 2000))]);
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
