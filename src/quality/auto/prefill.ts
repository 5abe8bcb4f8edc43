// The automated pre-fill of an evaluation: every question with an auto rule gets a proposal (rules.ts) from what is
// known of the conversation — its lines (the transcript's redacted text, chat messages, e-mails: what insights read),
// the media analysis's silences and holds, and the stored insights (talk-to-listen, per-line sentiment). Evaluations
// call it when a review is opened; the pre-fill job calls it for a saved search's open evaluations. Reads only.
import type { AppContext } from '../../context.ts';
import { indicatorDefinitions, tenantLanguage } from '../../analytics/indicators/analysis.ts';
import type { InsightDetails, InsightLine } from '../../analytics/insights/model.ts';
import { loadLines } from '../../analytics/insights/service.ts';
import type { Executor } from '../../platform/db/index.ts';
import { notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { questionsOf, type Prefill, type ScorecardDefinition } from '../model.ts';
import * as repo from './repository.ts';
import { propose, unavailable, type AutoData, type Unavailable } from './rules.ts';

function transcriptState(status: string | null | undefined, reason: string | null | undefined): Unavailable | null {
  switch (status) {
    case 'ready':
      return null;
    case 'no_engine':
      return unavailable('no_speech_engine', 'No speech-to-text engine is set up, so the call has no transcript');
    case 'failed':
      return unavailable('transcription_failed', `The transcription failed${reason ? `: ${reason}` : ''}`);
    case 'no_speech':
      return unavailable('no_speech', 'No speech was recognised in the recording');
    default:
      return unavailable('transcript_pending', 'The transcript is not ready yet');
  }
}

function mediaState(status: string | null | undefined, partialOk: boolean, what: string): Unavailable | null {
  if (status === 'ready' || (status === 'partial' && partialOk)) return null;
  if (status === 'partial') return unavailable('media_partial', `Part of the audio could not be analysed, so ${what} are not known`);
  if (status === 'no_audio') return unavailable('no_audio', 'The call has no audio that could be analysed');
  return unavailable('media_pending', 'The audio has not been analysed yet');
}

/**
 * Proposals for the questions of `def` that carry an auto rule, for `agentUserId` in the conversation. `db` lets a
 * caller inside a transaction read through it (SQLite has one connection).
 */
export async function prefillEvaluation(
  ctx: AppContext,
  tenantId: string,
  conversationId: string,
  agentUserId: string,
  def: ScorecardDefinition,
  db: Executor = ctx.db,
): Promise<Prefill> {
  const ruled = questionsOf(def)
    .map((q) => q.question)
    .filter((q) => q.autoRule);
  if (ruled.length === 0) return { computedAt: nowIso(), proposals: [] };
  const conv = await repo.conversationState(db, tenantId, conversationId);
  if (!conv) throw notFound('Conversation', conversationId);
  const kinds = new Set(ruled.map((q) => q.autoRule!.kind));
  const indicatorIds = [...new Set(ruled.flatMap((q) => (q.autoRule!.kind === 'phrase' && q.autoRule!.indicatorId ? [q.autoRule!.indicatorId] : [])))];
  const needsText = kinds.has('phrase') || kinds.has('sentiment_end');
  const isCall = conv.has_call === 1 || (conv.has_call as unknown) === true;

  const [loaded, language, indicators, events, insights] = await Promise.all([
    needsText ? loadLines(ctx, db, conversationId) : undefined,
    needsText ? tenantLanguage(ctx, db, tenantId) : undefined,
    indicatorIds.length ? indicatorDefinitions(db, tenantId, indicatorIds) : [],
    kinds.has('silence_count') || kinds.has('hold_count') ? repo.speechEventsOf(db, conversationId, ['silence', 'hold']) : [],
    kinds.has('talk_listen') || kinds.has('sentiment_end') ? repo.insightsOf(db, conversationId) : undefined,
  ]);
  const durationMs = Math.max(0, Date.parse(conv.ended_at) - Date.parse(conv.started_at));
  const lines = loaded?.lines ?? [];

  // Text: a call is read from its transcript, which must be there; a chat or an e-mail from its messages.
  const noTranscript = isCall ? transcriptState(conv.speech_status, conv.speech_reason) : null;
  const text: AutoData['text'] =
    noTranscript ?? (lines.length === 0 && !isCall ? unavailable('no_text', 'The conversation has no transcript or messages') : { lines, language: language! });

  // In a transferred call, the evaluated agent's lines are those of their own party.
  const userOfParty = loaded?.userOfParty ?? (() => null);
  const ownParties = new Set(lines.filter((l) => l.role === 'agent' && l.party && userOfParty(l.party) === agentUserId).map((l) => l.party!));
  const isOwnAgentLine = (l: InsightLine) => ownParties.size === 0 || (l.party !== undefined && l.party !== null && ownParties.has(l.party));

  const timed = (type: string) => events.filter((e) => e.type === type).map((e) => ({ startMs: Number(e.start_ms), endMs: Number(e.end_ms) }));
  const details = insights ? ctx.adapter.fromJson<InsightDetails | null>(insights.details) : null;
  const noInsights: Unavailable | null = !insights
    ? unavailable('no_insights', "The conversation's insights have not been computed yet")
    : insights.status !== 'done'
      ? unavailable('insights_failed', `The conversation's analysis failed${insights.error ? `: ${insights.error}` : ''}`)
      : null;

  let talkListen: AutoData['talkListen'] = noInsights ?? unavailable('no_talk_ratio', 'The agent or the customer did not speak, so there is no ratio');
  if (!noInsights) {
    const summary = details?.agent?.kind === 'call' ? details.agent : null;
    const mine = summary?.byAgent?.find((a) => a.userId === agentUserId);
    const ratio = summary?.byAgent ? (mine?.talkListenRatio ?? null) : insights!.talk_listen_ratio === null ? null : Number(insights!.talk_listen_ratio);
    if (ratio !== null) talkListen = ratio;
    else if (summary?.byAgent && !mine) talkListen = unavailable('no_talk_ratio', "The agent's own talk time is not known in this transferred call");
  }

  let sentiment: AutoData['sentiment'];
  if (noInsights) sentiment = noInsights;
  else if (details?.sentiment.status === 'done')
    sentiment = details.sentiment.points.map((p) => ({ lineId: p.lineId, role: p.role, atMs: p.atMs, score: p.score }));
  else if ('code' in text) sentiment = text;
  else if (details?.sentiment.status === 'unsupported_language')
    sentiment = unavailable('sentiment_unavailable', "Sentiment is not scored in the conversation's language");
  else sentiment = unavailable('sentiment_unavailable', 'Nothing was said or written to score');

  const data: AutoData = {
    isCall,
    durationMs,
    text,
    isOwnAgentLine,
    indicators: new Map(indicators.map((d) => [d.id, d])),
    silences: mediaState(conv.media_status, false, 'silences') ?? timed('silence'),
    holds: mediaState(conv.media_status, true, 'holds') ?? timed('hold'),
    talkListen,
    sentiment,
  };
  return { computedAt: nowIso(), proposals: ruled.map((q) => propose(q, data)) };
}
