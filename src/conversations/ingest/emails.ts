// Email ingest: raw RFC 822 messages, threaded by Message-ID / In-Reply-To / References into conversations.
import type { AppContext } from '../../context.ts';
import { initiatorOf, type Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError } from '../../platform/errors.ts';
import { resolveAgent } from '../agents.ts';
import { parseEml, type MailAddress } from '../email/parse.ts';
import { sanitizeEmailHtml } from '../email/sanitize.ts';
import { parentCandidates } from '../email/thread.ts';
import * as repo from '../repository.ts';
import type { IngestResult } from '../schemas.ts';
import { attachSegment, type ResolvedParty } from './common.ts';
import { startConversationPipeline } from '../pipeline.ts';
import { publishEvent } from '../../platform/events/index.ts';

export async function ingestEmail(ctx: AppContext, actor: Actor, raw: Buffer, opts: { sourceUrl?: string } = {}): Promise<IngestResult> {
  const tenantId = actor.tenantId;
  const email = await parseEml(raw, opts);
  const seen = await repo.findSegmentByExternalId(ctx.db, tenantId, 'email', email.messageId);
  if (seen) return { conversationId: seen.conversation_id, segmentId: seen.id, duplicate: true };

  // Who is who: an address that belongs to a user is an agent; everyone else is a customer.
  const parties: ResolvedParty[] = [];
  const add = async (a: MailAddress, key: string) => {
    if (parties.some((p) => p.email === a.address)) return;
    const user = await resolveAgent(ctx.db, tenantId, { email: a.address });
    parties.push({ key, role: user ? 'agent' : 'customer', name: a.name || null, email: a.address, user });
  };
  await add(email.from, 'from');
  for (const [i, a] of email.to.entries()) await add(a, `to${i + 1}`);
  for (const [i, a] of email.cc.entries()) await add(a, `cc${i + 1}`);
  const sender = parties[0]!;
  const direction = sender.role === 'agent' ? (parties.some((p) => p.role === 'customer') ? 'outbound' : 'internal') : 'inbound';
  const sentAt = email.sentAt ?? new Date().toISOString();

  try {
    return await inTransaction(ctx.db, async (uow) => {
      const { tx } = uow;
      // Known messages this one names, and stored replies that name this one (they may have arrived first).
      const named = await repo.emailByMessageId(tx, tenantId, parentCandidates(email));
      const replies = await repo.emailsReferencing(tx, tenantId, email.messageId);
      const related = [...named, ...replies];
      const convIds = [...new Set(related.map((r) => r.conversation_id))];
      let target: string | null = null;
      if (convIds.length) {
        const convs = await tx.selectFrom('conversations').select(['id', 'started_at']).where('id', 'in', convIds).orderBy('started_at').execute();
        target = convs[0]!.id;
        await repo.mergeConversations(
          tx,
          target,
          convIds.filter((c) => c !== target),
        );
        await ctx.jobs.enqueue(uow, 'reports.refresh_days', { conversations: convIds }, { tenantId }); // merged away: no longer counted
      }
      const threadKey = named[0]?.thread_key ?? replies[0]?.thread_key ?? email.messageId;
      for (const key of new Set(related.map((r) => r.thread_key))) if (key !== threadKey) await repo.setThreadKey(tx, tenantId, key, threadKey);

      const agent = parties.find((p) => p.role === 'agent');
      const { conversationId, segmentId } = await attachSegment(
        ctx,
        tx,
        tenantId,
        {
          stitch: { conversationId: target },
          engagementId: null,
          title: email.subject || '(no subject)',
          direction,
          parties,
          primaryAgentKey: agent?.key,
        },
        {
          kind: 'email',
          external_id: email.messageId,
          parent_segment_id: null,
          direction,
          started_at: sentAt,
          ended_at: sentAt,
          duration_ms: 0,
          queue: null,
          agent_user_id: agent?.user?.id ?? null,
          agent_party_key: agent?.key ?? null,
          title: email.subject,
          monitor: null,
          source_url: email.sourceUrl,
          metadata: Object.fromEntries(Object.entries(email.headers).slice(0, 20)),
        },
      );
      await repo.insertEmail(tx, {
        segment_id: segmentId,
        tenant_id: tenantId,
        message_id: email.messageId,
        thread_key: threadKey,
        in_reply_to: email.inReplyTo,
        refs: ctx.adapter.json(email.references),
        subject: email.subject,
        from_name: email.from.name || null,
        from_address: email.from.address,
        to_list: ctx.adapter.json(email.to),
        cc_list: ctx.adapter.json(email.cc),
        sent_at: email.sentAt,
        body_text: email.text,
        body_html: sanitizeEmailHtml(email.html),
        attachments: ctx.adapter.json(email.attachments.map(({ filename, contentType, size }) => ({ filename: filename ?? '(unnamed)', contentType, size }))),
      });
      await repo.insertEmailRefs(tx, tenantId, segmentId, parentCandidates(email));
      // The conversation's direction follows its first message.
      if (!target) await repo.updateConversation(tx, conversationId, { direction });
      await repo.refreshAggregates(tx, conversationId);
      await startConversationPipeline(ctx, uow, tenantId, { conversationId, hasAudio: false });
      await publishEvent(ctx, uow, tenantId, 'conversation.recorded', {
        conversationId,
        segmentId,
        kind: 'email',
        direction,
        startedAt: sentAt,
        recorded: true,
      });
      await ctx.audit.append(
        {
          tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'conversation',
          resourceId: conversationId,
          action: 'CONVERSATION_INGEST',
          details: `Ingested email "${email.subject}" from ${email.from.address}${convIds.length > 1 ? ` (joined ${convIds.length} threads)` : ''}`,
        },
        tx,
      );
      return { conversationId, segmentId, duplicate: false };
    });
  } catch (err) {
    if ((err instanceof DomainError && err.details?.reason === 'CONCURRENT_INGEST') || ctx.adapter.isUniqueViolation(err)) {
      const seg = await repo.findSegmentByExternalId(ctx.db, tenantId, 'email', email.messageId);
      if (seg) return { conversationId: seg.conversation_id, segmentId: seg.id, duplicate: true };
    }
    throw err;
  }
}
