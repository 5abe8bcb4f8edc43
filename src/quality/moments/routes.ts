// Thin HTTP edge of moments: per conversation, the library, the clip, share links, and the public page and clip a
// share link opens (no login: the unguessable token is the permission; every play is audited).
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../platform/errors.ts';
import { needs, PUBLIC } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };
const view = { access: needs('conversations.view', 'conversations.view_own') };
const manage = { access: needs('moments.manage') };
const share = { access: needs('moments.share_external') };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** The public page's words, in English or French (the visitor has no account: their browser's language decides). */
const WORDS = {
  en: {
    brand: 'Earshot · shared moment',
    failed: 'This clip is not available.',
    pending: 'This clip is being prepared: reload this page in a minute.',
    until: 'link valid until',
    broken: 'This link does not work',
    revoked: 'This link was revoked by its owner.',
    expired: 'This link has expired.',
    unknown: 'This link does not exist.',
  },
  fr: {
    brand: 'Earshot · moment partagé',
    failed: 'Cet extrait n’est pas disponible.',
    pending: 'Cet extrait est en préparation : rechargez cette page dans une minute.',
    until: 'lien valable jusqu’au',
    broken: 'Ce lien ne fonctionne pas',
    revoked: 'Ce lien a été révoqué par son propriétaire.',
    expired: 'Ce lien a expiré.',
    unknown: 'Ce lien n’existe pas.',
  },
} as const;
type Lang = keyof typeof WORDS;
const langOf = (accept: string | undefined): Lang => (/^\s*fr\b/i.test(accept ?? '') ? 'fr' : 'en');

const page = (lang: Lang, title: string, body: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex">` +
  `<title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">` +
  `<p style="color:#868e96;font-size:.85rem">${WORDS[lang].brand}</p><h1 style="font-size:1.3rem">${esc(title)}</h1>${body}</body></html>`;

export function momentRoutes(app: App, ctx: AppContext) {
  const tags = ['Moments'];
  app.get(
    '/api/conversations/:id/moments',
    {
      config: view,
      schema: { tags, summary: 'The moments of a conversation, in time order', params: IdParams, response: { 200: schemas.ConversationMoments, ...errors } },
    },
    (req) => service.conversationMoments(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/conversations/:id/moments',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Save a time range of the call audio as a named moment (0.5 s to 10 min); its clip is rendered by a job; audited',
        params: IdParams,
        body: schemas.MomentCreate,
        response: { 201: schemas.Moment, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createMoment(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/moments',
    {
      config: view,
      schema: {
        tags,
        summary: 'The library: every moment on a conversation I may see, newest first',
        querystring: schemas.LibraryQuery,
        response: { 200: schemas.MomentList, ...errors },
      },
    },
    (req) => service.momentLibrary(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/moments/:id',
    { config: view, schema: { tags, summary: 'One moment with its share links', params: IdParams, response: { 200: schemas.Moment, ...errors } } },
    (req) => service.getMoment(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/moments/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename a moment or change its note; audited',
        params: IdParams,
        body: schemas.MomentPatch,
        response: { 200: schemas.Moment, ...errors },
      },
    },
    (req) => service.updateMoment(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/moments/:id',
    {
      config: manage,
      schema: { tags, summary: 'Delete a moment, its clip and its share links; audited', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteMoment(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/moments/:id/clip',
    {
      config: { access: needs('media.play_redacted', 'media.play_unredacted') },
      schema: { tags, summary: 'Play the clip (MP3, ranges supported; the redacted clip without "play unredacted"); audited as a playback', params: IdParams },
    },
    (req, reply) => service.playMomentClip(ctx, actorOf(req), req.params.id, req.headers.range, reply),
  );
  app.post(
    '/api/moments/:id/shares',
    {
      config: share,
      schema: {
        tags,
        summary: 'Create an external link to the clip, valid for 1–90 days (the link is shown once); audited',
        params: IdParams,
        body: schemas.ShareCreate,
        response: { 201: schemas.ShareCreated, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createShare(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/moments/:id/shares/:shareId',
    {
      config: share,
      schema: { tags, summary: 'Revoke an external link at once; audited', params: schemas.ShareParams, response: { 200: schemas.Moment, ...errors } },
    },
    (req) => service.revokeShare(ctx, actorOf(req), req.params.id, req.params.shareId),
  );

  // The link itself: a page with the player, and the clip it plays. Refusals keep their stable code in the JSON of
  // the clip; the page says the same in words.
  app.get(
    '/api/shared/moments/:token',
    { config: { access: PUBLIC }, schema: { tags, summary: 'The page an external share link opens (plays only that clip)', params: schemas.TokenParams } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const lang = langOf(req.headers['accept-language']);
      const w = WORDS[lang];
      try {
        const m = await service.describeShared(ctx, req.params.token);
        const secs = Math.round(m.durationMs / 1000);
        const body =
          m.status === 'failed'
            ? `<p>${w.failed}</p>`
            : m.status === 'pending'
              ? `<p>${w.pending}</p>`
              : `<audio controls preload="none" style="width:100%" src="${esc(req.params.token)}/clip.mp3"></audio>` +
                `<p style="color:#495057;font-size:.9rem">${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')} · ${w.until} ${esc(m.expiresAt.slice(0, 10))}</p>`;
        return reply.type('text/html; charset=utf-8').send(page(lang, m.name, body));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const reason = err.details?.reason;
        const why = reason === 'SHARE_REVOKED' ? w.revoked : reason === 'SHARE_EXPIRED' ? w.expired : w.unknown;
        return reply
          .code(err.code === 'GONE' ? 410 : 404)
          .type('text/html; charset=utf-8')
          .send(page(lang, w.broken, `<p>${why}</p>`));
      }
    },
  );
  app.get(
    '/api/shared/moments/:token/clip.mp3',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'The clip of an external share link (redacted when the recording holds personal data); every play audited',
        params: schemas.TokenParams,
        response: { 404: ErrorResponse, 409: ErrorResponse, 410: ErrorResponse },
      },
    },
    (req, reply) => service.playShared(ctx, req.params.token, { ip: req.ip ?? null }, req.headers.range, reply),
  );
}
