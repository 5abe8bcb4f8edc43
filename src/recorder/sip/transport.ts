// SIP over UDP, TCP and TLS (RFC 3261 §18). UDP takes whole datagrams (the kernel reassembles IP fragments, so a 6 kB
// INVITE arrives as one message); TCP/TLS are framed by Content-Length. Responses and in-dialog requests go back on the
// connection a request came in on while it is open; a new connection is opened only when it is gone.
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { StreamFramer } from './framer.ts';

export type TransportName = 'udp' | 'tcp' | 'tls';

export interface Remote {
  transport: TransportName;
  address: string;
  port: number;
  /** The connection a stream message came in on. */
  connId?: number;
  /** Identities of the TLS client certificate (subject CN, SAN DNS names and URIs) when one was presented and verified. */
  tlsIdentities?: string[];
}

export interface TransportOptions {
  host: string;
  udpPort: number | null;
  tcpPort: number | null;
  tlsPort: number | null;
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; requestCert: boolean };
  /** SO_RCVBUF for the UDP socket: bursts of INVITEs must not be dropped by the kernel. */
  udpReceiveBuffer?: number;
  /** Idle TCP/TLS connections are closed after this long (an SBC keeps its connection busy with OPTIONS). */
  idleTimeoutMs?: number;
}

export type InboundListener = (data: Buffer, remote: Remote, datagram: boolean) => void;
export type FramingErrorListener = (reason: string, remote: Remote) => void;

interface Conn {
  id: number;
  socket: net.Socket;
  transport: 'tcp' | 'tls';
  address: string;
  port: number;
}

const normAddr = (a: string) => (a.startsWith('::ffff:') ? a.slice(7) : a);

export class SipTransports {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private tlsServer: tls.Server | null = null;
  private readonly conns = new Map<number, Conn>();
  private nextConn = 1;
  readonly ports: { udp: number | null; tcp: number | null; tls: number | null } = { udp: null, tcp: null, tls: null };

  constructor(
    private readonly opts: TransportOptions,
    private readonly onMessage: InboundListener,
    private readonly onFramingError: FramingErrorListener,
  ) {}

  async start(): Promise<void> {
    const { host } = this.opts;
    if (this.opts.udpPort !== null) {
      const type = net.isIPv6(host) ? 'udp6' : 'udp4';
      const sock = dgram.createSocket({ type, reuseAddr: false });
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(this.opts.udpPort!, host, () => {
          sock.off('error', reject);
          resolve();
        });
      });
      try {
        sock.setRecvBufferSize(this.opts.udpReceiveBuffer ?? 4 * 1024 * 1024);
      } catch {
        // Capped by net.core.rmem_max; the default buffer still works at lower rates.
      }
      sock.on('message', (msg, rinfo) => this.onMessage(msg, { transport: 'udp', address: normAddr(rinfo.address), port: rinfo.port }, true));
      sock.on('error', () => {});
      this.udp = sock;
      this.ports.udp = sock.address().port;
    }
    if (this.opts.tcpPort !== null) {
      this.tcp = net.createServer((s) => this.accept(s, 'tcp'));
      this.ports.tcp = await listen(this.tcp, this.opts.tcpPort, host);
    }
    if (this.opts.tlsPort !== null) {
      if (!this.opts.tls) throw new Error('SIP over TLS needs a certificate and key');
      const t = this.opts.tls;
      this.tlsServer = tls.createServer({ cert: t.cert, key: t.key, ca: t.ca, requestCert: t.requestCert, rejectUnauthorized: false }, (s) =>
        this.accept(s, 'tls'),
      );
      this.ports.tls = await listen(this.tlsServer, this.opts.tlsPort, host);
    }
  }

  private accept(socket: net.Socket, transport: 'tcp' | 'tls') {
    const conn: Conn = { id: this.nextConn++, socket, transport, address: normAddr(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    this.track(conn);
  }

  private track(conn: Conn) {
    this.conns.set(conn.id, conn);
    const framer = new StreamFramer();
    const { socket } = conn;
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.idleTimeoutMs ?? 10 * 60_000, () => socket.destroy());
    const identities = conn.transport === 'tls' ? tlsIdentities(socket as tls.TLSSocket) : undefined;
    const remote: Remote = {
      transport: conn.transport,
      address: conn.address,
      port: conn.port,
      connId: conn.id,
      ...(identities ? { tlsIdentities: identities } : {}),
    };
    socket.on('data', (chunk: Buffer) => {
      for (const ev of framer.push(chunk)) {
        if (ev.kind === 'message') this.onMessage(ev.data, remote, false);
        else if (ev.kind === 'ping') socket.write('\r\n');
        else {
          this.onFramingError(ev.reason, remote);
          socket.destroy();
        }
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.conns.delete(conn.id));
  }

  /** Sends to a remote: on its connection when it is still open, else on a new one (UDP: to address:port). */
  async send(remote: Remote, data: Buffer): Promise<void> {
    if (remote.transport === 'udp') {
      if (!this.udp) throw new Error('SIP over UDP is not enabled');
      await new Promise<void>((resolve) => this.udp!.send(data, remote.port, remote.address, () => resolve()));
      return;
    }
    let conn = remote.connId !== undefined ? this.conns.get(remote.connId) : undefined;
    conn ??= [...this.conns.values()].find((c) => c.transport === remote.transport && c.address === remote.address && c.port === remote.port);
    if (!conn || conn.socket.destroyed) conn = await this.connect(remote);
    conn.socket.write(data);
  }

  private async connect(remote: Remote): Promise<Conn> {
    const socket =
      remote.transport === 'tls'
        ? tls.connect({ host: remote.address, port: remote.port, rejectUnauthorized: false, cert: this.opts.tls?.cert, key: this.opts.tls?.key })
        : net.connect({ host: remote.address, port: remote.port });
    await new Promise<void>((resolve, reject) => {
      socket.once(remote.transport === 'tls' ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const conn: Conn = { id: this.nextConn++, socket, transport: remote.transport as 'tcp' | 'tls', address: remote.address, port: remote.port };
    this.track(conn);
    return conn;
  }

  async close(): Promise<void> {
    for (const c of this.conns.values()) c.socket.destroy();
    this.conns.clear();
    await Promise.all([
      this.udp ? new Promise<void>((r) => this.udp!.close(() => r())) : null,
      this.tcp ? new Promise<void>((r) => this.tcp!.close(() => r())) : null,
      this.tlsServer ? new Promise<void>((r) => this.tlsServer!.close(() => r())) : null,
    ]);
    this.udp = this.tcp = this.tlsServer = null;
  }
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** The verified client certificate's names; none when it is absent or does not chain to the configured CA. */
function tlsIdentities(socket: tls.TLSSocket): string[] | undefined {
  const collect = () => {
    if (!socket.authorized) return [];
    const cert = socket.getPeerCertificate();
    if (!cert || !cert.subject) return [];
    const out = new Set<string>();
    const cn = cert.subject.CN;
    if (cn) for (const c of Array.isArray(cn) ? cn : [cn]) out.add(c.toLowerCase());
    for (const san of (cert.subjectaltname ?? '').split(',')) {
      const m = /^\s*(DNS|URI):(.+)$/.exec(san);
      if (m) out.add(m[2]!.trim().toLowerCase());
    }
    return [...out];
  };
  // The handshake is done when the secure connection callback runs; read lazily in case it is not.
  const ids: string[] = [];
  const fill = () => ids.splice(0, ids.length, ...collect());
  if (socket.encrypted) fill();
  socket.once('secure', fill);
  return ids;
}
