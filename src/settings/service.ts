import type { AppContext } from '../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import { LANGUAGES } from '../auth/session-service.ts';
import * as authRepo from '../auth/repository.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import { readSettings, type TenantSettings } from './model.ts';
import { isLanguage, LANGUAGES as SEARCH_LANGUAGES } from '../search/analyzer/index.ts';
import { PII_TYPES } from '../speech/model.ts';
import { queueRedetection } from '../speech/redaction/redetect.ts';
import { applySmtpSettings } from '../notify/smtp.ts';

/** The SMTP password is write-only: the view says whether one is set (smtpPassword is always ''), never what it is. */
export type SettingsView = { name: string; language: string; smtpPasswordSet: boolean } & TenantSettings;

type NumericSetting = { [K in keyof TenantSettings]: TenantSettings[K] extends number ? K : never }[keyof TenantSettings];

const LIMITS: Record<NumericSetting, [number, number]> = {
  sessionTimeoutHours: [1, 720],
  lockoutThreshold: [3, 20],
  lockoutMinutes: [1, 1440],
  passwordMinLength: [8, 128],
  silenceMinSeconds: [1, 120],
  crosstalkMinSeconds: [1, 30],
  apiTokenMaxDays: [0, 3650],
  smtpPort: [1, 65535],
  qualityAutoAcknowledgeDays: [0, 365],
};

const SPEECH_ENGINES = ['auto', 'none', 'pocketsphinx', 'openai', 'local'];
const MAX_VOCABULARY = 2000;

/** Speech engine choice, vocabulary and PII types: checked here so a bad value never reaches a transcription job. */
function applySpeechSettings(after: SettingsView, patch: Partial<SettingsView>) {
  if (patch.speechEngine !== undefined) {
    if (!SPEECH_ENGINES.includes(patch.speechEngine))
      throw invalid(`The speech engine must be one of ${SPEECH_ENGINES.join(', ')}, not "${patch.speechEngine}"`, { field: 'speechEngine' });
    after.speechEngine = patch.speechEngine;
  }
  if (patch.speechEngineByLanguage !== undefined) {
    for (const [lang, engine] of Object.entries(patch.speechEngineByLanguage)) {
      if (!/^[a-z]{2,3}$/.test(lang)) throw invalid(`"${lang}" is not a language code (two or three lower-case letters)`, { field: 'speechEngineByLanguage' });
      if (!SPEECH_ENGINES.includes(engine))
        throw invalid(`The speech engine for "${lang}" must be one of ${SPEECH_ENGINES.join(', ')}, not "${engine}"`, { field: 'speechEngineByLanguage' });
    }
    after.speechEngineByLanguage = { ...patch.speechEngineByLanguage };
  }
  if (patch.speechVocabulary !== undefined) {
    const words = [...new Set(patch.speechVocabulary.map((w) => w.trim().replace(/\s+/g, ' ')).filter(Boolean))];
    if (words.length > MAX_VOCABULARY) throw invalid(`At most ${MAX_VOCABULARY} vocabulary entries`, { field: 'speechVocabulary' });
    const long = words.find((w) => w.length > 100);
    if (long) throw invalid(`A vocabulary entry is at most 100 characters ("${long.slice(0, 30)}…")`, { field: 'speechVocabulary' });
    after.speechVocabulary = words;
  }
  if (patch.piiTypes !== undefined) {
    const bad = patch.piiTypes.find((t) => !(PII_TYPES as readonly string[]).includes(t));
    if (bad) throw invalid(`Unknown PII type "${bad}"; the types are ${PII_TYPES.join(', ')}`, { field: 'piiTypes' });
    after.piiTypes = [...new Set(patch.piiTypes)];
  }
}

async function loadSettings(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'settings.manage');
  const t = await authRepo.getTenant(ctx.db, actor.tenantId);
  if (!t) throw notFound('Tenant', actor.tenantId);
  return settingsOf(t, ctx.adapter.fromJson(t.settings));
}

function settingsOf(t: { name: string; language: string }, json: unknown) {
  const stored = readSettings(json);
  const view: SettingsView = { name: t.name, language: t.language, ...stored, smtpPassword: '', smtpPasswordSet: stored.smtpPassword !== '' };
  return { stored, view };
}

export async function getSettings(ctx: AppContext, actor: Actor): Promise<SettingsView> {
  return (await loadSettings(ctx, actor)).view;
}

export async function updateSettings(ctx: AppContext, actor: Actor, patch: Partial<SettingsView>): Promise<SettingsView> {
  requirePermission(actor, 'settings.manage');
  assertWithinScope(actor, [null], "Changing the organisation's settings");
  // Read, change and write under the tenant row's lock: of two admins saving at once, the second starts from the
  // first one's result instead of writing an older copy over it (the compliance setup shares the row and locks it too).
  return inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    const t = await authRepo.lockTenant(tx, ctx.adapter, actor.tenantId);
    if (!t) throw notFound('Tenant', actor.tenantId);
    const { stored, view: before } = settingsOf(t, ctx.adapter.fromJson(t.settings));
    const after: SettingsView = { ...before };
    if (patch.name !== undefined) {
      if (!patch.name.trim()) throw invalid('The organisation name cannot be empty', { field: 'name' });
      after.name = patch.name.trim();
      // Tenant names are unique, case-insensitively: login picks the organisation by name.
      const holder = await authRepo.findTenantByName(tx, after.name);
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
    applySpeechSettings(after, patch);
    if (patch.qualityRequireAcknowledgement !== undefined) after.qualityRequireAcknowledgement = patch.qualityRequireAcknowledgement;
    const smtpPassword = applySmtpSettings(ctx.keyring, actor.tenantId, after, patch, stored.smtpPassword);
    after.smtpPasswordSet = smtpPassword !== '';
    const changes: Array<{ field: string; old: unknown; new: unknown }> = (Object.keys(after) as Array<keyof SettingsView>)
      .filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]))
      .map((k) => ({ field: k, old: before[k], new: after[k] }));
    // A new password replacing another: audited as changed, never with its value.
    if (smtpPassword !== stored.smtpPassword && before.smtpPasswordSet && after.smtpPasswordSet)
      changes.push({ field: 'smtpPassword', old: '(hidden)', new: '(changed)' });
    if (changes.length) {
      const { name, language, smtpPasswordSet: _set, ...rest } = after;
      const settings: TenantSettings = { ...rest, smtpPassword };
      {
        // Every document is analysed again in the new language, in the background (progress on the Jobs page).
        if (after.searchLanguage !== before.searchLanguage)
          await ctx.jobs.enqueue(uow, 'search.reindex', { tenantId: actor.tenantId }, { tenantId: actor.tenantId });
        // Stored transcripts are redacted again with the new PII types (text, audio, search document), in the background.
        if (JSON.stringify(after.piiTypes) !== JSON.stringify(before.piiTypes)) await queueRedetection(ctx, uow, actor.tenantId);
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
      }
    }
    return after;
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `An organisation named "${patch.name?.trim()}" already exists`);
    throw e;
  });
}
