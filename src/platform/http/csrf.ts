// Cross-site request forgery guard. SameSite=Strict keeps the session cookie off requests from other *sites*,
// but a page on another port or subdomain of the same host is the same site: the browser sends the cookie.
// So every state-changing request made with the cookie must come from our own origin. A browser always sends
// Origin on such requests (and Sec-Fetch-Site when it knows it); a script outside a browser sends neither and
// cannot carry the victim's cookie. Bearer-token calls carry no ambient credential and are not checked.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { DomainError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the request was addressed to: scheme, host and port, from X-Forwarded-* only with EARSHOT_TRUST_PROXY. */
export function ownOrigin(req: FastifyRequest): string | undefined {
  try {
    return new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return undefined;
  }
}

/** Why the request is refused, or undefined when it may proceed. */
export function csrfRefusal(req: FastifyRequest, trusted: ReadonlySet<string>): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  // A SAML response is posted by the browser from the identity provider's page: cross-site by design. Such a route uses no
  // cookie to authorise anything; the signed assertion and its InResponseTo are the proof (src/auth/sso/saml.ts).
  if (req.routeOptions.config?.crossSitePost) return undefined;
  if (req.headers.authorization?.startsWith('Bearer ')) return undefined;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  // The browser's own verdict; a page cannot forge it. It also covers proxies that rewrite Host without EARSHOT_TRUST_PROXY.
  if (site === 'same-origin') return undefined;
  if (origin !== undefined) {
    if (origin === ownOrigin(req) || trusted.has(origin)) return undefined;
    return `Origin ${origin} is not this server's origin`;
  }
  if (site === 'cross-site' || site === 'same-site') return `the browser reports a ${site} request without an Origin`;
  return undefined;
}

export function installCsrfGuard(app: FastifyInstance, config: Pick<Config, 'publicUrl' | 'allowedOrigins'>) {
  const trusted = new Set([...(config.publicUrl ? [config.publicUrl] : []), ...config.allowedOrigins]);
  app.addHook('onRequest', async (req) => {
    const reason = csrfRefusal(req, trusted);
    if (reason) {
      throw new DomainError(
        'CSRF_REJECTED',
        `Refused a state-changing request from another origin: ${reason}. If users reach Earshot at another address, set EARSHOT_PUBLIC_URL (or EARSHOT_ALLOWED_ORIGINS).`,
      );
    }
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes POSTs from other sites (SAML HTTP-POST binding) and authorises nothing by cookie. */
    crossSitePost?: true;
  }
}
