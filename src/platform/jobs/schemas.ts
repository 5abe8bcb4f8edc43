// Request and response schemas of the jobs API (the web's admin Jobs screen types its rows from these).
import { Type } from 'typebox';
import { Nullable, Timestamp } from '../http/schemas.ts';

export const Job = Type.Object({
  id: Type.String(),
  type: Type.String(),
  tenantId: Nullable(Type.String()),
  status: Type.String(),
  progress: Type.Number(),
  progressNote: Nullable(Type.String()),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  runAt: Timestamp,
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});

export const JobQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('dead')])),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const JobList = Type.Object({ items: Type.Array(Job) });
