// The transcript API: reading a conversation's transcript (redacted unless the reader may hear the original, and an
// unredacted read audited), asking for one conversation or many to be transcribed again, the engines' availability
// for the Settings screen, and the speech part of /api/health.
import type { AppContext } from '../context.ts';
import { can, initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import { loadVisible } from '../conversations/service.ts';
import { startConversationPipeline } from '../conversations/pipeline.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { readSettings } from '../settings/model.ts';
import { currentTranscript, currentUtterances } from './repository.ts';
import type { SpeechStatus, TranscriptWord } from './model.ts';
import { redactWords } from './text/redact.ts';
import * as repo from './transcribe/repository.ts';
import { engineStatus, NO_ENGINE } from './engines/registry.ts';

export const NO_ENGINE_REASON = NO_ENGINE;

/** The speech state a conversation shows: stored, or "none" for one never queued (chats, emails, calls from before). */
export type ShownSpeechStatus = SpeechStatus | 'none';

export function shownStatus(row: { speech_status?: string | null }): ShownSpeechStatus {
  return (row.speech_status as SpeechStatus | null | undefined) ?? 'none';
}

function requireTranscriptReader(actor: Actor) {
  if (!can(actor, 'media.play_redacted') && !can(actor, 'media.play_unredacted'))
    throw forbidden('Reading a transcript needs the permission "media.play_redacted" or "media.play_unredacted"');
}

/**
 * The current transcript of a conversation. Readers without "media.play_unredacted" (or asking for the redacted
 * view) get the redacted text and, inside each PII span, one placeholder word instead of the words: never the
 * original. An unredacted read of a transcript with words is audited on the conversation.
 */
export async function getTranscript(ctx: AppContext, actor: Actor, conversationId: string, opts: { redacted?: boolean } = {}) {
  requireTranscriptReader(actor);
  const conv = await loadVisible(ctx, actor, conversationId);
  const unredacted = can(actor, 'media.play_unredacted') && opts.redacted !== true;
  const [t, utterances] = await Promise.all([currentTranscript(ctx.db, conversationId), currentUtterances(ctx.db, ctx.adapter, conversationId)]);
  const spans = utterances.reduce((n, u) => n + u.pii.length, 0);
  if (unredacted && t && utterances.length > 0) {
    await ctx.audit.append({
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'conversation',
      resourceId: conversationId,
      action: 'TRANSCRIPT_VIEW_UNREDACTED',
      details: `Viewed the unredacted transcript (${utterances.length} utterances, ${spans} PII span(s) shown)`,
    });
  }
  return {
    conversationId,
    status: shownStatus(conv),
    reason: conv.speech_reason ?? null,
    engine: t?.engine ?? null,
    language: t?.language ?? null,
    createdAt: t?.created_at ?? null,
    redacted: !unredacted,
    utterances: utterances.map((u) => {
      const words: TranscriptWord[] = unredacted ? u.words : redactWords(u.words, u.pii);
      return {
        id: u.id,
        role: u.role,
        partyKey: u.partyKey,
        segmentId: u.segmentId,
        startMs: u.startMs,
        endMs: u.endMs,
        text: unredacted ? u.displayText : u.redactedText,
        confidence: u.confidence,
        words: words.map((w) => ({ w: w.w, s: w.s, e: w.e, c: w.c, ...(w.a ? { a: true } : {}) })),
        redacted: !unredacted && u.pii.length > 0,
        pii: unredacted ? u.pii.map((p) => ({ type: p.type, firstWord: p.firstWord, lastWord: p.lastWord })) : [],
      };
    }),
  };
}

/** Queues the pipeline of one call from speech.transcribe (then indexing); audited. */
export async function requestTranscription(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'media.reprocess');
  const conv = await loadVisible(ctx, actor, conversationId);
  if (!conv.has_call) throw notFound('Call audio of conversation', conversationId);
  const jobId = await inTransaction(ctx.db, async (uow) => {
    await repo.markPending(uow.tx, [conversationId], 'Transcription requested');
    const id = await startConversationPipeline(ctx, uow, actor.tenantId, { conversationId, hasAudio: true }, { from: 'speech.transcribe' });
    if (!id) throw new Error('speech.transcribe is not registered');
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: 'SPEECH_RETRANSCRIBE',
        details: 'Started the transcription again',
      },
      uow.tx,
    );
    return id;
  });
  return { jobId };
}

/** Queues a job that re-transcribes what a saved search finds, or every call (tenant-wide scope only); audited. */
export async function requestRetranscription(ctx: AppContext, actor: Actor, savedSearchId: string | null) {
  requirePermission(actor, 'media.reprocess');
  if (savedSearchId) {
    const saved = await repo.savedSearch(ctx.db, actor.tenantId, savedSearchId);
    if (!saved || saved.deleted_at || (saved.owner_id !== actor.userId && !saved.protected)) throw notFound('Saved search', savedSearchId);
  } else if (!actor.scope.all) {
    throw forbidden('Transcribing every conversation again needs a tenant-wide scope; pick a saved search instead');
  }
  const jobId = await inTransaction(ctx.db, async (uow) => {
    const id = await ctx.jobs.enqueue(
      uow,
      'speech.retranscribe',
      { tenantId: actor.tenantId, userId: actor.userId, savedSearchId },
      { tenantId: actor.tenantId },
    );
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'speech',
        resourceId: savedSearchId,
        action: 'SPEECH_RETRANSCRIBE',
        details: savedSearchId ? `Started transcribing again what saved search ${savedSearchId} finds` : 'Started transcribing every call again',
      },
      uow.tx,
    );
    return id;
  });
  return { jobId };
}

export interface EngineView {
  id: string;
  label: string;
  available: boolean;
  reason: string | null;
}

async function engines(ctx: AppContext): Promise<EngineView[]> {
  return (await engineStatus(ctx)).map((e) => ({ id: e.id, label: e.label, available: e.available, reason: e.available ? null : (e.reason ?? null) }));
}

/** The engines, whether each can run here, and which one the tenant's settings pick now (Settings screen). */
export async function speechEngines(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'settings.manage');
  const tenant = await repo.tenantOf(ctx.db, actor.tenantId);
  const settings = readSettings(ctx.adapter.fromJson(tenant?.settings));
  const list = await engines(ctx);
  return { engines: list, selected: settings.speechEngine, anyAvailable: list.some((e) => e.available) };
}

const COUNTS_TTL_MS = 60_000;
const countsCache = new WeakMap<object, { at: number; counts: Record<string, number> }>();

/**
 * The speech part of /api/health. No engine is reported with its reason but does not make the process "degraded":
 * degraded means users would notice a process that is slow or stuck (a load balancer keeps routing to it), while a
 * server without an engine is a configuration an operator may well have chosen; it shows on every call instead.
 */
export async function speechHealth(ctx: AppContext) {
  const list = await engines(ctx);
  let cached = countsCache.get(ctx);
  if (!cached || Date.now() - cached.at > COUNTS_TTL_MS) {
    cached = { at: Date.now(), counts: await repo.speechStatusCounts(ctx.db) };
    countsCache.set(ctx, cached);
  }
  const available = list.filter((e) => e.available);
  return {
    ok: available.length > 0,
    message: available.length > 0 ? null : NO_ENGINE_REASON,
    details: {
      engines: list,
      conversations: { pending: cached.counts.pending ?? 0, failed: cached.counts.failed ?? 0, noEngine: cached.counts.no_engine ?? 0 },
    },
  };
}
