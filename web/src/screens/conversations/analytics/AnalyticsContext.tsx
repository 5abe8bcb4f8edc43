// The page-level pieces of conversation analytics: the state of what the Analytics tab marks in the transcript, and
// the sentiment-over-time graph that sits in the player.
import { useMemo, useState, type ReactNode } from 'react';
import { useConversationInsights } from '../../../api/insights.ts';
import { toDisplay } from '../player/model.ts';
import { LABEL_WIDTH } from '../player/Waveforms.tsx';
import { usePlayerContext } from '../player/usePlayer.ts';
import { InsightMarksContext, type InsightMark, type InsightMarks } from './marks.ts';
import { SentimentTimeline } from './SentimentTimeline.tsx';

export function InsightMarksProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ selected: string | null; marks: readonly InsightMark[] }>({ selected: null, marks: [] });
  const value = useMemo<InsightMarks>(() => ({ ...state, select: (selected, marks) => setState({ selected, marks: [...marks] }) }), [state]);
  return <InsightMarksContext.Provider value={value}>{children}</InsightMarksContext.Provider>;
}

/** The conversation's sentiment over time, for the player area (nothing until there are points). */
export function PlayerSentiment({ conversationId }: { conversationId: string }) {
  const insights = useConversationInsights(conversationId);
  const player = usePlayerContext();
  const sentiment = insights.data?.details?.sentiment;
  const axis = player?.model?.axis;
  const toX = useMemo(() => (axis ? (ms: number) => toDisplay(axis, ms) : undefined), [axis]);
  if (!sentiment?.points.length) return null;
  return (
    <SentimentTimeline
      conversationId={conversationId}
      points={sentiment.points}
      sections={sentiment.sections}
      totalMs={axis?.totalMs ?? 0}
      toX={toX}
      labelWidth={LABEL_WIDTH}
    />
  );
}
