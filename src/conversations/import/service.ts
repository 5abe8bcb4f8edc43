// Bulk import of a folder tree: count the items, then read, map and ingest them one at a time (memory stays
// bounded by one item), through the same ingest functions as the API, so a re-run stores nothing twice.
// A failing item is recorded with its reason and the next one goes on.
import fs from 'node:fs';
import type { AppContext } from '../../context.ts';
import { requirePermission, type Actor } from '../../auth/actor.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { probeAudio } from '../../media/decode.ts';
import { assignStreams } from '../../media/channels.ts';
import { parseEml } from '../email/parse.ts';
import { ingestCall } from '../ingest/calls.ts';
import { ingestChat } from '../ingest/chats.ts';
import { ingestEmail } from '../ingest/emails.ts';
import { detectFormat, planConnect, scanConnect } from './connect.ts';
import { alreadyImported, planFiles } from './files.ts';
import { ALREADY_IMPORTED, type ImportItem, type Prepared } from './items.ts';

export const IMPORT_FORMATS = ['auto', 'files', 'connect'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportProgress {
  done: number;
  total: number;
  /** The item just finished. */
  label: string;
}

export interface ImportOptions {
  dir: string;
  format?: ImportFormat;
  /** Read, map and check everything (metadata, audio headers, channel maps, duplicates) but store nothing. */
  dryRun?: boolean;
  /** Called once the tree is counted, before the first item. */
  onStart?: (info: { total: number; format: 'files' | 'connect' }) => void;
  /** Called after each item. */
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportSummary {
  dir: string;
  format: 'files' | 'connect';
  dryRun: boolean;
  total: number;
  imported: number;
  skipped: number;
  failed: number;
  /** Skipped items counted by reason ("already imported", "chat transcripts are not in CTRs", ...). */
  skippedByReason: Record<string, number>;
  failures: Array<{ file: string; reason: string }>;
  /** Imported items with something worth knowing (no CTR, no audio, attributes cut). */
  notes: Array<{ file: string; note: string }>;
  elapsedMs: number;
}

type Outcome = { status: 'imported'; note?: string } | { status: 'skipped'; reason: string };

/** Errors that belong to one item (bad input, an unreadable file); anything else stops the import. */
function isItemError(err: unknown): err is Error {
  if (err instanceof DomainError) return true;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return err instanceof Error && typeof code === 'string' && /^(E[A-Z]+|Z_[A-Z_]+)$/.test(code);
}

export function parseFormat(value: string | undefined): ImportFormat {
  const format = (value ?? 'auto') as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) throw invalid(`--format must be one of ${IMPORT_FORMATS.join(', ')} (got "${value}")`);
  return format;
}

export async function importTree(ctx: AppContext, actor: Actor, opts: ImportOptions): Promise<ImportSummary> {
  requirePermission(actor, 'ingest.write');
  const started = Date.now();
  const stat = await fs.promises.stat(opts.dir).catch(() => null);
  if (!stat?.isDirectory()) throw new DomainError('NOT_FOUND', `"${opts.dir}" is not a folder`);
  // The tree is walked from its real path, so a link anywhere inside it shows (see safe-read.ts).
  const root = await fs.promises.realpath(opts.dir);
  const requested = parseFormat(opts.format);
  const format = requested === 'auto' ? await detectFormat(root) : requested;

  // Count first (for progress and ETA), then plan again lazily: nothing of the tree is held between the passes
  // but, for Connect, the set of contact ids that have a CTR.
  let total = 0;
  let items: AsyncGenerator<ImportItem>;
  if (format === 'connect') {
    const scan = await scanConnect(root);
    total = scan.records + scan.recordingsWithoutCtr + scan.unreadableFolders + scan.refusedFiles;
    items = planConnect(root, scan);
  } else {
    for await (const _ of planFiles(root, ctx.config.uploadLimitBytes)) total++;
    items = planFiles(root, ctx.config.uploadLimitBytes);
  }
  opts.onStart?.({ total, format });

  const summary: ImportSummary = {
    dir: root,
    format,
    dryRun: !!opts.dryRun,
    total,
    imported: 0,
    skipped: 0,
    failed: 0,
    skippedByReason: {},
    failures: [],
    notes: [],
    elapsedMs: 0,
  };
  let done = 0;
  for await (const item of items) {
    try {
      const prepared = await item.prepare(ctx, actor.tenantId);
      const outcome = opts.dryRun ? await check(ctx, actor, prepared) : await ingest(ctx, actor, prepared);
      if (outcome.status === 'imported') {
        summary.imported++;
        if (outcome.note) summary.notes.push({ file: item.label, note: outcome.note });
      } else {
        summary.skipped++;
        summary.skippedByReason[outcome.reason] = (summary.skippedByReason[outcome.reason] ?? 0) + 1;
      }
    } catch (err) {
      if (!isItemError(err)) throw err;
      summary.failed++;
      summary.failures.push({ file: item.label, reason: err.message });
    }
    done++;
    opts.onProgress?.({ done, total: Math.max(total, done), label: item.label });
  }
  summary.total = done;
  summary.elapsedMs = Date.now() - started;
  return summary;
}

async function ingest(ctx: AppContext, actor: Actor, p: Prepared): Promise<Outcome> {
  switch (p.kind) {
    case 'skip':
      return { status: 'skipped', reason: p.reason };
    case 'call': {
      const r = await ingestCall(ctx, actor, p.meta, p.files);
      return r.duplicate ? { status: 'skipped', reason: ALREADY_IMPORTED } : { status: 'imported', note: p.note };
    }
    case 'email': {
      const r = await ingestEmail(ctx, actor, p.raw);
      return r.duplicate ? { status: 'skipped', reason: ALREADY_IMPORTED } : { status: 'imported' };
    }
    case 'chat': {
      const r = await ingestChat(ctx, actor, p.input);
      return r.duplicate ? { status: 'skipped', reason: ALREADY_IMPORTED } : { status: 'imported' };
    }
  }
}

/** The dry run: the checks the ingest makes before it stores anything, without storing. */
async function check(ctx: AppContext, actor: Actor, p: Prepared): Promise<Outcome> {
  switch (p.kind) {
    case 'skip':
      return { status: 'skipped', reason: p.reason };
    case 'call': {
      const keys = new Set(p.meta.parties.map((x) => x.key));
      if (p.meta.agent && !keys.has(p.meta.agent))
        throw invalid(`"agent" names the party "${p.meta.agent}", which is not in "parties"`, { reason: 'UNKNOWN_PARTY' });
      for (const entry of p.meta.audio ?? []) {
        const file = p.files.find((f) => f.fieldName === entry.file);
        if (!file) throw invalid(`The metadata names the audio file "${entry.file}", which was not found`, { reason: 'MISSING_FILE' });
        for (const party of [entry.party, ...Object.values(entry.channelMap ?? {})]) {
          if (party && !keys.has(party)) throw invalid(`The audio file "${entry.file}" names the unknown party "${party}"`, { reason: 'UNKNOWN_PARTY' });
        }
        // As the ingest does: a mono file of one party names it with "party"; otherwise the channel map decides.
        const probe = await probeAudio(file.data, file.fileName);
        if (!(entry.party && probe.channels === 1)) assignStreams(probe, entry.channelMap, file.fileName);
      }
      return { status: 'imported', note: p.note };
    }
    case 'email': {
      const email = await parseEml(p.raw);
      return (await alreadyImported(ctx, actor.tenantId, 'email', email.messageId)) ? { status: 'skipped', reason: ALREADY_IMPORTED } : { status: 'imported' };
    }
    case 'chat':
      return { status: 'imported' };
  }
}
