// One conversation as an IETF vCon (draft-ietf-vcon-vcon-core, syntax "0.3.0"): parties, dialog (a recording per
// stored audio or video file, a text per chat message or e-mail), analysis (transcript, sentiment, summary, agent
// metrics when present) and attachments (tags, comments, reviews, custom fields, the recording policy decision, the
// life-cycle state). Built from what the exporting user may see: the conversation's own view (visibility and PII
// redaction as on screen), transcripts redacted without "media.play_unredacted", and media only for holders of
// "media.play_unredacted" (an export is evidence: the original recording or none). The media's content is filled in by
// the package (inline, as files in the package, or referenced only), see package.ts.
import os from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { can, type Actor } from '../../auth/actor.ts';
import { getConversation, loadVisible } from '../../conversations/service.ts';
import { getInsights } from '../../analytics/insights/service.ts';
import { currentTranscript, currentUtterances } from '../../speech/repository.ts';
import { redactWords } from '../../speech/text/redact.ts';
import * as repo from './repository.ts';

export const VCON_VERSION = '0.3.0';
export const VENDOR = 'Earshot';

type J = Record<string, unknown>;

export interface MediaRef {
  dialogIndex: number;
  blobId: string;
  conversationId: string;
  streamId: string;
  fileName: string;
  mediatype: string;
  size: number | null;
}

export interface BuiltVcon {
  vcon: J & { dialog: J[] };
  media: MediaRef[];
  /** Why media is absent, per segment (not recorded, deleted, no permission); shown in the manifest. */
  notes: string[];
}

const MEDIATYPES: Record<string, string> = {
  wav: 'audio/x-wav',
  mp3: 'audio/x-mp3',
  ogg: 'audio/ogg',
  m4a: 'audio/x-mp4',
  mp4: 'video/x-mp4',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
};

/**
 * A version 8 UUID as the draft asks: 48 bits of Unix milliseconds and random bits like version 7, with the low 62
 * bits taken from the SHA-1 of the host name (the export's domain of uniqueness).
 */
export function vconUuid(host: string, at = Date.now()): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(at, 0, 6);
  randomBytes(2).copy(b, 6);
  b[6] = (b[6]! & 0x0f) | 0x80;
  createHash('sha1').update(host).digest().copy(b, 8, 0, 8);
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function hostOf(ctx: Pick<AppContext, 'config'>): string {
  try {
    if (ctx.config.publicUrl) return new URL(ctx.config.publicUrl).hostname;
  } catch {
    // an unparsable public URL: fall back to the machine's name
  }
  return os.hostname() || 'earshot.local';
}

// An anonymized number is a placeholder, not a tel URL: left out (the lifecycle attachment says it was anonymized).
const tel = (phone: string | null) => (phone && /^\+?[0-9]+$/.test(phone) ? `tel:${phone}` : undefined);
const mailto = (email: string | null) => (email && /^[^@\s]+@[^@\s]+$/.test(email) ? `mailto:${email}` : undefined);
const compact = (o: J): J => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

export async function buildVcon(ctx: AppContext, actor: Actor, conversationId: string): Promise<BuiltVcon> {
  const row = await loadVisible(ctx, actor, conversationId);
  const detail = await getConversation(ctx, actor, conversationId);
  const segIds = detail.segments.map((s) => s.id);
  const [objects, reviews, insights] = await Promise.all([
    repo.streamObjects(ctx.db, segIds),
    repo.reviewsOf(ctx.db, actor, conversationId),
    getInsights(ctx, actor, conversationId).catch(() => null),
  ]);
  const notes: string[] = [];

  // Parties: the conversation's participants, in their order; a party key of a segment maps to one of them.
  const partyIndex = new Map(detail.participants.map((p, i) => [p.id, i]));
  const parties = detail.participants.map((p) =>
    compact({
      name: p.name ?? p.userName ?? undefined,
      tel: tel(p.phone),
      mailto: mailto(p.email),
      role: p.role,
      uuid: p.userId ?? undefined,
      extension: p.extension ?? undefined,
    }),
  );
  const indexIn = (seg: (typeof detail.segments)[number], partyKey: string | null) => {
    const pid = seg.parties.find((x) => x.partyKey === partyKey)?.participantId;
    return pid !== undefined ? partyIndex.get(pid) : undefined;
  };
  const roleIndex = (role: string) => detail.participants.findIndex((p) => p.role === role);
  const agentIndex = roleIndex('agent');
  const customerIndex = roleIndex('customer');

  const mediaAllowed = can(actor, 'media.play_unredacted');
  const mediaDeleted = row.media_state === 'deleted';
  const dialog: J[] = [];
  const media: MediaRef[] = [];
  const dialogsOfSegment = new Map<string, number[]>();
  const push = (segId: string, d: J) => {
    dialog.push(d);
    dialogsOfSegment.set(segId, [...(dialogsOfSegment.get(segId) ?? []), dialog.length - 1]);
    return dialog.length - 1;
  };

  for (const seg of detail.segments) {
    if (seg.kind === 'call' || seg.kind === 'screen') {
      const segParties = seg.parties.map((p) => partyIndex.get(p.participantId)).filter((i): i is number => i !== undefined);
      const direction = seg.direction ?? detail.direction;
      const originator = direction === 'outbound' ? agentIndex : direction === 'inbound' ? customerIndex : -1;
      const history = seg.events
        .map((e) => {
          const event = e.type === 'hold' ? 'hold' : e.type === 'resume' || e.type === 'unhold' ? 'unhold' : null;
          const party = indexIn(seg, (e.data.party as string | null) ?? null);
          return event && party !== undefined ? { party, time: e.at, event } : null;
        })
        .filter((x) => x !== null);
      const base = compact({
        type: 'recording',
        start: seg.startedAt,
        duration: seg.durationMs / 1000,
        originator: originator >= 0 ? originator : undefined,
        session_id: seg.externalId,
        application: seg.kind === 'screen' ? 'screen recording' : undefined,
        party_history: history.length ? history : undefined,
      });
      // One dialog per stored file: a stereo file's streams share it, one party per channel.
      const files = new Map<string, typeof objects>();
      for (const o of objects.filter((x) => x.segment_id === seg.id && x.blob_id)) files.set(o.blob_id!, [...(files.get(o.blob_id!) ?? []), o]);
      if (files.size === 0) {
        const why =
          seg.recording && !seg.recording.recorded
            ? `not recorded (${seg.recording.reason ?? seg.recording.ruleName})`
            : mediaDeleted
              ? 'media deleted'
              : 'no media stored';
        notes.push(`${seg.kind} ${seg.externalId}: ${why}`);
        push(seg.id, { ...base, parties: segParties });
        continue;
      }
      for (const [blobId, streams] of files) {
        const first = streams[0]!;
        const channelParties = streams.map((s) => (s.party_key === null ? segParties : (indexIn(seg, s.party_key) ?? segParties)));
        const partiesOf: unknown = streams.length > 1 || (first.channels ?? 1) > 1 ? channelParties : channelParties[0];
        const fileName = first.file_name ?? `${first.id}.${first.container ?? 'bin'}`;
        const mediatype = MEDIATYPES[first.container ?? ''] ?? (seg.kind === 'screen' ? 'video/x-mp4' : 'audio/x-wav');
        const i = push(seg.id, { ...base, parties: partiesOf, mediatype, filename: fileName });
        if (!mediaAllowed) {
          if (!notes.some((n) => n.startsWith('media omitted')))
            notes.push('media omitted: exporting recordings needs the permission "media.play_unredacted" (an export carries the original or nothing)');
          continue;
        }
        media.push({ dialogIndex: i, blobId, conversationId, streamId: first.id, fileName, mediatype, size: null });
      }
    } else if (seg.kind === 'chat') {
      for (const m of seg.messages) {
        push(seg.id, {
          type: 'text',
          start: m.sentAt,
          parties: indexIn(seg, m.senderKey) ?? [],
          mediatype: 'text/plain',
          body: m.text,
          encoding: 'none',
        });
      }
    } else if (seg.kind === 'email' && seg.email) {
      const from = detail.participants.findIndex((p) => p.email && p.email === seg.email!.from.address.toLowerCase());
      push(
        seg.id,
        compact({
          type: 'text',
          start: seg.email.sentAt,
          parties: from >= 0 ? from : [],
          mediatype: 'text/plain',
          body: seg.email.subject ? `Subject: ${seg.email.subject}\n\n${seg.email.text}` : seg.email.text,
          encoding: 'none',
          message_id: seg.email.messageId,
        }),
      );
    }
  }

  const analysis: J[] = [];
  if (can(actor, 'media.play_redacted') || can(actor, 'media.play_unredacted')) {
    const [t, utterances] = await Promise.all([currentTranscript(ctx.db, conversationId), currentUtterances(ctx.db, ctx.adapter, conversationId)]);
    if (t && utterances.length) {
      const unredacted = can(actor, 'media.play_unredacted');
      const segOf = new Map(detail.segments.map((s) => [s.id, s]));
      const dialogs = [...new Set(utterances.flatMap((u) => (u.segmentId ? (dialogsOfSegment.get(u.segmentId) ?? []) : [])))];
      analysis.push({
        type: 'transcript',
        dialog: dialogs,
        vendor: VENDOR,
        product: t.engine ?? undefined,
        schema: 'earshot-transcript/1',
        mediatype: 'application/json',
        encoding: 'json',
        body: {
          language: t.language ?? null,
          redacted: !unredacted,
          utterances: utterances.map((u) => {
            const seg = u.segmentId ? segOf.get(u.segmentId) : undefined;
            return {
              party: seg ? (indexIn(seg, u.partyKey) ?? null) : null,
              role: u.role,
              start_ms: u.startMs,
              end_ms: u.endMs,
              text: unredacted ? u.displayText : u.redactedText,
              confidence: u.confidence,
              words: (unredacted ? u.words : redactWords(u.words, u.pii)).map((w) => ({ w: w.w, s: w.s, e: w.e, c: w.c })),
            };
          }),
        },
      });
    }
  }
  if (insights && insights.status === 'done') {
    const all = [...Array(dialog.length).keys()];
    if (insights.sentimentLabel)
      analysis.push({
        type: 'sentiment',
        dialog: all,
        vendor: VENDOR,
        schema: 'earshot-sentiment/1',
        encoding: 'json',
        body: { label: insights.sentimentLabel, score: insights.sentimentScore, engagement: insights.engagementScore },
      });
    if (insights.details?.summary) analysis.push({ type: 'summary', dialog: all, vendor: VENDOR, encoding: 'none', body: insights.details.summary });
    analysis.push({
      type: 'agent_metrics',
      dialog: all,
      vendor: VENDOR,
      schema: 'earshot-insights/1',
      encoding: 'json',
      body: {
        talk_listen_ratio: insights.talkListenRatio,
        words_per_minute: insights.wordsPerMinute,
        fillers_per_minute: insights.fillersPerMinute,
        longest_monologue_ms: insights.longestMonologueMs,
        avg_response_ms: insights.avgResponseMs,
        next_steps: insights.details?.nextSteps ?? [],
        questions: insights.details?.questions ?? [],
      },
    });
  }

  const attachments: J[] = [];
  const attach = (purpose: string, body: unknown, start = detail.startedAt) =>
    attachments.push(compact({ purpose, start, party: agentIndex >= 0 ? agentIndex : undefined, mediatype: 'application/json', encoding: 'json', body }));
  if (detail.tags.length)
    attach(
      'tags',
      detail.tags.map((t) => ({
        name: t.name,
        kind: t.kind,
        comment: t.comment,
        by: t.createdBy,
        at: t.createdAt,
        data: t.dataKey ? { [t.dataKey]: t.dataValue } : null,
      })),
    );
  if (detail.comments.length) attach('comments', detail.comments);
  if (reviews.length)
    attach(
      'evaluations',
      reviews.map((r) => ({
        id: r.id,
        scorecard: r.scorecard_name,
        evaluator: r.evaluator_name,
        agent: r.agent_name,
        submitted_at: r.submitted_at,
        score: r.score === null ? null : Number(r.score),
        max_score: r.max_score === null ? null : Number(r.max_score),
        percent: r.percent === null ? null : Number(r.percent),
        passed: r.passed === null ? null : Boolean(Number(r.passed)),
        auto_failed: Boolean(Number(r.auto_failed)),
        response: r.response_status,
        revision: Number(r.revision),
        comment: r.general_comment,
      })),
    );
  if (detail.customFieldValues.length || Object.keys(detail.customData).length)
    attach('custom_data', { fields: detail.customFieldValues.map((f) => ({ key: f.key, label: f.label, value: f.value })), custom_data: detail.customData });
  const decisions = detail.segments.filter((s) => s.recording).map((s) => ({ segment: s.externalId, kind: s.kind, ...s.recording }));
  if (decisions.length) attach('recording_policy', decisions);
  attach('lifecycle', {
    media_state: row.media_state ?? 'present',
    media_state_at: row.media_state_at ?? null,
    anonymized_at: row.anonymized_at ?? null,
    anonymized_parts: row.anonymized_parts ? JSON.parse(row.anonymized_parts) : [],
    reviewed_at: row.reviewed_at ?? null,
    earshot_conversation_id: conversationId,
  });

  const vcon = compact({
    vcon: VCON_VERSION,
    uuid: vconUuid(hostOf(ctx)),
    created_at: row.created_at,
    updated_at: new Date().toISOString(),
    subject: detail.title,
    parties,
    dialog,
    analysis: analysis.length ? analysis : undefined,
    attachments,
  }) as BuiltVcon['vcon'];
  return { vcon, media, notes };
}
