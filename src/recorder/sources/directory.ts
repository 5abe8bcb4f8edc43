// The recorder's view of the sources: which tenant a request belongs to (by source address/CIDR, or by the verified
// TLS identity on TLS), the tenant's party rules and extensions, and the refusal counter. Cached for a few seconds so
// a burst of INVITEs costs no query each, while an administrator's change takes effect almost at once.
import net from 'node:net';
import client from 'prom-client';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/index.ts';
import { registry } from '../../platform/metrics.ts';
import type { Remote } from '../sip/transport.ts';
import type { PartyContext, PartyRule } from '../siprec/parties.ts';
import { addRefusals, listEnabledSources, listPartyRules, touchSource, userExtensions, userGroup, type SourceRow } from './repository.ts';

const refusedTotal = new client.Counter({
  name: 'earshot_recorder_sip_refused_total',
  help: 'SIP requests the recorder refused, by reason (not_allowed = source not on any tenant allow-list)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export interface ResolvedSource {
  tenantId: string;
  sourceId: string;
  name: string;
  vendor: string;
}

interface CompiledSource {
  row: SourceRow;
  block: net.BlockList | null;
  prefix: number;
}

/** Parses an address or CIDR ("10.0.0.5", "10.0.0.0/24", "2001:db8::/32"); null when invalid. */
export function parseCidr(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [addr, bits] = value.trim().split('/') as [string, string | undefined];
  const family = net.isIPv4(addr) ? 'ipv4' : net.isIPv6(addr) ? 'ipv6' : null;
  if (!family) return null;
  const max = family === 'ipv4' ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null;
  const prefix = bits === undefined ? max : Number(bits);
  if (prefix > max) return null;
  return { address: addr, prefix, family };
}

function compile(row: SourceRow): CompiledSource {
  const c = row.address ? parseCidr(row.address) : null;
  if (!c) return { row, block: null, prefix: -1 };
  const block = new net.BlockList();
  block.addSubnet(c.address, c.prefix, c.family);
  return { row, block, prefix: c.prefix };
}

export class SourceDirectory {
  private sources: CompiledSource[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private readonly parties = new Map<string, { at: number; ctx: Omit<PartyContext, 'vendor' | 'callId'> }>();
  private pendingRefusals = new Map<string, { address: string; reason: string; transport: string; count: number; at: string }>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly ttlMs = 5000,
  ) {}

  private async load(force = false) {
    if (!force && Date.now() - this.loadedAt < this.ttlMs) return;
    this.loading ??= (async () => {
      try {
        this.sources = (await listEnabledSources(this.db)).map(compile);
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }

  /** Forgets the cache (an administrator changed sources or rules in this process). */
  invalidate() {
    this.loadedAt = 0;
    this.parties.clear();
  }

  /**
   * The source a request comes from. Over TLS a source with a TLS identity matches the verified certificate; any
   * source also matches by address (the most specific CIDR wins, then the oldest).
   */
  async resolve(remote: Remote): Promise<ResolvedSource | null> {
    await this.load();
    if (remote.transport === 'tls' && remote.tlsIdentities?.length) {
      const ids = new Set(remote.tlsIdentities);
      const byTls = this.sources.find((s) => s.row.tls_identity && ids.has(s.row.tls_identity.trim().toLowerCase()));
      if (byTls) return this.out(byTls);
    }
    const family = net.isIPv6(remote.address) ? 'ipv6' : 'ipv4';
    let best: CompiledSource | null = null;
    for (const s of this.sources) {
      // A source pinned to a TLS identity is only trusted through it.
      if (s.row.tls_identity && !s.row.address) continue;
      if (s.block?.check(remote.address, family) && (!best || s.prefix > best.prefix)) best = s;
    }
    return best ? this.out(best) : null;
  }

  private out(s: CompiledSource): ResolvedSource {
    return { tenantId: s.row.tenant_id, sourceId: s.row.id, name: s.row.name, vendor: s.row.vendor };
  }

  async partyContext(tenantId: string): Promise<Omit<PartyContext, 'vendor' | 'callId'>> {
    const hit = this.parties.get(tenantId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.ctx;
    const [rules, users] = await Promise.all([listPartyRules(this.db, tenantId), userExtensions(this.db, tenantId)]);
    const ctx = {
      rules: rules.map((r): PartyRule => ({
        kind: r.kind as PartyRule['kind'],
        value: r.value,
        valueTo: r.value_to,
        role: r.role as PartyRule['role'],
        userId: r.user_id,
      })),
      extensions: new Map(users.filter((u) => u.extension).map((u) => [u.extension!.trim(), u.id])),
    };
    this.parties.set(tenantId, { at: Date.now(), ctx });
    return ctx;
  }

  /** The group of an agent (the Live screen's group scope). */
  async groupOf(userId: string | null): Promise<string | null> {
    if (!userId) return null;
    return userGroup(this.db, userId);
  }

  touch(sourceId: string) {
    touchSource(this.db, sourceId, new Date().toISOString()).catch((err) => this.log.warn({ err }, 'recorder: could not update a source'));
  }

  /** Counts a refused request; written in batches so a flood of unknown traffic costs no write per packet. */
  refuse(remote: Remote, reason: string) {
    refusedTotal.inc({ reason });
    const key = `${remote.address}\n${reason}`;
    const at = new Date().toISOString();
    const cur = this.pendingRefusals.get(key);
    if (cur) {
      cur.count++;
      cur.at = at;
    } else if (this.pendingRefusals.size < 10_000) {
      this.pendingRefusals.set(key, { address: remote.address, reason, transport: remote.transport, count: 1, at });
    }
    this.flushTimer ??= setTimeout(() => void this.flush(), 2000);
  }

  async flush() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const rows = [...this.pendingRefusals.values()];
    this.pendingRefusals.clear();
    if (rows.length === 0) return;
    await addRefusals(this.db, rows).catch((err) => this.log.warn({ err }, 'recorder: could not count refused requests'));
  }
}
