// Anonymization: a customer's personal data in a conversation is overwritten, in the database and in the search index,
// with the seed's placeholders ([anonphonenumber], [anondigitaladdress], [anonconversationcontent], [anonymized]),
// for the data classes the tenant's compliance setup names. Earlier audit events of the conversation lose the erased
// values but keep who and when (the chain still verifies: src/platform/audit/chain.ts). Media files are planned for
// deletion (src/compliance/deletion), or — the gentler option when the transcript found PII spans — only those spans
// stay silenced in the one copy that is kept. Protected conversations (reviewed, legal hold, protection tag) are
// refused or, in a run over a search, skipped with the reason.
//
// What is kept on purpose: the segments' external ids (call id, chat id, e-mail Message-ID) and stitching keys, so a
// re-import of the same conversation is recognised as a duplicate and the conversation stays anonymized; agents'
// names, numbers and addresses (staff data, not the customer's); tag and comment texts except for the erased values.
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { actorFor } from '../../auth/session-service.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import { refreshAggregates } from '../../conversations/repository.ts';
import { upsertValue } from '../../conversations/custom-fields/repository.ts';
import { indexConversation, queueIndexing } from '../../search/index/indexer.ts';
import { matchingIds } from '../../search/repository.ts';
import { planSearch } from '../../search/service.ts';
import { hasPii } from '../../speech/redaction/repository.ts';
import { describeProtection, protectionOf, type Protection } from '../protection.ts';
import { planMediaDeletion } from '../deletion/service.ts';
import { PLACEHOLDER, type AnonymizationPart } from '../setup/model.ts';
import { readSetup } from '../setup/service.ts';
import { eraseDeep, isPlaceholder, makeEraser, type ErasedValue, type Eraser } from './erase.ts';
import * as repo from './repository.ts';

/** What happens to the media files: planned for deletion, kept with only the PII spans silenced, or kept. */
export type AudioChoice = 'delete' | 'redact' | 'keep';

export interface AnonymizeOptions {
  parts: AnonymizationPart[];
  customFieldIds: string[];
  audio: AudioChoice;
}

export interface AnonymizeResult {
  conversationId: string;
  parts: string[];
  /** planned_for_deletion | redacted | kept | none (no media) | already_deleted */
  media: string;
  /** Earlier audit events of the conversation whose erased values were redacted. */
  auditEventsRedacted: number;
  /** Events from before the sealed audit format (migration 0035) that hold an erased value and could not be redacted. */
  legacyAuditEvents: number;
}

const protectedError = (id: string, list: Protection[]) =>
  new DomainError('CONVERSATION_PROTECTED', `Conversation ${id} is protected (${list.map(describeProtection).join('; ')}) and cannot be anonymized`, {
    reason: 'CONVERSATION_PROTECTED',
    conversationId: id,
    protections: list,
  });

const redactionNotReady = () =>
  new DomainError('CONFLICT', 'The redacted copy of this recording is still being prepared: silencing only the personal data is possible once it is written', {
    reason: 'MEDIA_REDACTION_PENDING',
  });

/** The audio choice must fit the setup: with media in it, delete or (gentler) redact; without, keep or redact. */
export function checkAudio(parts: readonly string[], audio: AudioChoice | undefined): AudioChoice {
  const media = parts.includes('media');
  const chosen = audio ?? (media ? 'delete' : 'keep');
  if (media && chosen === 'keep')
    throw invalid('The compliance setup anonymizes media files: choose to delete them or to silence only the personal data', {
      field: 'audio',
      reason: 'AUDIO_CHOICE',
    });
  if (!media && chosen === 'delete')
    throw invalid('The compliance setup does not anonymize media files, so they cannot be deleted here (delete them from the conversation instead)', {
      field: 'audio',
      reason: 'AUDIO_CHOICE',
    });
  return chosen;
}

const requireConfirmation = (confirm: boolean | undefined) => {
  if (confirm !== true) throw invalid('Anonymization is permanent: send confirm: true to go ahead', { field: 'confirm', reason: 'CONFIRMATION_REQUIRED' });
};

// ---- one conversation -----------------------------------------------------------------------------------------------

type Address = { name?: string | null; address: string };
const parseList = (ctx: AppContext, v: unknown): Address[] => (v == null ? [] : (ctx.adapter.fromJson<Address[] | null>(v) ?? []));

/** Insight details quote the conversation's text: their quotes go with it. */
function scrubInsights(details: unknown): unknown {
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') return key && ['text', 'cue', 'summary'].includes(key) ? PLACEHOLDER.content : v;
    if (Array.isArray(v)) return key === 'cues' ? v.map(() => PLACEHOLDER.content) : v.map((x) => walk(x, null));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(details, null);
}

/**
 * Overwrites one conversation inside the caller's unit of work. Checks visibility and protection first; returns what
 * was done. Search indexing is queued in the same unit of work (the caller may also index at once after commit).
 */
export async function anonymizeInUow(ctx: AppContext, uow: Uow, actor: Actor, conversationId: string, opts: AnonymizeOptions): Promise<AnonymizeResult> {
  requirePermission(actor, 'conversations.anonymize');
  const { tx } = uow;
  const tenantId = actor.tenantId;
  const visible = await repo.visibleIds(tx, actor, [conversationId]);
  const conv = visible.length ? await repo.conversation(tx, tenantId, conversationId) : undefined;
  if (!conv) throw notFound('Conversation', conversationId);
  const protections = (await protectionOf(tx, tenantId, [conversationId])).get(conversationId);
  if (protections?.length) throw protectedError(conversationId, protections);

  const has = (p: AnonymizationPart) => opts.parts.includes(p);
  const now = nowIso();
  const [participants, segments, fields, tagComments, comments, utterances, insights, tagKeys] = await Promise.all([
    repo.participants(tx, conversationId),
    repo.segments(tx, conversationId),
    repo.fieldValues(tx, conversationId),
    repo.tagComments(tx, conversationId),
    repo.comments(tx, conversationId),
    repo.utterances(tx, conversationId),
    repo.insights(tx, conversationId),
    repo.dataTagKeys(tx, tenantId),
  ]);
  const segIds = segments.map((s) => s.id);
  const [messages, emails] = await Promise.all([repo.chatMessages(tx, segIds), repo.emails(tx, segIds)]);

  // Staff addresses are not the customer's: agents in the conversation and the tenant's users.
  const allAddresses = [
    ...emails.flatMap((e) => [e.from_address, ...parseList(ctx, e.to_list).map((a) => a.address), ...parseList(ctx, e.cc_list).map((a) => a.address)]),
    ...participants.map((p) => p.email).filter((x): x is string => !!x),
  ];
  const staff = await repo.userEmails(tx, tenantId, allAddresses);
  for (const p of participants) if (p.role === 'agent' && p.email) staff.add(p.email.toLowerCase());
  const isCustomerAddress = (a: string | null | undefined) => !!a && !isPlaceholder(a) && !staff.has(a.toLowerCase());
  const customers = participants.filter((p) => p.role !== 'agent');

  // The values that leave the conversation, and every text they might still hide in.
  const erased: ErasedValue[] = [];
  if (has('phone_numbers')) {
    if (conv.customer_phone) erased.push({ value: conv.customer_phone, placeholder: PLACEHOLDER.phone, phone: true });
    for (const p of customers) if (p.phone) erased.push({ value: p.phone, placeholder: PLACEHOLDER.phone, phone: true });
  }
  if (has('email_addresses')) {
    for (const a of allAddresses) if (isCustomerAddress(a)) erased.push({ value: a, placeholder: PLACEHOLDER.address });
    for (const p of customers) if (p.external_id) erased.push({ value: p.external_id, placeholder: PLACEHOLDER.address });
  }
  if (has('other_metadata')) {
    for (const p of customers) if (p.name) erased.push({ value: p.name, placeholder: PLACEHOLDER.metadata });
    for (const e of emails)
      for (const a of [{ name: e.from_name, address: e.from_address }, ...parseList(ctx, e.to_list), ...parseList(ctx, e.cc_list)])
        if (a.name && isCustomerAddress(a.address)) erased.push({ value: a.name, placeholder: PLACEHOLDER.metadata });
    for (const m of messages) if (m.sender_role !== 'agent' && m.sender_name) erased.push({ value: m.sender_name, placeholder: PLACEHOLDER.metadata });
  }
  const chosenFields = new Set(opts.customFieldIds);
  const chosenKeys = new Set(fields.filter((f) => chosenFields.has(f.field_id)).map((f) => f.key));
  for (const f of fields) if (chosenFields.has(f.field_id)) erased.push({ value: f.value, placeholder: PLACEHOLDER.metadata });
  const erase: Eraser = makeEraser(erased);

  // The conversation itself.
  const customData = ctx.adapter.fromJson<Record<string, string> | null>(conv.custom_data) ?? {};
  const nextCustomData = Object.fromEntries(Object.entries(customData).map(([k, v]) => [k, chosenKeys.has(k) ? PLACEHOLDER.metadata : erase(String(v))]));
  const emailOnly = segments.length > 0 && segments.every((s) => s.kind === 'email');
  const title = has('other_metadata') || (emailOnly && has('email_content')) ? PLACEHOLDER.metadata : erase(conv.title);
  const previousParts = conv.anonymized_parts ? ctx.adapter.fromJson<string[]>(conv.anonymized_parts) : [];
  const parts = [
    ...new Set([
      ...previousParts,
      ...opts.parts,
      ...opts.customFieldIds.filter((id) => fields.some((f) => f.field_id === id)).map((id) => `custom:${fields.find((f) => f.field_id === id)!.key}`),
    ]),
  ];
  await repo.setConversation(tx, conversationId, {
    title,
    customer_phone: has('phone_numbers') && conv.customer_phone ? PLACEHOLDER.phone : conv.customer_phone,
    custom_data: ctx.adapter.json(nextCustomData),
    anonymized_at: now,
    anonymized_parts: JSON.stringify(parts),
    updated_at: now,
  });

  for (const p of customers) {
    const patch: Parameters<typeof repo.setParticipant>[2] = {};
    if (has('phone_numbers') && p.phone) patch.phone = PLACEHOLDER.phone;
    if (has('email_addresses') && p.email) patch.email = PLACEHOLDER.address;
    if (has('email_addresses') && p.external_id) patch.external_id = PLACEHOLDER.address;
    if (has('other_metadata') && p.name) patch.name = PLACEHOLDER.metadata;
    if (Object.keys(patch).length) await repo.setParticipant(tx, p.id, patch);
  }

  for (const s of segments) {
    const content = (s.kind === 'chat' && has('chat_content')) || (s.kind === 'email' && has('email_content'));
    const meta = ctx.adapter.fromJson<Record<string, string> | null>(s.metadata) ?? {};
    const nextMeta = Object.fromEntries(
      Object.entries(meta).map(([k, v]) => [k, tagKeys.has(k) ? v : has('other_metadata') ? PLACEHOLDER.metadata : erase(String(v))]),
    );
    await repo.setSegment(tx, s.id, {
      title: s.title === null ? null : content ? PLACEHOLDER.content : has('other_metadata') ? PLACEHOLDER.metadata : erase(s.title),
      metadata: ctx.adapter.json(nextMeta),
      source_url: has('other_metadata') ? null : s.source_url,
      anonymized_at: now,
      updated_at: now,
    });
  }

  for (const m of messages) {
    const text = has('chat_content') ? PLACEHOLDER.content : erase(m.text);
    const senderName = m.sender_role !== 'agent' && has('other_metadata') && m.sender_name ? PLACEHOLDER.metadata : m.sender_name && erase(m.sender_name);
    if (text !== m.text || senderName !== m.sender_name) await repo.setChatMessage(tx, m.id, { text, sender_name: senderName });
  }

  const address = (a: Address): Address => ({
    ...a,
    address: has('email_addresses') && isCustomerAddress(a.address) ? PLACEHOLDER.address : a.address,
    name: a.name && isCustomerAddress(a.address) && has('other_metadata') ? PLACEHOLDER.metadata : a.name ? erase(a.name) : (a.name ?? null),
  });
  for (const e of emails) {
    const content = has('email_content');
    const from = address({ name: e.from_name, address: e.from_address });
    const attachments = ctx.adapter.fromJson<Array<Record<string, unknown>> | null>(e.attachments) ?? [];
    await repo.setEmail(tx, e.segment_id, {
      subject: content ? PLACEHOLDER.content : erase(e.subject),
      body_text: content ? PLACEHOLDER.content : erase(e.body_text),
      body_html: content ? null : e.body_html && erase(e.body_html),
      attachments: ctx.adapter.json(content ? attachments.map((a) => ({ ...a, filename: PLACEHOLDER.content })) : attachments),
      from_address: from.address,
      from_name: from.name ?? null,
      to_list: ctx.adapter.json(parseList(ctx, e.to_list).map(address)),
      cc_list: ctx.adapter.json(parseList(ctx, e.cc_list).map(address)),
    });
  }

  for (const f of fields) {
    const value = chosenFields.has(f.field_id) ? PLACEHOLDER.metadata : erase(f.value);
    // Through the custom fields' own upsert: the folded and numeric forms the search compares follow the value.
    if (value !== f.value) await upsertValue(tx, conversationId, f.field_id, value);
  }
  for (const t of tagComments) {
    const c = erase(t.comment!);
    if (c !== t.comment) await repo.setTagComment(tx, t.id, c);
  }
  for (const c of comments) {
    const text = erase(c.text);
    if (text !== c.text) await repo.setComment(tx, c.id, text);
  }
  for (const u of utterances) {
    if (has('transcripts')) {
      await repo.setUtterance(tx, u.id, {
        text: PLACEHOLDER.content,
        display_text: PLACEHOLDER.content,
        redacted_text: PLACEHOLDER.content,
        words: ctx.adapter.json([]),
      });
      continue;
    }
    const next = { text: erase(u.text), display_text: erase(u.display_text), redacted_text: erase(u.redacted_text) };
    if (next.text !== u.text || next.display_text !== u.display_text || next.redacted_text !== u.redacted_text) await repo.setUtterance(tx, u.id, next);
  }
  if (insights) {
    const details = ctx.adapter.fromJson(insights.details);
    const quoted = has('transcripts') || has('chat_content') || has('email_content');
    await repo.setInsightDetails(tx, conversationId, ctx.adapter.json(quoted ? scrubInsights(details) : eraseDeep(details, erase)));
  }

  // Every segment is anonymized now: not reviewable (a segment added later makes it reviewable again).
  await refreshAggregates(tx, conversationId);

  // Media.
  let media: string;
  const hasMedia = Number(conv.has_call) === 1 || Number(conv.has_screen) === 1;
  if (conv.media_state === 'deleted') media = 'already_deleted';
  else if (!hasMedia) media = 'none';
  else if (opts.audio === 'delete') {
    if (conv.media_state !== 'planned_for_deletion')
      await planMediaDeletion(ctx, uow, actor, tenantId, [conversationId], 'anonymization', { origin: 'anonymization', checked: true });
    media = 'planned_for_deletion';
  } else if (opts.audio === 'redact') {
    media = await keepRedactedAudioOnly(ctx, uow, tenantId, conversationId, now);
  } else media = 'kept';

  // Earlier audit events lose the erased values (not who or when), then this one is written without them.
  const redaction = await ctx.audit.redactConversationEvents(tx, tenantId, [conversationId], erase);
  const changes: FieldChange[] = [{ field: 'anonymizedParts', old: previousParts.length ? previousParts : null, new: parts }];
  if (media === 'planned_for_deletion' && conv.media_state !== 'planned_for_deletion')
    changes.push({ field: 'mediaState', old: conv.media_state, new: 'planned_for_deletion' });
  await ctx.audit.append(
    {
      tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'conversation',
      resourceId: conversationId,
      action: 'CONVERSATION_ANONYMIZE',
      details:
        `Anonymized ${parts.join(', ')}; media ${media.replace(/_/g, ' ')}` +
        (redaction.redacted.length ? `; erased values redacted from ${redaction.redacted.length} earlier audit event(s)` : '') +
        (redaction.legacy.length ? `; ${redaction.legacy.length} event(s) from before sealed auditing could not be redacted` : ''),
      changes,
    },
    tx,
  );
  await queueIndexing(ctx, uow, tenantId, [conversationId]);
  return { conversationId, parts, media, auditEventsRedacted: redaction.redacted.length, legacyAuditEvents: redaction.legacy.length };
}

/**
 * The gentler option: the redacted copy (PII spans replaced by a tone, src/speech/redaction) becomes the only audio;
 * the original PCM and stored file are removed after commit. Without PII spans there is nothing to silence.
 */
async function keepRedactedAudioOnly(ctx: AppContext, uow: Uow, tenantId: string, conversationId: string, now: string): Promise<string> {
  const { tx } = uow;
  if (!(await hasPii(tx, ctx.adapter, conversationId))) return 'kept';
  const rends = await repo.renditions(tx, conversationId);
  if (rends.some((r) => !r.redacted_pcm_blob_id)) throw redactionNotReady();
  const toRemove = new Set<string>();
  for (const r of rends) {
    if (r.pcm_blob_id && r.pcm_blob_id !== r.redacted_pcm_blob_id) toRemove.add(r.pcm_blob_id);
    if (r.blob_id) toRemove.add(r.blob_id);
  }
  await repo.keepOnlyRedactedAudio(
    tx,
    conversationId,
    rends.map((r) => r.stream_id),
    now,
  );
  for (const m of await repo.momentClips(tx, conversationId)) {
    if (m.clip_blob_id === m.redacted_clip_blob_id) continue;
    if (m.redacted_clip_blob_id) {
      await repo.setMomentClip(tx, m.id, m.redacted_clip_blob_id, now);
      toRemove.add(m.clip_blob_id!);
    }
  }
  // Once committed nothing points at them (a stereo file shared by two streams is in the set once).
  uow.afterCommit(() => {
    void ctx.blobs.release(tenantId, toRemove);
  });
  return 'redacted';
}

/** The setup now, and the audio choice checked against it. */
async function optionsFor(ctx: AppContext, tenantId: string, audio: AudioChoice | undefined): Promise<AnonymizeOptions> {
  const setup = await readSetup(ctx.db, ctx.adapter, tenantId);
  if (setup.parts.length === 0 && setup.customFieldIds.length === 0)
    throw invalid('The compliance setup names no data to anonymize (Administration → Compliance → Setup)', { reason: 'NOTHING_TO_ANONYMIZE' });
  return { ...setup, audio: checkAudio(setup.parts, audio) };
}

/** Anonymizes one conversation now (the user confirmed the permanent dialog). */
export async function anonymizeConversation(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  input: { audio?: AudioChoice; confirm?: boolean },
): Promise<AnonymizeResult> {
  requirePermission(actor, 'conversations.anonymize');
  requireConfirmation(input.confirm);
  const opts = await optionsFor(ctx, actor.tenantId, input.audio);
  const result = await inTransaction(ctx.db, (uow) => anonymizeInUow(ctx, uow, actor, conversationId, opts));
  // At once, so a search right after finds nothing; the queued job is the safety net after a crash.
  await indexConversation(ctx, conversationId);
  return result;
}

// ---- preview and runs over a search ----------------------------------------------------------------------------------

export type Selection = { conversationIds: string[]; filter?: undefined } | { filter: unknown; conversationIds?: undefined };

/** At most this many conversations are checked for protection in a preview (a run checks every one). */
export const PREVIEW_CHECK_LIMIT = 10_000;
const PREVIEW_LIST = 100;
const SNAPSHOT_BATCH = 5_000;

/** The ids a selection means for this actor: the given ones they may see, or every match of the search. */
async function selectionIds(ctx: AppContext, actor: Actor, sel: Selection): Promise<string[]> {
  if (sel.conversationIds) {
    const ids = [...new Set(sel.conversationIds)];
    const found: string[] = [];
    for (let i = 0; i < ids.length; i += 500) found.push(...(await repo.visibleIds(ctx.db, actor, ids.slice(i, i + 500))));
    if (found.length !== ids.length)
      throw notFound(
        'Conversation',
        ids.find((id) => !found.includes(id)),
      );
    return found;
  }
  const { plan } = await planSearch(ctx, actor, sel.filter, new Date());
  if (!plan) return [];
  const out: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await matchingIds(ctx.db, ctx.adapter, plan, { afterId: after, limit: SNAPSHOT_BATCH });
    out.push(...page);
    if (page.length < SNAPSHOT_BATCH) return out;
    after = page[page.length - 1]!;
  }
}

function checkSelection(sel: { conversationIds?: string[]; filter?: unknown }): Selection {
  if (sel.conversationIds && sel.filter !== undefined) throw invalid('Give either conversationIds or a filter, not both', { reason: 'SELECTION' });
  if (sel.conversationIds) return { conversationIds: sel.conversationIds };
  if (sel.filter === undefined) throw invalid('Give conversationIds or a filter', { reason: 'SELECTION' });
  return { filter: sel.filter };
}

export async function previewAnonymization(ctx: AppContext, actor: Actor, input: { conversationIds?: string[]; filter?: unknown }) {
  requirePermission(actor, 'conversations.anonymize');
  const ids = await selectionIds(ctx, actor, checkSelection(input));
  const setup = await readSetup(ctx.db, ctx.adapter, actor.tenantId);
  const checked = ids.slice(0, PREVIEW_CHECK_LIMIT);
  const protections = await protectionOf(ctx.db, actor.tenantId, checked);
  const protectedIds = [...protections.keys()];
  const listed = protectedIds.slice(0, PREVIEW_LIST);
  const titles = await repo.titles(ctx.db, listed);
  const flags = await statesOf(ctx, checked);
  const fieldsById = new Map((await repo.fieldDefinitions(ctx.db, actor.tenantId)).map((f) => [f.id, f]));
  return {
    total: ids.length,
    checked: checked.length,
    protectedCount: protectedIds.length,
    protected: listed.map((id) => ({ conversationId: id, title: titles.find((t) => t.id === id)?.title ?? '', protections: protections.get(id)! })),
    alreadyAnonymized: flags.anonymized,
    withMedia: flags.withMedia,
    withPii: flags.withPii,
    parts: setup.parts,
    customFields: setup.customFieldIds.map((id) => ({ id, key: fieldsById.get(id)?.key ?? id, label: fieldsById.get(id)?.label ?? id })),
    audioOptions: (setup.parts.includes('media') ? ['delete', 'redact'] : ['keep', 'redact']) as AudioChoice[],
  };
}

/** How many are anonymized already, have media left, have PII spans in their transcript (the audio redaction option). */
async function statesOf(ctx: AppContext, ids: string[]) {
  let anonymized = 0;
  let withMedia = 0;
  let withPii = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await repo.states(ctx.db, chunk);
    anonymized += rows.filter((r) => r.anonymized_at).length;
    withMedia += rows.filter((r) => (Number(r.has_call) === 1 || Number(r.has_screen) === 1) && r.media_state !== 'deleted').length;
    withPii += (await repo.withPii(ctx.db, ctx.adapter, chunk)).length;
  }
  return { anonymized, withMedia, withPii };
}

export interface RunView {
  id: string;
  status: string;
  total: number;
  done: number;
  anonymized: number;
  skipped: number;
  audio: string;
  parts: string[];
  jobId: string | null;
  error: string | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  skippedItems: Array<{ conversationId: string; title: string | null; status: string; reason: string | null }>;
}

async function runView(ctx: AppContext, row: NonNullable<Awaited<ReturnType<typeof repo.getRun>>>): Promise<RunView> {
  return {
    id: row.id,
    status: row.status,
    total: Number(row.total),
    done: Number(row.done),
    anonymized: Number(row.anonymized),
    skipped: Number(row.skipped),
    audio: row.audio,
    parts: ctx.adapter.fromJson<string[]>(row.parts),
    jobId: row.job_id,
    error: row.error,
    requestedBy: row.requested_by_name,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    skippedItems: (await repo.skippedItems(ctx.db, row.id, 200)).map((i) => ({
      conversationId: i.conversation_id,
      title: i.title ?? null,
      status: i.status,
      reason: i.reason,
    })),
  };
}

/** Snapshots what the search matches now (what the user confirmed) and queues the job that works through it. */
export async function startRun(
  ctx: AppContext,
  actor: Actor,
  input: { conversationIds?: string[]; filter?: unknown; audio?: AudioChoice; confirm?: boolean },
): Promise<RunView> {
  requirePermission(actor, 'conversations.anonymize');
  requireConfirmation(input.confirm);
  const sel = checkSelection(input);
  const opts = await optionsFor(ctx, actor.tenantId, input.audio);
  const ids = await selectionIds(ctx, actor, sel);
  if (ids.length === 0) throw invalid('No conversation matches: nothing to anonymize', { reason: 'NOTHING_SELECTED' });
  const id = newId();
  await inTransaction(ctx.db, async (uow) => {
    await repo.insertRun(uow.tx, {
      id,
      tenant_id: actor.tenantId,
      requested_by: actor.userId || null,
      requested_by_name: actor.name,
      scope: ctx.adapter.json(
        sel.conversationIds
          ? { conversationIds: sel.conversationIds.length > 1000 ? `${sel.conversationIds.length} conversations` : sel.conversationIds }
          : { filter: sel.filter },
      ),
      parts: ctx.adapter.json({ parts: opts.parts, customFieldIds: opts.customFieldIds }),
      audio: opts.audio,
      status: 'queued',
      total: ids.length,
      done: 0,
      anonymized: 0,
      skipped: 0,
      job_id: null,
      error: null,
      created_at: nowIso(),
      finished_at: null,
    });
    await repo.insertItems(
      uow.tx,
      ids.map((conversation_id) => ({ run_id: id, conversation_id, status: 'pending', reason: null })),
    );
    const jobId = await ctx.jobs.enqueue(uow, 'compliance.anonymize', { runId: id }, { tenantId: actor.tenantId });
    await repo.updateRun(uow.tx, id, { job_id: jobId });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'anonymization',
        resourceId: id,
        action: 'ANONYMIZATION_START',
        details: `Anonymization of ${ids.length} conversation(s) confirmed (${opts.parts.join(', ')}; media ${opts.audio})`,
      },
      uow.tx,
    );
  });
  return getRun(ctx, actor, id);
}

export async function getRun(ctx: AppContext, actor: Actor, id: string): Promise<RunView> {
  requirePermission(actor, 'conversations.anonymize', 'lifecycle.manage');
  const row = await repo.getRun(ctx.db, actor.tenantId, id);
  if (!row) throw notFound('Anonymization', id);
  return runView(ctx, row);
}

export async function listRuns(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'conversations.anonymize', 'lifecycle.manage');
  const rows = await repo.listRuns(ctx.db, actor.tenantId, 50);
  return { items: await Promise.all(rows.map((r) => runView(ctx, r))) };
}

/** What a per-conversation refusal is recorded as in a run (the run goes on). */
function skipReason(err: unknown): string | null {
  if (!(err instanceof DomainError)) return null;
  if (err.code === 'CONVERSATION_PROTECTED') return `protected: ${((err.details?.protections as Protection[]) ?? []).map(describeProtection).join('; ')}`;
  if (err.code === 'NOT_FOUND') return 'no longer exists or is no longer visible to the requester';
  if (err.details?.reason === 'MEDIA_REDACTION_PENDING') return 'the redacted copy of its recording is not ready yet';
  return err.message;
}

const RUN_BATCH = 50;

/** The compliance.anonymize job: works through the run's pending conversations; a crash resumes where it stopped. */
export async function runAnonymization(ctx: AppContext, runId: string, progress: (done: number, total: number) => void) {
  const run = await repo.runById(ctx.db, runId);
  if (!run || run.status === 'done' || run.status === 'failed') return { skipped: true };
  const actor = run.requested_by ? await actorFor(ctx, run.requested_by, { ip: null, application: 'system' }) : null;
  const stored = ctx.adapter.fromJson<{ parts: AnonymizationPart[]; customFieldIds: string[] }>(run.parts);
  const fail = async (error: string) => {
    await repo.updateRun(ctx.db, runId, { status: 'failed', error, finished_at: nowIso() });
    return { failed: error };
  };
  if (!actor || actor.tenantId !== run.tenant_id) return fail('The requester no longer exists or is disabled');
  if (!actor.permissions.has('conversations.anonymize')) return fail('The requester may no longer anonymize conversations');
  await repo.updateRun(ctx.db, runId, { status: 'running' });
  const opts: AnonymizeOptions = { parts: stored.parts, customFieldIds: stored.customFieldIds, audio: run.audio as AudioChoice };
  const total = Number(run.total);
  let done = Number(run.done);
  for (;;) {
    const batch = await repo.pendingItems(ctx.db, runId, RUN_BATCH);
    if (batch.length === 0) break;
    for (const { conversation_id: id } of batch) {
      let outcome: { status: 'anonymized' | 'skipped'; reason: string | null };
      try {
        outcome = await inTransaction(ctx.db, async (uow) => {
          await anonymizeInUow(ctx, uow, actor, id, opts);
          await repo.setItem(uow.tx, runId, id, 'anonymized', null);
          await repo.countItem(uow.tx, runId, 'anonymized');
          return { status: 'anonymized' as const, reason: null };
        });
        await indexConversation(ctx, id).catch(() => {}); // the queued search.index job retries
      } catch (err) {
        const reason = skipReason(err);
        if (reason === null) throw err; // not about this conversation: the job retries and resumes here
        await inTransaction(ctx.db, async ({ tx }) => {
          await repo.setItem(tx, runId, id, 'skipped', reason);
          await repo.countItem(tx, runId, 'skipped');
        });
        outcome = { status: 'skipped', reason };
      }
      void outcome;
      done++;
    }
    progress(done, total);
  }
  const final = await repo.runById(ctx.db, runId);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateRun(tx, runId, { status: 'done', finished_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: run.tenant_id,
        initiator: initiatorOf(actor),
        resourceType: 'anonymization',
        resourceId: runId,
        action: 'ANONYMIZATION_DONE',
        details: `Anonymization finished: ${final?.anonymized ?? 0} anonymized, ${final?.skipped ?? 0} skipped (protected or not possible) of ${total}`,
      },
      tx,
    );
  });
  return { anonymized: Number(final?.anonymized ?? 0), skipped: Number(final?.skipped ?? 0), total };
}
