// Thin HTTP edge for sign-in, the caller's own account and API tokens.
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { AUTHENTICATED, PUBLIC } from '../platform/http/access.ts';
import { actorOf, clientInfo } from '../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, Nullable, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as sessions from './session-service.ts';
import { SESSION_COOKIE } from './tokens.ts';

export function authRoutes(app: App, ctx: AppContext) {
  const tags = ['Account'];
  app.post(
    '/api/auth/login',
    {
      config: { access: PUBLIC, rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Log in with email and password; sets the session cookie',
        description:
          'An unknown email, a wrong password and any attempt on a locked account without the right password all get the same 401 INVALID_CREDENTIALS; only the right password on a locked account gets 423 ACCOUNT_LOCKED with lockedUntil.',
        body: schemas.LoginBody,
        response: { 200: Type.Object({ user: schemas.Me }), 401: ErrorResponse, 403: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req, reply) => {
      const r = await sessions.login(ctx, req.body, clientInfo(req));
      reply.setCookie(SESSION_COOKIE, r.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.cookieSecure,
        expires: new Date(r.expiresAt),
      });
      return { user: await sessions.me(ctx, r.actor) };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: AUTHENTICATED },
      schema: { tags, summary: 'End the current session', response: { 204: NoContent, ...authErrors } },
    },
    async (req, reply) => {
      await sessions.logout(ctx, actorOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { config: { access: AUTHENTICATED }, schema: { tags, summary: 'The logged-in user, with permissions', response: { 200: schemas.Me, ...authErrors } } },
    (req) => sessions.me(ctx, actorOf(req)),
  );

  app.patch(
    '/api/me',
    {
      config: { access: AUTHENTICATED },
      schema: { tags, summary: 'Change own name or language', body: schemas.MePatch, response: { 200: schemas.Me, ...authErrors } },
    },
    (req) => sessions.updateMe(ctx, actorOf(req), req.body),
  );

  app.post(
    '/api/me/password',
    {
      config: { access: AUTHENTICATED, rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Change own password, giving the current one (ends other sessions and revokes own API tokens)',
        body: schemas.PasswordChange,
        response: { 204: NoContent, ...authErrors },
      },
    },
    async (req, reply) => {
      await sessions.changeOwnPassword(ctx, actorOf(req), req.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/tokens',
    {
      config: { access: AUTHENTICATED },
      schema: {
        tags,
        summary: 'Own API tokens',
        response: {
          200: Type.Object({
            items: Type.Array(schemas.Token),
            maxDays: Nullable(Type.Integer({ description: "The organisation's cap on token lifetime in days, null for none" })),
          }),
          ...authErrors,
        },
      },
    },
    (req) => sessions.listOwnTokens(ctx, actorOf(req)),
  );

  app.post(
    '/api/me/tokens',
    {
      config: { access: AUTHENTICATED },
      schema: {
        tags,
        summary: 'Create a personal API token (Bearer); the secret is shown once',
        body: schemas.TokenCreate,
        response: { 200: Type.Object({ token: Type.String(), item: schemas.Token }), ...authErrors },
      },
    },
    (req) => sessions.createToken(ctx, actorOf(req), req.body),
  );

  app.delete(
    '/api/me/tokens/:id',
    { config: { access: AUTHENTICATED }, schema: { tags, summary: 'Revoke an API token', params: IdParams, response: { 204: NoContent, ...authErrors } } },
    async (req, reply) => {
      await sessions.revokeToken(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
