// Thin HTTP edge of live monitoring: the active calls and chats, and the listen-in WebSocket (G.711 frames, frames.ts).
import type { WebSocket } from 'ws';
import type { AppContext } from '../../context.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ownOrigin } from '../../platform/http/csrf.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { encodeFrame, type ListenEnd } from './frames.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/** Frames queued on a slow socket beyond this (about 2 s of one leg) are dropped: live audio is useless late. */
const MAX_BUFFERED_BYTES = 100 * 165;

export function liveRoutes(app: App, ctx: AppContext) {
  const tags = ['Live'];
  const access = { access: needs('live.monitor') };
  app.get(
    '/api/live',
    {
      config: access,
      schema: {
        tags,
        summary: 'Calls being recorded now (parties, duration, direction, group, recording state, live quality) and chats in progress, in your group scope',
        querystring: schemas.LiveQuery,
        response: { 200: schemas.LiveList, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.listLive(ctx, actorOf(req), req.query),
  );

  app.get(
    '/api/live/count',
    {
      config: access,
      schema: {
        tags,
        summary: 'How many calls are being recorded now in your group scope (the "Active calls" of the Conversations screen and the dashboard)',
        response: { 200: schemas.LiveCount, ...authErrors },
      },
    },
    async (req) => ({ calls: await service.activeCallCount(ctx, actorOf(req)) }),
  );

  // A browser sends cookies with a cross-origin WebSocket handshake: only our own origin may open one (CSWSH).
  const trusted = new Set([...(ctx.config.publicUrl ? [ctx.config.publicUrl] : []), ...ctx.config.allowedOrigins]);
  app.route({
    method: 'GET',
    url: '/api/live/calls/:id/listen',
    config: access,
    schema: {
      tags,
      summary: 'Listen in (WebSocket): a JSON hello naming the legs, then binary 20 ms G.711 µ-law frames; audited as "monitored call"',
      params: schemas.ListenParams,
      querystring: schemas.ListenQuery,
    },
    preHandler: async (req) => {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== ownOrigin(req) && !trusted.has(origin))
        throw new DomainError(
          'CSRF_REJECTED',
          `Refused a listen-in from another origin (${origin}). If users reach Earshot at another address, set EARSHOT_PUBLIC_URL.`,
        );
    },
    handler: async () => {
      throw invalid('Listen-in is a WebSocket: open this address with a WebSocket client', { reason: 'WEBSOCKET_ONLY' });
    },
    wsHandler: async (socket: WebSocket, req) => {
      const { id } = req.params as { id: string };
      const { label } = req.query as { label?: string };
      let session: service.ListenSession;
      try {
        session = await service.openListen(ctx, actorOf(req), id, label ?? null);
      } catch (err) {
        const e = err instanceof DomainError ? err : new DomainError('INTERNAL', 'The listen-in could not start');
        if (!(err instanceof DomainError)) req.log.error({ err }, 'listen-in failed');
        socket.send(JSON.stringify({ type: 'error', code: e.code, message: e.message }));
        socket.close(e.code === 'NOT_FOUND' ? 4404 : e.code === 'FORBIDDEN' ? 4403 : 4409, e.code);
        return;
      }
      socket.send(JSON.stringify(session.hello));
      const stop = session.start((leg, ts, pcmu) => {
        if (socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
        socket.send(encodeFrame(leg, ts, pcmu));
      });
      const done = new AbortController();
      const finish = (reason: ListenEnd['reason']) => {
        if (done.signal.aborted) return;
        done.abort();
        stop();
        if (socket.readyState === socket.OPEN) {
          socket.send(JSON.stringify({ type: 'end', reason } satisfies ListenEnd));
          socket.close(1000, reason);
        }
      };
      socket.on('close', () => finish('closed'));
      void session.ended(done.signal).then(() => finish('ended'));
    },
  });
}
