// Reading conversations: the list, one conversation in full, and the JSON export. Every read goes through visibility.
import type { AppContext } from '../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import type { ConversationsTable } from '../platform/db/schema.ts';
import { notFound } from '../platform/errors.ts';
import { canViewAny } from './access.ts';
import { isHttpUrl } from './email/parse.ts';
import * as repo from './repository.ts';
import { resolveSegmentParties } from './segment-parties.ts';
import * as tagsRepo from './tags/repository.ts';
import * as commentsRepo from './comments/repository.ts';
import * as fieldsRepo from './custom-fields/repository.ts';
import { textRedactorFor } from '../speech/redaction/service.ts';
import { submittedReviewsOf } from '../quality/evaluations/repository.ts';

export function channelsOf(c: Pick<ConversationsTable, 'has_call' | 'has_chat' | 'has_email'>) {
  return [c.has_call ? 'call' : null, c.has_chat ? 'chat' : null, c.has_email ? 'email' : null].filter((x): x is string => x !== null);
}

/**
 * Summaries for list rows (repo.listRows: the agent's name, the site's zone, participants, tags, comment counts and
 * custom field values come with the row, in one statement whatever the page size); the reviewed rows' scores in one
 * more.
 */
export async function summaries(ctx: AppContext, actor: Actor, rows: repo.ListRow[]) {
  // Only reviewed rows can have a score to show: a page without any costs no evaluation query.
  const reviewedIds = rows.filter((r) => r.reviewed_at).map((r) => r.id);
  const reviews = reviewedIds.length ? await submittedReviewsOf(ctx.db, actor, reviewedIds) : [];
  const reviewsOf = new Map<string, typeof reviews>();
  for (const e of reviews) {
    const mine = reviewsOf.get(e.conversation_id);
    if (mine) mine.push(e);
    else reviewsOf.set(e.conversation_id, [e]);
  }
  const { fromJson } = ctx.adapter;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    direction: r.direction,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    updatedAt: r.updated_at,
    // The zone the time-of-day and day-of-week filters read this conversation in (refreshAggregates): its site's, else UTC.
    timeZone: r.site_time_zone || 'UTC',
    talkTimeMs: Number(r.talk_time_ms),
    channels: channelsOf(r),
    hasScreen: Boolean(r.has_screen),
    reviewable: Boolean(r.reviewable),
    agent: r.agent_user_id && r.agent_name !== null ? { id: r.agent_user_id, name: r.agent_name } : null,
    participants: fromJson<repo.ListParticipant[]>(r.participants).map(participantView),
    tags: fromJson<tagsRepo.ListTag[]>(r.tags).map(tagView),
    commentCount: commentsRepo.visibleCount(r.public_comments, fromJson<string[]>(r.private_comment_authors), actor.userId),
    customFields: fromJson<Record<string, string>>(r.custom_fields),
    // none: never queued for transcription (chats, emails, calls from before); src/speech/service.ts.
    speechStatus: r.speech_status ?? 'none',
    review: reviewSummary(r.reviewed_at ?? null, reviewsOf.get(r.id) ?? []),
    // The data life cycle's states (src/compliance): "Planned for deletion of media files", "Deleted", "Anonymized".
    mediaState: r.media_state ?? null,
    anonymizedAt: r.anonymized_at ?? null,
  }));
}

/** The Reviewed cell of a list row from its submitted reviews the caller may read, newest first. */
function reviewSummary(reviewedAt: string | null, mine: Awaited<ReturnType<typeof submittedReviewsOf>>) {
  const latest = mine[0];
  return {
    reviewedAt,
    latest: latest
      ? {
          evaluationId: latest.id,
          score: Number(latest.score),
          maxScore: Number(latest.max_score),
          percent: Number(latest.percent),
          passed: latest.passed === null ? null : Boolean(Number(latest.passed)),
          autoFailed: Boolean(Number(latest.auto_failed)),
          submittedAt: latest.submitted_at!,
        }
      : null,
    reviews: mine.length,
  };
}

/** The conversation if the actor may see it; out of scope answers exactly like absent. */
export async function loadVisible(ctx: AppContext, actor: Actor, id: string) {
  // Without any view permission every conversation is out of scope: 404, like one in another group.
  if (!canViewAny(actor)) throw notFound('Conversation', id);
  const row = await repo.getVisible(ctx.db, actor, id);
  if (!row) throw notFound('Conversation', id);
  return row;
}

export async function getConversation(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadVisible(ctx, actor, id);
  const [summary] = await summaries(ctx, actor, await repo.listRows(ctx.db, ctx.adapter, [id]));
  const segments = await repo.segmentsOf(ctx.db, [id]);
  const segIds = segments.map((s) => s.id);
  const [streams, events, chats, emails, comments, fields, participants, partyLinks] = await Promise.all([
    repo.streamsOf(ctx.db, segIds),
    repo.eventsOf(ctx.db, segIds),
    repo.chatMessagesOf(ctx.db, segIds),
    repo.emailsOf(ctx.db, segIds),
    commentsRepo.listFor(ctx.db, id, actor.userId),
    fieldsRepo.valuesWithDefinitions(ctx.db, actor.tenantId, id),
    repo.participantsOf(ctx.db, [id]),
    repo.segmentPartiesOf(ctx.db, segIds),
  ]);
  const parties = resolveSegmentParties(
    segments,
    (sid) => streams.flatMap((st) => (st.segment_id === sid && st.party_key ? [st.party_key] : [])),
    participants,
    partyLinks,
  );
  const dataTags = await tagsRepo.dataTagDefinitions(ctx.db, actor.tenantId);
  // Chats and e-mails with PII replaced by placeholders for users without "media.play_unredacted".
  const pii = await textRedactorFor(ctx, actor);
  return {
    ...summary!,
    engagementId: row.engagement_id,
    speech: { status: row.speech_status ?? 'none', reason: row.speech_reason ?? null, transcribedAt: row.transcribed_at ?? null },
    customData: ctx.adapter.fromJson<Record<string, string>>(row.custom_data),
    customFieldValues: fields.map((f) => ({ fieldId: f.id, key: f.key, label: f.label, type: f.type, value: f.value })),
    segments: segments.map((s) => {
      const metadata = ctx.adapter.fromJson<Record<string, string>>(s.metadata);
      const email = emails.find((e) => e.segment_id === s.id);
      return {
        id: s.id,
        kind: s.kind,
        externalId: s.external_id,
        parentSegmentId: s.parent_segment_id,
        direction: s.direction,
        startedAt: s.started_at,
        endedAt: s.ended_at,
        durationMs: Number(s.duration_ms),
        queue: s.queue,
        agentUserId: s.agent_user_id,
        agentPartyKey: s.agent_party_key,
        title: s.title,
        monitor: s.monitor,
        // Stored before links were checked: never serve one that is not http(s).
        sourceUrl: s.source_url !== null && isHttpUrl(s.source_url) ? s.source_url : null,
        metadata,
        // A segment whose metadata holds a data tag's pair shows that tag, for this segment alone.
        dataTags: dataTags
          .filter((t) => t.data_key && metadata[t.data_key] === t.data_value)
          .map((t) => ({ tagId: t.id, name: t.name, color: t.color, key: t.data_key!, value: t.data_value! })),
        parties: [...(parties.get(s.id) ?? [])].map(([partyKey, participantId]) => ({ partyKey, participantId })),
        // Recording policy (src/compliance/recording-policies): whether this call or screen was kept, and by which rule.
        recording: s.recording_decision
          ? {
              recorded: s.recording_decision === 'recorded',
              ruleId: s.recording_rule_id ?? null,
              ruleName: s.recording_rule_name ?? null,
              reason: s.recording_reason ?? null,
            }
          : null,
        streams: streams
          .filter((st) => st.segment_id === s.id)
          .map((st) => ({
            id: st.id,
            kind: st.kind,
            partyKey: st.party_key,
            channelIndex: st.channel_index,
            fileName: st.file_name,
            container: st.container,
            codec: st.codec,
            sampleRate: st.sample_rate,
            channels: st.channels,
            durationMs: Number(st.duration_ms),
            status: st.status,
            statusReason: st.status_reason,
          })),
        events: events
          .filter((e) => e.segment_id === s.id)
          .map((e) => ({ type: e.type, at: e.at, data: ctx.adapter.fromJson<Record<string, unknown>>(e.data) })),
        messages: chats
          .filter((m) => m.segment_id === s.id)
          .map((m) => ({
            seq: m.seq,
            senderKey: m.sender_key,
            senderName: m.sender_name,
            senderRole: m.sender_role,
            sentAt: m.sent_at,
            text: pii.redact(m.text),
          })),
        email: email
          ? {
              messageId: email.message_id,
              inReplyTo: email.in_reply_to,
              subject: pii.redact(email.subject),
              from: { name: email.from_name, address: email.from_address },
              to: ctx.adapter.fromJson<Array<{ name: string | null; address: string }>>(email.to_list),
              cc: ctx.adapter.fromJson<Array<{ name: string | null; address: string }>>(email.cc_list),
              sentAt: email.sent_at,
              text: pii.redact(email.body_text),
              // HTML is not redacted word by word: those who get the redacted text get no HTML.
              html: pii.redacting ? null : (email.body_html ?? null),
              attachments: ctx.adapter.fromJson<Array<{ filename: string; contentType: string; size: number }>>(email.attachments),
            }
          : null,
      };
    }),
    comments,
  };
}

export type ConversationDetail = Awaited<ReturnType<typeof getConversation>>;

/** One conversation as JSON (never media), audited. */
export async function exportConversation(ctx: AppContext, actor: Actor, id: string) {
  // Checked here too, not only by the route: a service call from elsewhere (a job, a script) must not export for a viewer.
  requirePermission(actor, 'conversations.export');
  const detail = await getConversation(ctx, actor, id);
  const exportedAt = new Date().toISOString();
  const fileName = `${id}_${exportedAt.replace(/[:.]/g, '-')}.json`;
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'conversation',
    resourceId: id,
    action: 'CONVERSATION_EXPORT',
    details: `Exported conversation ${id} as JSON (${fileName})`,
  });
  const { segments, ...rest } = detail;
  return {
    fileName,
    body: {
      exportedAt,
      exportedBy: { id: actor.userId, name: actor.name },
      conversation: {
        ...rest,
        segments: segments.map(({ streams, ...s }) => ({
          ...s,
          streams: streams.map(({ id: sid, kind, partyKey, channelIndex, codec, sampleRate, channels, durationMs, status }) => ({
            id: sid,
            kind,
            partyKey,
            channelIndex,
            codec,
            sampleRate,
            channels,
            durationMs,
            status,
          })),
        })),
      },
    },
  };
}

function participantView(p: repo.ListParticipant) {
  return {
    id: p.id,
    role: p.role,
    partyKey: p.party_key,
    name: p.name,
    phone: p.phone,
    email: p.email,
    extension: p.extension,
    userId: p.user_id,
    userName: p.user_name ?? null,
  };
}

function tagView(t: tagsRepo.ListTag) {
  return {
    tagId: t.tag_id,
    name: t.name,
    color: t.color,
    kind: t.kind ?? 'tag',
    dataKey: t.data_key,
    dataValue: t.data_value,
    comment: t.comment,
    createdBy: t.created_by_name ?? null,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}
