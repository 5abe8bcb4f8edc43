// Domain events other systems may hear of (webhooks, issue 14). A feature publishes one with publishEvent in the unit
// of work that made the change: the delivery job is queued by name in the same transaction, so an event goes out only
// if the change committed, and conversations, media, speech, analytics, quality, compliance and the recorder need no
// import of the webhooks feature (src/notify/webhooks), which registers the job.
import type { Uow } from '../db/uow.ts';
import type { DialectAdapter } from '../db/adapter.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { newId, nowIso } from '../ids.ts';
import { listeningEndpoints } from './repository.ts';

/** The event catalogue: type → what it means (shown to administrators when they choose events). */
export const DOMAIN_EVENTS = {
  'conversation.recorded': 'A conversation was recorded or ingested (a call, chat or e-mail arrived)',
  'recording.stored': "A call's audio was stored (encrypted and signed)",
  'media.analysed': "A call's audio was analysed (waveforms, voice activity, speech events)",
  'transcript.ready': 'A call was transcribed',
  'insights.ready': 'Conversation insights (sentiment, next steps, indicators, topics) are ready',
  'evaluation.completed': 'An evaluation (review) was submitted or re-evaluated',
  'evaluation.disputed': 'An agent disputed an evaluation',
  'retention.purge_completed': 'A retention purge run finished planning the deletion of expired conversations',
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENTS;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENTS) as DomainEventType[];

/** What each event carries in `data`: identifiers and a few facts, never the content (receivers fetch it through the API). */
export interface DomainEventData {
  'conversation.recorded': {
    conversationId: string;
    segmentId: string;
    kind: 'call' | 'chat' | 'email';
    direction: string;
    startedAt: string;
    recorded: boolean;
  };
  'recording.stored': { conversationId: string; segmentId: string; files: number };
  'media.analysed': { conversationId: string; status: string; streams: number };
  'transcript.ready': { conversationId: string; status: string; language: string | null; words: number };
  'insights.ready': { conversationId: string; sentimentScore: number | null; engagementScore: number | null };
  'evaluation.completed': {
    evaluationId: string;
    conversationId: string;
    agentUserId: string | null;
    score: number;
    maxScore: number;
    percent: number;
    passed: boolean | null;
    reevaluation: boolean;
  };
  'evaluation.disputed': { evaluationId: string; conversationId: string; revision: number };
  'retention.purge_completed': { planned: number; skippedProtected: number };
}

/** The envelope every receiver gets (the JSON body of a webhook). */
export interface DomainEvent<K extends DomainEventType = DomainEventType> {
  id: string;
  type: K;
  time: string;
  tenant: string;
  data: DomainEventData[K];
}

/** The job (src/notify/webhooks/jobs.ts) that turns an event into deliveries; queued by name, so no import. */
export const DISPATCH_JOB = 'webhooks.dispatch';

/**
 * Publishes an event in the caller's unit of work. Cheap when nobody listens: one indexed read of the tenant's enabled
 * endpoints, and nothing queued (a million ingests queue no million no-op jobs). Returns the event id, or null.
 */
export async function publishEvent<K extends DomainEventType>(
  ctx: { jobs: JobQueue; adapter: DialectAdapter },
  uow: Uow,
  tenantId: string,
  type: K,
  data: DomainEventData[K],
): Promise<string | null> {
  // A harness built without the webhooks feature has nobody to deliver to.
  if (!ctx.jobs.registry.has(DISPATCH_JOB)) return null;
  const endpoints = await listeningEndpoints(uow.tx, tenantId);
  if (!endpoints.some((e) => ctx.adapter.fromJson<string[]>(e.events).includes(type))) return null;
  const event: DomainEvent<K> = { id: newId(), type, time: nowIso(), tenant: tenantId, data };
  await ctx.jobs.enqueueByName(uow, DISPATCH_JOB, { event }, { tenantId });
  return event.id;
}
