// HTTP schemas of conversation insights (validation, response serialisation and the OpenAPI document in one place).
import { Type } from 'typebox';
import { Nullable, Timestamp } from '../../platform/http/schemas.ts';

const Role = Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('unknown')]);
const Label = Type.Union([Type.Literal('negative'), Type.Literal('neutral'), Type.Literal('positive')]);
const Range = Type.Tuple([Type.Integer(), Type.Integer()], { description: '[start, end) character offsets into the line text' });
const Place = {
  lineId: Type.String({ description: 'Utterance id (calls) or message id (chats); an e-mail: its segment id' }),
  startMs: Nullable(Type.Number({ description: 'ms from the conversation start' })),
  range: Range,
};

export const InsightDetails = Type.Object({
  channel: Type.Union([Type.Literal('call'), Type.Literal('text'), Type.Literal('none')]),
  metricsSource: Nullable(Type.Union([Type.Literal('transcript'), Type.Literal('voice_activity'), Type.Literal('messages')])),
  language: Nullable(Type.String()),
  lineCount: Type.Integer(),
  sentiment: Type.Object({
    status: Type.Union([Type.Literal('done'), Type.Literal('no_text'), Type.Literal('unsupported_language')]),
    score: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
    label: Nullable(Label),
    lines: Type.Array(Type.Object({ lineId: Type.String(), score: Type.Number(), cues: Type.Array(Type.String()) })),
    points: Type.Array(
      Type.Object({ lineId: Type.String(), atMs: Nullable(Type.Number()), role: Role, score: Type.Number(), smoothed: Type.Number(), label: Label }),
    ),
    sections: Type.Array(
      Type.Object({ label: Label, startMs: Nullable(Type.Number()), endMs: Nullable(Type.Number()), lineIds: Type.Array(Type.String()), score: Type.Number() }),
    ),
    cues: Type.Array(Type.Object({ lineId: Type.String(), cue: Type.String(), role: Role })),
  }),
  engagement: Nullable(Type.Object({ score: Type.Number(), balance: Type.Number(), responsiveness: Type.Number(), interactivity: Type.Number() })),
  agent: Nullable(
    Type.Unknown({
      description:
        'Calls (kind "call"): agentTalkMs, customerTalkMs, talkListenRatio, agentTalkShare, longestMonologue {durationMs, startMs, endMs, lineIds}, agentWords, wordsPerMinute, fillerCount, fillersPerMinute, fillerBreakdown, fillerPlaces, responseTimes [{afterLineId, lineId, ms}], avgResponseMs, speakerChanges. Chats and e-mails (kind "text"): agentMessages, customerMessages, responseTimes, avgResponseMs, firstResponseMs, speakerChanges.',
    }),
  ),
  nextSteps: Type.Array(Type.Object({ ...Place, text: Type.String(), role: Role, source: Type.Union([Type.Literal('rules'), Type.Literal('llm')]) })),
  questions: Type.Array(Type.Object({ ...Place, text: Type.String(), role: Role, open: Type.Boolean() })),
  goodQuestions: Type.Array(Type.Object({ ...Place, text: Type.String() })),
  summary: Nullable(Type.String()),
  llm: Type.Object({
    status: Type.Union([Type.Literal('off'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('skipped')]),
    model: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
  }),
  rulesStatus: Type.Union([Type.Literal('done'), Type.Literal('unsupported_language'), Type.Literal('no_text')]),
  analysers: Type.Array(
    Type.Object({ name: Type.String(), status: Type.Union([Type.Literal('done'), Type.Literal('failed')]), error: Type.Optional(Type.String()) }),
  ),
});

export const ConversationInsights = Type.Object({
  conversationId: Type.String(),
  status: Type.Union([Type.Literal('none'), Type.Literal('done'), Type.Literal('failed')], { description: 'none: not analysed yet' }),
  error: Nullable(Type.String()),
  computedAt: Nullable(Timestamp),
  analyserVersion: Nullable(Type.Integer()),
  language: Nullable(Type.String()),
  sentimentScore: Nullable(Type.Number({ description: '0–100, 50 neutral' })),
  sentimentLabel: Nullable(Label),
  engagementScore: Nullable(Type.Number({ description: '0–100' })),
  talkListenRatio: Nullable(Type.Number()),
  wordsPerMinute: Nullable(Type.Number()),
  fillersPerMinute: Nullable(Type.Number()),
  longestMonologueMs: Nullable(Type.Number()),
  avgResponseMs: Nullable(Type.Number()),
  details: Nullable(InsightDetails),
});

export const ReanalyzeResponse = Type.Object({ jobId: Type.String() });
