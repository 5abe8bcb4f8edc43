// The bodies of a SIPREC INVITE/re-INVITE/UPDATE (RFC 7866 §6.1): multipart/mixed with the SDP offer and the
// rs-metadata+xml document, or SDP alone (a re-INVITE may leave the metadata out). The offer becomes StreamOffer[]
// (sdp-transform); the answer is a plain application/sdp (never multipart: several SRCs ignore a multipart 200).
import * as sdpTransform from 'sdp-transform';
import { parseMediaType } from '../sip/message.ts';
import type { CodecOffer, CryptoOffer, StreamAnswer, StreamOffer } from '../model.ts';

/** A body the SRS cannot use: answered with `status` (400/415/488) and the reason. */
export class SiprecBodyError extends Error {
  constructor(
    readonly status: 400 | 415 | 488,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface BodyPart {
  type: string;
  params: Record<string, string | null>;
  disposition: string | null;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SiprecBody {
  sdp: string | null;
  metadata: string | null;
}

/** Splits a multipart body (RFC 2046 §5.1) into its parts. */
export function parseMultipart(body: Buffer, boundary: string): BodyPart[] {
  if (!boundary || boundary.length > 200) throw new SiprecBodyError(400, 'Multipart body without a usable boundary');
  const text = body.toString('latin1');
  const delim = '--' + boundary;
  const first = text.indexOf(delim);
  if (first === -1) throw new SiprecBodyError(400, `Multipart boundary "${boundary.slice(0, 40)}" not found in the body`);
  const parts: BodyPart[] = [];
  let pos = first + delim.length;
  let closed = false;
  for (let guard = 0; guard < 32; guard++) {
    if (text.startsWith('--', pos)) {
      closed = true;
      break;
    }
    // Skip transport padding and the line end after the delimiter.
    const eol = text.indexOf('\n', pos);
    if (eol === -1) break;
    const next = text.indexOf('\r\n' + delim, eol) !== -1 ? text.indexOf('\r\n' + delim, eol) : text.indexOf('\n' + delim, eol);
    if (next === -1) break;
    const raw = text.slice(eol + 1, next);
    const sepCrlf = raw.indexOf('\r\n\r\n');
    const sepLf = raw.indexOf('\n\n');
    let headText: string;
    let content: string;
    if (raw.startsWith('\r\n') || raw.startsWith('\n')) {
      headText = '';
      content = raw.replace(/^\r?\n/, '');
    } else if (sepCrlf !== -1 && (sepLf === -1 || sepCrlf <= sepLf)) {
      headText = raw.slice(0, sepCrlf);
      content = raw.slice(sepCrlf + 4);
    } else if (sepLf !== -1) {
      headText = raw.slice(0, sepLf);
      content = raw.slice(sepLf + 2);
    } else {
      throw new SiprecBodyError(400, 'Multipart part without a blank line after its headers');
    }
    const headers: Record<string, string> = {};
    for (const line of headText.split(/\r?\n/)) {
      const c = line.indexOf(':');
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    const ct = parseMediaType(headers['content-type']) ?? { type: 'text/plain', params: {} };
    const disp = headers['content-disposition'];
    parts.push({
      type: ct.type,
      params: ct.params,
      disposition: disp ? disp.split(';')[0]!.trim().toLowerCase() : null,
      headers,
      body: Buffer.from(content, 'latin1'),
    });
    pos = next + (text[next] === '\r' ? 2 : 1) + delim.length;
  }
  if (!closed) throw new SiprecBodyError(400, 'Multipart body is not closed by its final boundary');
  return parts;
}

/** Finds the SDP and the metadata in a request body of the given Content-Type. */
export function splitSiprecBody(contentType: string | undefined, body: Buffer): SiprecBody {
  if (body.length === 0) return { sdp: null, metadata: null };
  const ct = parseMediaType(contentType);
  if (!ct) throw new SiprecBodyError(400, 'Body without Content-Type');
  if (ct.type === 'application/sdp') return { sdp: body.toString('utf8'), metadata: null };
  if (ct.type === 'application/rs-metadata+xml') return { sdp: null, metadata: body.toString('utf8') };
  if (ct.type !== 'multipart/mixed' && ct.type !== 'multipart/related' && ct.type !== 'multipart/alternative') {
    throw new SiprecBodyError(415, `Unsupported body type ${ct.type}`);
  }
  const boundary = ct.params.boundary;
  if (!boundary) throw new SiprecBodyError(400, 'Multipart Content-Type without boundary');
  const parts = parseMultipart(body, boundary);
  const sdps = parts.filter((p) => p.type === 'application/sdp');
  const metas = parts.filter((p) => p.type === 'application/rs-metadata+xml' || p.type === 'application/rs-metadata');
  if (sdps.length > 1) throw new SiprecBodyError(400, 'More than one SDP part');
  if (metas.length > 1) throw new SiprecBodyError(400, 'More than one metadata part');
  return { sdp: sdps[0]?.body.toString('utf8') ?? null, metadata: metas[0]?.body.toString('utf8') ?? null };
}

// SDP

const STATIC_PT: Record<number, [string, number]> = {
  0: ['pcmu', 8000],
  3: ['gsm', 8000],
  4: ['g723', 8000],
  8: ['pcma', 8000],
  9: ['g722', 8000],
  13: ['cn', 8000],
  18: ['g729', 8000],
};

export interface ParsedOffer {
  /** Every m-line in order; `audio` ones are handed to the media pool. */
  media: Array<{ index: number; type: string; protocol: string; payloads: string; offer: StreamOffer | null; rejectReason: string | null }>;
  sessionVersion: number;
  raw: sdpTransform.SessionDescription;
}

const DIRECTIONS = new Set(['sendonly', 'sendrecv', 'inactive', 'recvonly']);

export function parseOffer(text: string): ParsedOffer {
  if (!/^v=0\s*$/m.test(text.split(/\r?\n/, 1)[0] ?? '')) throw new SiprecBodyError(400, 'SDP does not start with v=0');
  let s: sdpTransform.SessionDescription;
  try {
    s = sdpTransform.parse(text);
  } catch (e) {
    throw new SiprecBodyError(400, `Unreadable SDP (${(e as Error).message})`);
  }
  if (!s.media || s.media.length === 0) throw new SiprecBodyError(488, 'SDP offer without any m-line');
  if (s.media.length > 64) throw new SiprecBodyError(488, 'SDP offer with more than 64 m-lines');
  const sessionDir = (s as { direction?: string }).direction;
  const sessionConn = s.connection?.ip ?? null;
  const media = s.media.map((m, index) => {
    const payloads = String(m.payloads ?? '').trim();
    const base = { index, type: m.type, protocol: m.protocol, payloads };
    if (m.type !== 'audio') return { ...base, offer: null, rejectReason: `${m.type} streams are not recorded` };
    if (!/^RTP\/S?AVPF?$/.test(m.protocol)) return { ...base, offer: null, rejectReason: `transport ${m.protocol} is not supported` };
    const pts = payloads
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 0 && n <= 127);
    const codecs: CodecOffer[] = pts.map((pt) => {
      const rtp = m.rtp?.find((r) => r.payload === pt);
      const fmtp = m.fmtp?.find((f) => f.payload === pt)?.config;
      if (rtp)
        return {
          pt,
          name: rtp.codec.toLowerCase(),
          rate: rtp.rate ?? 8000,
          ...(rtp.encoding ? { channels: Number(rtp.encoding) } : {}),
          ...(fmtp ? { fmtp } : {}),
        };
      const st = STATIC_PT[pt];
      return { pt, name: st?.[0] ?? `pt${pt}`, rate: st?.[1] ?? 8000, ...(fmtp ? { fmtp } : {}) };
    });
    const crypto: CryptoOffer[] = (m.crypto ?? []).map((c) => ({
      tag: c.id,
      suite: c.suite,
      keyParams: String(c.config)
        .replace(/^inline:/, '')
        .split('|')[0]!,
    }));
    const dir = (m.direction ?? sessionDir ?? 'sendrecv') as StreamOffer['direction'];
    const ip = m.connection?.ip ?? sessionConn;
    const offer: StreamOffer = {
      label: m.label !== undefined ? String(m.label) : String(index + 1),
      index,
      codecs,
      crypto,
      direction: DIRECTIONS.has(dir) ? dir : 'sendrecv',
      remote: ip && m.port > 0 ? { address: ip, port: m.port } : null,
    };
    if (m.port === 0) return { ...base, offer: null, rejectReason: 'stream disabled by the offer (port 0)' };
    return { ...base, offer, rejectReason: null };
  });
  return { media, sessionVersion: Number(s.origin?.sessionVersion ?? 0), raw: s };
}

/** The SRS's direction for an offered one (RFC 3264 §6.1; an SRS never sends): pause answers inactive. */
export function answerDirection(offered: StreamOffer['direction']): 'recvonly' | 'inactive' {
  return offered === 'sendonly' || offered === 'sendrecv' ? 'recvonly' : 'inactive';
}

/**
 * The SDP answer: one m-line per offered one, in order; rejected ones with port 0 and the offer's formats (RFC 3264
 * §6); accepted ones with the chosen codec (+ telephone-event/CN), the label echoed, recvonly or inactive.
 */
export function buildAnswer(offer: ParsedOffer, answers: StreamAnswer[], opts: { sessionId: string; version: number; address: string }): string {
  const byIndex = new Map(answers.map((a) => [a.index, a]));
  const accepted = answers.filter((a) => a.port > 0);
  const connIp = (accepted[0]?.address && accepted[0].address !== '0.0.0.0' ? accepted[0].address : null) ?? opts.address;
  const ipVer = connIp.includes(':') ? 'IP6' : 'IP4';
  const lines = ['v=0', `o=Earshot ${opts.sessionId} ${opts.version} IN ${ipVer} ${opts.address}`, 's=Earshot SRS', `c=IN ${ipVer} ${connIp}`, 't=0 0'];
  for (const m of offer.media) {
    const a = byIndex.get(m.index);
    if (!m.offer || !a || a.port === 0 || !a.codec) {
      lines.push(`m=${m.type} 0 ${m.protocol} ${m.payloads || '0'}`);
      continue;
    }
    const codecs = [a.codec, ...a.extraCodecs];
    // The answer keeps the offer's transport (RFC 3264 §6.1): SRTP offered means SRTP answered, or the stream is rejected.
    lines.push(`m=audio ${a.port} ${m.protocol} ${codecs.map((c) => c.pt).join(' ')}`);
    if (a.address && a.address !== connIp && a.address !== '0.0.0.0') lines.push(`c=IN ${a.address.includes(':') ? 'IP6' : 'IP4'} ${a.address}`);
    for (const c of codecs) {
      lines.push(
        `a=rtpmap:${c.pt} ${c.name === 'telephone-event' ? 'telephone-event' : c.name.toUpperCase()}/${c.rate}${c.channels && c.channels > 1 ? '/' + c.channels : ''}`,
      );
      if (c.fmtp) lines.push(`a=fmtp:${c.pt} ${c.fmtp}`);
    }
    if (a.crypto) lines.push(`a=crypto:${a.crypto.tag} ${a.crypto.suite} inline:${a.crypto.keyParams}`);
    lines.push(`a=label:${m.offer.label}`);
    lines.push(`a=${answerDirection(m.offer.direction)}`);
  }
  return lines.join('\r\n') + '\r\n';
}
