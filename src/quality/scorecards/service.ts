// Scorecards: templates that evaluations are scored with. Versioned so a score never changes under an evaluation:
// saving a definition whose latest version is already used (by an evaluation in any state or a calibration) adds a
// new version; otherwise the latest version is edited in place. Archived instead of deleted (evaluations keep
// pointing at them); an archived scorecard cannot be edited or chosen for a new evaluation. Organisation-wide
// templates: reading them needs any quality permission (the Review dialog and report filters list them), changing
// them scorecards.manage. Every change is audited with old and new values in its transaction.
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { Permission } from '../../auth/permissions.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { ScorecardsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { questionsOf, type ScorecardDefinition } from '../model.ts';
import { definitionMaximum } from '../scoring.ts';
import { canonicalJson, validateDefinition } from './definition.ts';
import * as repo from './repository.ts';
import {
  DESCRIPTION_MAX,
  NAME_MAX,
  type Scorecard,
  type ScorecardCreate,
  type ScorecardDuplicate,
  type ScorecardSummary,
  type ScorecardUpdate,
} from './schemas.ts';

export const VIEW_PERMISSIONS: Permission[] = [
  'scorecards.manage',
  'quality.review',
  'quality.review_self',
  'quality.plan',
  'quality.calibrate',
  'quality.view_others',
  'reports.view',
];

function cleanName(raw: string) {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw invalid('The scorecard needs a name', { reason: 'NAME_REQUIRED', field: 'name' });
  const length = [...name].length;
  if (length > NAME_MAX)
    throw invalid(`A scorecard name may have at most ${NAME_MAX} characters; this one has ${length}`, {
      reason: 'NAME_TOO_LONG',
      field: 'name',
      limit: NAME_MAX,
    });
  return name;
}

function cleanDescription(raw: string | undefined) {
  const text = (raw ?? '').trim();
  if ([...text].length > DESCRIPTION_MAX)
    throw invalid(`A scorecard description may have at most ${DESCRIPTION_MAX} characters`, {
      reason: 'DESCRIPTION_TOO_LONG',
      field: 'description',
      limit: DESCRIPTION_MAX,
    });
  return text;
}

/** Trims what people type (so "  Greeting " and "Greeting" are one title), drops empty help texts, then refuses a
 * definition with problems, naming them all (details.problems, each with its path and code). */
export function checkedDefinition(def: ScorecardDefinition): ScorecardDefinition {
  const clean: ScorecardDefinition = {
    scoring: def.scoring,
    passMark: def.passMark,
    sections: def.sections.map((s) => ({
      ...s,
      title: s.title.trim(),
      questions: s.questions.map((q) => {
        const out = { ...q, text: q.text.trim() };
        if (out.helpText !== undefined) {
          const help = out.helpText.trim();
          if (help) out.helpText = help;
          else delete out.helpText;
        }
        if (out.type === 'choice') out.options = out.options.map((o) => ({ ...o, label: o.label.trim() }));
        return out;
      }),
    })),
  };
  const problems = validateDefinition(clean);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw invalid(`The scorecard cannot be saved: ${problems[0]!.message}${more}`, { reason: 'INVALID_DEFINITION', problems });
  }
  return clean;
}

async function checkName(ctx: AppContext, tenantId: string, name: string, selfId: string | null) {
  const same = await repo.findActiveByName(ctx.db, tenantId, name);
  if (same && same.id !== selfId) throw new DomainError('ALREADY_EXISTS', `A scorecard named "${same.name}" already exists`, { field: 'name' });
}

async function load(ctx: AppContext, actor: Actor, id: string) {
  const found = await repo.getLatestVersion(ctx.db, actor.tenantId, id);
  if (!found) throw notFound('Scorecard', id);
  return found;
}

function summaryView(s: ScorecardsTable, versionId: string, def: ScorecardDefinition): ScorecardSummary {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    version: s.latest_version,
    versionId,
    scoring: def.scoring,
    passMark: def.passMark,
    maxScore: def.scoring === 'percentage' ? 100 : definitionMaximum(def).total,
    sections: def.sections.length,
    questions: questionsOf(def).length,
    archived: s.archived_at !== null,
    archivedAt: s.archived_at,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

async function detail(ctx: AppContext, actor: Actor, id: string): Promise<Scorecard> {
  const { scorecard, version, definition } = await load(ctx, actor, id);
  const versions = await repo.versionsOf(ctx.db, actor.tenantId, id);
  return {
    ...summaryView(scorecard, version.id, definition),
    definition: definition as Scorecard['definition'],
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      createdAt: v.created_at,
      createdBy: v.created_by ? { id: v.created_by, name: v.created_by_name ?? '' } : null,
      evaluations: v.evaluations,
    })),
  };
}

const audit = (
  ctx: AppContext,
  actor: Actor,
  tx: Parameters<AppContext['audit']['append']>[1],
  id: string,
  action: string,
  details: string,
  changes: FieldChange[],
) => ctx.audit.append({ tenantId: actor.tenantId, initiator: initiatorOf(actor), resourceType: 'scorecard', resourceId: id, action, details, changes }, tx);

/** A short account of a definition for audit details: "points, pass 120, 3 sections, 12 questions". */
const outline = (def: ScorecardDefinition) =>
  `${def.scoring}${def.passMark === null ? '' : `, pass ${def.passMark}`}, ${def.sections.length} section${def.sections.length === 1 ? '' : 's'}, ${questionsOf(def).length} questions`;

export async function listScorecards(ctx: AppContext, actor: Actor, archived: repo.ArchivedFilter = 'active') {
  requirePermission(actor, ...VIEW_PERMISSIONS);
  const rows = await repo.listScorecards(ctx.db, actor.tenantId, archived);
  return { items: rows.map((r) => summaryView(r, r.version_id, r.definition)) };
}

export async function getScorecard(ctx: AppContext, actor: Actor, id: string): Promise<Scorecard> {
  requirePermission(actor, ...VIEW_PERMISSIONS);
  return detail(ctx, actor, id);
}

/** One version as it was (an old evaluation's form shows the questions it was scored with). */
export async function getScorecardVersion(ctx: AppContext, actor: Actor, id: string, version: number) {
  requirePermission(actor, ...VIEW_PERMISSIONS);
  const { scorecard } = await load(ctx, actor, id);
  const v = (await repo.versionsOf(ctx.db, actor.tenantId, id)).find((x) => x.version === version);
  if (!v) throw notFound(`Version ${version} of scorecard`, id);
  const found = (await repo.getVersion(ctx.db, actor.tenantId, v.id))!;
  return {
    scorecardId: scorecard.id,
    name: scorecard.name,
    id: v.id,
    version: v.version,
    latest: v.version === scorecard.latest_version,
    definition: found.definition as Scorecard['definition'],
    createdAt: v.created_at,
  };
}

export async function createScorecard(ctx: AppContext, actor: Actor, input: ScorecardCreate): Promise<Scorecard> {
  requirePermission(actor, 'scorecards.manage');
  const name = cleanName(input.name);
  const description = cleanDescription(input.description);
  const definition = checkedDefinition(input.definition as ScorecardDefinition);
  await checkName(ctx, actor.tenantId, name, null);
  const id = newId();
  await insertNew(ctx, actor, { id, name, description, definition }, 'SCORECARD_CREATE', `Created scorecard ${name} (${outline(definition)})`);
  return detail(ctx, actor, id);
}

async function insertNew(
  ctx: AppContext,
  actor: Actor,
  s: { id: string; name: string; description: string; definition: ScorecardDefinition },
  action: string,
  details: string,
) {
  const now = nowIso();
  const versionId = newId();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertScorecard(tx, {
      id: s.id,
      tenant_id: actor.tenantId,
      name: s.name,
      description: s.description,
      latest_version: 1,
      archived_at: null,
      created_by: actor.userId || null,
      created_at: now,
      updated_at: now,
    });
    await repo.insertVersion(tx, {
      id: versionId,
      tenant_id: actor.tenantId,
      scorecard_id: s.id,
      version: 1,
      definition: s.definition,
      created_by: actor.userId || null,
      created_at: now,
    });
    await audit(ctx, actor, tx, s.id, action, details, [
      { field: 'name', old: null, new: s.name },
      { field: 'description', old: null, new: s.description },
      { field: 'definition', old: null, new: s.definition },
    ]);
  });
}

/**
 * Renames, re-describes and/or changes the definition. A definition equal to the latest changes nothing; a different
 * one edits the latest version in place while nothing uses it, else becomes version N + 1. `expectedUpdatedAt` guards
 * against two editors overwriting each other (409 CHANGED_MEANWHILE).
 */
export async function updateScorecard(ctx: AppContext, actor: Actor, id: string, input: ScorecardUpdate): Promise<Scorecard & { newVersion: boolean }> {
  requirePermission(actor, 'scorecards.manage');
  const current = await load(ctx, actor, id);
  const { scorecard } = current;
  if (scorecard.archived_at)
    throw new DomainError('CONFLICT', `The scorecard ${scorecard.name} is archived; unarchive it to edit it`, { reason: 'SCORECARD_ARCHIVED' });
  const name = input.name === undefined ? scorecard.name : cleanName(input.name);
  const description = input.description === undefined ? scorecard.description : cleanDescription(input.description);
  const definition = input.definition === undefined ? current.definition : checkedDefinition(input.definition as ScorecardDefinition);
  if (name !== scorecard.name) await checkName(ctx, actor.tenantId, name, id);

  const newVersion = await inTransaction(ctx.db, async ({ tx }) => {
    // Read again under the row lock: the version decision and the expected-time check must see the committed state.
    const locked = await repo.lockScorecard(tx, ctx.adapter, actor.tenantId, id);
    const latest = (await repo.getLatestVersion(tx, actor.tenantId, id))!;
    if (!locked || locked.archived_at)
      throw new DomainError('CONFLICT', `The scorecard ${scorecard.name} was archived meanwhile`, { reason: 'SCORECARD_ARCHIVED' });
    if (input.expectedUpdatedAt !== undefined && input.expectedUpdatedAt !== locked.updated_at)
      throw new DomainError('CONFLICT', `Someone saved the scorecard ${scorecard.name} since you opened it; open it again`, { reason: 'CHANGED_MEANWHILE' });

    const changes: FieldChange[] = [];
    if (name !== latest.scorecard.name) changes.push({ field: 'name', old: latest.scorecard.name, new: name });
    if (description !== latest.scorecard.description) changes.push({ field: 'description', old: latest.scorecard.description, new: description });
    const defChanged = canonicalJson(definition) !== canonicalJson(latest.definition);
    if (defChanged) changes.push({ field: 'definition', old: latest.definition, new: definition });
    if (changes.length === 0) return false;

    const now = nowIso();
    let added = false;
    let versionNumber = latest.version.version;
    if (defChanged) {
      if (await repo.versionInUse(tx, latest.version.id)) {
        versionNumber += 1;
        added = true;
        await repo.insertVersion(tx, {
          id: newId(),
          tenant_id: actor.tenantId,
          scorecard_id: id,
          version: versionNumber,
          definition,
          created_by: actor.userId || null,
          created_at: now,
        });
      } else {
        await repo.updateVersionDefinition(tx, latest.version.id, definition);
      }
    }
    await repo.updateScorecard(tx, actor.tenantId, id, { name, description, latest_version: versionNumber, updated_at: now });
    const what = added
      ? `new version ${versionNumber} (version ${versionNumber - 1} is used by evaluations and stays as it was)`
      : defChanged
        ? `version ${versionNumber} edited in place (no evaluation uses it yet)`
        : changes.map((c) => c.field).join(', ');
    await audit(ctx, actor, tx, id, added ? 'SCORECARD_VERSION' : 'SCORECARD_UPDATE', `Updated scorecard ${name}: ${what}`, [
      ...changes,
      ...(added ? [{ field: 'version', old: versionNumber - 1, new: versionNumber }] : []),
    ]);
    return added;
  });
  return { ...(await detail(ctx, actor, id)), newVersion };
}

async function setArchived(ctx: AppContext, actor: Actor, id: string, archive: boolean): Promise<Scorecard> {
  requirePermission(actor, 'scorecards.manage');
  const { scorecard } = await load(ctx, actor, id);
  if ((scorecard.archived_at !== null) === archive) return detail(ctx, actor, id);
  // Names are unique among active scorecards: one made meanwhile under this name blocks the return.
  if (!archive) await checkName(ctx, actor.tenantId, scorecard.name, id);
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateScorecard(tx, actor.tenantId, id, { archived_at: archive ? now : null, updated_at: now });
    await audit(
      ctx,
      actor,
      tx,
      id,
      archive ? 'SCORECARD_ARCHIVE' : 'SCORECARD_UNARCHIVE',
      `${archive ? 'Archived' : 'Unarchived'} scorecard ${scorecard.name}`,
      [{ field: 'archivedAt', old: scorecard.archived_at, new: archive ? now : null }],
    );
  });
  return detail(ctx, actor, id);
}

export const archiveScorecard = (ctx: AppContext, actor: Actor, id: string) => setArchived(ctx, actor, id, true);
export const unarchiveScorecard = (ctx: AppContext, actor: Actor, id: string) => setArchived(ctx, actor, id, false);

/** "Copy of X", or "Copy of X (2)", … the first name no active scorecard has. */
async function copyName(ctx: AppContext, tenantId: string, original: string) {
  const base = `Copy of ${original}`.slice(0, NAME_MAX - 5);
  const taken = new Set((await repo.namesLike(ctx.db, tenantId, base)).map((n) => n.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`.toLowerCase())) return `${base} (${i})`;
}

/** A new scorecard (version 1) from another's latest definition. Sections, questions and options get new ids: the
 * copy is another scorecard, and reports must not merge its questions with the original's. */
export async function duplicateScorecard(ctx: AppContext, actor: Actor, id: string, input: ScorecardDuplicate): Promise<Scorecard> {
  requirePermission(actor, 'scorecards.manage');
  const { scorecard, definition } = await load(ctx, actor, id);
  const name = input.name === undefined ? await copyName(ctx, actor.tenantId, scorecard.name) : cleanName(input.name);
  await checkName(ctx, actor.tenantId, name, null);
  const copy: ScorecardDefinition = {
    ...definition,
    sections: definition.sections.map((s) => ({
      ...s,
      id: newId(),
      questions: s.questions.map((q) =>
        q.type === 'choice' ? { ...q, id: newId(), options: q.options.map((o) => ({ ...o, id: newId() })) } : { ...q, id: newId() },
      ),
    })),
  };
  const newIdValue = newId();
  await insertNew(
    ctx,
    actor,
    { id: newIdValue, name, description: scorecard.description, definition: copy },
    'SCORECARD_DUPLICATE',
    `Created scorecard ${name} as a copy of ${scorecard.name} v${scorecard.latest_version}`,
  );
  return detail(ctx, actor, newIdValue);
}
