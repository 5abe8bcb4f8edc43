import type { AppContext } from '../../context.ts';
import type { App } from '../../platform/http/types.ts';

export function customFieldRoutes(app: App, ctx: AppContext) {
  void app;
  void ctx;
}
