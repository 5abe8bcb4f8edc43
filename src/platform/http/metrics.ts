// Prometheus metrics are not public: they name routes, job types and their volumes. On the API port /metrics
// needs `Authorization: Bearer $EARSHOT_METRICS_TOKEN`; EARSHOT_METRICS_LISTEN serves them without a token on a
// separate address (a private interface the scraper reaches), in every process role, workers included.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../errors.ts';
import { metricsContentType, metricsText } from '../metrics.ts';
import { PUBLIC } from './access.ts';
import type { App } from './types.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}

/** GET /metrics on the API port. Public in the access catalogue: the metrics token is its own credential. */
export function metricsRoute(app: App, ctx: AppContext) {
  const token = ctx.config.metricsToken;
  app.get(
    '/metrics',
    { config: { access: PUBLIC }, schema: { tags: ['System'], summary: 'Prometheus metrics (Bearer EARSHOT_METRICS_TOKEN)', hide: true } as never },
    async (req, reply) => {
      if (!token) {
        throw new DomainError(
          'FORBIDDEN',
          ctx.config.metricsListen
            ? 'Metrics are served on EARSHOT_METRICS_LISTEN, not on this port'
            : 'Metrics need EARSHOT_METRICS_TOKEN (then send it as a Bearer token) or EARSHOT_METRICS_LISTEN',
        );
      }
      if (!tokenMatches(req.headers.authorization, token)) throw new DomainError('UNAUTHENTICATED', 'Send the metrics token as Authorization: Bearer TOKEN');
      reply.header('content-type', metricsContentType);
      return metricsText();
    },
  );
}

/** A bare HTTP server answering only GET /metrics. Resolves once listening; returns its address and a stop function. */
export async function startMetricsServer(listen: { host: string; port: number }) {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0];
    if (url !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics here\n');
      return;
    }
    metricsText().then(
      (text) => res.writeHead(200, { 'content-type': metricsContentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
