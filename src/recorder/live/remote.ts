// Listen-in across processes (issue 13): in the scale-out deployment the API process that takes a listener's WebSocket
// is not the recorder process that holds the call's media. Each recorder with EARSHOT_RECORDER_SECRET serves an
// internal WebSocket (EARSHOT_RECORDER_LISTEN_HOST/PORT, meant for the cluster network, not the internet) and writes
// its address in recorder_nodes; the API process opens it for the node named on the call, with a token that is an
// HMAC-SHA256 of the call, the leg and an expiry under that shared secret (valid 30 s: a captured one is useless for
// another call or later), and relays the frames. Permission, scope and the audit event stay in the API process
// (live/service.ts), exactly as for a call held in process.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { MediaPool } from '../media/pool.ts';

type Tap = Pick<MediaPool, 'subscribe'>;

const TOKEN_TTL_MS = 30_000;
/** Frames queued on a slow relay beyond this (~2 s of two legs) are dropped: live audio is useless late. */
const MAX_BUFFERED_BYTES = 200 * 170;

const sign = (secret: string, callId: string, label: string | null, exp: number) =>
  createHmac('sha256', secret)
    .update(`earshot-listen\n${callId}\n${label ?? '*'}\n${exp}`)
    .digest('hex');

export function listenToken(secret: string, callId: string, label: string | null, now = Date.now()): string {
  const exp = now + TOKEN_TTL_MS;
  return `${exp}.${sign(secret, callId, label, exp)}`;
}

export function checkListenToken(secret: string, token: string, callId: string, label: string | null, now = Date.now()): boolean {
  const m = /^(\d{1,15})\.([0-9a-f]{64})$/.exec(token);
  if (!m) return false;
  const exp = Number(m[1]);
  if (exp < now || exp > now + TOKEN_TTL_MS * 2) return false;
  return timingSafeEqual(Buffer.from(m[2]!, 'hex'), Buffer.from(sign(secret, callId, label, exp), 'hex'));
}

/** One relayed frame: label length, label (UTF-8), ms since the call opened (uint32 BE), µ-law bytes. */
export function encodeRelayFrame(label: string, ts: number, pcmu: Buffer): Buffer {
  const l = Buffer.from(label, 'utf8');
  const out = Buffer.allocUnsafe(1 + l.length + 4 + pcmu.length);
  out[0] = l.length;
  l.copy(out, 1);
  out.writeUInt32BE(Math.max(0, Math.floor(ts)) >>> 0, 1 + l.length);
  pcmu.copy(out, 5 + l.length);
  return out;
}

export function decodeRelayFrame(b: Buffer): { label: string; ts: number; pcmu: Buffer } | null {
  if (b.length < 5 || b.length < 5 + b[0]!) return null;
  const n = b[0]!;
  return { label: b.toString('utf8', 1, 1 + n), ts: b.readUInt32BE(1 + n), pcmu: b.subarray(5 + n) };
}

export interface ListenServer {
  /** ws://host:port the server answers on (the advertised URL is the operator's EARSHOT_RECORDER_LISTEN_URL). */
  url: string;
  close(): Promise<void>;
}

/** The recorder's internal listen-in endpoint: GET /listen?call=…[&label=…] upgraded to a WebSocket, token required. */
export async function startListenServer(opts: {
  host: string;
  port: number;
  secret: string;
  pool: Tap;
  log: Pick<Logger, 'warn' | 'info'>;
}): Promise<ListenServer> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n');
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://recorder');
    const callId = url.searchParams.get('call') ?? '';
    const label = url.searchParams.get('label') || null;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (url.pathname !== '/listen' || !callId || !checkListenToken(opts.secret, token, callId, label)) {
      opts.log.warn({ remote: req.socket.remoteAddress, path: url.pathname }, 'recorder: listen-in relay refused (bad or expired token)');
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stop = opts.pool.subscribe(callId, label, (l, pcmu, ts) => {
        if (ws.readyState === ws.OPEN && ws.bufferedAmount <= MAX_BUFFERED_BYTES) ws.send(encodeRelayFrame(l, ts, pcmu));
      });
      ws.on('close', stop);
      ws.on('error', stop);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as { address: string; port: number };
  const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    url: `ws://${host}:${addr.port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A tap on a recorder in another process, through its listen-in endpoint (one WebSocket per subscription). */
export function remoteTap(url: string, secret: string, log: Pick<Logger, 'warn'>): Tap {
  return {
    subscribe(callId, label, onFrame) {
      const q = new URLSearchParams({ call: callId, ...(label ? { label } : {}) });
      const ws = new WebSocket(`${url.replace(/\/$/, '')}/listen?${q}`, { headers: { authorization: `Bearer ${listenToken(secret, callId, label)}` } });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return;
        const f = decodeRelayFrame(data);
        if (f) onFrame(f.label, f.pcmu, f.ts);
      });
      ws.on('unexpected-response', (_req, res) => log.warn({ status: res.statusCode, url }, 'listen-in: the recorder refused the relay'));
      ws.on('error', (err) => log.warn({ err, url }, 'listen-in: relay from the recorder failed'));
      return () => ws.terminate();
    },
  };
}

/** The shared secret of this process (EARSHOT_RECORDER_SECRET), or null when cross-process listen-in is off here. */
export function listenSecret(env: Record<string, string | undefined> = process.env): string | null {
  const s = env.EARSHOT_RECORDER_SECRET?.trim();
  return s ? s : null;
}
