// Authentication (session cookie or Bearer token) and the permission each route declares, checked before validation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Application } from '../audit/types.ts';
import { DomainError } from '../errors.ts';
import { requiredPermissions, type Access } from './access.ts';

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  application: Application;
}

type RequestActor = NonNullable<FastifyRequest['actor']>;

/**
 * How credentials become an actor. The auth feature provides it and src/app.ts hands it in, so the HTTP plumbing
 * imports no feature.
 */
export interface Authenticator {
  sessionCookie: string;
  fromSession(cookieValue: string, client: ClientInfo): Promise<RequestActor | null>;
  fromToken(bearer: string, client: ClientInfo): Promise<RequestActor | null>;
  /** The actor's scope is the whole organisation (not some groups). */
  organisationWide(actor: RequestActor): boolean;
}

export function clientInfo(req: FastifyRequest, application: ClientInfo['application'] = 'web'): ClientInfo {
  return { ip: req.ip ?? null, userAgent: (req.headers['user-agent'] as string | undefined) ?? null, application };
}

export function installAuth(app: FastifyInstance, authenticator: Authenticator, catalog: RouteInfo[]) {
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
      req.actor = await authenticator.fromToken(auth.slice(7).trim(), clientInfo(req, 'api'));
    } else {
      const cookie = req.cookies?.[authenticator.sessionCookie];
      if (cookie) req.actor = await authenticator.fromSession(cookie, clientInfo(req, 'web'));
    }
    if (!req.actor) throw new DomainError('UNAUTHENTICATED', 'Log in first (or send a valid API token)');
    const anyOf = requiredPermissions(access);
    if (anyOf.length && !anyOf.some((p) => req.actor!.permissions.has(p))) {
      throw new DomainError('FORBIDDEN', `This needs the permission "${anyOf.join('" or "')}"`);
    }
    if ('organisationWide' in access && access.organisationWide && !authenticator.organisationWide(req.actor)) {
      throw new DomainError(
        'FORBIDDEN',
        'This covers the whole organisation, and your access is limited to some groups; ask an administrator of the whole organisation',
      );
    }
  });
}

/** The authenticated caller of a non-public route (the onRequest hook has refused everyone else). */
export function actorOf(req: FastifyRequest) {
  if (!req.actor) throw new DomainError('UNAUTHENTICATED', 'Log in first (or send a valid API token)');
  return req.actor;
}
