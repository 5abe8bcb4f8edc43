// The shared vocabulary of conversation insights (issue 10): what the analysers read and what they produce.
// Calls are read from their current transcript, chats and emails from their messages; every analyser takes the same
// lines, so a conversation is analysed the same way whatever its channel.

/** One thing said or written, in conversation order. */
export interface InsightLine {
  /** The utterance id (calls) or message id (chats, emails): what a mention or a highlight points at. */
  id: string;
  kind: 'utterance' | 'chat_message' | 'email';
  segmentId: string | null;
  role: 'agent' | 'customer' | 'unknown';
  /** Milliseconds from the conversation's start (calls: the utterance; chats/emails: the message's time). */
  startMs: number | null;
  endMs: number | null;
  /** What analysers read: the redacted text of an utterance (never the recognised PII), a message's plain text. */
  text: string;
  /** Calls only: the number of recognised words, for talking speed. */
  words?: number;
  /** Who said it: the party key (calls) or sender key (chats); tells the agents of a transferred call apart. */
  party?: string | null;
}

/** Sentiment on a 0–100 scale, 50 neutral, higher more positive (docs/analytics.md). */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface LineSentiment {
  lineId: string;
  score: number;
}

/** Where a mention, a topic hit, a next step or a question sits: the line, and the character range in its text. */
export interface TextPlace {
  lineId: string;
  startMs: number | null;
  /** [start, end) into InsightLine.text. */
  range: [number, number];
}

/**
 * What a conversation's insights hold besides their scalar columns (conversation_insights.details): everything the
 * Analytics tab shows, with the places it points at. Times are ms from the conversation's start.
 */
export interface InsightDetails {
  /** How the lines were read: a call's transcript, chat/e-mail messages, or nothing to read. */
  channel: 'call' | 'text' | 'none';
  /** What the agent summary and engagement come from; voice_activity: a call without a transcript (no words). */
  metricsSource: 'transcript' | 'voice_activity' | 'messages' | null;
  language: string | null;
  lineCount: number;
  sentiment: {
    /** done; no_text: nothing to score; unsupported_language: the lexicon does not cover the language (docs/analytics.md). */
    status: 'done' | 'no_text' | 'unsupported_language';
    score: number | null;
    label: SentimentLabel | null;
    lines: Array<LineSentiment & { cues: string[] }>;
    /** One point per line: its score and the smoothed curve. */
    points: Array<{ lineId: string; atMs: number | null; role: InsightLine['role']; score: number; smoothed: number; label: SentimentLabel }>;
    /** Stretches with one smoothed label; a new section starts where the sentiment changes. */
    sections: Array<{ label: SentimentLabel; startMs: number | null; endMs: number | null; lineIds: string[]; score: number }>;
    cues: Array<{ lineId: string; cue: string; role: InsightLine['role'] }>;
  };
  engagement: { score: number; balance: number; responsiveness: number; interactivity: number } | null;
  /** Calls: talk metrics; chats and e-mails: message counts and response times. */
  agent: CallSummary | ChatSummary | null;
  /** Rules: languages.ts; llm: added by the optional chat endpoint, always pointing at a line. */
  nextSteps: Array<TextPlace & { text: string; role: InsightLine['role']; source: 'rules' | 'llm' }>;
  questions: Array<TextPlace & { text: string; role: InsightLine['role']; open: boolean }>;
  /** Open questions the agent asked. */
  goodQuestions: Array<TextPlace & { text: string }>;
  /** From the optional chat endpoint only; null when it is off or failed (never guessed). */
  summary: string | null;
  llm: { status: 'off' | 'done' | 'failed' | 'skipped'; model?: string; error?: string };
  /** The rules were not available for this language: fillers, next steps and questions are empty, not zero. */
  rulesStatus: 'done' | 'unsupported_language' | 'no_text';
  /** The line analysers of other features (indicators, topics) and how they went. */
  analysers: Array<{ name: string; status: 'done' | 'failed'; error?: string }>;
}

/** A stretch of agent speech: utterances joined while the gap is short and the customer stays silent. */
export interface Monologue {
  durationMs: number;
  startMs: number;
  endMs: number;
  lineIds: string[];
}

/** An agent's answer: the line it answers (the customer's), the agent's line, and the wait between them. */
export interface ResponseTime {
  afterLineId: string;
  lineId: string;
  ms: number;
}

/** The agent summary of a call (docs/analytics.md). */
export interface CallSummary {
  kind: 'call';
  agentTalkMs: number;
  customerTalkMs: number;
  talkListenRatio: number | null;
  agentTalkShare: number | null;
  longestMonologue: Monologue | null;
  agentWords: number;
  wordsPerMinute: number | null;
  fillerCount: number;
  fillersPerMinute: number | null;
  fillerBreakdown: Record<string, number>;
  fillerPlaces: Array<TextPlace & { filler: string }>;
  responseTimes: ResponseTime[];
  avgResponseMs: number | null;
  speakerChanges: number;
  /**
   * A call with several agents (a transfer): the same metrics for each agent alone, against all of the customer's
   * speech. Absent with one agent.
   */
  byAgent?: AgentCallSummary[];
}

export interface AgentCallSummary {
  party: string;
  /** The user behind the party, when known. */
  userId: string | null;
  agentTalkMs: number;
  customerTalkMs: number;
  talkListenRatio: number | null;
  longestMonologue: Monologue | null;
  agentWords: number;
  wordsPerMinute: number | null;
  fillerCount: number;
  fillersPerMinute: number | null;
  avgResponseMs: number | null;
}

/** The agent summary of a chat or an e-mail thread. */
export interface ChatSummary {
  kind: 'text';
  agentMessages: number;
  customerMessages: number;
  responseTimes: ResponseTime[];
  avgResponseMs: number | null;
  firstResponseMs: number | null;
  speakerChanges: number;
}
