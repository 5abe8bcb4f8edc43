// Transcript downloads (TXT, SRT, WebVTT, JSON): the same access and redaction as reading the transcript, and every
// download audited on the conversation like the recording downloads, the unredacted ones marked as such.
import type { AppContext } from '../../context.ts';
import { can, initiatorOf, type Actor } from '../../auth/actor.ts';
import { loadVisible } from '../../conversations/service.ts';
import { requirePlayer } from '../../media/service.ts';
import { DomainError } from '../../platform/errors.ts';
import { attachmentDisposition } from '../../platform/http/content-disposition.ts';
import type { PiiType } from '../model.ts';
import { currentTranscript, currentUtterances, type StoredUtterance } from '../repository.ts';
import { CONTENT_TYPES, render, type ExportTranscript, type ExportUtterance, type TranscriptFormat } from './formats.ts';

/** What a redacted span reads as (the same words the redacted text uses). */
export const PII_PLACEHOLDER: Record<PiiType, string> = {
  card_number: '[CARD]',
  card_expiry: '[EXPIRY]',
  card_security_code: '[CVV]',
  phone_number: '[PHONE]',
  email: '[EMAIL]',
  date_of_birth: '[DOB]',
  national_id: '[ID]',
  street_address: '[ADDRESS]',
};

/** An utterance as this caller may see it: the redacted text, each PII span one placeholder word, unless they hold "play unredacted". */
export function visibleUtterance(u: StoredUtterance, unredacted: boolean): ExportUtterance {
  const base = { id: u.id, role: u.role, partyKey: u.partyKey, startMs: u.startMs, endMs: u.endMs, confidence: u.confidence };
  if (unredacted || u.pii.length === 0) {
    return { ...base, text: u.displayText || u.text, words: u.words.map(({ w, s, e, c }) => ({ w, s, e, c })), redacted: false };
  }
  const words: ExportUtterance['words'] = [];
  const spans = [...u.pii].sort((a, b) => a.firstWord - b.firstWord);
  let span = 0;
  for (let i = 0; i < u.words.length; i++) {
    while (span < spans.length && spans[span]!.lastWord < i) span++;
    const p = spans[span];
    if (p && i >= p.firstWord && i <= p.lastWord) {
      if (i === p.firstWord) words.push({ w: PII_PLACEHOLDER[p.type] ?? '[REDACTED]', s: p.startMs, e: p.endMs, c: null });
      continue;
    }
    const { w, s, e, c } = u.words[i]!;
    words.push({ w, s, e, c });
  }
  return { ...base, text: u.redactedText, words, redacted: true };
}

/** The conversation's transcript as the caller may see it (with the speech status when there is none yet). */
export async function readTranscript(ctx: AppContext, actor: Actor, conversationId: string): Promise<ExportTranscript & { unredacted: boolean }> {
  requirePlayer(actor);
  const conv = await loadVisible(ctx, actor, conversationId);
  const unredacted = can(actor, 'media.play_unredacted');
  const run = await currentTranscript(ctx.db, conversationId);
  const utterances = run ? await currentUtterances(ctx.db, ctx.adapter, conversationId) : [];
  return {
    conversationId,
    status: (conv.speech_status as string | null | undefined) ?? (run ? 'ready' : null),
    reason: conv.speech_reason ?? null,
    engine: run?.engine ?? null,
    language: run?.language ?? null,
    createdAt: run ? String(run.created_at) : null,
    utterances: utterances.map((u) => visibleUtterance(u, unredacted)),
    unredacted,
  };
}

/** A name part safe in a header and on every file system. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export async function downloadTranscript(ctx: AppContext, actor: Actor, conversationId: string, format: TranscriptFormat) {
  const { unredacted, ...t } = await readTranscript(ctx, actor, conversationId);
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
