import type { AppContext } from '../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import { LANGUAGES } from '../auth/session-service.ts';
import * as authRepo from '../auth/repository.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import { readSettings, type TenantSettings } from './model.ts';
import { isLanguage, LANGUAGES as SEARCH_LANGUAGES } from '../search/analyzer/index.ts';

export type SettingsView = { name: string; language: string } & TenantSettings;

const LIMITS: Record<Exclude<keyof TenantSettings, 'searchLanguage'>, [number, number]> = {
  sessionTimeoutHours: [1, 720],
  lockoutThreshold: [3, 20],
  lockoutMinutes: [1, 1440],
  passwordMinLength: [8, 128],
  silenceMinSeconds: [1, 120],
  crosstalkMinSeconds: [1, 30],
  apiTokenMaxDays: [0, 3650],
};

export async function getSettings(ctx: AppContext, actor: Actor): Promise<SettingsView> {
  requirePermission(actor, 'settings.manage');
  const t = await authRepo.getTenant(ctx.db, actor.tenantId);
  if (!t) throw notFound('Tenant', actor.tenantId);
  return { name: t.name, language: t.language, ...readSettings(ctx.adapter.fromJson(t.settings)) };
}

export async function updateSettings(ctx: AppContext, actor: Actor, patch: Partial<SettingsView>): Promise<SettingsView> {
  const before = await getSettings(ctx, actor);
  assertWithinScope(actor, [null], "Changing the organisation's settings");
  const after: SettingsView = { ...before };
  if (patch.name !== undefined) {
    if (!patch.name.trim()) throw invalid('The organisation name cannot be empty', { field: 'name' });
    after.name = patch.name.trim();
    // Tenant names are unique, case-insensitively: login picks the organisation by name.
    const holder = await authRepo.findTenantByName(ctx.db, after.name);
    if (holder && holder.id !== actor.tenantId) throw new DomainError('ALREADY_EXISTS', `An organisation named "${after.name}" already exists`);
  }
  if (patch.language !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(patch.language)) throw invalid(`Unsupported language "${patch.language}"`, { field: 'language' });
    after.language = patch.language;
  }
  if (patch.searchLanguage !== undefined) {
    if (!isLanguage(patch.searchLanguage)) {
      throw invalid(`The search language must be one of ${SEARCH_LANGUAGES.join(', ')}, not "${patch.searchLanguage}"`, { field: 'searchLanguage' });
    }
    after.searchLanguage = patch.searchLanguage;
  }
  for (const key of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const v = patch[key];
    if (v === undefined) continue;
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(v) || v < min || v > max) throw invalid(`${key} must be a whole number from ${min} to ${max}`, { field: key });
    after[key] = v;
  }
  const changes = (Object.keys(after) as Array<keyof SettingsView>)
    .filter((k) => after[k] !== before[k])
    .map((k) => ({ field: k, old: before[k], new: after[k] }));
  if (changes.length) {
    const { name, language, ...settings } = after;
    await inTransaction(ctx.db, async (uow) => {
      const { tx } = uow;
      // Every document is analysed again in the new language, in the background (progress on the Jobs page).
      if (after.searchLanguage !== before.searchLanguage)
        await ctx.jobs.enqueue(uow, 'search.reindex', { tenantId: actor.tenantId }, { tenantId: actor.tenantId });
      await authRepo.updateTenant(tx, actor.tenantId, { name, language, settings: ctx.adapter.json(settings), updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'settings',
          resourceId: actor.tenantId,
          action: 'SETTINGS_UPDATE',
          details: `Changed settings: ${changes.map((c) => c.field).join(', ')}`,
          changes,
        },
        tx,
      );
    }).catch((e) => {
      if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `An organisation named "${name}" already exists`);
      throw e;
    });
  }
  return after;
}
