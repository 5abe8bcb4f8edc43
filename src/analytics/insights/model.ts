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
