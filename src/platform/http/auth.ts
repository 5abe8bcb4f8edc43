// Authentication (session cookie or Bearer token) and the permission each route declares, checked before validation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { actorFromSession, actorFromToken, type ClientInfo } from '../../auth/session-service.ts';
import { SESSION_COOKIE } from '../../auth/tokens.ts';
import { DomainError } from '../errors.ts';
import { requiredPermissions, type Access } from './access.ts';

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}

export function clientInfo(req: FastifyRequest, application: ClientInfo['application'] = 'web'): ClientInfo {
  return { ip: req.ip ?? null, userAgent: (req.headers['user-agent'] as string | undefined) ?? null, application };
}

export function installAuth(app: FastifyInstance, ctx: AppContext, catalog: RouteInfo[]) {
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access (public, authenticated or a permission)`);
    for (const m of [route.method].flat()) if (m !== 'HEAD') catalog.push({ method: m, url: route.url, access });
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.actor = await actorFromToken(ctx, auth.slice(7).trim(), clientInfo(req, 'api'));
    } else {
      const cookie = req.cookies?.[SESSION_COOKIE];
      if (cookie) req.actor = await actorFromSession(ctx, cookie, clientInfo(req, 'web'));
    }
    if (!req.actor) throw new DomainError('UNAUTHENTICATED', 'Log in first (or send a valid API token)');
    const anyOf = requiredPermissions(access);
    if (anyOf.length && !anyOf.some((p) => req.actor!.permissions.has(p))) {
      throw new DomainError('FORBIDDEN', `This needs the permission "${anyOf.join('" or "')}"`);
    }
  });
}

/** The authenticated caller of a non-public route (the onRequest hook has refused everyone else). */
export function actorOf(req: FastifyRequest) {
  if (!req.actor) throw new DomainError('UNAUTHENTICATED', 'Log in first (or send a valid API token)');
  return req.actor;
}
