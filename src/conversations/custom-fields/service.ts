// Custom fields: definitions per tenant (text, date, option) and their values on conversations, set by users or by ingest.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { CustomFieldDefinitionsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as convRepo from '../repository.ts';
import * as repo from './repository.ts';
import { TEXT_VALUE_MAX, type CustomFieldCreate, type CustomFieldPatch, type FieldType, type ValuesPut } from './schemas.ts';

type Definition = CustomFieldDefinitionsTable;

function view(ctx: Pick<AppContext, 'adapter'>, d: Definition) {
  return {
    id: d.id,
    key: d.key,
    label: d.label,
    type: d.type,
    options: ctx.adapter.fromJson<string[]>(d.options) ?? [],
    showInList: Boolean(d.show_in_list),
    showInFilters: Boolean(d.show_in_filters ?? 1),
    position: Number(d.position),
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}
type View = ReturnType<typeof view>;
const AUDITED: Array<keyof View & string> = ['key', 'label', 'type', 'options', 'showInList', 'showInFilters', 'position'];

// Definitions

export async function listFields(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'conversations.view', 'conversations.view_own', 'customfields.manage', 'conversations.edit_custom_fields');
  return { items: (await repo.listDefinitions(ctx.db, actor.tenantId)).map((d) => view(ctx, d)) };
}

/**
 * A definition is the tenant's: every conversation shows it, and deleting or retyping one drops values on conversations
 * of every group, so a definition change reaches the whole organisation (scope rule, src/auth/actor.ts). Setting a
 * value on a conversation one can see stays open to a group-scoped user.
 */
const assertTenantWide = (actor: Actor, change: string) => assertWithinScope(actor, [null], change);

export async function createField(ctx: AppContext, actor: Actor, input: CustomFieldCreate) {
  requirePermission(actor, 'customfields.manage');
  assertTenantWide(actor, 'Defining a custom field');
  const label = cleanLabel(input.label);
  const options = checkOptions(input.type, input.options ?? []);
  const exists = () => new DomainError('ALREADY_EXISTS', `A custom field with the key "${input.key}" already exists`, { field: 'key' });
  if (await repo.findDefinitionByKey(ctx.db, actor.tenantId, input.key)) throw exists();
  const now = nowIso();
  const row: Definition = {
    id: newId(),
    tenant_id: actor.tenantId,
    key: input.key,
    label,
    type: input.type,
    options: ctx.adapter.json(options),
    show_in_list: input.showInList ? 1 : 0,
    show_in_filters: input.showInFilters === false ? 0 : 1,
    position: input.position ?? (await repo.nextPosition(ctx.db, actor.tenantId)),
    created_at: now,
    updated_at: now,
  };
  // The view from the plain array: a value written for a JSON column is not one read back from it.
  const v = view(ctx, { ...row, options });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertDefinition(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'custom_field',
        resourceId: row.id,
        action: 'CUSTOM_FIELD_CREATE',
        details: `Created custom field ${label} (${input.key}, ${input.type}${options.length ? `: ${options.join(', ')}` : ''})`,
        changes: AUDITED.map((f) => ({ field: f, old: null, new: v[f] })),
      },
      tx,
    );
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw exists();
    throw e;
  });
  return v;
}

export async function updateField(ctx: AppContext, actor: Actor, id: string, patch: CustomFieldPatch) {
  requirePermission(actor, 'customfields.manage');
  const def = await loadDefinition(ctx, actor, id);
  assertTenantWide(actor, `Changing the custom field ${def.label}`);
  const before = view(ctx, def);
  const type = patch.type ?? (def.type as FieldType);
  // Leaving the option type drops the options; otherwise they stay unless replaced.
  const options = checkOptions(type, patch.options ?? (type === 'option' ? before.options : []));
  const next: Partial<Definition> = {};
  if (patch.label !== undefined) next.label = cleanLabel(patch.label);
  if (patch.type !== undefined) next.type = patch.type;
  next.options = ctx.adapter.json(options);
  if (patch.showInList !== undefined) next.show_in_list = patch.showInList ? 1 : 0;
  if (patch.showInFilters !== undefined) next.show_in_filters = patch.showInFilters ? 1 : 0;
  if (patch.position !== undefined) next.position = patch.position;
  const after = view(ctx, { ...def, ...next, options });
  const changes: FieldChange[] = AUDITED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({
    field: f,
    old: before[f],
    new: after[f],
  }));
  if (changes.length === 0) return before;
  await inTransaction(ctx.db, async ({ tx }) => {
    if (after.type !== before.type) {
      // Stored values were checked against the old type; they may mean nothing under the new one.
      const n = await repo.valueCount(tx, id);
      if (n > 0)
        throw new DomainError('IN_USE', `The type of ${def.label} cannot change while ${n} conversation(s) have a value for it`, {
          reason: 'FIELD_HAS_VALUES',
          conversations: n,
        });
    } else if (after.type === 'option') {
      const kept = new Set(after.options);
      const orphaned = (await repo.valuesInUse(tx, id)).filter((v) => !kept.has(v.value)).map((v) => v.value);
      if (orphaned.length)
        throw new DomainError('IN_USE', `These options of ${def.label} are in use and cannot be removed: ${orphaned.join(', ')}`, {
          reason: 'OPTION_IN_USE',
          options: orphaned,
        });
    }
    await repo.updateDefinition(tx, id, { ...next, updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'custom_field',
        resourceId: id,
        action: 'CUSTOM_FIELD_UPDATE',
        details: `Updated custom field ${def.label} (${def.key}): ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  });
  return view(ctx, (await repo.getDefinition(ctx.db, actor.tenantId, id))!);
}

export async function deleteField(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'customfields.manage');
  const def = await loadDefinition(ctx, actor, id);
  assertTenantWide(actor, `Deleting the custom field ${def.label}`);
  const v = view(ctx, def);
  await inTransaction(ctx.db, async ({ tx }) => {
    const n = await repo.valueCount(tx, id);
    await repo.deleteDefinition(tx, id); // its values go with it (cascade)
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'custom_field',
        resourceId: id,
        action: 'CUSTOM_FIELD_DELETE',
        details: `Deleted custom field ${def.label} (${def.key})${n ? ` and its values on ${n} conversation(s)` : ''}`,
        changes: AUDITED.map((f) => ({ field: f, old: v[f], new: null })),
      },
      tx,
    );
  });
}

async function loadDefinition(ctx: AppContext, actor: Actor, id: string) {
  const d = await repo.getDefinition(ctx.db, actor.tenantId, id);
  if (!d) throw notFound('Custom field', id);
  return d;
}

function cleanLabel(raw: string) {
  const label = raw.trim();
  if (!label) throw invalid('The label is required', { field: 'label' });
  return label;
}

/** An option field needs a non-empty list of distinct options; other types take none. */
function checkOptions(type: FieldType, raw: string[]) {
  const options = raw.map((o) => o.trim());
  if (type !== 'option') {
    if (options.length) throw invalid(`A ${type} field has no options`, { reason: 'OPTIONS_NOT_ALLOWED', field: 'options' });
    return [];
  }
  if (options.length === 0 || options.some((o) => !o))
    throw invalid('An option field needs at least one option, none of them empty', { reason: 'OPTIONS_REQUIRED', field: 'options' });
  const seen = new Set<string>();
  const dup = options.filter((o) => (seen.has(o.toLowerCase()) ? true : (seen.add(o.toLowerCase()), false)));
  if (dup.length)
    throw invalid(`Options must be unique: ${[...new Set(dup)].join(', ')} given more than once`, { reason: 'DUPLICATE_OPTIONS', field: 'options' });
  return options;
}

// Values

type ValueCheck = { ok: true; value: string | null } | { ok: false; reason: string; message: string };

/** A value for a field: date = a real YYYY-MM-DD day, option = one of the options, text = at most 1000 characters. Empty means none. */
export function checkValue(def: { key: string; label: string; type: string; options: string[] }, raw: string | null): ValueCheck {
  if (raw === null) return { ok: true, value: null };
  const value = raw.trim();
  if (!value) return { ok: true, value: null };
  switch (def.type) {
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
      if (!d || d.toISOString().slice(0, 10) !== value)
        return { ok: false, reason: 'INVALID_DATE', message: `${def.label} takes a date as YYYY-MM-DD, not "${value}"` };
      return { ok: true, value };
    }
    case 'option':
      if (!def.options.includes(value))
        return { ok: false, reason: 'INVALID_OPTION', message: `"${value}" is not an option of ${def.label} (${def.options.join(', ')})` };
      return { ok: true, value };
    default: {
      const length = [...value].length;
      if (length > TEXT_VALUE_MAX)
        return { ok: false, reason: 'VALUE_TOO_LONG', message: `${def.label} takes at most ${TEXT_VALUE_MAX} characters; ${length} given` };
      return { ok: true, value };
    }
  }
}

export async function conversationValues(ctx: Pick<AppContext, 'db'>, tenantId: string, conversationId: string) {
  const rows = await repo.valuesWithDefinitions(ctx.db, tenantId, conversationId);
  return { items: rows.map((f) => ({ fieldId: f.id, key: f.key, label: f.label, type: f.type, value: f.value ?? null })) };
}

/** Sets or removes (null) the values of the fields named; the others stay. Every key must be a defined field. */
export async function setValues(ctx: AppContext, actor: Actor, conversationId: string, input: ValuesPut) {
  requirePermission(actor, 'conversations.edit_custom_fields');
  const conv = await convRepo.getVisible(ctx.db, actor, conversationId);
  if (!conv) throw notFound('Conversation', conversationId);
  const defs = new Map((await repo.listDefinitions(ctx.db, actor.tenantId)).map((d) => [d.key, view(ctx, d)]));
  const unknown = Object.keys(input.values).filter((k) => !defs.has(k));
  if (unknown.length) throw invalid(`No custom field with the key(s): ${unknown.join(', ')}`, { reason: 'UNKNOWN_FIELD', keys: unknown });
  const wanted = Object.entries(input.values).map(([key, raw]) => {
    const def = defs.get(key)!;
    const checked = checkValue(def, raw);
    if (!checked.ok) throw invalid(checked.message, { reason: checked.reason, field: key });
    return { def, value: checked.value };
  });
  const current = new Map((await repo.valuesForConversation(ctx.db, conversationId)).map((v) => [v.field_id, v.value]));
  const changed = wanted.filter((w) => (current.get(w.def.id) ?? null) !== w.value);
  if (changed.length) {
    const changes: FieldChange[] = changed.map((w) => ({ field: w.def.key, old: current.get(w.def.id) ?? null, new: w.value }));
    await inTransaction(ctx.db, async ({ tx }) => {
      for (const w of changed) {
        if (w.value === null) await repo.deleteValue(tx, conversationId, w.def.id);
        else await repo.upsertValue(tx, conversationId, w.def.id, w.value);
      }
      await convRepo.updateConversation(tx, conversationId, { updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'conversation',
          resourceId: conversationId,
          action: 'CONVERSATION_CUSTOM_FIELDS_UPDATE',
          details: `Custom fields: ${changed.map((w) => `${w.def.label} ${w.value === null ? 'cleared' : `= ${w.value}`}`).join('; ')}`,
          changes,
        },
        tx,
      );
    });
  }
  return conversationValues(ctx, actor.tenantId, conversationId);
}

/**
 * For ingest, inside its transaction: stores the `customData` entries whose key names a custom field (exactly, or
 * once lower-cased) as that field's value. Invalid values and keys naming no field are skipped, never refused: the
 * conversation is stored whatever its metadata. A later segment's value replaces an earlier one. Returns the keys stored.
 */
export async function applyIngestCustomData(
  ctx: Pick<AppContext, 'adapter'>,
  tx: Tx,
  tenantId: string,
  conversationId: string,
  customData: Record<string, string> | null | undefined,
) {
  const entries = Object.entries(customData ?? {});
  if (entries.length === 0) return [];
  const defs = new Map((await repo.listDefinitions(tx, tenantId)).map((d) => [d.key, view(ctx, d)]));
  const stored: string[] = [];
  for (const [k, raw] of entries) {
    const def = defs.get(k) ?? defs.get(k.toLowerCase());
    if (!def || typeof raw !== 'string' || stored.includes(def.key)) continue;
    const checked = checkValue(def, raw);
    if (!checked.ok || checked.value === null) continue;
    await repo.upsertValue(tx, conversationId, def.id, checked.value);
    stored.push(def.key);
  }
  return stored;
}
