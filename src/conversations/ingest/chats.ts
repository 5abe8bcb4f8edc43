// Chat ingest: one thread becomes one chat segment; idempotent by chat id.
import type { AppContext } from '../../context.ts';
import { initiatorOf, type Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import * as repo from '../repository.ts';
import type { ChatInput, IngestResult } from '../schemas.ts';
import { attachSegment, resolveParties } from './common.ts';
import { startConversationPipeline } from '../pipeline.ts';
import { publishEvent } from '../../platform/events/index.ts';

export async function ingestChat(ctx: AppContext, actor: Actor, input: ChatInput): Promise<IngestResult> {
  const tenantId = actor.tenantId;
  const existing = await repo.findSegmentByExternalId(ctx.db, tenantId, 'chat', input.chatId);
  if (existing) return { conversationId: existing.conversation_id, segmentId: existing.id, duplicate: true };
  const keys = new Set(input.participants.map((p) => p.key));
  const unknown = input.messages.find((m) => !keys.has(m.sender));
  if (unknown) throw invalid(`A message is from "${unknown.sender}", who is not among the participants`, { reason: 'UNKNOWN_PARTY' });
  const parties = await resolveParties(ctx, tenantId, input.participants);
  const messages = [...input.messages].map((m, i) => ({ ...m, i, t: Date.parse(m.at) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const startedAt = new Date(messages[0]!.t).toISOString();
  const endedAt = new Date(messages[messages.length - 1]!.t).toISOString();
  const agent = parties.find((p) => p.role === 'agent');
  const firstSender = parties.find((p) => p.key === messages[0]!.sender);
  const direction = input.direction ?? (firstSender?.role === 'agent' ? 'outbound' : 'inbound');
  try {
    return await inTransaction(ctx.db, async (uow) => {
      const { tx } = uow;
      const { conversationId, segmentId } = await attachSegment(
        ctx,
        tx,
        tenantId,
        {
          stitch: { engagementId: input.engagementId },
          engagementId: input.engagementId ?? null,
          title: input.roomName,
          direction,
          parties,
          customData: input.customData,
        },
        {
          kind: 'chat',
          external_id: input.chatId,
          parent_segment_id: null,
          direction,
          started_at: startedAt,
          ended_at: endedAt,
          duration_ms: Date.parse(endedAt) - Date.parse(startedAt),
          queue: input.queue ?? null,
          agent_user_id: agent?.user?.id ?? null,
          agent_party_key: agent?.key ?? null,
          title: input.roomName,
          monitor: null,
          source_url: null,
          metadata: input.metadata ?? {},
        },
      );
      const byKey = new Map(parties.map((p) => [p.key, p]));
      await repo.insertChatMessages(
        tx,
        messages.map((m, seq) => ({
          id: newId(),
          segment_id: segmentId,
          seq,
          sender_key: m.sender,
          sender_name: byKey.get(m.sender)?.name ?? byKey.get(m.sender)?.user?.name ?? null,
          sender_role: byKey.get(m.sender)!.role,
          sent_at: new Date(m.t).toISOString(),
          text: m.text,
        })),
      );
      await repo.refreshAggregates(tx, conversationId);
      await startConversationPipeline(ctx, uow, tenantId, { conversationId, hasAudio: false });
      await publishEvent(ctx, uow, tenantId, 'conversation.recorded', { conversationId, segmentId, kind: 'chat', direction, startedAt, recorded: true });
      await ctx.audit.append(
        {
          tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'conversation',
          resourceId: conversationId,
          action: 'CONVERSATION_INGEST',
          details: `Ingested chat ${input.chatId} "${input.roomName}" (${messages.length} messages)`,
        },
        tx,
      );
      return { conversationId, segmentId, duplicate: false };
    });
  } catch (err) {
    if (err instanceof DomainError && err.details?.reason === 'CONCURRENT_INGEST') {
      const seg = await repo.findSegmentByExternalId(ctx.db, tenantId, 'chat', input.chatId);
      if (seg) return { conversationId: seg.conversation_id, segmentId: seg.id, duplicate: true };
    }
    throw err;
  }
}
