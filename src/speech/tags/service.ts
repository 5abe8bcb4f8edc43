// Speech tags: phrases an organisation wants to know were said (a competitor's name, "cancel", "this call may be
// recorded"), spotted on every transcript with a confidence, and shown as filters, timeline markers and list icons.
// Spotting runs after each transcription (speech.spot) and over every stored transcript when a tag is created or its
// phrase, language or party changes (speech.respot, with progress).
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import * as convRepo from '../../conversations/repository.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { SpeechTagDefinitionsTable, SpeechTagHitsTable } from '../../platform/db/schema.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { CONFIDENCE_THRESHOLDS } from '../../search/filters/loose-input.ts';
import { confidenceLevel, type ConfidenceLevel } from '../model.ts';
import { currentUtterances } from '../repository.ts';
import * as repo from './repository.ts';
import { NAME_MAX, PHRASE_MAX, type SpeechTag, type SpeechTagCreate, type SpeechTagPatch } from './schemas.ts';
import { phraseTokens, spotTranscript, type SpotDefinition, type SpotParty } from './spotting.ts';

/** Conversations spotted per batch by the re-spotting job (each in its own short transaction). */
export const RESPOT_BATCH = 50;

// Definitions

type Row = SpeechTagDefinitionsTable;
const AUDITED = ['name', 'phrase', 'language', 'party', 'color'] as const;
type Audited = (typeof AUDITED)[number];
const SPOTTED: readonly Audited[] = ['phrase', 'language', 'party'];

const fieldsOf = (r: Row): Record<Audited, string | null> => ({
  name: r.name,
  phrase: r.phrase ?? '',
  language: r.language ?? null,
  party: r.party ?? null,
  color: r.color,
});

async function view(ctx: AppContext, r: Row, counts: Map<string, SpeechTag['conversations']>): Promise<SpeechTag> {
  const job = r.spot_job_id ? await ctx.jobs.get(r.spot_job_id) : undefined;
  return {
    id: r.id,
    name: r.name,
    phrase: r.phrase ?? '',
    language: r.language ?? null,
    party: (r.party ?? null) as SpotParty | null,
    color: r.color,
    conversations: counts.get(r.id) ?? { certainly: 0, probably: 0, maybe: 0 },
    spotting: job
      ? { jobId: job.id, status: job.status, progress: job.progress, note: job.progressNote, error: job.status === 'dead' ? job.lastError : null }
      : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listSpeechTags(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'conversations.view', 'conversations.view_own', 'tags.manage');
  const rows = await repo.listDefinitions(ctx.db, actor.tenantId);
  const counts = await repo.conversationCounts(ctx.db, actor, CONFIDENCE_THRESHOLDS);
  return { items: await Promise.all(rows.map((r) => view(ctx, r, counts))) };
}

/** Definitions are the tenant's (every conversation is spotted for them): changing one is organisation-wide. */
const assertTenantWide = (actor: Actor, change: string) => assertWithinScope(actor, [null], change);

function cleanName(raw: string) {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw invalid('The speech tag needs a name', { reason: 'NAME_REQUIRED', field: 'name' });
  const length = [...name].length;
  if (length > NAME_MAX)
    throw invalid(`A speech tag name may have at most ${NAME_MAX} characters; this one has ${length}`, {
      reason: 'NAME_TOO_LONG',
      field: 'name',
      limit: NAME_MAX,
      length,
    });
  return name;
}

function cleanPhrase(raw: string) {
  const phrase = raw.trim().replace(/\s+/g, ' ');
  if (!phrase) throw invalid('The phrase to spot is required (the words to listen for)', { reason: 'PHRASE_REQUIRED', field: 'phrase' });
  const length = [...phrase].length;
  if (length > PHRASE_MAX)
    throw invalid(`A phrase to spot may have at most ${PHRASE_MAX} characters; this one has ${length}`, {
      reason: 'PHRASE_TOO_LONG',
      field: 'phrase',
      limit: PHRASE_MAX,
      length,
    });
  if (phraseTokens(phrase, null).length === 0)
    throw invalid('The phrase to spot needs at least one word (letters or digits)', { reason: 'PHRASE_NO_WORDS', field: 'phrase' });
  return phrase;
}

async function checkUnique(ctx: AppContext, tenantId: string, name: string, selfId: string | null) {
  const same = await repo.findDefinitionByName(ctx.db, tenantId, name);
  if (same && same.id !== selfId) throw new DomainError('ALREADY_EXISTS', `A speech tag named "${same.name}" already exists`, { field: 'name' });
}

const duplicateName = (ctx: AppContext, name: string) => (e: unknown) => {
  if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A speech tag named "${name}" already exists`, { field: 'name' });
  throw e;
};

const describe = (f: Record<Audited, string | null>) => `“${f.phrase}”${f.party ? `, said by the ${f.party}` : ''}${f.language ? `, in ${f.language}` : ''}`;

/** Queues spotting of these tags over every stored transcript of the tenant, in the caller's unit of work. */
export function queueRespot(ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string, tagIds: string[]) {
  return ctx.jobs.enqueue(uow, 'speech.respot', { tenantId, tagIds }, { tenantId });
}

export async function createSpeechTag(ctx: AppContext, actor: Actor, input: SpeechTagCreate): Promise<SpeechTag> {
  requirePermission(actor, 'tags.manage');
  assertTenantWide(actor, 'Creating a speech tag');
  const name = cleanName(input.name);
  const phrase = cleanPhrase(input.phrase);
  await checkUnique(ctx, actor.tenantId, name, null);
  const now = nowIso();
  const row: Row = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    phrase,
    language: input.language?.toLowerCase() ?? null,
    party: input.party ?? null,
    color: input.color.toLowerCase(),
    spot_job_id: null,
    created_at: now,
    updated_at: now,
  };
  const fields = fieldsOf(row);
  await inTransaction(ctx.db, async (uow) => {
    row.spot_job_id = await queueRespot(ctx, uow, actor.tenantId, [row.id]);
    await repo.insertDefinition(uow.tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'speech_tag',
        resourceId: row.id,
        action: 'SPEECH_TAG_CREATE',
        details: `Created speech tag ${name}: ${describe(fields)}`,
        changes: AUDITED.map((f) => ({ field: f, old: null, new: fields[f] })),
      },
      uow.tx,
    );
  }).catch(duplicateName(ctx, name));
  return view(ctx, row, new Map());
}

export async function updateSpeechTag(ctx: AppContext, actor: Actor, id: string, patch: SpeechTagPatch): Promise<SpeechTag> {
  requirePermission(actor, 'tags.manage');
  const tag = await loadDefinition(ctx, actor, id);
  assertTenantWide(actor, `Changing the speech tag ${tag.name}`);
  const next: Partial<Row> = {};
  if (patch.name !== undefined) next.name = cleanName(patch.name);
  if (patch.phrase !== undefined) next.phrase = cleanPhrase(patch.phrase);
  if (patch.language !== undefined) next.language = patch.language?.toLowerCase() ?? null;
  if (patch.party !== undefined) next.party = patch.party;
  if (patch.color !== undefined) next.color = patch.color.toLowerCase();
  const before = fieldsOf(tag);
  const after = fieldsOf({ ...tag, ...next });
  const changes = AUDITED.filter((f) => before[f] !== after[f]).map((f): FieldChange => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length > 0) {
    if (after.name !== before.name) await checkUnique(ctx, actor.tenantId, after.name!, id);
    const respot = changes.some((c) => SPOTTED.includes(c.field as Audited));
    await inTransaction(ctx.db, async (uow) => {
      const jobId = respot ? await queueRespot(ctx, uow, actor.tenantId, [id]) : undefined;
      await repo.updateDefinition(uow.tx, id, { ...next, ...(jobId ? { spot_job_id: jobId } : {}), updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'speech_tag',
          resourceId: id,
          action: 'SPEECH_TAG_UPDATE',
          details: `Updated speech tag ${tag.name}: ${changes.map((c) => c.field).join(', ')}${respot ? ' (spotted again over stored transcripts)' : ''}`,
          changes,
        },
        uow.tx,
      );
    }).catch(duplicateName(ctx, after.name!));
  }
  const row = (await repo.getDefinition(ctx.db, actor.tenantId, id))!;
  return view(ctx, row, await repo.conversationCounts(ctx.db, actor, CONFIDENCE_THRESHOLDS));
}

export async function deleteSpeechTag(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'tags.manage');
  const tag = await loadDefinition(ctx, actor, id);
  assertTenantWide(actor, `Deleting the speech tag ${tag.name}`);
  const fields = fieldsOf(tag);
  await inTransaction(ctx.db, async ({ tx }) => {
    // Its hits go with it (cascade); a re-spotting job still queued finds no definition and does nothing.
    await repo.deleteDefinition(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'speech_tag',
        resourceId: id,
        action: 'SPEECH_TAG_DELETE',
        details: `Deleted speech tag ${tag.name}: ${describe(fields)}`,
        changes: AUDITED.map((f) => ({ field: f, old: fields[f], new: null })),
      },
      tx,
    );
  });
}

async function loadDefinition(ctx: AppContext, actor: Actor, id: string) {
  const tag = await repo.getDefinition(ctx.db, actor.tenantId, id);
  if (!tag) throw notFound('Speech tag', id);
  return tag;
}

/**
 * The demo tenant's speech tags (by name, idempotent): phrases from its indicator lexicon, some for one side only. No
 * re-spotting is queued: the demo's calls are transcribed after this, and each transcript is spotted when stored.
 */
export const DEMO_SPEECH_TAGS: ReadonlyArray<{ name: string; phrase: string; party: SpotParty | null; color: string }> = [
  { name: 'Cancellation', phrase: 'cancel', party: 'customer', color: '#e03131' },
  { name: 'Competitor: Summit', phrase: 'summit wireless', party: null, color: '#7048e8' },
  { name: 'Manager request', phrase: 'manager', party: 'customer', color: '#d6336c' },
  { name: 'Recording disclosure', phrase: 'this call may be recorded', party: 'agent', color: '#1c7ed6' },
  { name: 'Refund', phrase: 'refund', party: null, color: '#2f9e44' },
  { name: 'Late fee', phrase: 'late fee', party: null, color: '#f59f00' },
  { name: 'Apology', phrase: "I'm sorry", party: 'agent', color: '#1098ad' },
];

export async function ensureDemoSpeechTags(ctx: Pick<AppContext, 'db'>, exec: Executor, tenantId: string) {
  void ctx;
  const now = nowIso();
  for (const t of DEMO_SPEECH_TAGS) {
    if (await repo.findDefinitionByName(exec, tenantId, t.name)) continue;
    await repo.insertDefinition(exec, { id: newId(), tenant_id: tenantId, ...t, language: null, spot_job_id: null, created_at: now, updated_at: now });
  }
}

// Hits

const levelOf = (confidence: number): ConfidenceLevel => confidenceLevel(confidence) ?? 'maybe';

function hitView(h: Awaited<ReturnType<typeof repo.hitsOf>>[number]) {
  const confidence = Number(h.confidence);
  return {
    id: h.id,
    tagId: h.tag_id,
    name: h.name,
    color: h.color,
    phrase: h.phrase ?? '',
    startMs: Number(h.offset_ms ?? 0),
    endMs: h.end_ms === null || h.end_ms === undefined ? null : Number(h.end_ms),
    confidence,
    level: levelOf(confidence),
    utteranceId: h.utterance_id ?? null,
    segmentId: h.segment_id,
    source: h.source ?? 'transcript',
  };
}

/** The speech tag hits on a conversation the actor can see (404 otherwise), for the player's timeline. */
export async function conversationSpeechTags(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'conversations.view', 'conversations.view_own');
  if (!(await convRepo.getVisible(ctx.db, actor, conversationId))) throw notFound('Conversation', conversationId);
  return { items: (await repo.hitsOf(ctx.db, conversationId)).map(hitView) };
}

export const SUMMARY_MAX = 200;

/** Per conversation of a result page: the tags it has hits of, at the best hit's level (for the list's icon). */
export async function speechTagSummary(ctx: AppContext, actor: Actor, conversationIds: string[]) {
  requirePermission(actor, 'conversations.view', 'conversations.view_own');
  const ids = [...new Set(conversationIds.map((s) => s.trim()).filter(Boolean))];
  if (ids.length > SUMMARY_MAX)
    throw invalid(`At most ${SUMMARY_MAX} conversations at a time; ${ids.length} were asked for`, { reason: 'TOO_MANY', limit: SUMMARY_MAX });
  const byConv = new Map<string, Map<string, { tagId: string; name: string; color: string; best: number; hits: number }>>();
  for (const h of await repo.visibleHitsOf(ctx.db, actor, ids)) {
    let tags = byConv.get(h.conversation_id);
    if (!tags) byConv.set(h.conversation_id, (tags = new Map()));
    const t = tags.get(h.tag_id) ?? { tagId: h.tag_id, name: h.name, color: h.color, best: 0, hits: 0 };
    t.best = Math.max(t.best, Number(h.confidence));
    t.hits++;
    tags.set(h.tag_id, t);
  }
  return {
    items: [...byConv].map(([conversationId, tags]) => ({
      conversationId,
      tags: [...tags.values()]
        .sort((a, b) => b.best - a.best || a.name.localeCompare(b.name))
        .map((t) => ({ tagId: t.tagId, name: t.name, color: t.color, level: levelOf(t.best), hits: t.hits })),
    })),
  };
}

// Spotting

const toSpotDefinition = (r: Row): SpotDefinition => ({
  id: r.id,
  phrase: r.phrase ?? '',
  language: r.language ?? null,
  party: (r.party ?? null) as SpotParty | null,
});

/**
 * Spots the tags (all of the tenant's, or those given) on the conversation's current transcript and replaces their hits
 * in one transaction, so the filter and the timeline see the old hits or the new, never a mix. A conversation without
 * a transcript loses the hits of those tags. Returns the number of hits stored.
 */
export async function spotConversation(ctx: AppContext, conversationId: string, tagIds?: string[]): Promise<number> {
  return inTransaction(ctx.db, async ({ tx }) => {
    const conv = await repo.lockConversation(tx, ctx.adapter, conversationId);
    if (!conv) return 0;
    const defs = tagIds ? await repo.definitionsByIds(tx, conv.tenant_id, tagIds) : await repo.listDefinitions(tx, conv.tenant_id);
    if (defs.length === 0) return 0;
    const transcript = await repo.transcriptOf(tx, conversationId);
    const utterances = transcript ? await currentUtterances(tx, ctx.adapter, conversationId) : [];
    const hits = spotTranscript(utterances, defs.map(toSpotDefinition), transcript?.language ?? null);
    const now = nowIso();
    const rows: SpeechTagHitsTable[] = hits.map((h) => ({
      id: newId(),
      conversation_id: conversationId,
      tag_id: h.tagId,
      segment_id: h.segmentId,
      offset_ms: Math.round(h.startMs),
      end_ms: Math.round(h.endMs),
      utterance_id: h.utteranceId,
      source: 'transcript',
      confidence: h.confidence,
      created_at: now,
    }));
    await repo.replaceHits(
      tx,
      conversationId,
      defs.map((d) => d.id),
      rows,
    );
    return rows.length;
  });
}

/**
 * Queues spotting of a conversation whose transcript was just stored, in the caller's unit of work (the transcription
 * job calls this in the transaction that stores the transcript, so spotting sees the new words).
 */
export function queueSpotting(ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string, conversationId: string) {
  return ctx.jobs.enqueue(uow, 'speech.spot', { conversationId }, { tenantId });
}

/**
 * Spots these tags over every conversation of the tenant with a stored transcript, in batches by id (so a large
 * tenant is read a page at a time and a retried job simply starts over), reporting progress.
 */
export async function respotTenant(ctx: AppContext, tenantId: string, tagIds: string[], progress: (done: number, total: number) => void) {
  const live = (await repo.definitionsByIds(ctx.db, tenantId, tagIds)).map((d) => d.id);
  if (live.length === 0) return { conversations: 0, hits: 0 };
  const total = await repo.countTranscribed(ctx.db, tenantId);
  let done = 0;
  let hits = 0;
  let after: string | null = null;
  progress(0, total);
  for (;;) {
    const page = await repo.transcribedConversations(ctx.db, tenantId, after, RESPOT_BATCH);
    if (page.length === 0) break;
    for (const { conversation_id } of page) {
      hits += await spotConversation(ctx, conversation_id, live);
      done++;
    }
    after = page[page.length - 1]!.conversation_id;
    progress(Math.min(done, total), Math.max(total, done));
  }
  return { conversations: done, hits };
}
