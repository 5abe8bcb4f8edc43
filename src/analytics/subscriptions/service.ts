// Indicator subscriptions: a user follows an indicator they can see (all its keywords or some) and is e-mailed about
// the interactions they may see that mention it — at once (continuous) or in a digest per day, week or month. E-mails
// go through the notify outbox; every subscription e-mail carries a signed unsubscribe link that needs no login.
import type { AppContext } from '../../context.ts';
import { initiatorOf, type Actor } from '../../auth/actor.ts';
import { languageOf } from '../../auth/languages.ts';
import { actorFor } from '../../auth/session-service.ts';
import { requireViewer } from '../../conversations/access.ts';
import { publicBaseUrl, queueEmail } from '../../notify/service.ts';
import { signLink, verifyLink } from '../../notify/secrets.ts';
import type { Executor } from '../../platform/db/index.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { renderAlert, renderDigest } from './email.ts';
import { digestWindow, firstDigest, usableZone } from './periods.ts';
import * as repo from './repository.ts';
import type { Frequency, Subscription, SubscriptionCreate, SubscriptionPatch } from './schemas.ts';

const LINK_PURPOSE = 'unsubscribe';
const SUBSCRIPTION = 'indicator_subscription';

type Row = NonNullable<Awaited<ReturnType<typeof repo.getWithIndicator>>>;

async function view(ctx: AppContext, db: Executor, r: Row): Promise<Subscription> {
  const all = await repo.keywordsOf(db, r.indicator_id);
  const ids = ctx.adapter.fromJson<string[] | null>(r.keyword_ids);
  return {
    id: r.id,
    indicatorId: r.indicator_id,
    indicatorName: r.indicator_name,
    categoryName: r.category_name,
    keywordIds: ids,
    keywords: ids ? all.filter((k) => ids.includes(k.id)) : all,
    frequency: r.frequency as Frequency,
    nextDueAt: r.next_due_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The indicator (of the actor's tenant: another tenant's looks absent) and the chosen keywords, checked. */
async function checkTarget(ctx: AppContext, actor: Actor, indicatorId: string, keywordIds: readonly string[] | null | undefined) {
  const indicator = await repo.getIndicator(ctx.db, actor.tenantId, indicatorId);
  if (!indicator) throw notFound('Indicator', indicatorId);
  if (keywordIds) {
    const known = new Set((await repo.keywordsOf(ctx.db, indicatorId)).map((k) => k.id));
    const stray = keywordIds.find((k) => !known.has(k));
    if (stray) throw invalid(`Keyword ${stray} is not a keyword of "${indicator.name}"`, { field: 'keywordIds' });
  }
  return indicator;
}

async function own(ctx: AppContext, actor: Actor, id: string) {
  const r = await repo.getWithIndicator(ctx.db, id);
  // Someone else's subscription looks absent.
  if (!r || r.tenant_id !== actor.tenantId || r.user_id !== actor.userId) throw notFound('Subscription', id);
  return r;
}

const audit = (ctx: AppContext, tx: Executor, actor: Actor, id: string, action: string, details: string) =>
  ctx.audit.append({ tenantId: actor.tenantId, initiator: initiatorOf(actor), resourceType: SUBSCRIPTION, resourceId: id, action, details }, tx);

export async function listSubscriptions(ctx: AppContext, actor: Actor) {
  requireViewer(actor);
  const rows = await repo.listOfUser(ctx.db, actor.tenantId, actor.userId);
  return { items: await Promise.all(rows.map((r) => view(ctx, ctx.db, r))) };
}

export async function createSubscription(ctx: AppContext, actor: Actor, input: SubscriptionCreate): Promise<Subscription> {
  requireViewer(actor);
  if (!actor.userId) throw invalid('Only a user can subscribe (e-mails go to their address)');
  const indicator = await checkTarget(ctx, actor, input.indicatorId, input.keywordIds);
  const now = new Date();
  const id = newId();
  const zone = usableZone(await repo.subscriberZone(ctx.db, actor.tenantId, actor.userId));
  const { periodEnd, nextDueAt } = firstDigest(input.frequency, now, zone);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertSubscription(tx, {
      id,
      tenant_id: actor.tenantId,
      user_id: actor.userId,
      indicator_id: input.indicatorId,
      keyword_ids: input.keywordIds ? ctx.adapter.json(input.keywordIds) : null,
      frequency: input.frequency,
      period_end: periodEnd,
      next_due_at: nextDueAt,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await audit(ctx, tx, actor, id, 'SUBSCRIPTION_CREATE', `Subscribed to "${indicator.name}" (${input.frequency})`);
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e))
      throw new DomainError('ALREADY_EXISTS', `You already subscribe to "${indicator.name}"; change that subscription instead`);
    throw e;
  });
  return view(ctx, ctx.db, (await repo.getWithIndicator(ctx.db, id))!);
}

export async function updateSubscription(ctx: AppContext, actor: Actor, id: string, patch: SubscriptionPatch): Promise<Subscription> {
  requireViewer(actor);
  const r = await own(ctx, actor, id);
  await checkTarget(ctx, actor, r.indicator_id, patch.keywordIds);
  const set: Partial<repo.SubscriptionRow> = { updated_at: nowIso() };
  if (patch.keywordIds !== undefined) set.keyword_ids = patch.keywordIds ? ctx.adapter.json(patch.keywordIds) : null;
  if (patch.frequency !== undefined && patch.frequency !== r.frequency) {
    const zone = usableZone(await repo.subscriberZone(ctx.db, actor.tenantId, r.user_id));
    const { periodEnd, nextDueAt } = firstDigest(patch.frequency, new Date(), zone);
    Object.assign(set, { frequency: patch.frequency, period_end: periodEnd, next_due_at: nextDueAt });
  }
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateSubscription(tx, id, set);
    await audit(ctx, tx, actor, id, 'SUBSCRIPTION_UPDATE', `Changed the subscription to "${r.indicator_name}" (${patch.frequency ?? r.frequency})`);
  });
  return view(ctx, ctx.db, (await repo.getWithIndicator(ctx.db, id))!);
}

export async function deleteSubscription(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  requireViewer(actor);
  const r = await own(ctx, actor, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteSubscription(tx, id);
    await audit(ctx, tx, actor, id, 'SUBSCRIPTION_DELETE', `Unsubscribed from "${r.indicator_name}"`);
  });
}

// ---- unsubscribe link (no login: the signature is the permission) ----------------------------------------------

export const unsubscribeToken = (ctx: AppContext, subscriptionId: string) => signLink(ctx.keyring, LINK_PURPOSE, subscriptionId);

/** What the unsubscribe page shows before the user confirms: the indicator, or that the link is spent or forged. */
export async function describeUnsubscribe(ctx: AppContext, token: string) {
  const id = verifyLink(ctx.keyring, LINK_PURPOSE, token);
  if (!id) return { state: 'invalid' as const };
  const r = await repo.getWithIndicator(ctx.db, id);
  return r ? { state: 'subscribed' as const, indicatorName: r.indicator_name } : { state: 'gone' as const };
}

/** Removes the subscription a genuine link names (idempotent: a second click finds it gone). */
export async function unsubscribe(ctx: AppContext, token: string, client: { ip: string | null }) {
  const id = verifyLink(ctx.keyring, LINK_PURPOSE, token);
  if (!id) return { state: 'invalid' as const };
  const r = await repo.getWithIndicator(ctx.db, id);
  if (!r) return { state: 'gone' as const };
  const user = await actorFor(ctx, r.user_id, { ip: client.ip, application: 'web' });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteSubscription(tx, id);
    await ctx.audit.append(
      {
        tenantId: r.tenant_id,
        initiator: { userId: r.user_id, name: user?.name ?? 'unsubscribe link', ip: client.ip, application: 'web' },
        resourceType: SUBSCRIPTION,
        resourceId: id,
        action: 'SUBSCRIPTION_DELETE',
        details: `Unsubscribed from "${r.indicator_name}" with the link in an e-mail`,
      },
      tx,
    );
  });
  return { state: 'unsubscribed' as const, indicatorName: r.indicator_name };
}

// ---- continuous alerts ---------------------------------------------------------------------------------------------

/**
 * Called in the transaction that stored a conversation's mentions (the subscriptions analyser, after indicators):
 * queues the alert job only when some continuous subscription follows a mentioned indicator, so analysing history
 * in bulk costs one indexed probe per conversation.
 */
export async function notifyMentions(ctx: AppContext, exec: Executor, subject: { tenantId: string; conversationId: string }): Promise<void> {
  if (!(await repo.hasContinuousFollowers(exec, subject.conversationId))) return;
  await ctx.jobs.enqueue(exec, 'insights.subscription_alert', { conversationId: subject.conversationId }, { tenantId: subject.tenantId });
}

/** The insights.subscription_alert job: one e-mail per continuous subscriber who may see the conversation, once. */
export async function alertConversation(ctx: AppContext, conversationId: string) {
  const c = await repo.getConversation(ctx.db, conversationId);
  if (!c) return { sent: 0 };
  const base = publicBaseUrl(ctx);
  let sent = 0;
  for (const s of await repo.pendingContinuous(ctx.db, conversationId, c.created_at)) {
    const user = await actorFor(ctx, s.user_id, { ip: null, application: 'system' });
    // A disabled user, or one who may no longer see this conversation, is not told about it.
    if (!user || !(await repo.visibleConversation(ctx.db, user, conversationId))) continue;
    const keywordIds = ctx.adapter.fromJson<string[] | null>(s.keyword_ids);
    const mentions = await repo.mentionsIn(ctx.db, conversationId, s.indicator_id, keywordIds);
    if (!mentions.length) continue;
    const indicator = await repo.getIndicator(ctx.db, s.tenant_id, s.indicator_id);
    if (!indicator) continue;
    const timeZone = usableZone(await repo.subscriberZone(ctx.db, s.tenant_id, s.user_id));
    const mail = renderAlert({
      timeZone,
      lang: await languageOf(ctx.db, s.tenant_id, s.user_id),
      base,
      token: unsubscribeToken(ctx, s.id),
      indicatorName: indicator.name,
      categoryName: indicator.category_name,
      conversation: { id: c.id, title: c.title, startedAt: c.started_at },
      mentions: mentions.map((m) => ({ keyword: m.keyword, role: m.role, startMs: m.start_ms === null ? null : Number(m.start_ms) })),
    });
    const queued = await inTransaction(ctx.db, async (uow) => {
      // The delivery row is the "sent once" guard: a concurrent run of the same alert loses on its primary key.
      try {
        await repo.insertDelivery(uow.tx, s.id, conversationId, nowIso());
      } catch (e) {
        if (ctx.adapter.isUniqueViolation(e)) return false;
        throw e;
      }
      await queueEmail(ctx, uow, { tenantId: s.tenant_id, userId: s.user_id, kind: 'subscription_alert', to: user.email, ...mail });
      return true;
    });
    if (queued) sent++;
  }
  return { sent };
}

// ---- digests -------------------------------------------------------------------------------------------------------

const DIGEST_BATCH = 200;
const DIGEST_TOP = 20;

/** The insights.subscription_digests job (every 15 minutes): sends every digest that is due, period by period. */
export async function sendDueDigests(ctx: AppContext, now = new Date()) {
  const base = publicBaseUrl(ctx);
  let sent = 0;
  let skipped = 0;
  for (;;) {
    const due = await repo.dueDigests(ctx.db, now.toISOString(), DIGEST_BATCH);
    if (!due.length) break;
    for (const s of due) {
      const frequency = s.frequency as Exclude<Frequency, 'continuous'>;
      const zone = usableZone(await repo.subscriberZone(ctx.db, s.tenant_id, s.user_id));
      const w = digestWindow(frequency, s.period_end ?? s.created_at, now, zone);
      const user = await actorFor(ctx, s.user_id, { ip: null, application: 'system' });
      const indicator = await repo.getIndicator(ctx.db, s.tenant_id, s.indicator_id);
      const keywordIds = ctx.adapter.fromJson<string[] | null>(s.keyword_ids);
      const canSee = user && (user.permissions.has('conversations.view') || user.permissions.has('conversations.view_own'));
      const counts = canSee && indicator && w.to > w.from ? await repo.digestCounts(ctx.db, user, s.indicator_id, keywordIds, w.from, w.to) : [];
      const mentions = counts.reduce((n, k) => n + Number(k.mentions), 0);
      await inTransaction(ctx.db, async (uow) => {
        // Moved on first: if another scheduler got here, it sends this period and we send nothing.
        if (!(await repo.advanceDigest(uow.tx, s.id, s.period_end, w.to > w.from ? w.to : (s.period_end ?? w.to), w.nextDueAt))) return;
        // Nothing to tell (no mention, or a subscriber who can no longer see any interaction): no e-mail.
        if (!mentions || !user || !indicator) return void skipped++;
        const top = await repo.digestInteractions(uow.tx, user, s.indicator_id, keywordIds, w.from, w.to, DIGEST_TOP);
        const interactions = await repo.countMentioningInteractions(uow.tx, user, s.indicator_id, keywordIds, w.from, w.to);
        const mail = renderDigest({
          base,
          lang: await languageOf(uow.tx, s.tenant_id, s.user_id),
          token: unsubscribeToken(ctx, s.id),
          frequency,
          indicatorId: s.indicator_id,
          indicatorName: indicator.name,
          categoryName: indicator.category_name,
          from: w.from,
          to: w.to,
          timeZone: zone,
          interactions,
          ofInteractions: await repo.visibleInteractions(uow.tx, user, w.from, w.to),
          mentions,
          keywords: counts
            .map((k) => ({ keyword: k.keyword, mentions: Number(k.mentions), interactions: Number(k.interactions) }))
            .sort((a, b) => b.mentions - a.mentions || a.keyword.localeCompare(b.keyword)),
          top: top.map((c) => ({ id: c.id, title: c.title, startedAt: c.started_at, mentions: Number(c.mentions) })),
        });
        await queueEmail(ctx, uow, { tenantId: s.tenant_id, userId: s.user_id, kind: 'subscription_digest', to: user.email, ...mail });
        sent++;
      });
    }
    if (due.length < DIGEST_BATCH) break;
  }
  return { sent, skipped };
}
