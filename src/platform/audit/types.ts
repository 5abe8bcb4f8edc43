export type Application = 'web' | 'api' | 'cli' | 'system';

/** Who did something, as the audit trail records it. */
export interface Initiator {
  userId: string | null;
  name: string;
  ip: string | null;
  application: Application;
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface AuditInput {
  tenantId: string | null;
  initiator: Initiator;
  resourceType: string;
  resourceId?: string | null;
  action: string;
  details: string;
  changes?: FieldChange[] | null;
}

export interface AuditEvent {
  id: string;
  seq: number;
  at: string;
  tenantId: string | null;
  initiatorId: string | null;
  initiatorName: string;
  clientIp: string | null;
  application: string;
  resourceType: string;
  resourceId: string | null;
  action: string;
  details: string;
  changes: FieldChange[] | null;
}

/** The fields of `after` that differ from `before`, among `fields`. */
export function diffFields<T extends object>(before: T, after: Partial<T>, fields: Array<keyof T & string>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of fields) {
    if (!(f in after) || after[f] === undefined) continue;
    const o = before[f] ?? null;
    const n = after[f] ?? null;
    if (JSON.stringify(o) !== JSON.stringify(n)) out.push({ field: f, old: o, new: n });
  }
  return out;
}
