// Builds the Fastify app from the feature plugins. Every route declares its access; see platform/http/auth.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.ts';
import { DomainError } from './platform/errors.ts';
import { PUBLIC } from './platform/http/access.ts';
import { installAuth, type RouteInfo } from './platform/http/auth.ts';
import { authenticator } from './auth/authenticator.ts';
import { installCsrfGuard } from './platform/http/csrf.ts';
import { errorBody, installErrorHandling } from './platform/http/errors.ts';
import { ErrorResponse, REQUEST_AJV_OPTIONS } from './platform/http/schemas.ts';
import type { App } from './platform/http/types.ts';
import { httpDuration } from './platform/metrics.ts';
import { systemRoutes } from './platform/http/system-routes.ts';
import { auditRoutes } from './platform/audit/routes.ts';
import { jobRoutes } from './platform/jobs/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { adminRoutes } from './auth/admin-routes.ts';
import { settingsRoutes } from './settings/routes.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { tagRoutes } from './conversations/tags/routes.ts';
import { commentRoutes } from './conversations/comments/routes.ts';
import { categoryRoutes } from './conversations/categories/routes.ts';
import { customFieldRoutes } from './conversations/custom-fields/routes.ts';
import { importRoutes } from './conversations/import/routes.ts';
import { savedSearchRoutes } from './search/saved/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { mediaRoutes } from './media/routes.ts';
import { speechRoutes } from './speech/routes.ts';
import { speechTagRoutes } from './speech/tags/routes.ts';
import { transcriptExportRoutes } from './speech/export/routes.ts';
import { indicatorRoutes } from './analytics/indicators/routes.ts';
import { topicRoutes } from './analytics/topics/routes.ts';
import { notifyRoutes } from './notify/routes.ts';
import { webhookRoutes } from './notify/webhooks/routes.ts';
import { notificationPreferenceRoutes } from './notify/preferences/routes.ts';
import { responseRoutes } from './quality/responses/routes.ts';
import { subscriptionRoutes } from './analytics/subscriptions/routes.ts';
import { reportRoutes } from './analytics/reports/routes.ts';
import { insightsRoutes } from './analytics/insights/routes.ts';
import { calibrationRoutes } from './quality/calibrations/routes.ts';
import { momentRoutes } from './quality/moments/routes.ts';
import { offlineRoutes } from './quality/offline/routes.ts';
import { evaluationRoutes } from './quality/evaluations/routes.ts';
import { qualityReportRoutes } from './quality/reports/routes.ts';
import { autoRoutes } from './quality/auto/routes.ts';
import { scorecardRoutes } from './quality/scorecards/routes.ts';
import { vconExportRoutes } from './compliance/vcon/routes.ts';
import { complianceSetupRoutes } from './compliance/setup/routes.ts';
import { anonymizationRoutes } from './compliance/anonymize/routes.ts';
import { recorderSourceRoutes } from './recorder/sources/routes.ts';
import { holdRoutes } from './compliance/holds/routes.ts';
import { retentionRoutes } from './compliance/retention/routes.ts';
import { deletionRoutes } from './compliance/deletion/routes.ts';
import { archiveRoutes } from './compliance/archive/routes.ts';
import { recordingControlRoutes } from './recorder/control/routes.ts';
import { liveRoutes } from './recorder/live/routes.ts';
import { assuranceRoutes } from './recorder/assurance/routes.ts';
import { recordingPolicyRoutes } from './compliance/recording-policies/routes.ts';
import { ssoRoutes } from './auth/sso/routes.ts';
import { scimRoutes } from './auth/scim/routes.ts';
import { callReportRoutes } from './reports/routes.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/web');

/** Feature route plugins, in one list. */
const FEATURES: Array<(app: App, ctx: AppContext) => void> = [
  systemRoutes,
  authRoutes,
  adminRoutes,
  settingsRoutes,
  auditRoutes,
  jobRoutes,
  conversationRoutes,
  tagRoutes,
  commentRoutes,
  categoryRoutes,
  customFieldRoutes,
  importRoutes,
  savedSearchRoutes,
  searchRoutes,
  mediaRoutes,
  speechRoutes,
  speechTagRoutes,
  transcriptExportRoutes,
  indicatorRoutes,
  topicRoutes,
  notifyRoutes,
  webhookRoutes,
  notificationPreferenceRoutes,
  responseRoutes,
  subscriptionRoutes,
  reportRoutes,
  insightsRoutes,
  calibrationRoutes,
  momentRoutes,
  offlineRoutes,
  evaluationRoutes,
  qualityReportRoutes,
  autoRoutes,
  scorecardRoutes,
  vconExportRoutes,
  complianceSetupRoutes,
  anonymizationRoutes,
  recorderSourceRoutes,
  holdRoutes,
  retentionRoutes,
  deletionRoutes,
  archiveRoutes,
  recordingControlRoutes,
  liveRoutes,
  assuranceRoutes,
  recordingPolicyRoutes,
  ssoRoutes,
  scimRoutes,
  callReportRoutes,
];

export interface BuiltApp {
  app: App;
  routes: RouteInfo[];
}

export async function buildApp(ctx: AppContext, opts: { webDir?: string } = {}): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    // Per-request lines only at debug: at info they would drown everything else.
    logController: new LogController({ disableRequestLogging: ctx.config.logLevel !== 'debug' && ctx.config.logLevel !== 'trace' }),
    ajv: { customOptions: REQUEST_AJV_OPTIONS },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routes: RouteInfo[] = [];
  installErrorHandling(app);

  // Routes registered by third-party plugins (docs UI, static files) are public by nature.
  app.addHook('onRoute', (route) => {
    if (!route.config?.access && (route.url.startsWith('/api/docs') || route.url === '/*')) {
      route.config = { ...(route.config ?? {}), access: PUBLIC };
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: ctx.config.uploadLimitBytes } });
  // Listen-in (src/recorder/live): WebSocket routes go through the same hooks (CSRF, authentication) as the others.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => new DomainError('RATE_LIMITED', `Too many attempts; try again in ${Math.ceil(c.ttl / 1000)} s`),
  });
  // After the cookie parser: its onRequest hook must run before ours. The CSRF guard runs before authentication.
  installCsrfGuard(app, ctx.config);
  installAuth(app, authenticator(ctx), routes);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Earshot API',
        version: '0.1.0',
        description: 'Record, search, analyse and review contact-center conversations. Errors are `{ "error": { "code", "message" } }` with stable codes.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'earshot_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  app.addSchema(ErrorResponse);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  for (const feature of FEATURES) feature(app, ctx);
  app.get('/api/openapi.json', { config: { access: PUBLIC }, schema: { hide: true } }, () => app.swagger());

  const webDir = opts.webDir ?? WEB_DIST;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  // Unknown files fall through to the not-found handler, which serves index.html (client-side routes).
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.status(404).send(errorBody('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`));
    }
    if (!hasWeb)
      return reply
        .type('text/html')
        .send(
          '<!doctype html><title>Earshot</title><p>The web UI is not built. Run <code>npm run build:web</code>, then reload. The API is at <a href="/api/docs">/api/docs</a>.</p>',
        );
    return reply.sendFile('index.html');
  });

  await app.ready();
  return { app, routes };
}
