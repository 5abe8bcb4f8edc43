// Transcript downloads (TXT, SRT, WebVTT, JSON): the same access and redaction as reading the transcript, and every
// download audited on the conversation like the recording downloads, the unredacted ones marked as such.
import type { AppContext } from '../../context.ts';
import { can, initiatorOf, type Actor } from '../../auth/actor.ts';
import { loadVisible } from '../../conversations/service.ts';
import { requirePlayer } from '../../media/service.ts';
import { DomainError } from '../../platform/errors.ts';
import { attachmentDisposition } from '../../platform/http/content-disposition.ts';
import { currentTranscript, currentUtterances, type StoredUtterance } from '../repository.ts';
import { shownStatus } from '../service.ts';
import { redactWords } from '../text/redact.ts';
import { CONTENT_TYPES, render, type ExportTranscript, type ExportUtterance, type TranscriptFormat } from './formats.ts';

/**
 * An utterance as this caller may see it, as the transcript API gives it (src/speech/service.ts): the redacted text
 * with each PII span one placeholder word, unless they hold "play unredacted".
 */
export function visibleUtterance(u: StoredUtterance, unredacted: boolean): ExportUtterance {
  const words = unredacted ? u.words : redactWords(u.words, u.pii);
  return {
    id: u.id,
    role: u.role,
    partyKey: u.partyKey,
    segmentId: u.segmentId,
    startMs: u.startMs,
    endMs: u.endMs,
    text: unredacted ? u.displayText : u.redactedText,
    confidence: u.confidence,
    words: words.map((w) => ({ w: w.w, s: w.s, e: w.e, c: w.c, ...(w.a ? { a: true } : {}) })),
    redacted: !unredacted && u.pii.length > 0,
    pii: unredacted ? u.pii.map((p) => ({ type: p.type, firstWord: p.firstWord, lastWord: p.lastWord })) : [],
  };
}

/**
 * The conversation's transcript as the caller may see it, in the transcript API's shape. Not that API's function:
 * reading there audits an unredacted view, and a download is audited once, as a download.
 */
export async function readTranscript(ctx: AppContext, actor: Actor, conversationId: string): Promise<ExportTranscript> {
  requirePlayer(actor);
  const conv = await loadVisible(ctx, actor, conversationId);
  const unredacted = can(actor, 'media.play_unredacted');
  const run = await currentTranscript(ctx.db, conversationId);
  const utterances = run ? await currentUtterances(ctx.db, ctx.adapter, conversationId) : [];
  return {
    conversationId,
    status: shownStatus(conv),
    reason: conv.speech_reason ?? null,
    engine: run?.engine ?? null,
    language: run?.language ?? null,
    createdAt: run ? String(run.created_at) : null,
    redacted: !unredacted,
    utterances: utterances.map((u) => visibleUtterance(u, unredacted)),
  };
}

/** A name part safe in a header and on every file system. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export async function downloadTranscript(ctx: AppContext, actor: Actor, conversationId: string, format: TranscriptFormat) {
  const t = await readTranscript(ctx, actor, conversationId);
  const unredacted = !t.redacted;
  if (!t.engine) {
    const why =
      t.status === 'pending'
        ? 'it is being transcribed'
        : t.status === 'no_engine'
          ? 'no speech engine is configured'
          : t.status === 'failed'
            ? `transcription failed (${t.reason ?? 'no reason given'})`
            : 'it has not been transcribed';
    throw new DomainError('NOT_FOUND', `This conversation has no transcript: ${why}`, { reason: 'NO_TRANSCRIPT', status: t.status });
  }
  const fileName = `${safe(conversationId)}_transcript${unredacted ? '' : '_redacted'}.${format}`;
  const body = render(format, t);
  const disposition = attachmentDisposition(fileName);
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'conversation',
    resourceId: conversationId,
    action: 'TRANSCRIPT_DOWNLOADED',
    details: `Downloaded the ${unredacted ? 'unredacted' : 'redacted'} transcript as ${fileName}`,
  });
  return { body, fileName, disposition, contentType: CONTENT_TYPES[format] };
}
