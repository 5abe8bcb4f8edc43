// `earshot import DIR [--tenant NAME] [--dry-run] [--format auto|files|connect]`: picks the tenant, shows
// progress on stderr, prints the summary on stdout and answers the exit code (1 when any item failed).
import type { AppContext } from '../../context.ts';
import { systemActor } from '../../auth/actor.ts';
import { findTenantByName } from '../../auth/repository.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { ImportProgressBar, formatDuration, type ProgressOutput } from './progress.ts';
import { countTenants, listTenants } from './repository.ts';
import { importTree, parseFormat, type ImportSummary } from './service.ts';

export const IMPORT_USAGE = 'Usage: earshot import DIR [--tenant NAME] [--dry-run] [--format auto|files|connect]';

export interface ImportCommandArgs {
  dir: string;
  tenant?: string;
  dryRun?: boolean;
  format?: string;
}

/** The named tenant, or the only one when there is exactly one. */
export async function resolveImportTenant(ctx: AppContext, name?: string): Promise<{ id: string; name: string }> {
  if (name) {
    const tenant = await findTenantByName(ctx.db, name);
    if (!tenant) throw new DomainError('NOT_FOUND', `There is no tenant named "${name}"`);
    return { id: tenant.id, name: tenant.name };
  }
  const tenants = await listTenants(ctx.db, 6);
  if (tenants.length === 1) return tenants[0]!;
  if (tenants.length === 0)
    throw invalid('There is no tenant to import into yet; create one first: earshot tenant create NAME --admin-email E --admin-password P');
  const count = await countTenants(ctx.db);
  const names = tenants
    .slice(0, 5)
    .map((t) => `"${t.name}"`)
    .join(', ');
  throw invalid(`Say which tenant to import into with --tenant NAME: there are ${count} tenants (${names}${count > 5 ? ', …' : ''})`);
}

export async function runImportCommand(
  ctx: AppContext,
  args: ImportCommandArgs,
  io: { stdout: ProgressOutput; stderr: ProgressOutput } = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const format = parseFormat(args.format);
  const tenant = await resolveImportTenant(ctx, args.tenant);
  const actor = systemActor(tenant.id, 'earshot import', 'cli');
  const bar = new ImportProgressBar(io.stderr);
  const summary = await importTree(ctx, actor, {
    dir: args.dir,
    format,
    dryRun: args.dryRun,
    onStart: ({ total, format: detected }) => {
      const kind = detected === 'connect' ? 'Amazon Connect records and recordings' : 'files';
      io.stderr.write(
        `${args.dryRun ? 'Checking' : 'Importing'} ${total} item(s) from ${args.dir} (${kind}) into tenant "${tenant.name}"${args.dryRun ? ' (dry run: nothing is stored)' : ''}\n`,
      );
      bar.start(total);
    },
    onProgress: (p) => bar.update(p.done, p.label),
  });
  bar.finish();
  io.stdout.write(formatSummary(summary));
  return summary.failed ? 1 : 0;
}

export function formatSummary(s: ImportSummary): string {
  const took = `${s.total} item(s) in ${formatDuration(s.elapsedMs)}`;
  const lines = [
    s.dryRun
      ? `Dry run, nothing was stored: would import ${s.imported}, skip ${s.skipped}, fail ${s.failed} (${took})`
      : `Imported ${s.imported}, skipped ${s.skipped}, failed ${s.failed} (${took})`,
  ];
  const reasons = Object.entries(s.skippedByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (reasons.length) {
    lines.push('Skipped:');
    for (const [reason, n] of reasons) lines.push(`  ${n} ${reason}`);
  }
  if (s.notes.length) {
    lines.push('Notes:');
    for (const n of s.notes) lines.push(`  ${n.file}: ${n.note}`);
  }
  if (s.failures.length) {
    lines.push('Failed:');
    for (const f of s.failures) lines.push(`  ${f.file}: ${f.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
