// EARSHOT_SIP_* settings of the recorder role (validated at boot with the rest of the config; README lists them).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { ConfigError } from '../../config.ts';

export interface SipConfig {
  /** Interface the SIP listeners bind to. */
  host: string;
  /** UDP and TCP port (null: that transport is off). */
  udpPort: number | null;
  tcpPort: number | null;
  /** TLS port (null unless a certificate and key are configured). */
  tlsPort: number | null;
  tls: { certFile: string; keyFile: string; caFile: string | undefined } | null;
  /** The address SRCs reach us at: Contact, Via and the SDP origin (default: the bind host, or the first non-internal IPv4). */
  advertisedAddress: string;
  /** This recorder's name in recorder_calls.node (stable across restarts: its open calls are finalised on restart). */
  node: string;
  /** A call with no SIP request for this long and no session timer is ended (0 = never). */
  maxSessionMs: number;
  /** RTP: the port range the media workers share, and how many workers (default: one per core). */
  /** `receive`: EARSHOT_RTP_RECEIVE, read by the RTP workers themselves (they inherit the environment). */
  rtp: { portMin: number; portMax: number; workers: number | undefined; receive?: 'batch' | 'dgram' };
  /** Cross-process listen-in (live/remote.ts): the internal endpoint; null without EARSHOT_RECORDER_SECRET. */
  listen?: { secret: string; host: string; port: number; url: string | null } | null;
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number | null): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.trim().toLowerCase() === 'off') return null;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a port number or "off", got "${raw}"`);
  const n = Number(raw);
  if (n > 65535) throw new ConfigError(name, `must be between 0 and 65535, got ${n}`);
  return n;
}

function readable(file: string, name: string): string {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ConfigError(name, `cannot read ${file}`);
  }
  return file;
}

function firstExternalIPv4(): string | null {
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  return null;
}

export function loadSipConfig(env: Env): SipConfig {
  const host = env.EARSHOT_SIP_HOST?.trim() || '0.0.0.0';
  if (!net.isIP(host)) throw new ConfigError('EARSHOT_SIP_HOST', `expected an IP address to bind to, got "${host}"`);
  const sipPort = port(env, 'EARSHOT_SIP_PORT', 5060);
  const cert = env.EARSHOT_SIP_TLS_CERT?.trim();
  const key = env.EARSHOT_SIP_TLS_KEY?.trim();
  if (!!cert !== !!key) throw new ConfigError(cert ? 'EARSHOT_SIP_TLS_KEY' : 'EARSHOT_SIP_TLS_CERT', 'SIP over TLS needs both a certificate and a key');
  const ca = env.EARSHOT_SIP_TLS_CA?.trim() || undefined;
  const tls =
    cert && key
      ? {
          certFile: readable(cert, 'EARSHOT_SIP_TLS_CERT'),
          keyFile: readable(key, 'EARSHOT_SIP_TLS_KEY'),
          caFile: ca ? readable(ca, 'EARSHOT_SIP_TLS_CA') : undefined,
        }
      : null;
  const advertised = env.EARSHOT_SIP_ADVERTISED_ADDRESS?.trim() || (host === '0.0.0.0' || host === '::' ? (firstExternalIPv4() ?? '127.0.0.1') : host);
  if (!net.isIP(advertised)) throw new ConfigError('EARSHOT_SIP_ADVERTISED_ADDRESS', `expected an IP address, got "${advertised}"`);
  const maxRaw = env.EARSHOT_SIP_MAX_SESSION_HOURS;
  if (maxRaw !== undefined && maxRaw !== '' && !/^\d+$/.test(maxRaw.trim()))
    throw new ConfigError('EARSHOT_SIP_MAX_SESSION_HOURS', `expected a whole number of hours, got "${maxRaw}"`);
  return {
    host,
    udpPort: port(env, 'EARSHOT_SIP_UDP_PORT', sipPort),
    tcpPort: port(env, 'EARSHOT_SIP_TCP_PORT', sipPort),
    tlsPort: tls ? port(env, 'EARSHOT_SIP_TLS_PORT', 5061) : null,
    tls,
    advertisedAddress: advertised,
    node: env.EARSHOT_RECORDER_NODE?.trim() || os.hostname(),
    maxSessionMs: Number(maxRaw || 12) * 3600_000,
    rtp: rtpConfig(env),
    listen: listenConfig(env),
  };
}

function listenConfig(env: Env): SipConfig['listen'] {
  const secret = env.EARSHOT_RECORDER_SECRET?.trim();
  if (!secret) return null;
  if (secret.length < 32) throw new ConfigError('EARSHOT_RECORDER_SECRET', 'use at least 32 characters (for example: openssl rand -hex 32)');
  const host = env.EARSHOT_RECORDER_LISTEN_HOST?.trim() || '127.0.0.1';
  if (!net.isIP(host)) throw new ConfigError('EARSHOT_RECORDER_LISTEN_HOST', `expected an IP address to bind to, got "${host}"`);
  const p = port(env, 'EARSHOT_RECORDER_LISTEN_PORT', 5090);
  if (p === null) throw new ConfigError('EARSHOT_RECORDER_LISTEN_PORT', 'expected a port number');
  const url = env.EARSHOT_RECORDER_LISTEN_URL?.trim() || null;
  if (url && !/^wss?:\/\/[^/\s]+\/?$/.test(url)) throw new ConfigError('EARSHOT_RECORDER_LISTEN_URL', `expected ws://host:port, got "${url}"`);
  return { secret, host, port: p, url };
}

function rtpConfig(env: Env): SipConfig['rtp'] {
  const num = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
      throw new ConfigError(name, `expected a whole number between ${min} and ${max}, got "${raw}"`);
    return Number(raw);
  };
  const portMin = num('EARSHOT_RTP_PORT_MIN', 20000, 1024, 65534);
  const portMax = num('EARSHOT_RTP_PORT_MAX', 29999, 1025, 65535);
  if (portMax <= portMin) throw new ConfigError('EARSHOT_RTP_PORT_MAX', `must be above EARSHOT_RTP_PORT_MIN (${portMin})`);
  const w = env.EARSHOT_RTP_WORKERS;
  // How the workers receive RTP: 'batch' (recvmmsg through koffi on Linux, else dgram) or 'dgram' (node:dgram).
  const receive = (env.EARSHOT_RTP_RECEIVE?.trim() || 'batch').toLowerCase();
  if (receive !== 'batch' && receive !== 'dgram') throw new ConfigError('EARSHOT_RTP_RECEIVE', `expected "batch" or "dgram", got "${env.EARSHOT_RTP_RECEIVE}"`);
  return { portMin, portMax, workers: w === undefined || w === '' ? undefined : num('EARSHOT_RTP_WORKERS', 1, 1, 256), receive };
}
