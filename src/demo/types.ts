// Shapes shared by the demo planners: who works here, and what a planned conversation looks like before it is ingested.
import type { CallMetadata, ChatInput } from '../conversations/schemas.ts';
import type { Piece, RenderOptions } from './audio.ts';
import type { DemoAgentSeed } from './people.ts';

export interface AgentRef extends DemoAgentSeed {
  id: string;
  timeZone: string;
}

export interface StaffRef {
  id: string;
  name: string;
}

export interface Staff {
  agents: AgentRef[];
  manager: StaffRef;
  evaluator: StaffRef;
  admin: StaffRef;
}

export type Reviewer = 'manager' | 'evaluator' | 'admin';

/** What people did with a conversation after it happened: tags, comments, custom field values. */
export interface Annotations {
  tags: Array<{ name: string; by: Reviewer; comment?: string }>;
  comments: Array<{ by: Reviewer; text: string; offsetMs?: number; pinned?: boolean; private?: boolean }>;
  /** Custom field key → value, set by a person (the ingest-provided Cisco ID is in the call metadata). */
  fields: Record<string, string>;
  /** When the annotations were made (shortly after the conversation, never in the future). */
  at: Date;
}

export interface CallSegmentPlan {
  meta: CallMetadata;
  pieces: Piece[];
  render: RenderOptions;
  durationMs: number;
}

export interface ScreenPlan {
  callId: string;
  monitor: number;
  startTime: string;
  durationS: number;
}

export type BucketName = 'very short' | 'short' | 'normal' | 'long';

export type ConversationPlan =
  | { kind: 'call'; key: string; startedAt: Date; bucket: BucketName; source: string; segments: CallSegmentPlan[]; screens: ScreenPlan[]; notes: Annotations }
  | { kind: 'chat'; key: string; startedAt: Date; input: ChatInput; notes: Annotations }
  | { kind: 'email'; key: string; startedAt: Date; messages: Array<{ raw: string; sourceUrl?: string }>; notes: Annotations };

export const emptyNotes = (at: Date): Annotations => ({ tags: [], comments: [], fields: {}, at });
