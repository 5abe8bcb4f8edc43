// Which engine transcribes a tenant's calls: the registry decides (src/speech/engines/registry.ts, from the tenant's
// settings and what is installed). Tests and benchmarks put their own engine in front of it for one context, so the
// job's logic runs unchanged against a scripted engine.
import type { AppContext } from '../../context.ts';
import type { TenantSettings } from '../../settings/model.ts';
import { resolveEngine, type ResolvedEngine } from '../engines/registry.ts';

export type { ResolvedEngine };
export type EngineResolver = (ctx: AppContext, settings: TenantSettings, language: string) => Promise<ResolvedEngine>;

const overrides = new WeakMap<object, EngineResolver>();

/** Uses `resolver` instead of the registry for jobs run with this context (tests, benchmarks); null restores it. */
export function useEngineResolver(ctx: object, resolver: EngineResolver | null) {
  if (resolver) overrides.set(ctx, resolver);
  else overrides.delete(ctx);
}

export function engineFor(ctx: AppContext, settings: TenantSettings, language: string): Promise<ResolvedEngine> {
  const override = overrides.get(ctx);
  return override ? override(ctx, settings, language) : resolveEngine(ctx, settings, language);
}
