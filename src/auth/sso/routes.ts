// Thin HTTP edge for single sign-on: the public sign-in endpoints (options, start, OIDC callback, SAML metadata and
// assertion consumer) and the administration of providers, policy and the SCIM token.
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../platform/errors.ts';
import { PUBLIC, needs } from '../../platform/http/access.ts';
import { actorOf, clientInfo } from '../../platform/http/auth.ts';
import { ownOrigin } from '../../platform/http/csrf.ts';
import { IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { SESSION_COOKIE } from '../tokens.ts';
import * as admin from './admin-service.ts';
import * as login from './login-service.ts';
import * as schemas from './schemas.ts';

const BINDING_COOKIE = 'earshot_sso';

export function ssoRoutes(app: App, ctx: AppContext) {
  const tags = ['Single sign-on'];
  // The address the IdP sends the browser back to: EARSHOT_PUBLIC_URL when set (behind a proxy), else this request's.
  const base = (req: FastifyRequest) => ctx.config.publicUrl ?? ownOrigin(req) ?? '';
  const setSession = (reply: FastifyReply, r: { sessionToken: string; expiresAt: string }) =>
    reply.setCookie(SESSION_COOKIE, r.sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.cookieSecure,
      expires: new Date(r.expiresAt),
    });
  // A browser navigation, not an API call: a refusal goes back to the sign-in page with its reason.
  const toLogin = (reply: FastifyReply, e: unknown) => {
    if (!(e instanceof DomainError)) throw e;
    const reason = (e.details?.reason as string | undefined) ?? e.code;
    return reply.redirect(`/login?sso_error=${encodeURIComponent(reason)}`, 303);
  };

  app.get(
    '/api/auth/sso/options',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: "An organisation's sign-in methods (the only organisation's when none is named)",
        querystring: Type.Object({ tenant: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: schemas.SsoOptions },
      },
    },
    (req) => login.options(ctx, req.query.tenant),
  );

  app.get(
    '/api/auth/sso/:id/start',
    {
      config: { access: PUBLIC, rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Redirect to the identity provider to sign in',
        params: IdParams,
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (req, reply) => {
      try {
        const r = await login.start(ctx, req.params.id, { base: base(req), returnTo: req.query.returnTo, client: clientInfo(req) });
        if (r.binding) {
          // Lax, not Strict: the IdP's redirect back is a cross-site top-level GET that must carry it.
          reply.setCookie(BINDING_COOKIE, r.binding, { path: '/api/auth/sso', httpOnly: true, sameSite: 'lax', secure: ctx.config.cookieSecure, maxAge: 600 });
        }
        return reply.redirect(r.url, 302);
      } catch (e) {
        return toLogin(reply, e);
      }
    },
  );

  app.get(
    '/api/auth/sso/oidc/callback',
    {
      config: { access: PUBLIC, rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: { tags, summary: 'OpenID Connect redirect URI: completes the sign-in and sets the session cookie' },
    },
    async (req, reply) => {
      try {
        const r = await login.finishOidc(ctx, {
          base: base(req),
          currentUrl: new URL(req.url, base(req) || 'http://localhost'),
          binding: req.cookies?.[BINDING_COOKIE],
          client: clientInfo(req),
        });
        reply.clearCookie(BINDING_COOKIE, { path: '/api/auth/sso' });
        setSession(reply, r.result);
        return reply.redirect(r.returnTo, 303);
      } catch (e) {
        reply.clearCookie(BINDING_COOKIE, { path: '/api/auth/sso' });
        return toLogin(reply, e);
      }
    },
  );

  app.get(
    '/api/auth/sso/saml/:id/metadata',
    { config: { access: PUBLIC }, schema: { tags, summary: "The service provider's SAML metadata (entity id, assertion consumer URL)", params: IdParams } },
    async (req, reply) => reply.type('application/samlmetadata+xml').send(await login.samlMetadata(ctx, req.params.id, base(req))),
  );

  // The SAML HTTP-POST binding sends a form; its parser lives in this plugin only.
  app.register(async (scoped) => {
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 512 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scoped.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/auth/sso/saml/:id/acs',
      {
        config: { access: PUBLIC, crossSitePost: true, rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'SAML assertion consumer (HTTP-POST binding): completes the sign-in and sets the session cookie',
          params: IdParams,
          body: Type.Object({ SAMLResponse: Type.String({ maxLength: 400_000 }), RelayState: Type.Optional(Type.String({ maxLength: 1000 })) }),
        },
      },
      async (req, reply) => {
        try {
          const r = await login.finishSaml(ctx, req.params.id, { base: base(req), body: req.body, client: clientInfo(req) });
          setSession(reply, r.result);
          return reply.redirect(r.returnTo, 303);
        } catch (e) {
          return toLogin(reply, e);
        }
      },
    );
  });

  // Administration
  const a = { tags: ['Single sign-on administration'] };
  const manage = { access: needs('settings.manage') };
  app.get(
    '/api/admin/sso',
    { config: manage, schema: { ...a, summary: 'Sign-in policy, identity providers and SCIM', response: { 200: schemas.SsoOverview, ...authErrors } } },
    (req) => admin.overview(ctx, actorOf(req), base(req)),
  );
  app.patch(
    '/api/admin/sso/settings',
    {
      config: manage,
      schema: {
        ...a,
        summary: 'Change the sign-in policy and mapping rules',
        body: schemas.SsoSettingsPatch,
        response: { 200: schemas.SsoOverview, ...authErrors },
      },
    },
    (req) => admin.updateSettings(ctx, actorOf(req), req.body, base(req)),
  );
  app.post(
    '/api/admin/sso/providers',
    {
      config: manage,
      schema: { ...a, summary: 'Add an OIDC or SAML identity provider', body: schemas.ProviderCreate, response: { 200: schemas.Provider, ...authErrors } },
    },
    (req) => admin.createProvider(ctx, actorOf(req), req.body, base(req)),
  );
  app.patch(
    '/api/admin/sso/providers/:id',
    {
      config: manage,
      schema: {
        ...a,
        summary: 'Change an identity provider',
        params: IdParams,
        body: schemas.ProviderPatch,
        response: { 200: schemas.Provider, ...authErrors },
      },
    },
    (req) => admin.updateProvider(ctx, actorOf(req), req.params.id, req.body, base(req)),
  );
  app.delete(
    '/api/admin/sso/providers/:id',
    { config: manage, schema: { ...a, summary: 'Remove an identity provider', params: IdParams, response: { 204: NoContent, ...authErrors } } },
    async (req, reply) => {
      await admin.deleteProvider(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/admin/sso/scim-token',
    {
      config: manage,
      schema: {
        ...a,
        summary: 'Create or replace the SCIM bearer token (shown once)',
        response: { 200: Type.Object({ token: Type.String(), prefix: Type.String(), createdAt: Type.String() }), ...authErrors },
      },
    },
    (req) => admin.rotateScimToken(ctx, actorOf(req)),
  );
  app.delete(
    '/api/admin/sso/scim-token',
    { config: manage, schema: { ...a, summary: 'Revoke the SCIM token', response: { 204: NoContent, ...authErrors } } },
    async (req, reply) => {
      await admin.revokeScimToken(ctx, actorOf(req));
      return reply.status(204).send(null);
    },
  );
}
