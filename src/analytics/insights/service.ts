// Conversation insights: the analytics.insights job's work (load a conversation's lines, analyse them, optionally ask
// the chat endpoint, store one conversation_insights row, run the other line analysers), reading them back for a
// viewer, and the tenant-wide re-run. The analysis itself is analyse.ts (no database).
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { loadVisible } from '../../conversations/service.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { forbidden } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { readSettings } from '../../settings/model.ts';
import { PII_TYPES, type PiiType } from '../../speech/model.ts';
import { redactText } from '../../speech/redaction/text.ts';
import { textRedactorFor } from '../../speech/redaction/service.ts';
import { currentUtterances } from '../../speech/repository.ts';
import { analyse, ANALYSER_VERSION, type Analysis } from './analyse.ts';
import { LINE_ANALYSERS, type LineAnalyserSubject } from './analysers.ts';
import { emailLineText } from './email-text.ts';
import { askLlm } from './llm.ts';
import type { InsightDetails, InsightLine, SentimentLabel } from './model.ts';
import * as repo from './repository.ts';

/** Conversations analysed per page by the tenant-wide re-run (each in its own transactions). */
export const REANALYSE_BATCH = 50;

export interface LoadedConversation {
  subject: LineAnalyserSubject;
  lines: InsightLine[];
  language: string | null;
  durationMs: number;
  breaks: Array<{ startMs: number; endMs: number }>;
  voice: Array<{ startMs: number; endMs: number; role: InsightLine['role']; party: string | null }>;
  userOfParty: (party: string) => string | null;
}

const ms = (iso: string) => Date.parse(iso);

/**
 * A conversation's lines, in order: a call's current transcript (the redacted text: recognised PII is never
 * analysed or quoted), then its chat messages and e-mails (their text with the tenant's PII types replaced, so what
 * insights quote reads the same to every viewer). Undefined when the conversation no longer exists.
 */
export async function loadLines(ctx: AppContext, db: Executor, conversationId: string): Promise<LoadedConversation | undefined> {
  const conv = await repo.conversationOf(db, conversationId);
  if (!conv) return undefined;
  const start = ms(conv.started_at);
  const settings = readSettings(ctx.adapter.fromJson(conv.tenant_settings));
  const piiTypes = settings.piiTypes.filter((x): x is PiiType => (PII_TYPES as readonly string[]).includes(x));
  const redact = (text: string) => redactText(text, piiTypes);

  const [utterances, transcript, chats, emails, participants, breaks, voiceActivity] = await Promise.all([
    currentUtterances(db, ctx.adapter, conversationId),
    repo.transcriptLanguage(db, conversationId),
    repo.chatMessagesOf(db, conversationId),
    repo.emailsOf(db, conversationId),
    repo.participantsOf(db, conversationId),
    repo.breaksOf(db, conversationId),
    repo.voiceActivityOf(db, conversationId),
  ]);
  const lines: InsightLine[] = utterances.map((u) => ({
    id: u.id,
    kind: 'utterance',
    segmentId: u.segmentId,
    role: u.role === 'agent' || u.role === 'customer' ? u.role : 'unknown',
    startMs: u.startMs,
    endMs: u.endMs,
    text: u.redactedText,
    words: u.words.length,
    party: u.partyKey,
  }));
  const roleOf = (r: string): InsightLine['role'] => (r === 'agent' || r === 'customer' ? r : 'unknown');
  for (const m of chats) {
    const at = ms(m.sent_at) - start;
    lines.push({
      id: m.id,
      kind: 'chat_message',
      segmentId: m.segment_id,
      role: roleOf(m.sender_role),
      startMs: at,
      endMs: at,
      text: redact(m.text),
      party: m.sender_key,
    });
  }
  const roleByAddress = new Map(participants.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), roleOf(p.role)]));
  for (const e of emails) {
    const at = ms(e.sent_at ?? e.started_at) - start;
    // The sender's own words only: the quoted thread of a reply is someone else's (email-text.ts).
    const body = emailLineText(e.subject, e.body_text);
    lines.push({
      id: e.segment_id,
      kind: 'email',
      segmentId: e.segment_id,
      role: roleByAddress.get(e.from_address.toLowerCase()) ?? 'unknown',
      startMs: at,
      endMs: at,
      text: redact(body),
    });
  }
  if (chats.length || emails.length) lines.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
  return {
    subject: { tenantId: conv.tenant_id, conversationId, startedAt: conv.started_at },
    lines,
    language: transcript?.language ?? conv.tenant_language ?? null,
    durationMs: Math.max(0, ms(conv.ended_at) - start),
    breaks: breaks.map((b) => ({ startMs: Number(b.start_ms), endMs: Number(b.end_ms) })),
    userOfParty: (party) => participants.find((p) => p.party_key === party)?.user_id ?? null,
    // Read only when there is nothing to read: a call whose transcription failed or has not run.
    voice:
      lines.length === 0
        ? voiceActivity.flatMap((v) => {
            const role = roleOf(participants.find((p) => p.party_key === v.party_key)?.role ?? '');
            return ctx.adapter.fromJson<Array<[number, number]>>(v.speech).map(([startMs, endMs]) => ({ startMs, endMs, role, party: v.party_key }));
          })
        : [],
  };
}

function row(subject: LineAnalyserSubject, a: Analysis, status: 'done' | 'failed', error: string | null) {
  const s = a.scores;
  return {
    conversation_id: subject.conversationId,
    tenant_id: subject.tenantId,
    status,
    error,
    language: a.details.language,
    sentiment_score: s.sentimentScore,
    sentiment_label: s.sentimentLabel,
    engagement_score: s.engagementScore,
    talk_listen_ratio: s.talkListenRatio,
    words_per_minute: s.wordsPerMinute,
    fillers_per_minute: s.fillersPerMinute,
    longest_monologue_ms: s.longestMonologueMs,
    avg_response_ms: s.avgResponseMs,
    details: a.details,
    computed_at: nowIso(),
    analyser_version: ANALYSER_VERSION,
  };
}

export interface AnalyseOptions {
  signal?: AbortSignal;
}

/**
 * Analyses one conversation and replaces its stored insights (idempotent). The chat endpoint, when configured, is
 * asked outside any transaction; its failure is recorded, never fatal. Every line analyser (indicators, topics…) then
 * replaces its own results in a transaction of its own; one that fails is recorded in the insights and the job fails
 * (so it is retried) after the others ran.
 */
export async function analyseConversation(ctx: AppContext, conversationId: string, opts: AnalyseOptions = {}) {
  const loaded = await loadLines(ctx, ctx.db, conversationId);
  if (!loaded) return { skipped: 'conversation no longer exists' };
  const analysis = analyse(loaded);
  const llm = ctx.config.insightsLlm;
  if (llm && loaded.lines.length) {
    try {
      const r = await askLlm(llm, loaded.lines, opts.signal);
      analysis.details.summary = r.summary;
      const known = new Set(analysis.details.nextSteps.map((n) => n.lineId));
      analysis.details.nextSteps.push(...r.nextSteps.filter((n) => !known.has(n.lineId)));
      analysis.details.llm = { status: 'done', model: llm.model };
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      analysis.details.llm = { status: 'failed', model: llm.model, error: describe(err) };
    }
  } else if (llm) analysis.details.llm = { status: 'skipped', model: llm.model };

  const stored = await inTransaction(ctx.db, async ({ tx }) => {
    if (!(await repo.lockConversation(tx, ctx.adapter, conversationId))) return false;
    await repo.replaceInsights(tx, ctx.adapter, row(loaded.subject, analysis, 'done', null));
    return true;
  });
  if (!stored) return { skipped: 'conversation no longer exists' };

  const outcomes: InsightDetails['analysers'] = [];
  for (const analyser of LINE_ANALYSERS) {
    try {
      await inTransaction(ctx.db, ({ tx }) => analyser.run(ctx, tx, loaded.subject, loaded.lines));
      outcomes.push({ name: analyser.name, status: 'done' });
    } catch (err) {
      outcomes.push({ name: analyser.name, status: 'failed', error: describe(err) });
    }
  }
  analysis.details.analysers = outcomes;
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (outcomes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      if (await repo.lockConversation(tx, ctx.adapter, conversationId))
        await repo.replaceInsights(
          tx,
          ctx.adapter,
          row(loaded.subject, analysis, 'done', failed.length ? failed.map((f) => `${f.name}: ${f.error}`).join('; ') : null),
        );
    });
  }
  if (failed.length) throw new Error(`Line analysers failed: ${failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
  await inTransaction(ctx.db, (uow) =>
    publishEvent(ctx, uow, loaded.subject.tenantId, 'insights.ready', {
      conversationId,
      sentimentScore: analysis.scores.sentimentScore,
      engagementScore: analysis.scores.engagementScore,
    }),
  );
  return {
    lines: loaded.lines.length,
    sentiment: analysis.scores.sentimentScore,
    engagement: analysis.scores.engagementScore,
    llm: analysis.details.llm.status,
  };
}

/** The last attempt of the job failed: the conversation says so instead of showing nothing. */
export async function markFailed(ctx: AppContext, conversationId: string, err: unknown) {
  await inTransaction(ctx.db, async ({ tx }) => {
    const conv = await repo.conversationOf(tx, conversationId);
    if (!conv || !(await repo.lockConversation(tx, ctx.adapter, conversationId))) return;
    const empty = analyse({ lines: [], language: null, durationMs: 0 });
    await repo.replaceInsights(tx, ctx.adapter, row({ tenantId: conv.tenant_id, conversationId, startedAt: conv.started_at }, empty, 'failed', describe(err)));
  });
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

// Reading

export interface InsightsView {
  conversationId: string;
  /** none: not analysed yet (the job is queued or the conversation predates insights). */
  status: 'none' | 'done' | 'failed';
  error: string | null;
  computedAt: string | null;
  analyserVersion: number | null;
  language: string | null;
  sentimentScore: number | null;
  sentimentLabel: SentimentLabel | null;
  engagementScore: number | null;
  talkListenRatio: number | null;
  wordsPerMinute: number | null;
  fillersPerMinute: number | null;
  longestMonologueMs: number | null;
  avgResponseMs: number | null;
  details: InsightDetails | null;
}

/** A conversation's insights for whoever may see the conversation (404 otherwise, as for the conversation itself). */
export async function getInsights(ctx: AppContext, actor: Actor, conversationId: string): Promise<InsightsView> {
  await loadVisible(ctx, actor, conversationId);
  const r = await repo.insightsOf(ctx.db, conversationId);
  const details = r ? ctx.adapter.fromJson<InsightDetails>(r.details) : null;
  // Quotes were redacted when stored; the tenant's PII types may have grown since (a re-run catches up later).
  if (details) {
    const pii = await textRedactorFor(ctx, actor);
    if (pii.redacting) {
      for (const x of [...details.nextSteps, ...details.questions, ...details.goodQuestions]) x.text = pii.redact(x.text);
      if (details.summary) details.summary = pii.redact(details.summary);
    }
  }
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    conversationId,
    status: (r?.status as 'done' | 'failed' | undefined) ?? 'none',
    error: r?.error ?? null,
    computedAt: r?.computed_at ?? null,
    analyserVersion: r ? Number(r.analyser_version) : null,
    language: r?.language ?? null,
    sentimentScore: num(r?.sentiment_score),
    sentimentLabel: (r?.sentiment_label as SentimentLabel | null | undefined) ?? null,
    engagementScore: num(r?.engagement_score),
    talkListenRatio: num(r?.talk_listen_ratio),
    wordsPerMinute: num(r?.words_per_minute),
    fillersPerMinute: num(r?.fillers_per_minute),
    longestMonologueMs: num(r?.longest_monologue_ms),
    avgResponseMs: num(r?.avg_response_ms),
    details,
  };
}

// The tenant-wide re-run

/** Queues the job that analyses every conversation of the tenant again (insights.manage, tenant-wide scope); audited. */
export async function requestReanalysis(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'insights.manage');
  if (!actor.scope.all) throw forbidden('Analysing every conversation again needs a tenant-wide scope');
  // A full re-run already waiting or running covers this request: its job is the answer, not a second pass.
  const pending = (await repo.pendingReanalyses(ctx.db, actor.tenantId)).find((j) => !ctx.adapter.fromJson<{ onlyMissing?: boolean }>(j.payload)?.onlyMissing);
  if (pending) return { jobId: pending.id };
  const jobId = await inTransaction(ctx.db, async (uow) => {
    const id = await ctx.jobs.enqueue(uow, 'analytics.reanalyze', { tenantId: actor.tenantId }, { tenantId: actor.tenantId });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'insights',
        resourceId: null,
        action: 'INSIGHTS_REANALYZE',
        details: 'Started analysing every conversation again (sentiment, engagement, agent summary, next steps, indicators, topics)',
      },
      uow.tx,
    );
    return id;
  });
  return { jobId };
}

/**
 * At start-up (FEATURES.tenantCreated): a tenant whose conversations were all stored before insights existed (an
 * upgraded database, a demo seeded by an older version) gets one background re-run of the conversations without them.
 */
export async function backfillInsights(ctx: AppContext, tx: Tx, tenantId: string) {
  if (!(await repo.predatesInsights(tx, tenantId)) || (await repo.pendingReanalyses(tx, tenantId)).length) return;
  await ctx.jobs.enqueue(tx, 'analytics.reanalyze', { tenantId, onlyMissing: true }, { tenantId });
}

/**
 * Every conversation of a tenant (or, `onlyMissing`, those without insights), page by page in id order, with
 * progress; a conversation that fails is counted and skipped.
 */
export async function reanalyseTenant(
  ctx: AppContext,
  tenantId: string,
  progress: (done: number, total: number) => void,
  signal?: AbortSignal,
  onlyMissing = false,
) {
  const total = await repo.countConversations(ctx.db, tenantId, onlyMissing);
  let done = 0;
  let failed = 0;
  let after: string | null = null;
  progress(0, total);
  for (;;) {
    const ids = await repo.conversationsAfter(ctx.db, tenantId, after, REANALYSE_BATCH, onlyMissing);
    if (ids.length === 0) break;
    for (const id of ids) {
      signal?.throwIfAborted();
      try {
        await analyseConversation(ctx, id, { signal });
      } catch (err) {
        if (signal?.aborted) throw err;
        failed++;
        ctx.log.warn({ err, conversationId: id }, 'insights re-run: a conversation failed');
      }
      done++;
    }
    after = ids[ids.length - 1]!;
    progress(Math.min(done, total), Math.max(total, done));
  }
  return { conversations: done, failed };
}
