// Thin HTTP edge of indicator subscriptions: a user's own subscriptions, and the unsubscribe link of their e-mails
// (public: the link's signature is the permission; GET only shows a page, so a mail scanner opening it changes nothing).
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs, PUBLIC } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head>` +
  `<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1 style="font-size:1.3rem">${esc(title)}</h1>${body}</body></html>`;

type Outcome = Awaited<ReturnType<typeof service.unsubscribe>> | Awaited<ReturnType<typeof service.describeUnsubscribe>>;
function outcomePage(o: Outcome, token: string): [number, string] {
  switch (o.state) {
    case 'invalid':
      return [
        400,
        page('This link is not valid', '<p>The unsubscribe link is incomplete or was changed. Manage your subscriptions in Earshot under Reports.</p>'),
      ];
    case 'gone':
      return [200, page('Already unsubscribed', '<p>This subscription no longer exists; you will not receive its e-mails.</p>')];
    case 'unsubscribed':
      return [200, page('Unsubscribed', `<p>You will no longer receive e-mails about “${esc(o.indicatorName)}”.</p>`)];
    case 'subscribed':
      return [
        200,
        page(
          'Unsubscribe',
          `<p>Stop receiving e-mails about “${esc(o.indicatorName)}”?</p>` +
            `<form method="post" action="?token=${esc(encodeURIComponent(token))}"><button type="submit">Unsubscribe</button></form>`,
        ),
      ];
  }
}

export function subscriptionRoutes(app: App, ctx: AppContext) {
  const tags = ['Insights'];
  const access = { access: needs('conversations.view', 'conversations.view_own') };
  app.get(
    '/api/insights/subscriptions',
    {
      config: access,
      schema: { tags, summary: 'My indicator subscriptions', response: { 200: Type.Object({ items: Type.Array(schemas.Subscription) }), ...authErrors } },
    },
    (req) => service.listSubscriptions(ctx, actorOf(req)),
  );
  app.post(
    '/api/insights/subscriptions',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Subscribe to an indicator (all its keywords or keywordIds), continuously or as a daily/weekly/monthly digest; 404 for an indicator of another tenant, 409 when already subscribed; audited',
        body: schemas.SubscriptionCreate,
        response: { 200: schemas.Subscription, ...errors },
      },
    },
    (req) => service.createSubscription(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/insights/subscriptions/:id',
    {
      config: access,
      schema: {
        tags,
        summary: 'Change the keywords or frequency of my subscription; audited',
        params: IdParams,
        body: schemas.SubscriptionPatch,
        response: { 200: schemas.Subscription, ...errors },
      },
    },
    (req) => service.updateSubscription(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/insights/subscriptions/:id',
    {
      config: access,
      schema: { tags, summary: 'Unsubscribe; audited', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteSubscription(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // The e-mail link: public, in its own scope so the form body of a one-click unsubscribe (RFC 8058) is accepted here only.
  app.register(async (scoped: App) => {
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, _body, done) => done(null, {}));
    const schema = { tags, querystring: schemas.UnsubscribeQuery };
    scoped.get(
      '/api/insights/subscriptions/unsubscribe',
      { config: { access: PUBLIC }, schema: { ...schema, summary: 'The page an e-mail unsubscribe link opens (asks to confirm)' } },
      async (req, reply) => {
        const [status, html] = outcomePage(await service.describeUnsubscribe(ctx, req.query.token), req.query.token);
        return reply.code(status).type('text/html; charset=utf-8').send(html);
      },
    );
    scoped.post(
      '/api/insights/subscriptions/unsubscribe',
      {
        config: { access: PUBLIC },
        schema: { ...schema, summary: 'Unsubscribe with the signed link of an e-mail (no login; one-click from mail clients); audited' },
      },
      async (req, reply) => {
        const [status, html] = outcomePage(await service.unsubscribe(ctx, req.query.token, { ip: req.ip ?? null }), req.query.token);
        return reply.code(status).type('text/html; charset=utf-8').send(html);
      },
    );
  });
}
