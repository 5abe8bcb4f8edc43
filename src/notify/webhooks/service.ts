// Webhooks: endpoints a tenant's organisation-wide administrators register (URL, events, a signing secret shown once),
// and their deliveries. An event published in a feature's transaction (src/platform/events) becomes one delivery per
// subscribed endpoint (webhooks.dispatch); each delivery is POSTed by the webhooks.deliver job, signed, retried with
// exponential back-off for 24 hours, every attempt logged. An endpoint that has failed every attempt for 24 hours is
// disabled and the tenant's administrators are e-mailed.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { languagesOf } from '../../auth/languages.ts';
import type { FieldChange, Initiator } from '../../platform/audit/types.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { DOMAIN_EVENTS, DOMAIN_EVENT_TYPES, type DomainEvent } from '../../platform/events/index.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { openSecret, sealSecret } from '../secrets.ts';
import { publicBaseUrl, queueEmail } from '../service.ts';
import { renderWebhookDisabledMail } from './emails.ts';
import { postJson, type AttemptOutcome } from './http.ts';
import * as repo from './repository.ts';
import type { DeliveryQuery, EndpointCreate, EndpointPatch } from './schemas.ts';
import { newSecret, SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { checkUrl, checkUrlSyntax, type UrlPolicy } from './url-guard.ts';

const HOUR = 3_600_000;
export const MAX_ENDPOINTS = 25;
/** How long a delivery is retried after the event. */
export const RETRY_WINDOW_MS = 24 * HOUR;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 4 * HOUR;
/** Disabled when every attempt failed for this long, and at least this many in a row (one slow day is not an outage). */
export const DISABLE_AFTER_MS = 24 * HOUR;
export const DISABLE_AFTER_ATTEMPTS = 10;
/** The old secret keeps signing beside the new one this long after a rotation. */
const PREVIOUS_SECRET_MS = 24 * HOUR;
/** Finished deliveries are kept this long in the log. */
export const KEEP_DELIVERIES_MS = 30 * 24 * HOUR;
const SECRET_PURPOSE = 'webhook secret';
export const TEST_EVENT = 'webhook.test';

const SYSTEM: Initiator = { userId: null, name: 'webhooks', ip: null, application: 'system' };

export function urlPolicy(ctx: Pick<AppContext, 'config'>): UrlPolicy {
  const c = ctx.config;
  const selfHosts = [c.publicUrl ? new URL(c.publicUrl).hostname : null, c.host === '0.0.0.0' || c.host === '::' ? null : c.host].filter(
    (h): h is string => !!h,
  );
  return { allowPrivate: c.webhooksAllowPrivate, selfHosts };
}

/** Webhooks reach the whole tenant's events: an organisation-wide administrator's matter. */
function manage(actor: Actor, what: string) {
  requirePermission(actor, 'settings.manage');
  assertWithinScope(actor, [null], what);
}

/** A URL for the audit trail and e-mails: its query string (often a token) is not repeated there. */
export const shownUrl = (raw: string) => {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return raw;
  }
};

export function endpointView(r: repo.EndpointRow) {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events as string[],
    enabled: Boolean(r.enabled),
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at,
    failureStreak: Number(r.failure_streak),
    failingSince: r.failing_since,
    lastSuccessAt: r.last_success_at,
    lastFailureAt: r.last_failure_at,
    previousSecretUntil: r.previous_secret && r.previous_secret_until && r.previous_secret_until > nowIso() ? r.previous_secret_until : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const view = (ctx: AppContext, r: repo.EndpointRow) => endpointView({ ...r, events: ctx.adapter.fromJson<string[]>(r.events) });
type View = ReturnType<typeof endpointView>;
const AUDITED = ['name', 'url', 'events', 'enabled'] as const;
const audited = (v: View, f: (typeof AUDITED)[number]) => (f === 'url' ? shownUrl(v.url) : v[f]);

async function load(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.getEndpoint(ctx.db, actor.tenantId, id);
  if (!row) throw notFound('Webhook endpoint', id);
  return row;
}

function cleanName(name: string) {
  const n = name.trim();
  if (!n) throw invalid('Give the endpoint a name', { field: 'name' });
  return n;
}

function cleanEvents(events: string[]) {
  const unknown = events.filter((e) => !(DOMAIN_EVENT_TYPES as string[]).includes(e));
  if (unknown.length) throw invalid(`Unknown event type(s): ${unknown.join(', ')}`, { field: 'events' });
  return DOMAIN_EVENT_TYPES.filter((t) => events.includes(t));
}

export async function listEndpoints(ctx: AppContext, actor: Actor) {
  manage(actor, 'Reading webhooks');
  const rows = await repo.listEndpoints(ctx.db, actor.tenantId);
  return { items: rows.map((r) => view(ctx, r)), events: DOMAIN_EVENT_TYPES.map((type) => ({ type, description: DOMAIN_EVENTS[type] })) };
}

export async function getEndpoint(ctx: AppContext, actor: Actor, id: string) {
  manage(actor, 'Reading webhooks');
  return view(ctx, await load(ctx, actor, id));
}

export async function createEndpoint(ctx: AppContext, actor: Actor, input: EndpointCreate) {
  manage(actor, 'Adding a webhook');
  const name = cleanName(input.name);
  const url = (await checkUrl(input.url, urlPolicy(ctx))).toString();
  const events = cleanEvents(input.events);
  if ((await repo.countEndpoints(ctx.db, actor.tenantId)) >= MAX_ENDPOINTS)
    throw new DomainError('CONFLICT', `An organisation has at most ${MAX_ENDPOINTS} webhook endpoints`, { reason: 'ENDPOINT_LIMIT' });
  const secret = newSecret();
  const now = nowIso();
  const row: repo.EndpointRow = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    url,
    events: ctx.adapter.json(events),
    secret: sealSecret(ctx.keyring, actor.tenantId, SECRET_PURPOSE, secret),
    previous_secret: null,
    previous_secret_until: null,
    enabled: input.enabled === false ? 0 : 1,
    disabled_reason: input.enabled === false ? `Created disabled by ${actor.name}` : null,
    disabled_at: input.enabled === false ? now : null,
    failure_streak: 0,
    failing_since: null,
    last_success_at: null,
    last_failure_at: null,
    created_by: actor.userId || null,
    created_at: now,
    updated_at: now,
  };
  const v = endpointView({ ...row, events });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertEndpoint(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'webhook',
        resourceId: row.id,
        action: 'WEBHOOK_CREATE',
        details: `Added the webhook ${name} to ${shownUrl(url)} for ${events.join(', ')}`,
        changes: AUDITED.map((f) => ({ field: f, old: null, new: audited(v, f) })),
      },
      tx,
    );
  });
  return { ...v, secret };
}

export async function updateEndpoint(ctx: AppContext, actor: Actor, id: string, patch: EndpointPatch) {
  manage(actor, 'Changing a webhook');
  const row = await load(ctx, actor, id);
  const before = view(ctx, row);
  const next: Partial<repo.EndpointRow> = {};
  if (patch.name !== undefined) next.name = cleanName(patch.name);
  if (patch.url !== undefined && patch.url.trim() !== row.url) next.url = (await checkUrl(patch.url, urlPolicy(ctx))).toString();
  if (patch.events !== undefined) next.events = ctx.adapter.json(cleanEvents(patch.events));
  const now = nowIso();
  if (patch.enabled !== undefined && patch.enabled !== before.enabled) {
    // Enabling again starts afresh: the old streak would disable it at the next failure.
    Object.assign(
      next,
      patch.enabled
        ? { enabled: 1, disabled_reason: null, disabled_at: null, failure_streak: 0, failing_since: null }
        : { enabled: 0, disabled_reason: `Disabled by ${actor.name}`, disabled_at: now },
    );
  }
  const after = view(ctx, { ...row, ...next, events: next.events ?? row.events });
  const changes: FieldChange[] = AUDITED.filter(
    (f) => JSON.stringify(audited(before, f)) !== JSON.stringify(audited(after, f)) || (f === 'url' && before.url !== after.url),
  ).map((f) => ({ field: f, old: audited(before, f), new: audited(after, f) }));
  if (!changes.length) return before;
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateEndpoint(tx, id, { ...next, updated_at: now });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'webhook',
        resourceId: id,
        action: 'WEBHOOK_UPDATE',
        details: `Updated the webhook ${after.name}: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  });
  return view(ctx, (await repo.getEndpoint(ctx.db, actor.tenantId, id))!);
}

export async function deleteEndpoint(ctx: AppContext, actor: Actor, id: string) {
  manage(actor, 'Deleting a webhook');
  const row = await load(ctx, actor, id);
  const v = view(ctx, row);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteEndpoint(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'webhook',
        resourceId: id,
        action: 'WEBHOOK_DELETE',
        details: `Deleted the webhook ${v.name} (${shownUrl(v.url)}) and its delivery log`,
        changes: AUDITED.map((f) => ({ field: f, old: audited(v, f), new: null })),
      },
      tx,
    );
  });
}

/** A new secret, shown once. The old one keeps signing beside it for 24 hours unless `expirePrevious`. */
export async function rotateSecret(ctx: AppContext, actor: Actor, id: string, opts: { expirePrevious?: boolean }) {
  manage(actor, 'Rotating a webhook secret');
  const row = await load(ctx, actor, id);
  const secret = newSecret();
  const now = Date.now();
  const keep = !opts.expirePrevious;
  const patch: Partial<repo.EndpointRow> = {
    secret: sealSecret(ctx.keyring, actor.tenantId, SECRET_PURPOSE, secret),
    previous_secret: keep ? row.secret : null,
    previous_secret_until: keep ? new Date(now + PREVIOUS_SECRET_MS).toISOString() : null,
    updated_at: new Date(now).toISOString(),
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateEndpoint(tx, id, patch);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'webhook',
        resourceId: id,
        action: 'WEBHOOK_SECRET_ROTATE',
        details: `Rotated the signing secret of the webhook ${row.name}${keep ? '; the previous one also signs for 24 hours' : '; the previous one no longer signs'}`,
      },
      tx,
    );
  });
  return { ...view(ctx, { ...row, ...patch }), secret };
}

// ---- deliveries -----------------------------------------------------------------------------------------------------

function deliveryView(d: repo.DeliveryRow) {
  return {
    id: d.id,
    endpointId: d.endpoint_id,
    eventId: d.event_id,
    eventType: d.event_type,
    status: d.status,
    attempts: Number(d.attempts),
    nextAttemptAt: d.next_attempt_at,
    lastStatusCode: d.last_status_code === null ? null : Number(d.last_status_code),
    lastError: d.last_error,
    lastDurationMs: d.last_duration_ms === null ? null : Number(d.last_duration_ms),
    lastResponse: d.last_response,
    createdAt: d.created_at,
    completedAt: d.completed_at,
  };
}

export async function listDeliveries(ctx: AppContext, actor: Actor, endpointId: string, q: DeliveryQuery) {
  manage(actor, 'Reading webhook deliveries');
  await load(ctx, actor, endpointId);
  const limit = q.limit ?? 50;
  const rows = await repo.listDeliveries(ctx.db, endpointId, { status: q.status, before: q.before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { items: page.map(deliveryView), next: rows.length > limit ? page[page.length - 1]!.id : null };
}

async function loadDelivery(ctx: AppContext, actor: Actor, endpointId: string, deliveryId: string) {
  const endpoint = await load(ctx, actor, endpointId);
  const d = await repo.deliveryOf(ctx.db, endpointId, deliveryId);
  if (!d) throw notFound('Webhook delivery', deliveryId);
  return { endpoint, d };
}

export async function getDelivery(ctx: AppContext, actor: Actor, endpointId: string, deliveryId: string) {
  manage(actor, 'Reading webhook deliveries');
  const { d } = await loadDelivery(ctx, actor, endpointId, deliveryId);
  const attempts = await repo.attemptsOf(ctx.db, deliveryId);
  return {
    ...deliveryView(d),
    body: d.body,
    attemptLog: attempts.map((a) => ({
      attempt: Number(a.attempt),
      manual: Boolean(a.manual),
      ok: Boolean(a.ok),
      statusCode: a.status_code === null ? null : Number(a.status_code),
      durationMs: Number(a.duration_ms),
      responseExcerpt: a.response_excerpt,
      error: a.error,
      at: a.at,
    })),
  };
}

/** Sends a delivery again now, once, with the same event id and body (newly signed); audited. */
export async function redeliver(ctx: AppContext, actor: Actor, endpointId: string, deliveryId: string) {
  manage(actor, 'Redelivering a webhook event');
  const { endpoint, d } = await loadDelivery(ctx, actor, endpointId, deliveryId);
  if (d.status === 'pending') throw new DomainError('CONFLICT', 'This delivery is still being attempted; wait for its outcome', { reason: 'DELIVERY_PENDING' });
  await inTransaction(ctx.db, async (uow) => {
    await repo.updateDelivery(uow.tx, deliveryId, { status: 'pending', next_attempt_at: null, completed_at: null, updated_at: nowIso() });
    await ctx.jobs.enqueue(uow, 'webhooks.deliver', { deliveryId, manual: true }, { tenantId: actor.tenantId });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'webhook',
        resourceId: endpointId,
        action: 'WEBHOOK_REDELIVER',
        details: `Redelivered the ${d.event_type} event ${d.event_id} to the webhook ${endpoint.name} (${shownUrl(endpoint.url)})`,
      },
      uow.tx,
    );
  });
  return { deliveryId };
}

/** A `webhook.test` event to one endpoint (even a disabled one), sent once: checks the URL and the receiver's signature check. */
export async function sendTest(ctx: AppContext, actor: Actor, endpointId: string) {
  manage(actor, 'Testing a webhook');
  const endpoint = await load(ctx, actor, endpointId);
  const event = { id: newId(), type: TEST_EVENT, time: nowIso(), tenant: actor.tenantId, data: { endpointId, message: `A test event sent by ${actor.name}` } };
  const deliveryId = await inTransaction(ctx.db, async (uow) => {
    const [id] = await createDeliveries(ctx, uow, [endpoint.id], event, true);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'webhook',
        resourceId: endpointId,
        action: 'WEBHOOK_TEST',
        details: `Sent a test event to the webhook ${endpoint.name} (${shownUrl(endpoint.url)})`,
      },
      uow.tx,
    );
    return id!;
  });
  return { deliveryId };
}

async function createDeliveries(ctx: AppContext, uow: Uow, endpointIds: string[], event: { id: string; type: string; tenant: string }, manual: boolean) {
  const body = JSON.stringify(event);
  const now = nowIso();
  const ids: string[] = [];
  for (const endpointId of endpointIds) {
    const id = newId();
    await repo.insertDelivery(uow.tx, {
      id,
      tenant_id: event.tenant,
      endpoint_id: endpointId,
      event_id: event.id,
      event_type: event.type,
      body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_status_code: null,
      last_error: null,
      last_duration_ms: null,
      last_response: null,
      created_at: now,
      updated_at: now,
      completed_at: null,
    });
    await ctx.jobs.enqueue(uow, 'webhooks.deliver', { deliveryId: id, manual }, { tenantId: event.tenant });
    ids.push(id);
  }
  return ids;
}

// ---- jobs -----------------------------------------------------------------------------------------------------------

/** webhooks.dispatch: one delivery per enabled endpoint of the tenant that chose the event. */
export async function dispatchEvent(ctx: AppContext, event: DomainEvent) {
  const endpoints = (await repo.enabledEndpoints(ctx.db, event.tenant)).filter((e) => ctx.adapter.fromJson<string[]>(e.events).includes(event.type));
  if (!endpoints.length) return { deliveries: 0 };
  await inTransaction(ctx.db, (uow) =>
    createDeliveries(
      ctx,
      uow,
      endpoints.map((e) => e.id),
      event,
      false,
    ),
  );
  return { deliveries: endpoints.length };
}

/** The wait before retry `attempt + 1`: 30 s doubling to 4 h, ±10 % so a receiver coming back is not hit all at once. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** webhooks.deliver: one HTTP attempt of one delivery, logged; schedules the next attempt or settles the delivery. */
export async function deliver(ctx: AppContext, deliveryId: string, manual: boolean) {
  const d = await repo.getDelivery(ctx.db, deliveryId);
  if (!d || d.status !== 'pending') return { skipped: d?.status ?? 'gone' };
  const endpoint = await repo.endpointById(ctx.db, d.endpoint_id);
  if (!endpoint) return { skipped: 'endpoint deleted' };
  if (!endpoint.enabled && !manual) {
    const now = nowIso();
    await repo.updateDelivery(ctx.db, d.id, {
      status: 'failed',
      last_error: 'Not sent: the endpoint is disabled',
      next_attempt_at: null,
      completed_at: now,
      updated_at: now,
    });
    return { skipped: 'endpoint disabled' };
  }
  const outcome = await attempt(ctx, endpoint, d);
  const attemptNo = Number(d.attempts) + 1;
  const now = new Date();
  const nowS = now.toISOString();
  let disabled = false;
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    await repo.insertAttempt(tx, {
      id: newId(),
      delivery_id: d.id,
      attempt: attemptNo,
      manual: manual ? 1 : 0,
      ok: outcome.ok ? 1 : 0,
      status_code: outcome.statusCode,
      duration_ms: outcome.durationMs,
      response_excerpt: outcome.excerpt,
      error: outcome.error,
      at: nowS,
    });
    const last = {
      attempts: attemptNo,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      last_duration_ms: outcome.durationMs,
      last_response: outcome.excerpt,
      updated_at: nowS,
    };
    if (outcome.ok) {
      await repo.updateDelivery(tx, d.id, { ...last, status: 'succeeded', next_attempt_at: null, completed_at: nowS });
      await repo.recordSuccess(tx, endpoint.id, nowS);
      return;
    }
    const remaining = Date.parse(d.created_at) + RETRY_WINDOW_MS - now.getTime();
    if (!manual && remaining > 0) {
      const runAt = new Date(now.getTime() + Math.min(retryDelayMs(attemptNo), remaining));
      await repo.updateDelivery(tx, d.id, { ...last, next_attempt_at: runAt.toISOString() });
      await ctx.jobs.enqueue(uow, 'webhooks.deliver', { deliveryId: d.id, manual: false }, { tenantId: d.tenant_id, runAt });
    } else {
      await repo.updateDelivery(tx, d.id, { ...last, status: 'failed', next_attempt_at: null, completed_at: nowS });
    }
    await repo.recordFailure(tx, ctx.adapter, endpoint.id, nowS);
    disabled = await disableIfFailing(ctx, uow, endpoint.id, now, outcome);
  });
  return { ok: outcome.ok, statusCode: outcome.statusCode, attempt: attemptNo, ...(disabled ? { disabledEndpoint: true } : {}) };
}

async function attempt(ctx: AppContext, endpoint: repo.EndpointRow, d: repo.DeliveryRow): Promise<AttemptOutcome> {
  const policy = urlPolicy(ctx);
  const failed = (error: string): AttemptOutcome => ({ ok: false, statusCode: null, durationMs: 0, excerpt: null, error });
  let url: URL;
  let secrets: string[];
  try {
    // Judged again at send time: the server's policy may have changed since the URL was saved.
    url = checkUrlSyntax(endpoint.url, policy);
    const stillPrevious = endpoint.previous_secret && endpoint.previous_secret_until && endpoint.previous_secret_until > nowIso();
    secrets = [endpoint.secret, ...(stillPrevious ? [endpoint.previous_secret!] : [])].map((s) =>
      openSecret(ctx.keyring, endpoint.tenant_id, SECRET_PURPOSE, s),
    );
  } catch (err) {
    return failed((err as Error).message);
  }
  const headers = {
    'user-agent': 'Earshot-Webhooks/1',
    'earshot-event-id': d.event_id,
    'earshot-event-type': d.event_type,
    'earshot-delivery-id': d.id,
    [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secrets, d.body, Math.floor(Date.now() / 1000)),
  };
  return postJson(url, d.body, headers, policy);
}

/** After a failure: disables the endpoint once it has failed every attempt for 24 hours, audits it and e-mails the admins. */
async function disableIfFailing(ctx: AppContext, uow: Uow, endpointId: string, now: Date, outcome: AttemptOutcome): Promise<boolean> {
  const ep = await repo.endpointById(uow.tx, endpointId);
  if (!ep || !ep.enabled || !ep.failing_since) return false;
  const streak = Number(ep.failure_streak);
  if (streak < DISABLE_AFTER_ATTEMPTS || now.getTime() - Date.parse(ep.failing_since) < DISABLE_AFTER_MS) return false;
  const lastError = outcome.error ?? `HTTP ${outcome.statusCode}`;
  const reason = `Every delivery failed since ${ep.failing_since} (${streak} attempts in a row); the last error: ${lastError}`;
  await repo.updateEndpoint(uow.tx, ep.id, { enabled: 0, disabled_reason: reason, disabled_at: now.toISOString(), updated_at: now.toISOString() });
  await ctx.audit.append(
    {
      tenantId: ep.tenant_id,
      initiator: SYSTEM,
      resourceType: 'webhook',
      resourceId: ep.id,
      action: 'WEBHOOK_DISABLE',
      details: `Disabled the webhook ${ep.name} (${shownUrl(ep.url)}): ${reason}`,
      changes: [{ field: 'enabled', old: true, new: false }],
    },
    uow.tx,
  );
  const admins = await repo.usersWithPermission(uow.tx, ep.tenant_id, 'settings.manage', ctx.adapter.fromJson);
  const link = `${publicBaseUrl(ctx)}/admin/webhooks`;
  // Each administrator reads it in their language: their own, else their group's, else the organisation's.
  const languages = await languagesOf(
    uow.tx,
    ep.tenant_id,
    admins.map((a) => a.id),
  );
  for (const a of admins) {
    const mail = renderWebhookDisabledMail({
      lang: languages.get(a.id)?.language ?? 'en',
      recipientName: a.name,
      endpointName: ep.name,
      url: shownUrl(ep.url),
      failingSince: ep.failing_since,
      attempts: streak,
      lastError: outcome.error ?? null,
      statusCode: outcome.statusCode ?? null,
      link,
    });
    await queueEmail(ctx, uow, { tenantId: ep.tenant_id, userId: a.id, kind: 'webhook_disabled', to: a.email, ...mail });
  }
  return true;
}

/** webhooks.prune: finished deliveries older than 30 days leave the log. */
export async function pruneDeliveries(ctx: AppContext, now = Date.now()) {
  return { deleted: await repo.pruneDeliveries(ctx.db, new Date(now - KEEP_DELIVERIES_MS).toISOString()) };
}
