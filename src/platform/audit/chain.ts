// The hash of one audit event: SHA-256 over a canonical JSON of every recorded field and the previous hash.
import { createHash } from 'node:crypto';
import type { AuditEventsTable } from '../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Every recorded field of an event except its own id and hash. */
export type ChainedFields = Omit<AuditEventsTable, 'id' | 'hash'>;

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

export function eventHash(e: ChainedFields): string {
  const body = canonicalJson([
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
    e.details,
    e.changes ?? null,
    e.prev_hash,
  ]);
  return createHash('sha256').update(body).digest('hex');
}
