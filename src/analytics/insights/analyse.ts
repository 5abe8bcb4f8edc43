// The offline analysis of one conversation's lines, without the database: sentiment, engagement, the agent summary,
// next steps and questions. The job (service.ts) loads the lines, calls this, optionally asks the chat endpoint for a
// summary, and stores the result; the accuracy test calls it on the corpus ground truth.
import type { InsightDetails, InsightLine } from './model.ts';
import { rulesFor, SENTIMENT_LANGUAGES } from './languages.ts';
import { conversationSentiment } from './sentiment.ts';
import { byAgent, callSummary, chatSummary, engagement, type Interval } from './metrics.ts';
import { findNextStepsAndQuestions } from './next-steps.ts';

/** Bump when a rule or formula changes the results, so stored rows say which rules made them. */
export const ANALYSER_VERSION = 2;

export interface AnalyseInput {
  lines: readonly InsightLine[];
  /** The transcript's language for calls, the tenant's for text. */
  language: string | null;
  /** The conversation's length, for speaker changes per minute. */
  durationMs: number;
  /** Holds and transfers: a response time never spans one. */
  breaks?: readonly Interval[];
  /**
   * A call without a transcript: each party's voice activity from the media analysis, so the talk metrics and
   * engagement are still there (no words: words and fillers per minute stay null).
   */
  voice?: ReadonlyArray<Interval & { role: InsightLine['role']; party?: string | null }>;
  /** The user behind an agent party, for the per-agent summary of a transferred call. */
  userOfParty?: (party: string) => string | null;
}

/** The scalar columns of conversation_insights. */
export interface InsightScores {
  sentimentScore: number | null;
  sentimentLabel: InsightDetails['sentiment']['label'];
  engagementScore: number | null;
  talkListenRatio: number | null;
  wordsPerMinute: number | null;
  fillersPerMinute: number | null;
  longestMonologueMs: number | null;
  avgResponseMs: number | null;
}

export interface Analysis {
  scores: InsightScores;
  details: InsightDetails;
}

export function analyse(input: AnalyseInput): Analysis {
  const lines = input.lines.filter((l) => l.text.trim());
  const rules = rulesFor(input.language);
  const voice = lines.length === 0 && input.voice?.some((v) => v.role !== 'unknown') ? input.voice : null;
  const channel: InsightDetails['channel'] = voice ? 'call' : lines.length === 0 ? 'none' : lines.some((l) => l.kind === 'utterance') ? 'call' : 'text';
  const metricsSource: InsightDetails['metricsSource'] = voice ? 'voice_activity' : channel === 'call' ? 'transcript' : channel === 'text' ? 'messages' : null;
  const base = input.language?.toLowerCase().split(/[-_]/)[0] ?? null;

  let sentiment: InsightDetails['sentiment'] = { status: 'no_text', score: null, label: null, lines: [], points: [], sections: [], cues: [] };
  if (lines.length && (!rules || !base || !SENTIMENT_LANGUAGES.includes(base))) sentiment = { ...sentiment, status: 'unsupported_language' };
  else if (lines.length && rules) {
    const s = conversationSentiment(lines, rules)!;
    sentiment = { status: 'done', score: s.score, label: s.label, lines: s.lines, points: s.points, sections: s.sections, cues: s.cues };
  }

  const calls: InsightLine[] = voice
    ? [...voice]
        .sort((a, b) => a.startMs - b.startMs)
        .map((v, i) => ({
          id: `voice-${i + 1}`,
          kind: 'utterance',
          segmentId: null,
          role: v.role,
          party: v.party ?? null,
          startMs: v.startMs,
          endMs: v.endMs,
          text: '',
          words: 0,
        }))
    : lines.filter((l) => l.kind === 'utterance');
  const summary = channel === 'call' ? callSummary(calls, voice ? undefined : rules, input.breaks ?? []) : channel === 'text' ? chatSummary(lines) : null;
  if (summary?.kind === 'call') {
    const agents = byAgent(calls, voice ? undefined : rules, input.breaks ?? [], input.userOfParty);
    if (agents) summary.byAgent = agents;
    // Voice activity has no words: no talking speed rather than zero.
    if (voice) for (const s of [summary, ...(agents ?? [])]) s.wordsPerMinute = null;
  }
  const eng = summary ? engagement(summary, input.durationMs) : null;

  const found = rules && lines.length ? findNextStepsAndQuestions(lines, rules) : { nextSteps: [], questions: [] };
  const goodQuestions = found.questions
    .filter((q) => q.role === 'agent' && q.open)
    .map(({ lineId, startMs, range, text }) => ({ lineId, startMs, range, text }));

  const details: InsightDetails = {
    channel,
    metricsSource,
    language: input.language,
    lineCount: lines.length,
    sentiment,
    engagement: eng,
    agent: summary,
    nextSteps: found.nextSteps,
    questions: found.questions,
    goodQuestions,
    summary: null,
    llm: { status: 'off' },
    rulesStatus: lines.length === 0 ? 'no_text' : rules ? 'done' : 'unsupported_language',
    analysers: [],
  };
  const call = summary?.kind === 'call' ? summary : null;
  return {
    scores: {
      sentimentScore: sentiment.score,
      sentimentLabel: sentiment.label,
      engagementScore: eng?.score ?? null,
      talkListenRatio: call?.talkListenRatio ?? null,
      wordsPerMinute: call?.wordsPerMinute ?? null,
      fillersPerMinute: call?.fillersPerMinute ?? null,
      longestMonologueMs: call?.longestMonologue?.durationMs ?? null,
      avgResponseMs: summary?.avgResponseMs ?? null,
    },
    details,
  };
}
