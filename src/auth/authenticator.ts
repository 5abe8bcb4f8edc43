// How the HTTP edge turns a session cookie or an API token into an actor, handed to installAuth by src/app.ts so the
// platform's HTTP plumbing imports no feature.
import type { AppContext } from '../context.ts';
import type { Authenticator } from '../platform/http/auth.ts';
import { actorFromSession, actorFromToken } from './session-service.ts';
import { SESSION_COOKIE } from './tokens.ts';

export function authenticator(ctx: AppContext): Authenticator {
  return {
    sessionCookie: SESSION_COOKIE,
    fromSession: (cookieValue, client) => actorFromSession(ctx, cookieValue, client),
    fromToken: (bearer, client) => actorFromToken(ctx, bearer, client),
    organisationWide: (actor) => actor.scope.all,
  };
}
