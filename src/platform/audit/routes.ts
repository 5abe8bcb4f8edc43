import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../http/access.ts';
import { actorOf } from '../http/auth.ts';
import { Nullable, Timestamp, authErrors } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { invalid } from '../errors.ts';

const Change = Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() });
const Event = Type.Object({
  id: Type.String(), seq: Type.Integer(), at: Timestamp, initiatorId: Nullable(Type.String()), initiatorName: Type.String(),
  clientIp: Nullable(Type.String()), application: Type.String(), resourceType: Type.String(), resourceId: Nullable(Type.String()),
  action: Type.String(), details: Type.String(), changes: Nullable(Type.Array(Change)),
});
const Query = Type.Object({
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

export function auditRoutes(app: App, ctx: AppContext) {
  const tags = ['Audit trail'];
  app.get('/api/audit', {
    config: { access: needs('audit.view') },
    schema: { tags, summary: 'Search the audit trail (newest first)', querystring: Query, response: { 200: Type.Object({ items: Type.Array(Event), nextCursor: Nullable(Type.String()) }), ...authErrors } },
  }, (req) => {
    const q = req.query;
    if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw invalid('"from" must be before "to"');
    const iso = (s?: string) => (s ? new Date(s).toISOString() : undefined);
    return ctx.audit.find({
      tenantId: actorOf(req).tenantId, from: iso(q.from), to: iso(q.to), initiator: q.initiator, resourceType: q.resourceType,
      resourceId: q.resourceId, action: q.action, q: q.q, beforeSeq: q.cursor ? Number(q.cursor) : undefined, limit: q.limit ?? 100,
    });
  });
  app.get('/api/audit/verify', {
    config: { access: needs('audit.view') },
    schema: { tags, summary: 'Check the hash chain of this tenant\'s audit trail', response: { 200: Type.Object({ intact: Type.Boolean(), checked: Type.Integer(), firstBroken: Nullable(Type.Object({ id: Nullable(Type.String()), seq: Type.Integer(), reason: Type.String() })) }), ...authErrors } },
  }, (req) => ctx.audit.verifyChain(actorOf(req).tenantId));
}
