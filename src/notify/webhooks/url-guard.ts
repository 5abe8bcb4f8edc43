// Which URLs a webhook may be sent to. A webhook makes this server send requests wherever an administrator says, so
// the URL is judged twice: when it is saved (scheme, credentials, literal addresses, what the name resolves to now)
// and at every delivery (the address the connection is about to use, so a name re-pointed at 127.0.0.1 after saving —
// DNS rebinding — is refused too). Refused unless EARSHOT_WEBHOOKS_ALLOW_PRIVATE: loopback, link-local (which holds
// cloud metadata services, 169.254.169.254), unspecified, multicast and broadcast addresses, and the server itself
// (its public URL's host and its own interface addresses). Private networks (10/8, 172.16/12, 192.168/16, fc00::/7)
// are allowed: a self-hosted contact center's CRM often lives there.
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import { DomainError } from '../../platform/errors.ts';

export type UrlRefusal = 'MALFORMED' | 'SCHEME' | 'CREDENTIALS' | 'LOOPBACK' | 'LINK_LOCAL' | 'UNSPECIFIED' | 'MULTICAST' | 'SELF';

export interface UrlPolicy {
  allowPrivate: boolean;
  /** Host names that are this server (its public URL's host, the listen host). */
  selfHosts: string[];
}

const refuse = (reason: UrlRefusal, message: string) => new DomainError('WEBHOOK_URL_REFUSED', message, { reason, field: 'url' });

const RANGES: Array<[UrlRefusal, string, number, 'ipv4' | 'ipv6']> = [
  ['LOOPBACK', '127.0.0.0', 8, 'ipv4'],
  ['LOOPBACK', '::1', 128, 'ipv6'],
  ['LINK_LOCAL', '169.254.0.0', 16, 'ipv4'],
  ['LINK_LOCAL', 'fe80::', 10, 'ipv6'],
  ['UNSPECIFIED', '0.0.0.0', 8, 'ipv4'],
  ['UNSPECIFIED', '::', 128, 'ipv6'],
  ['MULTICAST', '224.0.0.0', 4, 'ipv4'],
  ['MULTICAST', '255.255.255.255', 32, 'ipv4'],
  ['MULTICAST', 'ff00::', 8, 'ipv6'],
];
const LISTS = new Map<UrlRefusal, net.BlockList>();
for (const [reason, addr, prefix, family] of RANGES) {
  const list = LISTS.get(reason) ?? new net.BlockList();
  list.addSubnet(addr, prefix, family);
  LISTS.set(reason, list);
}

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is. */
function normalise(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** Why an IP address may not receive webhooks, or null. */
export function addressRefusal(rawIp: string): UrlRefusal | null {
  const ip = normalise(rawIp.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  const family = net.isIP(ip);
  if (!family) return null;
  for (const [reason, list] of LISTS) if (list.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return reason;
  if (ownAddresses().has(ip)) return 'SELF';
  return null;
}

function ownAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) out.add(normalise(i.address.replace(/%.*$/, '')));
  return out;
}

const WHY: Record<UrlRefusal, string> = {
  MALFORMED: 'is not a valid URL',
  SCHEME: 'must start with http:// or https://',
  CREDENTIALS: 'must not carry a user name or password (put a token in the path or query instead, or rely on the signature)',
  LOOPBACK: 'points at a loopback address',
  LINK_LOCAL: 'points at a link-local address (such as a cloud metadata service)',
  UNSPECIFIED: 'points at an unspecified address',
  MULTICAST: 'points at a multicast or broadcast address',
  SELF: 'points at this Earshot server itself',
};

export function refusalMessage(reason: UrlRefusal, what = 'The webhook URL'): string {
  return `${what} ${WHY[reason]}`;
}

/** Checks what can be checked without the network; returns the parsed URL. */
export function checkUrlSyntax(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('MALFORMED', refusalMessage('MALFORMED'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('SCHEME', refusalMessage('SCHEME'));
  if (url.username || url.password) throw refuse('CREDENTIALS', refusalMessage('CREDENTIALS'));
  if (!url.hostname) throw refuse('MALFORMED', refusalMessage('MALFORMED'));
  if (policy.allowPrivate) return url;
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) throw refuse('LOOPBACK', refusalMessage('LOOPBACK'));
  const literal = addressRefusal(host);
  if (literal) throw refuse(literal, refusalMessage(literal));
  if (policy.selfHosts.some((h) => h.toLowerCase() === host)) throw refuse('SELF', refusalMessage('SELF'));
  return url;
}

/**
 * The full check when saving: syntax, then the addresses the host name resolves to now (bounded wait). A name that
 * does not resolve is accepted — it may resolve where and when deliveries run; each delivery checks again.
 */
export async function checkUrl(raw: string, policy: UrlPolicy, timeoutMs = 1500): Promise<URL> {
  const url = checkUrlSyntax(raw, policy);
  if (policy.allowPrivate || net.isIP(url.hostname.replace(/^\[|\]$/g, ''))) return url;
  const addresses = await Promise.race([
    dns.promises.lookup(url.hostname, { all: true }).catch(() => [] as dns.LookupAddress[]),
    new Promise<dns.LookupAddress[]>((resolve) => setTimeout(() => resolve([]), timeoutMs).unref()),
  ]);
  for (const a of addresses) {
    const r = addressRefusal(a.address);
    if (r) throw refuse(r, `${refusalMessage(r)} (${url.hostname} resolves to ${a.address})`);
  }
  return url;
}

/** A `lookup` for http.request that refuses a blocked address at connection time (DNS rebinding). */
export function guardedLookup(policy: UrlPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error | null, a: string | dns.LookupAddress[], f?: number) => void)(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const allowed = policy.allowPrivate ? list : list.filter((a) => !addressRefusal(a.address));
      if (!allowed.length) {
        const r = addressRefusal(list[0]?.address ?? '') ?? 'LOOPBACK';
        const e = Object.assign(new Error(`${refusalMessage(r, 'The webhook host')} (${hostname} resolves to ${list.map((a) => a.address).join(', ')})`), {
          code: 'WEBHOOK_URL_REFUSED',
        });
        return (callback as (e: Error | null, a: string | dns.LookupAddress[], f?: number) => void)(e, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, allowed);
      return (callback as (e: null, a: string, f: number) => void)(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
