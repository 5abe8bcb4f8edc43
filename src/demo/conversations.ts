// The demo conversations: about 2,000 calls, chats and email threads over the last 90 days, ingested through the same
// ingest services as the API (so the data is real: encrypted media, stitching, threading, audit), a few at a time,
// then tagged, commented and filled in by the demo's manager, evaluator and admin.
import type { AppContext } from '../context.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { actorFor } from '../auth/session-service.ts';
import * as authRepo from '../auth/repository.ts';
import { ingestCall } from '../conversations/ingest/calls.ts';
import { ingestChat } from '../conversations/ingest/chats.ts';
import { ingestEmail } from '../conversations/ingest/emails.ts';
import { ingestScreen } from '../conversations/ingest/screens.ts';
import * as convRepo from '../conversations/repository.ts';
import { createComment } from '../conversations/comments/service.ts';
import * as commentsRepo from '../conversations/comments/repository.ts';
import { applyIngestCustomData, createField, setValues } from '../conversations/custom-fields/service.ts';
import * as fieldsRepo from '../conversations/custom-fields/repository.ts';
import type { CustomFieldCreate } from '../conversations/custom-fields/schemas.ts';
import { applyTag, ensureDemoTags } from '../conversations/tags/service.ts';
import { ensureDemoSpeechTags } from '../speech/tags/service.ts';
import * as tagsRepo from '../conversations/tags/repository.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { CallRenderer } from './audio.ts';
import { loadSourceCalls } from './corpus.ts';
import { CUSTOM_FIELDS, withMention } from './notes.ts';
import { DEMO_AGENTS, SITE_TIME_ZONES, customerPool } from './people.ts';
import { CallPlanner, type CallMix } from './plan-calls.ts';
import { ChatPlanner } from './plan-chats.ts';
import { EmailPlanner } from './plan-emails.ts';
import { Rng } from './random.ts';
import { Scheduler } from './schedule.ts';
import { ScreenVideos } from './screens.ts';
import type { AgentRef, Annotations, ConversationPlan, Reviewer, Staff } from './types.ts';

export const DEMO_SEED = 20260131;

/** The full demo: 2,040 conversations. `scale` shrinks it for quick tests (the special cases stay). */
export function demoCounts(scale = 1) {
  const n = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  const calls: CallMix = {
    total: n(720, 60),
    transfers: n(22, 3),
    consults: n(8, 2),
    long: n(10, 2),
    unknownAgent: n(12, 2),
    screens: scale >= 0.5 ? [3, 2, 1, 1, 1, 1] : [2, 1],
  };
  return { calls, chats: n(650, 20), emails: n(670, 20) };
}

export interface SeedConversationsOptions {
  /** 1 = the full demo (default); smaller for tests. */
  scale?: number;
  /** The corpus folder (default ../shared/corpus/public from the repository root); generated audio when absent. */
  corpusDir?: string;
  /**
   * Ingests running at once (default 6). SQLite work is serial anyway; the overlap hides each media object's fsync
   * and the ffmpeg runs, which dominate the wall time at 2–4.
   */
  concurrency?: number;
  /** Progress lines; default: a status line on stderr when it is a terminal. */
  onProgress?: (p: SeedProgress) => void;
  now?: Date;
}

export interface SeedProgress {
  done: number;
  total: number;
  phase: 'setup' | 'ingest' | 'done';
  /** With phase 'done'. */
  result?: SeedConversationsResult;
}

export interface SeedConversationsResult {
  skipped: boolean;
  conversations: number;
  calls: number;
  callSegments: number;
  chats: number;
  emailThreads: number;
  emails: number;
  screens: number;
  tags: number;
  comments: number;
  fieldValues: number;
  mediaBytes: number;
  syntheticAudio: boolean;
  ms: number;
}

const SEEDED_MARK = 'demoConversationsSeededAt';

/** Whether a demo seed ran to its end; an interrupted one (first start stopped early) resumes on the next start. */
export async function demoConversationsSeeded(ctx: AppContext, tenantId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return Boolean(row && ctx.adapter.fromJson<Record<string, unknown>>(row.settings)?.[SEEDED_MARK]);
}

async function markSeeded(ctx: AppContext, tenantId: string) {
  const row = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const settings = { ...ctx.adapter.fromJson<Record<string, unknown>>(row.settings), [SEEDED_MARK]: new Date().toISOString() };
  await ctx.db
    .updateTable('tenants')
    .set({ settings: ctx.adapter.json(settings) })
    .where('id', '=', tenantId)
    .execute();
}

async function loadStaff(ctx: AppContext, tenantId: string, staffEmails: { manager: string; evaluator: string; admin: string }): Promise<Staff> {
  const sites = new Map((await authRepo.listSites(ctx.db, tenantId)).map((s) => [s.name, s.time_zone]));
  const agents: AgentRef[] = [];
  for (const a of DEMO_AGENTS) {
    const u = await authRepo.findUserByEmail(ctx.db, tenantId, a.email);
    if (!u) continue;
    agents.push({ ...a, id: u.id, timeZone: sites.get(a.site) ?? SITE_TIME_ZONES[a.site] });
  }
  const ref = async (email: string) => {
    const u = await authRepo.findUserByEmail(ctx.db, tenantId, email);
    if (!u) throw new Error(`The demo user ${email} is missing`);
    return { id: u.id, name: u.name };
  };
  return { agents, manager: await ref(staffEmails.manager), evaluator: await ref(staffEmails.evaluator), admin: await ref(staffEmails.admin) };
}

/** Defines the demo's tags and custom fields (idempotent). */
async function ensureDefinitions(ctx: AppContext, actor: Actor) {
  await inTransaction(ctx.db, ({ tx }) => ensureDemoTags(ctx, tx, actor.tenantId));
  await inTransaction(ctx.db, ({ tx }) => ensureDemoSpeechTags(ctx, tx, actor.tenantId));
  for (const f of CUSTOM_FIELDS) {
    if (await fieldsRepo.findDefinitionByKey(ctx.db, actor.tenantId, f.key)) continue;
    const input: CustomFieldCreate = { key: f.key, label: f.label, type: f.type, showInList: f.showInList, ...(f.options ? { options: [...f.options] } : {}) };
    await createField(ctx, actor, input);
  }
}

/** Runs fn over the items, `concurrency` at a time; after a failure starts nothing new, lets the running ones end, rethrows. */
async function runPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      try {
        await fn(items[next++]!);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
}

function terminalProgress(): ((p: SeedProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    if (p.phase === 'setup') {
      process.stderr.write('\r\x1b[KPreparing the demo conversations…');
      return;
    }
    if (p.phase === 'done') {
      const r = p.result;
      process.stderr.write('\r\x1b[K');
      if (r) {
        process.stderr.write(
          `Created ${r.conversations} demo conversations (${r.calls} calls, ${r.chats} chats, ${r.emailThreads} email threads, ${r.screens} screen recordings; ` +
            `${(r.mediaBytes / 1e6).toFixed(0)} MB of media) in ${(r.ms / 1000).toFixed(1)} s\n`,
        );
      }
      return;
    }
    if (Date.now() - last < 150 && p.done !== p.total) return;
    last = Date.now();
    const width = 30;
    const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
    process.stderr.write(`\r\x1b[KCreating demo conversations [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}`);
  };
}

export async function seedDemoConversations(
  ctx: AppContext,
  tenantId: string,
  staffEmails: { manager: string; evaluator: string; admin: string },
  opts: SeedConversationsOptions = {},
): Promise<SeedConversationsResult> {
  const t0 = Date.now();
  const result: SeedConversationsResult = {
    skipped: false,
    conversations: 0,
    calls: 0,
    callSegments: 0,
    chats: 0,
    emailThreads: 0,
    emails: 0,
    screens: 0,
    tags: 0,
    comments: 0,
    fieldValues: 0,
    mediaBytes: 0,
    syntheticAudio: false,
    ms: 0,
  };
  if (await demoConversationsSeeded(ctx, tenantId)) return { ...result, skipped: true, ms: Date.now() - t0 };
  const progress = opts.onProgress ?? terminalProgress();
  progress?.({ done: 0, total: 0, phase: 'setup' });
  const now = opts.now ?? new Date();
  const seeder = systemActor(tenantId, 'Demo seed', 'cli');
  const staff = await loadStaff(ctx, tenantId, staffEmails);
  await ensureDefinitions(ctx, seeder);
  const reviewers: Record<Reviewer, Actor> = {
    manager: (await actorFor(ctx, staff.manager.id, { ip: null, application: 'cli' }))!,
    evaluator: (await actorFor(ctx, staff.evaluator.id, { ip: null, application: 'cli' }))!,
    admin: (await actorFor(ctx, staff.admin.id, { ip: null, application: 'cli' }))!,
  };
  const tagIds = new Map((await tagsRepo.listDefinitions(ctx.db, tenantId)).map((t) => [t.name, t.id]));

  // Plan everything first, deterministically; then ingest in time order, a few at a time.
  const sources = loadSourceCalls(opts.corpusDir);
  result.syntheticAudio = sources.some((s) => s.synthetic);
  const rng = new Rng(DEMO_SEED);
  const scheduler = new Scheduler(now);
  const customers = customerPool(rng.fork('customers'));
  const counts = demoCounts(opts.scale);
  const plans: ConversationPlan[] = [
    ...new CallPlanner(sources, staff.agents, customers, scheduler, now).plan(rng.fork('calls'), counts.calls),
    ...new ChatPlanner(staff.agents, customers, scheduler, now).plan(rng.fork('chats'), counts.chats),
    ...new EmailPlanner(staff.agents, customers, scheduler, now).plan(rng.fork('emails'), counts.emails),
  ].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.key < b.key ? -1 : 1));

  const renderer = new CallRenderer(sources);
  const videos = new ScreenVideos();
  // Start the screen videos now: ffmpeg runs while the first calls are ingested.
  for (const p of plans) if (p.kind === 'call') for (const s of p.screens) videos.get(s.durationS, s.monitor);

  const agentById = new Map(staff.agents.map((a) => [a.id, a]));
  let done = 0;
  const ingestOne = async (plan: ConversationPlan) => {
    let conversationId: string;
    // Ingest is idempotent; a conversation a resumed seed finds already there keeps the notes it got then.
    let fresh = false;
    if (plan.kind === 'call') {
      let first: string | null = null;
      for (const seg of plan.segments) {
        const audio = renderer.render(seg.pieces, seg.render);
        const file = { fieldName: 'audio', fileName: seg.meta.audio![0]!.file, contentType: 'audio/wav', data: audio.wav };
        const r = await ingestCall(ctx, seeder, seg.meta, [file]);
        fresh ||= !r.duplicate;
        first ??= r.conversationId;
        result.callSegments++;
        result.mediaBytes += audio.wav.length;
      }
      conversationId = first!;
      // The Cisco ID comes from the CTI data of the call, as an integration would send it.
      const cisco = plan.segments[0]!.meta.customData?.cisco_id;
      if (cisco) await inTransaction(ctx.db, ({ tx }) => applyIngestCustomData(ctx, tx, tenantId, conversationId, { cisco_id: cisco }));
      for (const s of plan.screens) {
        const video = await videos.get(s.durationS, s.monitor);
        if (!video) continue;
        await ingestScreen(ctx, seeder, { callId: s.callId, monitor: s.monitor, startTime: s.startTime }, [
          { fieldName: 'video', fileName: `screen-${s.monitor + 1}.mp4`, contentType: 'video/mp4', data: video },
        ]);
        result.screens++;
        result.mediaBytes += video.length;
      }
      result.calls++;
    } else if (plan.kind === 'chat') {
      const r = await ingestChat(ctx, seeder, plan.input);
      fresh = !r.duplicate;
      conversationId = r.conversationId;
      result.chats++;
    } else {
      let id: string | null = null;
      for (const m of plan.messages) {
        const r = await ingestEmail(ctx, seeder, Buffer.from(m.raw), m.sourceUrl ? { sourceUrl: m.sourceUrl } : {});
        fresh ||= !r.duplicate;
        id = r.conversationId;
        result.emails++;
      }
      conversationId = id!;
      result.emailThreads++;
    }
    if (fresh) await annotate(ctx, conversationId, plan.notes, reviewers, tagIds, agentById, result);
    done++;
    progress?.({ done, total: plans.length, phase: 'ingest' });
  };
  await runPool(plans, opts.concurrency ?? 6, ingestOne);
  await markSeeded(ctx, tenantId);
  result.conversations = Number(
    (
      await ctx.db
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  result.ms = Date.now() - t0;
  progress?.({ done, total: plans.length, phase: 'done', result });
  return result;
}

/** Tags, comments and custom field values by the demo's people, dated shortly after the conversation. */
async function annotate(
  ctx: AppContext,
  conversationId: string,
  notes: Annotations,
  reviewers: Record<Reviewer, Actor>,
  tagIds: Map<string, string>,
  agents: Map<string, AgentRef>,
  result: SeedConversationsResult,
) {
  const conv = await convRepo.getConversationRow(ctx.db, reviewers.admin.tenantId, conversationId);
  if (!conv) return;
  if (!notes.tags.length && !notes.comments.length && !Object.keys(notes.fields).length) {
    // Nobody touched it since it ended: its last update is its end, not the time of the seed.
    await convRepo.updateConversation(ctx.db, conversationId, { updated_at: conv.ended_at });
    return;
  }
  // Conversations of no known agent are outside every group: only the admin (tenant-wide) sees them.
  const who = (r: Reviewer) => (conv.group_id ? reviewers[r] : reviewers.admin);
  const at = notes.at.toISOString();
  const agent = conv.agent_user_id ? (agents.get(conv.agent_user_id) ?? null) : null;
  for (const t of notes.tags) {
    const tagId = tagIds.get(t.name);
    if (!tagId) continue;
    await applyTag(ctx, who(t.by), conversationId, { tagId, ...(t.comment ? { comment: t.comment } : {}) });
    const applied = await tagsRepo.getConversationTag(ctx.db, conversationId, tagId);
    if (applied) await tagsRepo.updateConversationTag(ctx.db, applied.id, { created_at: at, updated_at: at });
    result.tags++;
  }
  for (const c of notes.comments) {
    const offsetMs = c.offsetMs !== undefined && conv.has_call ? Math.min(c.offsetMs, Number(conv.talk_time_ms)) : null;
    const view = await createComment(ctx, who(c.by), conversationId, {
      text: withMention(c.text, agent),
      offsetMs,
      pinned: !!c.pinned,
      visibility: c.private ? 'private' : 'public',
    });
    await commentsRepo.updateComment(ctx.db, view.id, { created_at: at, updated_at: at });
    result.comments++;
  }
  if (Object.keys(notes.fields).length) {
    await setValues(ctx, who('manager'), conversationId, { values: notes.fields });
    result.fieldValues += Object.keys(notes.fields).length;
  }
  // The conversation was last touched then, not at seed time.
  await convRepo.updateConversation(ctx.db, conversationId, { updated_at: at });
}
