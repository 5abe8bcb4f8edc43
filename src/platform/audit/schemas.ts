// Request and response schemas of the audit trail API (the web's Audit screen types its rows from these).
import { Type } from 'typebox';
import { Nullable, Timestamp } from '../http/schemas.ts';

export const AuditChange = Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() });
export const AuditEvent = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  at: Timestamp,
  initiatorId: Nullable(Type.String()),
  initiatorName: Type.String(),
  clientIp: Nullable(Type.String()),
  application: Type.String(),
  resourceType: Type.String(),
  resourceId: Nullable(Type.String()),
  action: Type.String(),
  details: Type.String(),
  changes: Nullable(Type.Array(AuditChange)),
});
export const AuditQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  initiator: Type.Optional(Type.String({ maxLength: 200 })),
  resourceType: Type.Optional(Type.String({ maxLength: 100 })),
  resourceId: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
});
export const AuditPage = Type.Object({ items: Type.Array(AuditEvent), nextCursor: Nullable(Type.String()) });
export const AuditVerify = Type.Object({
  intact: Type.Boolean(),
  checked: Type.Integer(),
  firstBroken: Nullable(Type.Object({ id: Nullable(Type.String()), seq: Type.Integer(), reason: Type.String() })),
});
export const AuditVocabulary = Type.Object({
  resourceTypes: Type.Array(Type.String(), { description: 'Resource types that occur in the trail, sorted' }),
  actions: Type.Array(Type.String(), { description: 'Actions that occur in the trail, sorted' }),
});
