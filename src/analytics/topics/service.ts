// Topics: what a conversation is about, matched line by line by similarity to each topic's guiding sentences
// (src/analytics/topics/matching.ts). Seven defaults per tenant, up to MAX_CUSTOM_TOPICS more; each needs at least
// MIN_SENTENCES sentences. A change re-scores every stored conversation in the background (the topics share their IDF,
// so one changed topic moves the scores of the others too). insights.manage to change, conversation viewers to list.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { TopicsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { tenantLanguage } from '../indicators/analysis.ts';
import * as indicatorRepo from '../indicators/repository.ts';
import { cleanName, queueReanalysis } from '../indicators/service.ts';
import { contentTerms } from './matching.ts';
import * as repo from './repository.ts';
import { MAX_CUSTOM_TOPICS, MAX_SENTENCES, MIN_SENTENCES, SENTENCE_MAX, type Topic, type TopicCreate, type TopicPatch } from './schemas.ts';

const assertTenantWide = (actor: Actor, change: string) => assertWithinScope(actor, [null], change);

async function cleanSentences(ctx: AppContext, tenantId: string, raw: readonly string[]) {
  const lang = await tenantLanguage(ctx, ctx.db, tenantId);
  const out: string[] = [];
  for (const s of raw) {
    const text = s.trim().replace(/\s+/g, ' ');
    if (!text || out.some((o) => o.toLowerCase() === text.toLowerCase())) continue;
    const length = [...text].length;
    if (length > SENTENCE_MAX)
      throw invalid(`A guiding sentence may have at most ${SENTENCE_MAX} characters; "${text.slice(0, 30)}…" has ${length}`, {
        reason: 'SENTENCE_TOO_LONG',
        field: 'sentences',
      });
    if (contentTerms(text, lang).length === 0)
      throw invalid(`The sentence "${text}" has no word to compare (only stop words or numbers)`, { reason: 'SENTENCE_NO_WORDS', field: 'sentences' });
    out.push(text);
  }
  if (out.length < MIN_SENTENCES)
    throw invalid(`A topic needs at least ${MIN_SENTENCES} different guiding sentences; ${out.length} ${out.length === 1 ? 'was' : 'were'} given`, {
      reason: 'TOO_FEW_SENTENCES',
      field: 'sentences',
      minimum: MIN_SENTENCES,
    });
  if (out.length > MAX_SENTENCES)
    throw invalid(`A topic may have at most ${MAX_SENTENCES} guiding sentences`, { reason: 'TOO_MANY_SENTENCES', field: 'sentences', limit: MAX_SENTENCES });
  return out;
}

async function views(ctx: AppContext, actor: Actor, rows: TopicsTable[]): Promise<Topic[]> {
  const counts = await repo.hitCounts(ctx.db, actor);
  return Promise.all(
    rows.map(async (r) => {
      const job = r.analysis_job_id ? await ctx.jobs.get(r.analysis_job_id) : undefined;
      return {
        id: r.id,
        name: r.name,
        builtinKey: r.builtin_key,
        sentences: ctx.adapter.fromJson<string[]>(r.sentences) ?? [],
        conversations: counts.get(r.id)?.conversations ?? 0,
        hits: counts.get(r.id)?.hits ?? 0,
        analysis: job
          ? { jobId: job.id, status: job.status, progress: job.progress, note: job.progressNote, error: job.status === 'dead' ? job.lastError : null }
          : null,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    }),
  );
}

export async function listTopics(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'conversations.view', 'conversations.view_own', 'insights.manage');
  return { items: await views(ctx, actor, await repo.listTopics(ctx.db, actor.tenantId)), customLimit: MAX_CUSTOM_TOPICS };
}

async function checkName(ctx: AppContext, tenantId: string, name: string, selfId: string | null) {
  const same = await repo.findTopicByName(ctx.db, tenantId, name);
  if (same && same.id !== selfId) throw new DomainError('ALREADY_EXISTS', `A topic named "${same.name}" already exists`, { field: 'name' });
}

async function loadTopic(ctx: AppContext, actor: Actor, id: string) {
  const t = await repo.getTopic(ctx.db, actor.tenantId, id);
  if (!t) throw notFound('Topic', id);
  return t;
}

export async function createTopic(ctx: AppContext, actor: Actor, input: TopicCreate): Promise<Topic> {
  requirePermission(actor, 'insights.manage');
  assertTenantWide(actor, 'Creating a topic');
  const name = cleanName(input.name, 'topic');
  const sentences = await cleanSentences(ctx, actor.tenantId, input.sentences);
  await checkName(ctx, actor.tenantId, name, null);
  const now = nowIso();
  const row: TopicsTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    builtin_key: null,
    sentences: ctx.adapter.json(sentences),
    analysis_job_id: null,
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async (uow) => {
    await indicatorRepo.lockTenant(uow.tx, ctx.adapter, actor.tenantId);
    if ((await repo.countCustomTopics(uow.tx, actor.tenantId)) >= MAX_CUSTOM_TOPICS)
      throw new DomainError(
        'TOPIC_LIMIT',
        `An organisation may have at most ${MAX_CUSTOM_TOPICS} topics of its own besides the defaults; delete one before adding another`,
        {
          limit: MAX_CUSTOM_TOPICS,
        },
      );
    await repo.insertTopic(uow.tx, row);
    const jobId = await queueReanalysis(ctx, uow, actor.tenantId, { indicatorIds: [], topics: true });
    await repo.setTopicsJob(uow.tx, actor.tenantId, jobId);
    row.analysis_job_id = jobId;
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'topic',
        resourceId: row.id,
        action: 'TOPIC_CREATE',
        details: `Created topic ${name} with ${sentences.length} guiding sentences`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'sentences', old: null, new: sentences },
        ],
      },
      uow.tx,
    );
  });
  return (await views(ctx, actor, [(await repo.getTopic(ctx.db, actor.tenantId, row.id))!]))[0]!;
}

export async function updateTopic(ctx: AppContext, actor: Actor, id: string, patch: TopicPatch): Promise<Topic> {
  requirePermission(actor, 'insights.manage');
  const topic = await loadTopic(ctx, actor, id);
  assertTenantWide(actor, `Changing the topic ${topic.name}`);
  const next: Partial<TopicsTable> = {};
  const changes: FieldChange[] = [];
  if (patch.name !== undefined) {
    const name = cleanName(patch.name, 'topic');
    if (name !== topic.name) {
      await checkName(ctx, actor.tenantId, name, id);
      next.name = name;
      changes.push({ field: 'name', old: topic.name, new: name });
    }
  }
  const before = ctx.adapter.fromJson<string[]>(topic.sentences) ?? [];
  if (patch.sentences !== undefined) {
    const sentences = await cleanSentences(ctx, actor.tenantId, patch.sentences);
    if (JSON.stringify(sentences) !== JSON.stringify(before)) {
      next.sentences = ctx.adapter.json(sentences);
      changes.push({ field: 'sentences', old: before, new: sentences });
    }
  }
  if (changes.length) {
    const rescore = next.sentences !== undefined;
    await inTransaction(ctx.db, async (uow) => {
      await repo.updateTopic(uow.tx, id, { ...next, updated_at: nowIso() });
      if (rescore) await repo.setTopicsJob(uow.tx, actor.tenantId, await queueReanalysis(ctx, uow, actor.tenantId, { indicatorIds: [], topics: true }));
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'topic',
          resourceId: id,
          action: 'TOPIC_UPDATE',
          details: `Updated topic ${topic.name}: ${changes.map((c) => c.field).join(', ')}${rescore ? ' (stored conversations are scored again)' : ''}`,
          changes,
        },
        uow.tx,
      );
    });
  }
  return (await views(ctx, actor, [(await repo.getTopic(ctx.db, actor.tenantId, id))!]))[0]!;
}

export async function deleteTopic(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'insights.manage');
  const topic = await loadTopic(ctx, actor, id);
  assertTenantWide(actor, `Deleting the topic ${topic.name}`);
  await inTransaction(ctx.db, async (uow) => {
    // Its hits go with it (cascade); the others are scored again (their IDF changes without its sentences).
    await repo.deleteTopic(uow.tx, id);
    await repo.setTopicsJob(uow.tx, actor.tenantId, await queueReanalysis(ctx, uow, actor.tenantId, { indicatorIds: [], topics: true }));
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'topic',
        resourceId: id,
        action: 'TOPIC_DELETE',
        details: `Deleted topic ${topic.name}`,
        changes: [
          { field: 'name', old: topic.name, new: null },
          { field: 'sentences', old: ctx.adapter.fromJson<string[]>(topic.sentences) ?? [], new: null },
        ],
      },
      uow.tx,
    );
  });
}
