// Append-only, hash-chained audit trail: one chain per tenant ("system" for events without a tenant).
import type { DialectAdapter } from '../db/adapter.ts';
import type { Db, Executor, Tx } from '../db/index.ts';
import type { AuditEventsTable } from '../db/schema.ts';
import { newId, nowIso } from '../ids.ts';
import { GENESIS_HASH, applyRedaction, eventHash, newSeals, parseSeals, type AuditSeals } from './chain.ts';
import * as repo from './repository.ts';
import type { AuditEvent, AuditInput, FieldChange } from './types.ts';

export const SYSTEM_CHAIN = 'system';
const chainOf = (tenantId: string | null) => tenantId ?? SYSTEM_CHAIN;

interface Head {
  seq: number;
  hash: string;
}

interface Pending {
  input: AuditInput;
  resolve(e: AuditEvent): void;
  reject(err: unknown): void;
}

// Events of one group commit at most; the rest wait for the next transaction.
const GROUP_MAX = 200;

export class AuditLog {
  /** Chains whose head row is known to exist: their appends skip the INSERT … ON CONFLICT before locking it. */
  private readonly knownChains = new Set<string>();
  /** For each open transaction, the heads it holds locked and has appended to: its next events skip the lookup. */
  private readonly txHeads = new WeakMap<Tx, Map<string, Head>>();
  /** Appends made outside a transaction, per chain, waiting for the group commit in progress to finish. */
  private readonly queues = new Map<string, Pending[]>();

  constructor(
    private readonly db: Db,
    private readonly adapter: DialectAdapter,
  ) {}

  /**
   * Appends inside the caller's transaction when given one, so the event commits with the change it records.
   * Without one, the event commits on its own — together with the other events of its chain that arrive meanwhile
   * (one transaction, one INSERT), since every append to a chain waits for the lock on its head anyway.
   */
  async append(input: AuditInput, exec: Executor = this.db): Promise<AuditEvent> {
    if (exec.isTransaction) return (await this.appendIn(exec as Tx, [input]))[0]!;
    return new Promise<AuditEvent>((resolve, reject) => {
      const chain = chainOf(input.tenantId);
      const queue = this.queues.get(chain);
      if (queue) {
        queue.push({ input, resolve, reject });
        return;
      }
      this.queues.set(chain, [{ input, resolve, reject }]);
      void this.drain(chain);
    });
  }

  /** Several events of one unit of work, in order, with one INSERT per chain. */
  async appendMany(inputs: AuditInput[], exec: Executor = this.db): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    if (exec.isTransaction) return this.appendIn(exec as Tx, inputs);
    return (exec as Db).transaction().execute((tx) => this.appendIn(tx, inputs));
  }

  private async drain(chain: string): Promise<void> {
    const queue = this.queues.get(chain)!;
    while (queue.length > 0) {
      const group = queue.splice(0, GROUP_MAX);
      try {
        const events = await this.db.transaction().execute((tx) =>
          this.appendIn(
            tx,
            group.map((p) => p.input),
          ),
        );
        group.forEach((p, i) => p.resolve(events[i]!));
      } catch (err) {
        if (group.length === 1) group[0]!.reject(err);
        else {
          // One bad event must not fail the others: each again in a transaction of its own.
          for (const p of group) {
            await this.db
              .transaction()
              .execute((tx) => this.appendIn(tx, [p.input]))
              .then(
                (e) => p.resolve(e[0]!),
                (e: unknown) => p.reject(e),
              );
          }
        }
      }
    }
    this.queues.delete(chain);
  }

  private async appendIn(tx: Tx, inputs: AuditInput[]): Promise<AuditEvent[]> {
    const out: AuditEvent[] = new Array(inputs.length);
    const byChain = new Map<string, number[]>();
    inputs.forEach((input, i) => {
      const chain = chainOf(input.tenantId);
      byChain.set(chain, [...(byChain.get(chain) ?? []), i]);
    });
    let heads = this.txHeads.get(tx);
    if (!heads) this.txHeads.set(tx, (heads = new Map()));
    for (const [chain, indexes] of byChain) {
      const head = heads.get(chain) ?? (await this.lockHead(tx, chain));
      let { seq, hash } = head;
      const at = nowIso();
      const seals: AuditSeals[] = [];
      const rows: AuditEventsTable[] = indexes.map((i) => {
        const input = inputs[i]!;
        const changes = input.changes && input.changes.length > 0 ? input.changes : null;
        const row: AuditEventsTable = {
          id: newId(),
          chain,
          seq: ++seq,
          tenant_id: input.tenantId,
          at,
          initiator_id: input.initiator.userId,
          initiator_name: input.initiator.name,
          client_ip: input.initiator.ip,
          application: input.initiator.application,
          resource_type: input.resourceType,
          resource_id: input.resourceId ?? null,
          action: input.action,
          details: input.details,
          changes,
          prev_hash: hash,
          hash: '',
        };
        const sealed = newSeals(changes);
        seals.push(sealed);
        row.hash = hash = eventHash(row, sealed);
        return row;
      });
      await repo.insertEvents(
        tx,
        rows.map((r, k) => ({ ...r, changes: r.changes === null ? null : this.adapter.json(r.changes), seals: this.adapter.json(seals[k]) })),
      );
      // Guarded by the previous head, so a head moved by anything else (which the row lock rules out) fails loudly.
      if (!(await repo.advanceHead(tx, chain, head.seq, seq, hash))) throw new Error(`audit chain ${chain} moved during an append`);
      heads.set(chain, { seq, hash });
      rows.forEach((r, k) => (out[indexes[k]!] = this.toEvent(r)));
    }
    return out;
  }

  /** Locks the chain's head row for this transaction and reads it, creating it (at genesis) the first time. */
  private async lockHead(tx: Tx, chain: string): Promise<Head> {
    if (!this.knownChains.has(chain)) await repo.ensureHead(tx, chain, GENESIS_HASH);
    let head = await repo.chainHead(tx, this.adapter, chain);
    if (!head) {
      // Known from a transaction that was rolled back after creating it.
      await repo.ensureHead(tx, chain, GENESIS_HASH);
      head = await repo.chainHead(tx, this.adapter, chain);
    }
    this.knownChains.add(chain);
    return { seq: Number(head!.seq), hash: head!.hash };
  }

  async find(filter: repo.AuditFilter): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const rows = await repo.findEvents(this.db, this.adapter, { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const more = rows.length > filter.limit;
    return { items: page.map((r) => this.toEvent(r)), nextCursor: more ? String(page[page.length - 1]!.seq) : null };
  }

  /** The resource types and actions that occur in a tenant's trail, sorted: the Audit screen's filter suggestions. */
  async vocabulary(tenantId: string): Promise<{ resourceTypes: string[]; actions: string[] }> {
    const [resourceTypes, actions] = await Promise.all([
      repo.distinctValues(this.db, tenantId, 'resource_type'),
      repo.distinctValues(this.db, tenantId, 'action'),
    ]);
    return { resourceTypes, actions };
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
      let recomputed: string;
      try {
        recomputed = eventHash({ ...r, seq, changes: this.adapter.fromJson(r.changes) }, parseSeals(this.adapter.fromJson(r.seals ?? null)));
      } catch {
        return broken('its seals do not match its values (altered)');
      }
      if (recomputed !== r.hash) return broken('contents do not match the recorded hash (altered)');
      prev = r.hash;
      expectSeq++;
      checked++;
    }
    const head = await repo.getHead(this.db, chain);
    if (head && (Number(head.seq) !== expectSeq - 1 || head.hash !== prev)) {
      return {
        intact: false,
        checked,
        firstBroken: { id: null, seq: expectSeq, reason: `events after ${expectSeq - 1} are missing (chain head is at ${head.seq})` },
      };
    }
    return { intact: true, checked, firstBroken: null };
  }

  /**
   * Erases values from earlier events of these conversations, inside the caller's transaction (anonymization): `erase`
   * returns a text with the erased values replaced by placeholders (the same text when it holds none). Details and
   * every string inside old/new values go through it; a rewritten value's salt becomes its digest (chain.ts), so the
   * chain still verifies. Version-1 events (from before migration 0035) hash their values directly: they are left
   * as they are and counted in `legacy`.
   */
  async redactConversationEvents(
    tx: Tx,
    tenantId: string,
    conversationIds: readonly string[],
    erase: (text: string) => string,
  ): Promise<{ redacted: number[]; legacy: number[] }> {
    const redacted: number[] = [];
    const legacy: number[] = [];
    const deep = (v: unknown): unknown => {
      if (typeof v === 'string') return erase(v);
      if (Array.isArray(v)) return v.map(deep);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]));
      return v;
    };
    for (const r of await repo.conversationEvents(tx, tenantId, conversationIds)) {
      const changes = r.changes == null ? null : this.adapter.fromJson<FieldChange[]>(r.changes);
      const details = erase(r.details);
      const rewritten: Array<{ index: number; side: 'old' | 'new'; value: unknown }> = [];
      (changes ?? []).forEach((c, index) => {
        for (const side of ['old', 'new'] as const) {
          const value = deep(c[side]);
          if (JSON.stringify(value) !== JSON.stringify(c[side])) rewritten.push({ index, side, value });
        }
      });
      if (details === r.details && rewritten.length === 0) continue;
      const seals = parseSeals(this.adapter.fromJson(r.seals ?? null));
      if (!seals) {
        legacy.push(Number(r.seq));
        continue;
      }
      const next = applyRedaction({ details: r.details, changes }, seals, { details, changes: rewritten });
      await repo.rewriteValues(tx, r.id, {
        details: next.details,
        changes: next.changes === null ? null : this.adapter.json(next.changes),
        seals: this.adapter.json(next.seals),
      });
      redacted.push(Number(r.seq));
    }
    return { redacted, legacy };
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
