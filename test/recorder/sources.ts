// The recorder tests' SIPREC set-up: a source the recorder accepts calls from (the loopback SBC, or a TLS identity)
// and the party rule that makes the scenarios' cc.example.com participants agents.
import type { Executor } from '../../src/platform/db/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { insertPartyRule, insertSource } from '../../src/recorder/sources/repository.ts';

export async function allowSource(db: Executor, tenantId: string, opts: { name?: string; address?: string | null; tlsIdentity?: string } = {}) {
  const now = new Date().toISOString();
  await insertSource(db, {
    id: newId(),
    tenant_id: tenantId,
    name: opts.name ?? 'Loopback SBC',
    address: opts.address === undefined ? '127.0.0.1/32' : opts.address,
    tls_identity: opts.tlsIdentity ?? null,
    vendor: 'generic',
    ping_uri: null,
    enabled: 1,
    calls: 0,
    last_seen_at: null,
    created_by: null,
    created_at: now,
    updated_at: now,
  });
}

/** Participants at `domain` are agents; everyone else is a customer. */
export async function agentsAtDomain(db: Executor, tenantId: string, domain = 'cc.example.com') {
  const now = new Date().toISOString();
  await insertPartyRule(db, {
    id: newId(),
    tenant_id: tenantId,
    position: 1,
    kind: 'domain',
    value: domain,
    value_to: null,
    role: 'agent',
    user_id: null,
    created_by: null,
    created_at: now,
    updated_at: now,
  });
}

/** The SIP side of a recorder on 127.0.0.1: UDP on a free port only, one RTP worker, no session limit. */
export const loopbackUdpSip = (node: string) => ({
  host: '127.0.0.1',
  udpPort: 0,
  tcpPort: null,
  tlsPort: null,
  tls: null,
  advertisedAddress: '127.0.0.1',
  node,
  maxSessionMs: 0,
  rtp: { portMin: 20000, portMax: 29999, workers: 1 },
});
