// Thin HTTP edge for the user's own notification preferences.
import type { AppContext } from '../../context.ts';
import { AUTHENTICATED } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function notificationPreferenceRoutes(app: App, ctx: AppContext) {
  const tags = ['Notifications'];
  app.get(
    '/api/me/notification-preferences',
    {
      config: { access: AUTHENTICATED },
      schema: {
        tags,
        summary: 'Own e-mail notification preferences, one per event (on unless turned off)',
        response: { 200: schemas.NotificationPreferences, ...authErrors },
      },
    },
    (req) => service.getPreferences(ctx, actorOf(req)),
  );
  app.put(
    '/api/me/notification-preferences',
    {
      config: { access: AUTHENTICATED },
      schema: {
        tags,
        summary: 'Turn e-mail on or off for the given events (others unchanged); audited with old and new values',
        body: schemas.NotificationPreferencesPatch,
        response: { 200: schemas.NotificationPreferences, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.updatePreferences(ctx, actorOf(req), req.body),
  );
}
