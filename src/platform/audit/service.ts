// Append-only, hash-chained audit trail: one chain per tenant ("system" for events without a tenant).
import type { DialectAdapter } from '../db/adapter.ts';
import type { Db, Executor, Tx } from '../db/index.ts';
import type { AuditEventsTable } from '../db/schema.ts';
import { newId, nowIso } from '../ids.ts';
import { GENESIS_HASH, eventHash } from './chain.ts';
import * as repo from './repository.ts';
import type { AuditEvent, AuditInput, FieldChange } from './types.ts';

export const SYSTEM_CHAIN = 'system';
const chainOf = (tenantId: string | null) => tenantId ?? SYSTEM_CHAIN;

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly adapter: DialectAdapter,
  ) {}

  /** Appends inside the caller's transaction when given one, so the event commits with the change it records. */
  async append(input: AuditInput, exec: Executor = this.db): Promise<AuditEvent> {
    if (exec.isTransaction) return this.appendIn(exec as Tx, input);
    return (exec as Db).transaction().execute((tx) => this.appendIn(tx, input));
  }

  private async appendIn(tx: Tx, input: AuditInput): Promise<AuditEvent> {
    const chain = chainOf(input.tenantId);
    await repo.ensureHead(tx, chain, GENESIS_HASH);
    const head = await repo.chainHead(tx, this.adapter, chain);
    const seq = Number(head!.seq) + 1;
    const row: AuditEventsTable = {
      id: newId(),
      chain,
      seq,
      tenant_id: input.tenantId,
      at: nowIso(),
      initiator_id: input.initiator.userId,
      initiator_name: input.initiator.name,
      client_ip: input.initiator.ip,
      application: input.initiator.application,
      resource_type: input.resourceType,
      resource_id: input.resourceId ?? null,
      action: input.action,
      details: input.details,
      changes: input.changes && input.changes.length > 0 ? input.changes : null,
      prev_hash: head!.hash,
      hash: '',
    };
    row.hash = eventHash(row);
    await repo.insertEvent(tx, { ...row, changes: row.changes === null ? null : this.adapter.json(row.changes) });
    await repo.setHead(tx, chain, seq, row.hash);
    return this.toEvent(row);
  }

  async find(filter: repo.AuditFilter): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const rows = await repo.findEvents(this.db, this.adapter, { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const more = rows.length > filter.limit;
    return { items: page.map((r) => this.toEvent(r)), nextCursor: more ? String(page[page.length - 1]!.seq) : null };
  }

  /** Walks a chain, recomputing every hash; a removed, inserted or altered event breaks it. */
  async verifyChain(chain: string): Promise<{ intact: boolean; checked: number; firstBroken: { id: string | null; seq: number; reason: string } | null }> {
    let prev = GENESIS_HASH;
    let expectSeq = 1;
    let checked = 0;
    for await (const r of repo.streamChain(this.db, chain)) {
      const seq = Number(r.seq);
      const broken = (reason: string) => ({ intact: false, checked, firstBroken: { id: r.id, seq, reason } });
      if (seq !== expectSeq) return broken(`event ${expectSeq}${seq > expectSeq + 1 ? `–${seq - 1}` : ''} is missing`);
      if (r.prev_hash !== prev) return broken('previous-hash link does not match the event before it');
      const recomputed = eventHash({ ...r, seq, changes: this.adapter.fromJson(r.changes) });
      if (recomputed !== r.hash) return broken('contents do not match the recorded hash (altered)');
      prev = r.hash;
      expectSeq++;
      checked++;
    }
    const head = await repo.getHead(this.db, chain);
    if (head && (Number(head.seq) !== expectSeq - 1 || head.hash !== prev)) {
      return { intact: false, checked, firstBroken: { id: null, seq: expectSeq, reason: `events after ${expectSeq - 1} are missing (chain head is at ${head.seq})` } };
    }
    return { intact: true, checked, firstBroken: null };
  }

  async verifyAllChains() {
    const out: Array<{ chain: string } & Awaited<ReturnType<AuditLog['verifyChain']>>> = [];
    for (const chain of await repo.listChains(this.db)) out.push({ chain, ...(await this.verifyChain(chain)) });
    return out;
  }

  private toEvent(r: AuditEventsTable): AuditEvent {
    return {
      id: r.id,
      seq: Number(r.seq),
      at: r.at,
      tenantId: r.tenant_id,
      initiatorId: r.initiator_id,
      initiatorName: r.initiator_name,
      clientIp: r.client_ip,
      application: r.application,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      action: r.action,
      details: r.details,
      changes: r.changes == null ? null : this.adapter.fromJson<FieldChange[]>(r.changes),
    };
  }
}
