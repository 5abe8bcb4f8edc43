// The hash of one audit event: SHA-256 over a canonical JSON of every recorded field and the previous hash.
//
// Version 2 (migration 0035) chains a salted digest of the details and of each old/new value instead of the value
// itself, with the salts kept beside the values in `seals`. Anonymization can then erase a value from an earlier
// event: the value is overwritten and its salt replaced by its digest, so the event still hashes to what the chain
// recorded, while neither the value nor the salt that would let anyone test a guess against the digest survives.
// Everything but the values (who, when, what, which field) stays hashed in the clear. Version 1 events (before 0035,
// `seals` null) hash the values themselves and cannot be redacted without breaking the chain.
import { createHash, randomBytes } from 'node:crypto';
import type { AuditEventsTable } from '../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** A value's salt while it is present, or its digest once it was redacted. */
export type Seal = { s: string } | { d: string };

export interface AuditSeals {
  v: 2;
  details: Seal;
  /** One pair (old, new) per change, in order. */
  changes: Array<[Seal, Seal]>;
}

/** Every recorded field of an event except its own id and hash. */
export type ChainedFields = Omit<AuditEventsTable, 'id' | 'hash' | 'seals'>;

/** JSON with object keys sorted, so PostgreSQL jsonb key reordering never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The digest a sealed value contributes to the chain: salted, so a short value (a phone number) cannot be guessed. */
export const valueDigest = (salt: string, value: unknown) => sha256(`${salt}\n${canonicalJson(value ?? null)}`);

const digestOf = (seal: Seal, value: unknown) => ('d' in seal ? seal.d : valueDigest(seal.s, value));

type Change = { field: string; old: unknown; new: unknown };

/** Fresh salts for an event's details and values (128 bits each). */
export function newSeals(changes: readonly Change[] | null): AuditSeals {
  const n = changes?.length ?? 0;
  const hex = randomBytes(16 * (1 + 2 * n)).toString('hex');
  const salt = (i: number) => ({ s: hex.slice(i * 32, i * 32 + 32) });
  return { v: 2, details: salt(0), changes: Array.from({ length: n }, (_, i) => [salt(1 + 2 * i), salt(2 + 2 * i)] as [Seal, Seal]) };
}

/** Reads a stored seals value; null for version-1 events; throws on a shape no writer produces. */
export function parseSeals(raw: unknown): AuditSeals | null {
  if (raw === null || raw === undefined) return null;
  const s = raw as AuditSeals;
  const ok = (x: unknown) =>
    typeof x === 'object' && x !== null && (typeof (x as { s?: unknown }).s === 'string' || typeof (x as { d?: unknown }).d === 'string');
  if (s.v !== 2 || !ok(s.details) || !Array.isArray(s.changes) || !s.changes.every((p) => Array.isArray(p) && p.length === 2 && ok(p[0]) && ok(p[1])))
    throw new Error('malformed audit seals');
  return s;
}

export function eventHash(e: ChainedFields, seals: AuditSeals | null = null): string {
  // Who, when and what: hashed in the clear in both versions, in this order.
  const head = [
    e.chain,
    Number(e.seq),
    e.tenant_id,
    e.at,
    e.initiator_id,
    e.initiator_name,
    e.client_ip,
    e.application,
    e.resource_type,
    e.resource_id,
    e.action,
  ];
  if (!seals) return sha256(canonicalJson([...head, e.details, e.changes ?? null, e.prev_hash]));
  const changes = (e.changes ?? null) as Change[] | null;
  if ((changes?.length ?? 0) !== seals.changes.length) throw new Error('audit seals do not match the changes');
  const sealed = changes === null ? null : changes.map((c, i) => [c.field, digestOf(seals.changes[i]![0], c.old), digestOf(seals.changes[i]![1], c.new)]);
  return sha256(canonicalJson([2, ...head, digestOf(seals.details, e.details), sealed, e.prev_hash]));
}

/** Which of an event's values a redaction rewrote, and to what (the digest goes into the seal in its place). */
export interface Redaction {
  details?: string;
  changes?: Array<{ index: number; side: 'old' | 'new'; value: unknown }>;
}

/**
 * The event's new details, changes and seals after a redaction: each rewritten value's seal becomes the digest of the
 * value it replaces, so eventHash is unchanged. A value already redacted keeps its digest.
 */
export function applyRedaction(
  e: { details: string; changes: Change[] | null },
  seals: AuditSeals,
  r: Redaction,
): { details: string; changes: Change[] | null; seals: AuditSeals } {
  const next: AuditSeals = { v: 2, details: seals.details, changes: seals.changes.map((p) => [p[0], p[1]] as [Seal, Seal]) };
  const seal = (cur: Seal, value: unknown): Seal => ('d' in cur ? cur : { d: valueDigest(cur.s, value) });
  let details = e.details;
  if (r.details !== undefined && r.details !== e.details) {
    next.details = seal(seals.details, e.details);
    details = r.details;
  }
  const changes = e.changes ? e.changes.map((c) => ({ ...c })) : null;
  for (const c of r.changes ?? []) {
    const target = changes?.[c.index];
    if (!target) continue;
    const k = c.side === 'old' ? 0 : 1;
    next.changes[c.index]![k] = seal(seals.changes[c.index]![k], target[c.side]);
    target[c.side] = c.value;
  }
  return { details, changes, seals: next };
}
