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

const ResponseTime = Type.Object({
  afterLineId: Type.String({ description: "The customer's line answered" }),
  lineId: Type.String({ description: "The agent's line" }),
  ms: Type.Number(),
});

export const CallSummary = Type.Object(
  {
    kind: Type.Literal('call'),
    agentTalkMs: Type.Number(),
    customerTalkMs: Type.Number(),
    talkListenRatio: Nullable(Type.Number()),
    agentTalkShare: Nullable(Type.Number({ description: 'agent / (agent + customer) talk time' })),
    longestMonologue: Nullable(Type.Object({ durationMs: Type.Number(), startMs: Type.Number(), endMs: Type.Number(), lineIds: Type.Array(Type.String()) })),
    agentWords: Type.Integer(),
    wordsPerMinute: Nullable(Type.Number()),
    fillerCount: Type.Integer(),
    fillersPerMinute: Nullable(Type.Number()),
    fillerBreakdown: Type.Record(Type.String(), Type.Integer()),
    fillerPlaces: Type.Array(Type.Object({ ...Place, filler: Type.String() })),
    responseTimes: Type.Array(ResponseTime),
    avgResponseMs: Nullable(Type.Number()),
    speakerChanges: Type.Integer(),
    byAgent: Type.Optional(
      Type.Array(
        Type.Object({
          party: Type.String(),
          userId: Nullable(Type.String()),
          agentTalkMs: Type.Number(),
          customerTalkMs: Type.Number(),
          talkListenRatio: Nullable(Type.Number()),
          longestMonologue: Nullable(
            Type.Object({ durationMs: Type.Number(), startMs: Type.Number(), endMs: Type.Number(), lineIds: Type.Array(Type.String()) }),
          ),
          agentWords: Type.Integer(),
          wordsPerMinute: Nullable(Type.Number()),
          fillerCount: Type.Integer(),
          fillersPerMinute: Nullable(Type.Number()),
          avgResponseMs: Nullable(Type.Number()),
        }),
        { description: 'A call with several agents (a transfer): each agent alone, against all of the customer speech' },
      ),
    ),
  },
  { description: 'The agent summary of a call (docs/analytics.md)' },
);

export const ChatSummary = Type.Object(
  {
    kind: Type.Literal('text'),
    agentMessages: Type.Integer(),
    customerMessages: Type.Integer(),
    responseTimes: Type.Array(ResponseTime),
    avgResponseMs: Nullable(Type.Number()),
    firstResponseMs: Nullable(Type.Number()),
    speakerChanges: Type.Integer(),
  },
  { description: 'The agent summary of a chat or an e-mail thread' },
);

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
  // Described by CallSummary / ChatSummary above (clients narrow on `kind`); left open here and sent as stored.
  agent: Nullable(Type.Unknown({ description: 'CallSummary (kind "call") or ChatSummary (kind "text"); see those schemas and docs/analytics.md' })),
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
