// The import runs of the Import screen: an upload, its job's progress, and the summary `earshot import` prints.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const ImportSummary = Type.Object({
  format: Type.Union([Type.Literal('files'), Type.Literal('connect')]),
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  imported: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  skippedByReason: Type.Record(Type.String(), Type.Integer()),
  failures: Type.Array(Type.Object({ file: Type.String(), reason: Type.String() })),
  notes: Type.Array(Type.Object({ file: Type.String(), note: Type.String() })),
  elapsedMs: Type.Integer(),
});

export const ImportRunView = Type.Object({
  id: Id,
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  format: Type.String({ description: 'auto, files or connect, as asked' }),
  dryRun: Type.Boolean(),
  fileCount: Type.Integer(),
  totalBytes: Type.Integer(),
  createdBy: Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  jobId: Nullable(Type.String()),
  /** Items found once the uploaded tree is counted; null before. */
  total: Nullable(Type.Integer()),
  done: Type.Integer(),
  currentLabel: Nullable(Type.String()),
  summary: Nullable(ImportSummary),
  error: Nullable(Type.String()),
});
export type ImportRunView = Static<typeof ImportRunView>;

export const ImportLimits = Type.Object({
  maxFiles: Type.Integer(),
  maxBytes: Type.Integer({ description: 'Total bytes of one upload' }),
  maxFileBytes: Type.Integer({ description: 'Largest file read from an upload (a zip may be as large as maxBytes)' }),
});

export const ImportRunList = Type.Object({ items: Type.Array(ImportRunView), limits: ImportLimits });
export const ImportRunParams = Type.Object({ id: Id });
