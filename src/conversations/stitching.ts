// Which conversation a new segment joins. Segments of one customer contact join one conversation:
// the same engagement id, a transfer (previousCallId) or a consultation (consultOfCallId) about a call.
// Time overlap alone never joins: a second call taken while the first is on hold is its own conversation.
import type { Executor } from '../platform/db/index.ts';
import * as repo from './repository.ts';

export interface StitchKeys {
  /** Already decided by the caller (email threading). */
  conversationId?: string | null;
  engagementId?: string | null;
  /** External ids of calls this segment continues (transfer source, consulted call). */
  linkedCallIds?: Array<string | null | undefined>;
}

export async function findConversationFor(db: Executor, tenantId: string, keys: StitchKeys): Promise<string | null> {
  if (keys.conversationId) return keys.conversationId;
  for (const callId of keys.linkedCallIds ?? []) {
    if (!callId) continue;
    const seg = await repo.findSegmentByExternalId(db, tenantId, 'call', callId);
    if (seg) return seg.conversation_id;
  }
  if (keys.engagementId) {
    const conv = await repo.findConversationByEngagement(db, tenantId, keys.engagementId);
    if (conv) return conv.id;
  }
  return null;
}
