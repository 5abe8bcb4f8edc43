// SIP messages (RFC 3261 §7, §20, §25): parse from bytes, build and serialise. Written here because the one npm SIP
// stack (`sip`) has been unmaintained for years and pulls its own transport; this parser is small, strict where a
// wrong guess would mislead (start line, CSeq, Content-Length) and lenient where SBCs differ (header case, compact
// forms, folding, bare LF). Everything it refuses throws SipParseError with a reason the server puts in its 400.
export const SIP_VERSION = 'SIP/2.0';
/** A SIPREC INVITE is ~2.5 kB, a vendor's with extension data up to ~10 kB; past this is abuse, not metadata. */
export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADERS = 256;

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  x: 'session-expires',
  u: 'allow-events',
  b: 'referred-by',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
};

/** Headers whose value may be a comma-separated list (RFC 3261 §7.3.1); the others keep commas (dates, quoted names). */
const LIST_HEADERS = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'require',
  'supported',
  'allow',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'allow-events',
]);

/** Canonical spelling for output; unknown names are written as received. */
const CANONICAL: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  via: 'Via',
  from: 'From',
  to: 'To',
  contact: 'Contact',
  'content-type': 'Content-Type',
  'content-length': 'Content-Length',
  'max-forwards': 'Max-Forwards',
  'record-route': 'Record-Route',
  'www-authenticate': 'WWW-Authenticate',
  'session-expires': 'Session-Expires',
  'min-se': 'Min-SE',
  rseq: 'RSeq',
  rack: 'RAck',
};

const headerName = (k: string) => CANONICAL[k] ?? k.replace(/(^|-)\w/g, (s) => s.toUpperCase());

export class SipParseError extends Error {
  constructor(
    readonly reason: string,
    /** What could be read before the fault: enough to address a 400 when the start line and routing headers parsed. */
    readonly partial?: SipRequest,
  ) {
    super(reason);
  }
}

export class SipHeaders {
  /** [lower-case name, value] in received order. */
  readonly entries: Array<[string, string]> = [];

  static normalize(name: string): string {
    const n = name.trim().toLowerCase();
    return COMPACT[n] ?? n;
  }

  add(name: string, value: string | number): this {
    this.entries.push([SipHeaders.normalize(name), String(value)]);
    return this;
  }

  set(name: string, value: string | number): this {
    this.remove(name);
    return this.add(name, value);
  }

  remove(name: string): this {
    const n = SipHeaders.normalize(name);
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]![0] === n) this.entries.splice(i, 1);
    return this;
  }

  has(name: string): boolean {
    const n = SipHeaders.normalize(name);
    return this.entries.some(([k]) => k === n);
  }

  /** The first value (for list headers: the first element). */
  get(name: string): string | undefined {
    return this.getAll(name)[0];
  }

  /** Every value, list headers split on top-level commas. */
  getAll(name: string): string[] {
    const n = SipHeaders.normalize(name);
    const out: string[] = [];
    for (const [k, v] of this.entries) {
      if (k !== n) continue;
      if (LIST_HEADERS.has(n)) out.push(...splitList(v));
      else out.push(v.trim());
    }
    return out;
  }

  /** Option tags of Require/Supported/… lower-cased. */
  tokens(name: string): string[] {
    return this.getAll(name)
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
  }

  clone(): SipHeaders {
    const h = new SipHeaders();
    h.entries.push(...this.entries.map(([k, v]) => [k, v] as [string, string]));
    return h;
  }
}

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/** Splits on commas outside quotes and <…>. */
export function splitList(v: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '"' && v[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ',') {
      out.push(v.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(v.slice(start).trim());
  return out.filter(Boolean);
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Where the header block ends: the index of the blank line and the length of its terminator (CRLFCRLF or LFLF). */
export function headerEnd(buf: Buffer, from = 0): { index: number; sep: number } | null {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf === -1 && lf === -1) return null;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, sep: 4 };
  return { index: lf, sep: 2 };
}

/**
 * Parses one message. `datagram`: the buffer is exactly one UDP datagram, whose body is the rest of it (Content-Length
 * may be absent; a larger one is an error, a smaller one truncates, RFC 3261 §18.3). Over a stream the framer has
 * already cut the message at Content-Length.
 */
export function parseMessage(buf: Buffer, opts: { datagram?: boolean } = {}): SipMessage {
  if (buf.length > MAX_MESSAGE_BYTES) throw new SipParseError(`Message too large (${buf.length} bytes)`);
  const end = headerEnd(buf);
  if (!end) throw new SipParseError('No end of headers');
  const head = buf.subarray(0, end.index).toString('utf8');
  let body = buf.subarray(end.index + end.sep);
  const lines = head.split(/\r?\n/);
  while (lines.length && lines[0] === '') lines.shift(); // leading CRLFs (keep-alives) before a message
  const startLine = lines.shift();
  if (!startLine) throw new SipParseError('Empty message');

  let msg: SipMessage;
  if (startLine.startsWith(SIP_VERSION + ' ')) {
    const m = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
    if (!m) throw new SipParseError('Bad status line');
    msg = { kind: 'response', status: Number(m[1]), reason: m[2] ?? '', headers: new SipHeaders(), body };
  } else {
    const parts = startLine.split(' ');
    if (parts.length !== 3) throw new SipParseError('Bad request line');
    const [method, uri, version] = parts as [string, string, string];
    if (version.toUpperCase() !== SIP_VERSION) throw new SipParseError(`Unsupported version ${version.slice(0, 20)}`);
    if (!TOKEN.test(method)) throw new SipParseError('Bad method');
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(uri)) throw new SipParseError('Bad Request-URI');
    msg = { kind: 'request', method: method.toUpperCase(), uri, headers: new SipHeaders(), body };
  }

  // Headers, with line folding (RFC 3261 §7.3.1: a line starting with SP/HT continues the previous one).
  const headers = msg.headers;
  let count = 0;
  const fault = (reason: string): never => {
    throw new SipParseError(reason, msg.kind === 'request' ? msg : undefined);
  };
  for (const line of lines) {
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      const last = headers.entries[headers.entries.length - 1];
      if (!last) fault('Continuation line before any header');
      last![1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) fault(`Malformed header line "${line.slice(0, 40)}"`);
    const name = line.slice(0, colon).trim();
    if (!TOKEN.test(name)) fault(`Malformed header name "${name.slice(0, 40)}"`);
    if (++count > MAX_HEADERS) fault('Too many headers');
    headers.add(name, line.slice(colon + 1).trim());
  }

  const cl = headers.get('content-length');
  if (cl !== undefined) {
    if (!/^\d{1,7}$/.test(cl)) fault('Bad Content-Length');
    const n = Number(cl);
    if (n > body.length) fault(`Content-Length ${n} larger than the ${body.length} bytes received`);
    body = body.subarray(0, n);
  } else if (!opts.datagram && body.length > 0) {
    fault('Content-Length is required over a stream transport');
  }
  msg.body = body;

  // The headers every transaction needs (RFC 3261 §8.1.1).
  for (const h of ['via', 'from', 'to', 'call-id', 'cseq']) if (!headers.has(h)) fault(`Missing ${headerName(h)} header`);
  const cseq = parseCSeq(headers.get('cseq')!);
  if (!cseq) fault('Bad CSeq');
  if (msg.kind === 'request' && cseq!.method !== msg.method && !(msg.method === 'ACK' && cseq!.method === 'ACK')) {
    fault(`CSeq method ${cseq!.method} does not match ${msg.method}`);
  }
  if (!parseVia(headers.get('via')!)) fault('Bad Via');
  if (!parseNameAddr(headers.get('from')!)) fault('Bad From');
  if (!parseNameAddr(headers.get('to')!)) fault('Bad To');
  return msg;
}

/** Serialises; Content-Length is always written from the body. */
export function serialize(msg: SipMessage): Buffer {
  const start = msg.kind === 'request' ? `${msg.method} ${msg.uri} ${SIP_VERSION}` : `${SIP_VERSION} ${msg.status} ${msg.reason}`;
  const lines = [start];
  for (const [k, v] of msg.headers.entries) {
    if (k === 'content-length') continue;
    lines.push(`${headerName(k)}: ${v}`);
  }
  lines.push(`Content-Length: ${msg.body.length}`, '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), msg.body]);
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(v: string): CSeq | null {
  const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(v.trim());
  if (!m) return null;
  const seq = Number(m[1]);
  if (seq > 2 ** 31 - 1) return null;
  return { seq, method: m[2]!.toUpperCase() };
}

export interface Via {
  transport: string;
  host: string;
  port: number | null;
  params: Record<string, string | null>;
}

export function parseVia(v: string): Via | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(.*)$/i.exec(v.trim());
  if (!m) return null;
  const hp = parseHostPort(m[2]!);
  if (!hp) return null;
  return { transport: m[1]!.toUpperCase(), host: hp.host, port: hp.port, params: parseParams(m[3]!) };
}

export function parseHostPort(s: string): { host: string; port: number | null } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-_]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : null;
  if (port !== null && port > 65535) return null;
  return { host: m[1]!, port };
}

/** `;a=b;c` → { a: 'b', c: null }; names lower-cased. */
export function parseParams(s: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const p of s.split(';')) {
    const t = p.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    if (eq === -1) out[t.toLowerCase()] = null;
    else
      out[t.slice(0, eq).trim().toLowerCase()] = t
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export interface NameAddr {
  display: string | null;
  uri: string;
  params: Record<string, string | null>;
}

/** `"Name" <sip:u@h;x>;tag=1` or `sip:u@h;tag=1` (then the params belong to the header, RFC 3261 §20.10). */
export function parseNameAddr(v: string): NameAddr | null {
  const s = v.trim();
  const lt = s.indexOf('<');
  if (lt !== -1) {
    const gt = s.indexOf('>', lt);
    if (gt === -1) return null;
    const display =
      s
        .slice(0, lt)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .replace(/\\(.)/g, '$1') || null;
    const uri = s.slice(lt + 1, gt).trim();
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) return null;
    return { display, uri, params: parseParams(s.slice(gt + 1)) };
  }
  const semi = s.indexOf(';');
  const uri = semi === -1 ? s : s.slice(0, semi);
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(uri)) return null;
  return { display: null, uri, params: semi === -1 ? {} : parseParams(s.slice(semi)) };
}

export interface SipUri {
  scheme: string;
  user: string | null;
  host: string;
  port: number | null;
  params: Record<string, string | null>;
}

/** sip:/sips: user@host:port;params, and tel:+number (host empty). */
export function parseUri(uri: string): SipUri | null {
  const m = /^(sips?|tel):(.*)$/i.exec(uri.trim());
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  let rest = m[2]!;
  const q = rest.indexOf('?');
  if (q !== -1) rest = rest.slice(0, q);
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    return { scheme, user: semi === -1 ? rest : rest.slice(0, semi), host: '', port: null, params: semi === -1 ? {} : parseParams(rest.slice(semi)) };
  }
  const semi = rest.indexOf(';');
  const params = semi === -1 ? {} : parseParams(rest.slice(semi));
  const addr = semi === -1 ? rest : rest.slice(0, semi);
  const at = addr.lastIndexOf('@');
  const user = at === -1 ? null : decodeURIComponentSafe(addr.slice(0, at).split(':')[0]!);
  const hp = parseHostPort(at === -1 ? addr : addr.slice(at + 1));
  if (!hp) return null;
  return { scheme, user, host: hp.host.toLowerCase(), port: hp.port, params };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A Content-Type/Content-Disposition value: the lower-cased type and its parameters. */
export function parseMediaType(v: string | undefined): { type: string; params: Record<string, string | null> } | null {
  if (!v) return null;
  const semi = v.indexOf(';');
  const type = (semi === -1 ? v : v.slice(0, semi)).trim().toLowerCase();
  if (!type) return null;
  return { type, params: semi === -1 ? {} : parseParams(v.slice(semi)) };
}

/**
 * A response to a request (RFC 3261 §8.2.6): Via, From, Call-ID, CSeq copied; To copied with our tag added when the
 * request had none (and the status is not 100).
 */
export function buildResponse(
  req: SipRequest,
  status: number,
  reason: string,
  opts: { toTag?: string; headers?: Array<[string, string]>; body?: Buffer; contentType?: string } = {},
): SipResponse {
  const h = new SipHeaders();
  for (const [k, v] of req.headers.entries) if (k === 'via' || k === 'record-route') h.entries.push([k, v]);
  h.add('from', req.headers.get('from')!);
  let to = req.headers.get('to')!;
  if (status > 100 && opts.toTag && !/;\s*tag=/i.test(to)) to = `${to};tag=${opts.toTag}`;
  h.add('to', to);
  h.add('call-id', req.headers.get('call-id')!);
  h.add('cseq', req.headers.get('cseq')!);
  for (const [k, v] of opts.headers ?? []) h.add(k, v);
  if (opts.body && opts.body.length > 0) h.add('content-type', opts.contentType ?? 'application/sdp');
  return { kind: 'response', status, reason, headers: h, body: opts.body ?? Buffer.alloc(0) };
}
