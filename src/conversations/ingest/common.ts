// Shared by every ingest path: resolve parties, create or join the conversation, add the segment, refresh the summary.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, type Actor } from '../../auth/actor.ts';
import type { Tx } from '../../platform/db/index.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { SegmentsTable } from '../../platform/db/schema.ts';
import { resolveAgent, type ResolvedUser } from '../agents.ts';
import * as repo from '../repository.ts';
import { findConversationFor, type StitchKeys } from '../stitching.ts';
import { applyIngestCustomData } from '../custom-fields/service.ts';

/**
 * The scope rule (src/auth/actor.ts) for ingest: what is ingested lands in whichever group its agent belongs to, and a
 * segment joins an existing conversation of any group (stitching by call, engagement or thread), so ingest reaches the
 * whole tenant and is for an organisation-wide (integration) account only. Checked before an upload is read.
 */
export function assertCanIngest(actor: Actor) {
  assertWithinScope(actor, [null], 'Ingesting conversations');
}

export interface PartyIn {
  key: string;
  role: 'customer' | 'agent' | 'other';
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  extension?: string | null;
  externalId?: string | null;
}

export interface ResolvedParty extends PartyIn {
  user: ResolvedUser | null;
}

/** Digits with an optional leading +, so "+1 (555) 010-2030" and "+15550102030" compare equal. */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const plus = raw.trim().startsWith('+');
  const digits = raw.replace(/\D/g, '');
  return digits ? `${plus ? '+' : ''}${digits}` : null;
}

export async function resolveParties(ctx: AppContext, tenantId: string, parties: PartyIn[]): Promise<ResolvedParty[]> {
  const keys = new Set<string>();
  const out: ResolvedParty[] = [];
  for (const p of parties) {
    if (keys.has(p.key)) throw invalid(`The party key "${p.key}" is used twice`, { reason: 'DUPLICATE_PARTY' });
    keys.add(p.key);
    const user = p.role === 'agent' ? await resolveAgent(ctx.db, tenantId, p) : null;
    out.push({ ...p, phone: normalizePhone(p.phone), email: p.email?.trim().toLowerCase() || null, user });
  }
  return out;
}

export interface ConversationSeed {
  stitch: StitchKeys;
  engagementId: string | null;
  title: string;
  direction: string;
  parties: ResolvedParty[];
  primaryAgentKey?: string | null;
  customData?: Record<string, string>;
}

export type SegmentSeed = Omit<SegmentsTable, 'id' | 'tenant_id' | 'conversation_id' | 'created_at' | 'updated_at' | 'metadata'> & {
  metadata: Record<string, string>;
};

type PartyRow = { role: string; user_id: string | null; email: string | null; phone: string | null; extension: string | null; name: string | null };

/** The same person seen twice (a chat then a call of one contact): same role and any one identifier in common. */
function samePerson(a: PartyRow, b: PartyRow) {
  if (a.role !== b.role) return false;
  const eq = (x: string | null, y: string | null) => x !== null && y !== null && x.toLowerCase() === y.toLowerCase();
  return eq(a.user_id, b.user_id) || eq(a.email, b.email) || eq(a.phone, b.phone) || eq(a.extension, b.extension) || eq(a.name, b.name);
}

/** Inside the ingest transaction: find or create the conversation, add new participants and the segment. */
export async function attachSegment(ctx: AppContext, tx: Tx, tenantId: string, seed: ConversationSeed, segment: SegmentSeed) {
  const now = nowIso();
  let conversationId = await findConversationFor(tx, tenantId, seed.stitch);
  const agent = seed.parties.find((p) => p.key === seed.primaryAgentKey) ?? seed.parties.find((p) => p.role === 'agent');
  if (!conversationId) {
    conversationId = newId(Date.parse(segment.started_at) || Date.now());
    const customer = seed.parties.find((p) => p.role === 'customer');
    await repo.insertConversation(tx, {
      id: conversationId,
      tenant_id: tenantId,
      engagement_id: seed.engagementId,
      title: seed.title,
      direction: seed.direction,
      started_at: segment.started_at,
      ended_at: segment.ended_at,
      talk_time_ms: 0,
      has_call: 0,
      has_chat: 0,
      has_email: 0,
      has_screen: 0,
      reviewable: 0,
      agent_user_id: agent?.user?.id ?? null,
      group_id: agent?.user?.groupId ?? null,
      site_id: agent?.user?.siteId ?? null,
      customer_phone: customer?.phone ?? null,
      custom_data: ctx.adapter.json(seed.customData ?? {}),
      created_at: now,
      updated_at: now,
    });
  } else if (seed.customData && Object.keys(seed.customData).length) {
    const conv = await repo.getConversationRow(tx, tenantId, conversationId);
    const merged = { ...ctx.adapter.fromJson<Record<string, string>>(conv!.custom_data), ...seed.customData };
    await repo.updateConversation(tx, conversationId, { custom_data: ctx.adapter.json(merged) });
  }
  const existing: PartyRow[] = await repo.participantsOf(tx, [conversationId]);
  // Who each of this segment's party keys is: the legs of a transfer both say "agent" for two people.
  const partyIds = new Map<string, string>();
  for (const p of seed.parties) {
    const row = {
      id: newId(),
      conversation_id: conversationId,
      party_key: p.key,
      role: p.role,
      name: p.name ?? p.user?.name ?? null,
      phone: p.phone ?? null,
      email: p.email ?? null,
      extension: p.extension ?? null,
      external_id: p.externalId ?? null,
      user_id: p.user?.id ?? null,
      created_at: now,
    };
    const known = existing.find((e) => samePerson(e, row)) as (PartyRow & { id: string }) | undefined;
    if (known) {
      // Complete what the earlier segment did not know (a chat gave the email, the call gives the phone).
      const fill = Object.fromEntries(
        (['name', 'phone', 'email', 'extension', 'user_id'] as const).filter((k) => known[k] === null && row[k] !== null).map((k) => [k, row[k]]),
      );
      if (Object.keys(fill).length) {
        await tx.updateTable('conversation_participants').set(fill).where('id', '=', known.id).execute();
        Object.assign(known, fill);
      }
      partyIds.set(p.key, known.id);
      continue;
    }
    partyIds.set(p.key, row.id);
    existing.push(row);
    await repo.insertParticipant(tx, row);
  }
  await applyIngestCustomData(ctx, tx, tenantId, conversationId, seed.customData);
  // A segment joining a conversation that already carries data tags gets their pairs too.
  const dataTags = await tx
    .selectFrom('conversation_tags as ct')
    .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
    .select(['t.data_key', 't.data_value'])
    .where('ct.conversation_id', '=', conversationId)
    .where('t.data_key', 'is not', null)
    .execute();
  const metadata = { ...segment.metadata, ...Object.fromEntries(dataTags.map((d) => [d.data_key!, d.data_value ?? ''])) };
  const segmentId = newId(Date.parse(segment.started_at) || Date.now());
  try {
    await repo.insertSegment(tx, {
      ...segment,
      id: segmentId,
      tenant_id: tenantId,
      conversation_id: conversationId,
      metadata: ctx.adapter.json(metadata),
      created_at: now,
      updated_at: now,
    });
  } catch (err) {
    if (ctx.adapter.isUniqueViolation(err))
      throw new DomainError('CONFLICT', `${segment.kind} ${segment.external_id} is being ingested by another request`, { reason: 'CONCURRENT_INGEST' });
    throw err;
  }
  if (partyIds.size)
    await tx
      .insertInto('segment_parties')
      .values([...partyIds].map(([party_key, participant_id]) => ({ segment_id: segmentId, party_key, participant_id })))
      .execute();
  return { conversationId, segmentId };
}
