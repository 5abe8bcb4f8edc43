// The conversation pipeline, in one place: what happens to a conversation after it is stored, in order. Each step is a
// job of some feature; when it succeeds, the worker queues the next step that applies (src/platform/jobs/pipeline.ts).
//
//   ingest → media.analyze → speech.transcribe → analytics.insights → search.index
//
// A new conversation is also indexed at once, beside the pipeline (a call's metadata is searchable while the audio
// steps run, which can take minutes; a chat's or e-mail's text while insights wait on the optional chat endpoint), and
// again at the end. Chats and emails have no audio and skip the audio steps. Steps marked `planned` are not built yet and are skipped until their feature registers the job and the mark
// is removed here, nowhere else.
import { Type, type Static } from 'typebox';
import type { Uow } from '../platform/db/uow.ts';
import { definePipeline } from '../platform/jobs/pipeline.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { markSpeechPending } from './repository.ts';

const ConversationSubject = Type.Object({ conversationId: Type.String({ minLength: 1 }), hasAudio: Type.Boolean() }, { additionalProperties: false });
export type ConversationSubject = Static<typeof ConversationSubject>;

const hasAudio = (c: ConversationSubject) => c.hasAudio;
const one = (c: ConversationSubject) => ({ conversationId: c.conversationId });

export const CONVERSATION_PIPELINE = definePipeline({
  name: 'conversation',
  subject: ConversationSubject,
  steps: [
    // A recording that cannot be analysed still gets transcribed where possible and indexed.
    { job: 'media.analyze', when: hasAudio, payload: one, continueOnFailure: true },
    { job: 'speech.transcribe', when: hasAudio, payload: one, continueOnFailure: true },
    { job: 'analytics.insights', payload: one, continueOnFailure: true },
    { job: 'search.index', payload: (c) => ({ conversationIds: [c.conversationId] }) },
    // The dashboard's daily counts again, now with the sentiment and tags the steps above added (src/reports).
    { job: 'reports.refresh_days', payload: (c) => ({ conversations: [c.conversationId] }) },
  ],
});

/**
 * Starts (or, with `from`, re-runs from one step) the pipeline of a stored conversation, in the caller's unit of work:
 * the first job becomes visible when the change commits.
 */
export async function startConversationPipeline(
  ctx: { jobs: JobQueue },
  uow: Uow,
  tenantId: string,
  subject: ConversationSubject,
  opts: { from?: 'media.analyze' | 'speech.transcribe' | 'analytics.insights' | 'search.index' } = {},
) {
  if (subject.hasAudio && (!opts.from || opts.from === 'media.analyze' || opts.from === 'speech.transcribe')) {
    // The conversation says "transcribing" from now on, not a stale state, until speech.transcribe settles it.
    await markSpeechPending(uow.tx, subject.conversationId);
  }
  // A new conversation: searchable now, not only once the audio steps (minutes) and insights are done.
  if (!opts.from) await ctx.jobs.enqueue(uow, 'search.index', { conversationIds: [subject.conversationId] }, { tenantId });
  // Counted on the dashboard at once (src/reports, queued by name: reports imports conversations, not the reverse).
  if (!opts.from) await ctx.jobs.enqueue(uow, 'reports.refresh_days', { conversations: [subject.conversationId] }, { tenantId });
  return ctx.jobs.startPipeline(uow, CONVERSATION_PIPELINE.name, subject, { tenantId, from: opts.from });
}
