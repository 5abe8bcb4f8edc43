// Queueing the redacted audio, apart from the job's code so the media pipeline can call it without importing it.
import type { AppContext } from '../../context.ts';
import type { Uow } from '../../platform/db/uow.ts';
import { hasPii } from './repository.ts';

/** Queues the redacted audio of a conversation (the transcription job calls it in the transaction that stores the transcript). */
export function queueRedaction(ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string, conversationId: string) {
  return ctx.jobs.enqueue(uow, 'speech.redact_audio', { conversationId }, { tenantId });
}

/**
 * After the media analysis replaced a conversation's PCM (its redacted copies are gone with the old rows): queues new
 * copies when the current transcript has PII, so users without "play unredacted" are not kept waiting on a
 * transcription step that may not run again (no engine configured).
 */
export async function queueRedactionIfPii(ctx: Pick<AppContext, 'jobs' | 'adapter'>, uow: Uow, tenantId: string, conversationId: string) {
  if (await hasPii(uow.tx, ctx.adapter, conversationId)) await queueRedaction(ctx, uow, tenantId, conversationId);
}
