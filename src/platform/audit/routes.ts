import type { AppContext } from '../../context.ts';
import { needsOrganisationWide } from '../http/access.ts';
import { actorOf } from '../http/auth.ts';
import { authErrors } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { invalid } from '../errors.ts';
import { AuditPage, AuditQuery, AuditVerify, AuditVocabulary } from './schemas.ts';

export function auditRoutes(app: App, ctx: AppContext) {
  const tags = ['Audit trail'];
  app.get(
    '/api/audit',
    {
      config: { access: needsOrganisationWide('audit.view') },
      schema: { tags, summary: 'Search the audit trail (newest first)', querystring: AuditQuery, response: { 200: AuditPage, ...authErrors } },
    },
    (req) => {
      const q = req.query;
      if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw invalid('"from" must be before "to"');
      const iso = (s?: string) => (s ? new Date(s).toISOString() : undefined);
      return ctx.audit.find({
        tenantId: actorOf(req).tenantId,
        from: iso(q.from),
        to: iso(q.to),
        initiator: q.initiator,
        resourceType: q.resourceType,
        resourceId: q.resourceId,
        action: q.action,
        q: q.q,
        beforeSeq: q.cursor ? Number(q.cursor) : undefined,
        limit: q.limit ?? 100,
      });
    },
  );
  app.get(
    '/api/audit/vocabulary',
    {
      config: { access: needsOrganisationWide('audit.view') },
      schema: {
        tags,
        summary: "The resource types and actions in this tenant's audit trail (the filter's suggestions)",
        response: { 200: AuditVocabulary, ...authErrors },
      },
    },
    (req) => ctx.audit.vocabulary(actorOf(req).tenantId),
  );
  app.get(
    '/api/audit/verify',
    {
      config: { access: needsOrganisationWide('audit.view') },
      schema: { tags, summary: "Check the hash chain of this tenant's audit trail", response: { 200: AuditVerify, ...authErrors } },
    },
    (req) => ctx.audit.verifyChain(actorOf(req).tenantId),
  );
}
