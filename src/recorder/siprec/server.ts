// The SIPREC Session Recording Server (RFC 7866): SIP transactions (RFC 3261 §17: 100 Trying, retransmitted final
// responses, 2xx retransmitted until the ACK), the recording dialog (INVITE, re-INVITE, UPDATE, BYE, CANCEL, OPTIONS,
// PRACK, session timers RFC 4028), the allow-list, and the handover to the media pool. The live state of every session
// is its recorder_calls row. Nothing a peer sends can throw out of `handle`: a message that cannot be parsed gets a 400
// with the reason when it can be addressed, and is logged either way.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import client from 'prom-client';
import type { Logger } from 'pino';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Db } from '../../platform/db/index.ts';
import { newId } from '../../platform/ids.ts';
import { registry } from '../../platform/metrics.ts';
import { insertCall, updateCall, type RecorderCall } from '../calls/repository.ts';
import type { CloseReason, MediaPool } from '../media/pool.ts';
import type { CallStart, CallStartDecision } from '../control/service.ts';
import { applySourcePause, effectiveState, endWithClock } from '../control/hold.ts';
import type { SiprecMetadata, StreamAnswer } from '../model.ts';
import {
  SipHeaders,
  SipParseError,
  buildResponse,
  parseCSeq,
  parseMessage,
  parseNameAddr,
  parseUri,
  parseVia,
  serialize,
  type SipRequest,
  type SipResponse,
} from '../sip/message.ts';
import type { Remote, SipTransports } from '../sip/transport.ts';
import type { SourceDirectory } from '../sources/directory.ts';
import { SiprecBodyError, buildAnswer, parseOffer, splitSiprecBody, type ParsedOffer } from './body.ts';
import { mergeMetadata, parseMetadataXml, type RawMetadata } from './metadata.ts';
import { detectVendor, mapMetadata } from './parties.ts';

const T1 = 500;
const T2 = 4000;
const TIMER_H = 64 * T1;
/** RFC 4028 minimum; an offer under it is answered 422. */
export const MIN_SE = 90;
const SUPPORTED = ['siprec', 'timer', '100rel', 'replaces'];
const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, PRACK, INFO';

const sipRequests = new client.Counter({
  name: 'earshot_recorder_sip_requests_total',
  help: 'SIP requests received by the recorder',
  labelNames: ['method'] as const,
  registers: [registry],
});
const sipMalformed = new client.Counter({
  name: 'earshot_recorder_sip_malformed_total',
  help: 'SIP messages the recorder could not parse',
  registers: [registry],
});
const sessionsGauge = new client.Gauge({ name: 'earshot_recorder_sessions', help: 'Recording sessions open in this recorder process', registers: [registry] });

export interface SrsOptions {
  db: Db;
  adapter: DialectAdapter;
  log: Logger;
  pool: MediaPool;
  sources: SourceDirectory;
  /** This recorder process (recorder_calls.node): restart recovery finalises this node's open calls. */
  node: string;
  /** Address written in Contact and the SDP origin when the pool answers 0.0.0.0. */
  advertisedAddress: string;
  /** Transport ports, for Contact. */
  ports: () => { udp: number | null; tcp: number | null; tls: number | null };
  /** Longest session without a refresh when the SRC asks for no timer (a dead SRC must not leave a call open forever). */
  maxSessionMs?: number;
  /** Called after each state change of a call (R3's live bus hooks in here). */
  onCallChange?: (call: RecorderCall) => void;
  /** Recording policies and the on-demand mode, decided before the answer (src/recorder/control): a call not to record starts held. */
  decideStart?: (call: CallStart) => Promise<CallStartDecision>;
}

type TxState = {
  key: string;
  remote: Remote;
  request: SipRequest;
  last: Buffer | null;
  final: boolean;
  timers: NodeJS.Timeout[];
  cancelled: boolean;
  dialog?: Dialog;
};

interface Dialog {
  id: string;
  tenantId: string;
  callId: string;
  localTag: string;
  remoteTag: string;
  remote: Remote;
  remoteTarget: string;
  routeSet: string[];
  remoteCseq: number;
  localCseq: number;
  fromHeader: string;
  toHeader: string;
  offer: ParsedOffer;
  answers: StreamAnswer[];
  rawMeta: RawMetadata | null;
  meta: SiprecMetadata;
  vendor: SiprecMetadata['vendor'];
  sdpSession: string;
  sdpVersion: number;
  lastAnswerBody: string | null;
  state: 'early' | 'confirmed' | 'ended';
  opened: boolean;
  /** The SRC holds the recording paused (every stream inactive); the pause clock itself is the row's (control/hold.ts). */
  paused: boolean;
  pendingAck: { cseq: number; timers: NodeJS.Timeout[] } | null;
  sessionTimer: NodeJS.Timeout | null;
  sessionExpires: number | null;
  refresher: 'uac' | 'uas' | null;
  closing: Promise<void> | null;
}

interface ClientTx {
  resolve: (r: SipResponse | null) => void;
  timers: NodeJS.Timeout[];
}

const tag = () => randomBytes(6).toString('hex');

export class SipRecordingServer {
  private transports: SipTransports | null = null;
  private readonly serverTx = new Map<string, TxState>();
  private readonly dialogs = new Map<string, Dialog>();
  private readonly clientTx = new Map<string, ClientTx>();
  private closed = false;

  constructor(private readonly o: SrsOptions) {}

  attach(t: SipTransports) {
    this.transports = t;
  }

  /** Open sessions in this process. */
  get activeSessions(): number {
    return [...this.dialogs.values()].filter((d) => d.state !== 'ended').length;
  }

  /** Entry point for every inbound message; never throws, never rejects. */
  handle(data: Buffer, remote: Remote, datagram: boolean): void {
    void this.handleAsync(data, remote, datagram).catch((err) => this.o.log.error({ err, remote }, 'recorder: SIP handler failed'));
  }

  /** A stream transport lost its framing (no Content-Length, oversized): the connection is dropped. */
  framingError(reason: string, remote: Remote) {
    sipMalformed.inc();
    this.o.log.warn({ remote: `${remote.transport}:${remote.address}:${remote.port}`, reason }, 'recorder: malformed SIP stream; connection closed');
  }

  private async handleAsync(data: Buffer, remote: Remote, datagram: boolean) {
    if (this.closed) return;
    // Keep-alive CRLFs over UDP.
    if (data.length <= 4 && /^[\r\n]*$/.test(data.toString('latin1'))) return;
    let msg;
    try {
      msg = parseMessage(data, { datagram });
    } catch (err) {
      sipMalformed.inc();
      const reason = err instanceof SipParseError ? err.reason : 'Unparseable message';
      this.o.log.warn({ remote: `${remote.transport}:${remote.address}:${remote.port}`, reason }, 'recorder: malformed SIP message');
      const partial = err instanceof SipParseError ? err.partial : undefined;
      // A 400 needs the headers that address it; an ACK is never answered.
      if (partial && partial.method !== 'ACK' && ['via', 'from', 'to', 'call-id', 'cseq'].every((h) => partial.headers.has(h))) {
        try {
          await this.reply(
            remote,
            buildResponse(partial, 400, 'Bad Request', { toTag: tag(), headers: [['warning', `399 earshot "${reason.replace(/"/g, "'")}"`]] }),
          );
        } catch {
          // The headers were present but not usable: nothing to answer to.
        }
      }
      return;
    }
    if (msg.kind === 'response') return this.onResponse(msg);
    sipRequests.inc({ method: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'UPDATE', 'PRACK'].includes(msg.method) ? msg.method : 'other' });
    return this.onRequest(msg, remote);
  }

  // Transactions

  private txKey(req: SipRequest, method = req.method): string {
    const via = parseVia(req.headers.get('via')!)!;
    const branch = via.params.branch;
    if (branch && branch.startsWith('z9hG4bK')) return `${branch}|${via.host}:${via.port ?? ''}|${method === 'ACK' ? 'INVITE' : method}`;
    // RFC 2543 peers: the transaction is the Call-ID, CSeq number, From tag and top Via.
    const cseq = parseCSeq(req.headers.get('cseq')!)!;
    const fromTag = parseNameAddr(req.headers.get('from')!)?.params.tag ?? '';
    return `${req.headers.get('call-id')}|${cseq.seq}|${fromTag}|${req.headers.get('via')}|${method === 'ACK' ? 'INVITE' : method}`;
  }

  /** Where a response goes (RFC 3261 §18.2.2, RFC 3581): stream → the connection; UDP → source address, rport or sent-by port. */
  private responseTarget(req: SipRequest, remote: Remote): Remote {
    if (remote.transport !== 'udp') return remote;
    const via = parseVia(req.headers.get('via')!)!;
    if ('rport' in via.params) return remote;
    const maddr = via.params.maddr;
    return { transport: 'udp', address: maddr ?? remote.address, port: via.port ?? 5060 };
  }

  private async reply(remote: Remote, res: SipResponse) {
    await this.transports?.send(remote, serialize(res)).catch((err) => this.o.log.warn({ err }, 'recorder: could not send a SIP response'));
  }

  private async respond(tx: TxState, res: SipResponse) {
    const buf = serialize(res);
    tx.last = buf;
    const target = this.responseTarget(tx.request, tx.remote);
    await this.transports?.send(target, buf).catch((err) => this.o.log.warn({ err }, 'recorder: could not send a SIP response'));
    if (res.status < 200) return;
    tx.final = true;
    const isInvite = tx.request.method === 'INVITE';
    const udp = tx.remote.transport === 'udp';
    if (isInvite && res.status >= 300 && udp) {
      // Timer G: the non-2xx final is retransmitted until the ACK (Timer H gives up).
      let interval = T1;
      const again = () => {
        if (!this.serverTx.has(tx.key)) return;
        void this.transports?.send(target, buf).catch(() => {});
        interval = Math.min(interval * 2, T2);
        tx.timers.push(setTimeout(again, interval));
      };
      tx.timers.push(setTimeout(again, interval));
    }
    // Timer J / H / the 2xx ACK window: keep the transaction to absorb retransmitted requests, then forget it.
    tx.timers.push(setTimeout(() => this.dropTx(tx), udp ? TIMER_H : isInvite && res.status >= 300 ? T1 : 1000));
  }

  private dropTx(tx: TxState) {
    for (const t of tx.timers) clearTimeout(t);
    this.serverTx.delete(tx.key);
  }

  private response(req: SipRequest, status: number, reason: string, extra: Array<[string, string]> = [], toTag?: string, body?: Buffer): SipResponse {
    return buildResponse(req, status, reason, {
      toTag: toTag ?? (parseNameAddr(req.headers.get('to')!)?.params.tag ? undefined : tag()),
      headers: extra,
      ...(body ? { body } : {}),
    });
  }

  private warn(reason: string): [string, string] {
    return ['warning', `399 earshot "${reason.replace(/"/g, "'").slice(0, 200)}"`];
  }

  // Requests

  private async onRequest(req: SipRequest, remote: Remote) {
    // ACK: ends a 2xx retransmission (new branch) or a non-2xx one (same branch as the INVITE).
    if (req.method === 'ACK') return this.onAck(req);
    if (req.method === 'CANCEL') return this.onCancel(req, remote);

    const key = this.txKey(req);
    const existing = this.serverTx.get(key);
    if (existing) {
      // A retransmission: repeat the last response, if any yet.
      if (existing.last) await this.transports?.send(this.responseTarget(req, remote), existing.last).catch(() => {});
      return;
    }
    const tx: TxState = { key, remote, request: req, last: null, final: false, timers: [], cancelled: false };
    this.serverTx.set(key, tx);
    // A transaction that never gets a final response (a bug, a hung pool) must not pin memory.
    tx.timers.push(setTimeout(() => this.dropTx(tx), 5 * 60_000));

    try {
      const toTag = parseNameAddr(req.headers.get('to')!)?.params.tag ?? null;
      // Every request, keep-alive OPTIONS included, comes from an allowed source or is refused (403, counted).
      const source = await this.o.sources.resolve(remote);
      if (!source) {
        this.o.sources.refuse(remote, 'not_allowed');
        this.o.log.warn(
          { remote: `${remote.transport}:${remote.address}:${remote.port}`, method: req.method },
          'recorder: request from a source on no allow-list refused (403)',
        );
        return await this.respond(tx, this.response(req, 403, 'Forbidden', [this.warn('source not on the allow-list')]));
      }
      if (toTag) return await this.inDialog(req, tx, toTag);
      switch (req.method) {
        case 'INVITE':
          return await this.onInvite(req, tx, source);
        case 'OPTIONS':
          return await this.respond(
            tx,
            this.response(req, 200, 'OK', [
              ['allow', ALLOW],
              ['accept', 'application/sdp, application/rs-metadata+xml, multipart/mixed'],
              ['supported', SUPPORTED.join(', ')],
            ]),
          );
        case 'BYE':
        case 'UPDATE':
        case 'PRACK':
        case 'INFO':
          return await this.respond(tx, this.response(req, 481, 'Call/Transaction Does Not Exist'));
        default:
          return await this.respond(tx, this.response(req, 405, 'Method Not Allowed', [['allow', ALLOW]]));
      }
    } catch (err) {
      this.o.log.error({ err, method: req.method }, 'recorder: request failed');
      if (!tx.final) await this.respond(tx, this.response(req, 500, 'Server Internal Error', [this.warn('internal error')]));
    }
  }

  private checkRequire(req: SipRequest): string[] {
    return req.headers.tokens('require').filter((t) => !SUPPORTED.includes(t));
  }

  /** RFC 4028: what the 2xx says about the session timer (null: no timer). Throws a 422 via the return. */
  private sessionTimer(req: SipRequest): { expires: number; refresher: 'uac' | 'uas' } | { tooSmall: true } | null {
    const se = req.headers.get('session-expires');
    if (!se) return null;
    const m = /^(\d+)\s*(.*)$/.exec(se);
    if (!m) return null;
    const expires = Number(m[1]);
    if (expires < MIN_SE) return { tooSmall: true };
    const params = Object.fromEntries(
      m[2]!
        .split(';')
        .map((p) => p.trim().split('='))
        .filter((p) => p[0])
        .map(([k, v]) => [k!.toLowerCase(), (v ?? '').toLowerCase()]),
    );
    const uacSupports = req.headers.tokens('supported').includes('timer') || req.headers.tokens('require').includes('timer');
    // We let the SRC refresh whenever it can (it knows the call); else we refresh ourselves with UPDATE.
    const refresher: 'uac' | 'uas' = params.refresher === 'uas' || !uacSupports ? 'uas' : 'uac';
    return { expires, refresher };
  }

  private async onInvite(req: SipRequest, tx: TxState, source: { tenantId: string; sourceId: string; vendor: string }) {
    await this.respond(tx, this.response(req, 100, 'Trying'));
    const bad = this.checkRequire(req);
    if (bad.length) return this.respond(tx, this.response(req, 420, 'Bad Extension', [['unsupported', bad.join(', ')]]));
    const timer = this.sessionTimer(req);
    if (timer && 'tooSmall' in timer) return this.respond(tx, this.response(req, 422, 'Session Interval Too Small', [['min-se', String(MIN_SE)]]));

    const isSiprec = req.headers.tokens('require').includes('siprec') || (req.headers.get('contact') ?? '').includes('+sip.src');
    let offer: ParsedOffer;
    let raw: RawMetadata | null = null;
    try {
      const body = splitSiprecBody(req.headers.get('content-type'), req.body);
      if (!body.sdp) return await this.respond(tx, this.response(req, 488, 'Not Acceptable Here', [this.warn('an SDP offer is required in the INVITE')]));
      offer = parseOffer(body.sdp);
      if (body.metadata) raw = parseMetadataXml(body.metadata);
      else if (isSiprec) this.o.log.info({ callId: req.headers.get('call-id') }, 'recorder: SIPREC INVITE without metadata');
    } catch (err) {
      if (!(err instanceof SiprecBodyError)) throw err;
      this.o.log.warn({ callId: req.headers.get('call-id'), reason: err.reason }, 'recorder: INVITE refused');
      return this.respond(
        tx,
        this.response(req, err.status, err.status === 415 ? 'Unsupported Media Type' : err.status === 488 ? 'Not Acceptable Here' : 'Bad Request', [
          this.warn(err.reason),
          ...(err.status === 415 ? ([['accept', 'application/sdp, multipart/mixed']] as Array<[string, string]>) : []),
        ]),
      );
    }

    const callId = req.headers.get('call-id')!;
    const vendor = detectVendor(req.headers.get('user-agent') ?? req.headers.get('server'), raw?.namespaces ?? [], source.vendor);
    const parties = await this.o.sources.partyContext(source.tenantId);
    const labels = offer.media.filter((m) => m.offer).map((m) => m.offer!.label);
    const mapped = mapMetadata(raw, labels, { ...parties, vendor, callId });
    if (mapped.warnings.length) this.o.log.info({ callId, warnings: mapped.warnings }, 'recorder: metadata mapped with warnings');
    const agent = mapped.meta.participants.find((p) => p.role === 'agent' && p.userId);
    const from = parseNameAddr(req.headers.get('from')!)!;
    const contact = parseNameAddr(req.headers.get('contact') ?? '') ?? null;

    const d: Dialog = {
      id: newId(),
      tenantId: source.tenantId,
      callId,
      localTag: tag(),
      remoteTag: from.params.tag ?? '',
      remote: tx.remote,
      remoteTarget: contact?.uri ?? from.uri,
      routeSet: req.headers.getAll('record-route'),
      remoteCseq: parseCSeq(req.headers.get('cseq')!)!.seq,
      localCseq: 0,
      fromHeader: req.headers.get('from')!,
      toHeader: req.headers.get('to')!,
      offer,
      answers: [],
      rawMeta: raw,
      meta: mapped.meta,
      vendor,
      sdpSession: String(Date.now()),
      sdpVersion: 1,
      lastAnswerBody: null,
      state: 'early',
      opened: false,
      paused: false,
      pendingAck: null,
      sessionTimer: null,
      sessionExpires: timer && !('tooSmall' in timer) ? timer.expires : null,
      refresher: timer && !('tooSmall' in timer) ? timer.refresher : null,
      closing: null,
    };
    tx.dialog = d;
    this.dialogs.set(this.dialogKey(callId, d.localTag), d);
    sessionsGauge.set(this.activeSessions);
    const now = new Date().toISOString();
    const offers = offer.media.flatMap((m) => (m.offer ? [m.offer] : []));
    d.paused = offers.length > 0 && offers.every((s) => s.direction === 'inactive' || s.direction === 'recvonly');
    // Recording policy and mode first: a call that must not be recorded (or waits for an on-demand start) is held in
    // the pool before the answer goes out, so not a packet of it is kept. A failing decision records (logged).
    const decision = this.o.decideStart
      ? await this.o
          .decideStart({
            callId: d.id,
            tenantId: d.tenantId,
            callRef: mapped.meta.callRef,
            numbers: mapped.meta.participants.flatMap((p) => (p.number ? [p.number] : [])),
            agentUserIds: mapped.meta.participants.flatMap((p) => (p.userId ? [p.userId] : [])),
            queue: null,
            direction: mapped.meta.direction,
          })
          .catch((err: unknown) => {
            this.o.log.error({ err, callId }, 'recorder: the recording decision failed; recording the call');
            return null;
          })
      : null;
    const held = !!decision?.startPaused;
    await insertCall(this.o.db, this.o.adapter, {
      id: d.id,
      tenantId: d.tenantId,
      callRef: mapped.meta.callRef,
      sessionId: mapped.meta.sessionId,
      sipCallId: callId,
      source: source.sourceId,
      remoteAddress: tx.remote.address,
      transport: tx.remote.transport,
      vendor,
      node: this.o.node,
      state: effectiveState(decision?.state === 'not_recording' ? 'not_recording' : null, d.paused),
      srcPaused: d.paused,
      controlMode: decision?.mode ?? 'always',
      direction: mapped.meta.direction,
      participants: mapped.meta.participants,
      streams: [],
      metadata: mapped.meta,
      agentUserId: agent?.userId ?? null,
      groupId: await this.o.sources.groupOf(agent?.userId ?? null),
      startedAt: now,
      pauseStartedAt: d.paused || held ? now : null,
    });
    this.o.sources.touch(source.sourceId);

    let answers: StreamAnswer[];
    try {
      answers = offers.length ? await this.o.pool.openCall(d.id, d.tenantId, offers, mapped.meta) : [];
      d.opened = true;
      if (held && offers.length) await this.o.pool.setPaused(d.id, true, 'api');
    } catch (err) {
      this.o.log.error({ err, callId }, 'recorder: the media pool could not open the call');
      await this.endCall(d, 'error', { state: 'failed' });
      if (!tx.final) await this.respond(tx, this.response(req, 500, 'Server Internal Error', [this.warn('media resources unavailable')], d.localTag));
      return;
    }
    if (tx.cancelled) {
      // CANCEL arrived while the pool was opening: the 487 is sent; release what was opened.
      await this.endCall(d, 'cancel');
      return;
    }
    d.answers = answers;
    if (!answers.some((a) => a.port > 0)) {
      const reasons =
        answers
          .map((a) => a.reason)
          .filter(Boolean)
          .join('; ') ||
        offer.media
          .map((m) => m.rejectReason)
          .filter(Boolean)
          .join('; ') ||
        'no acceptable stream';
      this.o.log.warn({ callId, reasons }, 'recorder: no stream could be recorded');
      await this.respond(tx, this.response(req, 488, 'Not Acceptable Here', [this.warn(reasons)], d.localTag));
      await this.endCall(d, 'error', { state: 'failed' });
      return;
    }
    const sdp = this.answerSdp(d);
    const extra: Array<[string, string]> = [
      ['contact', this.contact(tx.remote)],
      ['allow', ALLOW],
      ['supported', SUPPORTED.join(', ')],
    ];
    if (d.sessionExpires) {
      extra.push(['session-expires', `${d.sessionExpires};refresher=${d.refresher}`]);
      if (d.refresher === 'uac') extra.push(['require', 'timer']);
    }
    const ok = this.response(req, 200, 'OK', extra, d.localTag, Buffer.from(sdp));
    d.toHeader = ok.headers.get('to')!;
    await this.respond(tx, ok);
    this.awaitAck(d, d.remoteCseq, ok, tx);
    this.armSessionTimer(d);
    const call = await updateCall(this.o.db, this.o.adapter, d.id, { streams: answers, answeredAt: new Date().toISOString() });
    if (call) this.o.onCallChange?.(call);
    this.o.log.info(
      { callId, callRef: mapped.meta.callRef, tenantId: d.tenantId, streams: answers.map((a) => `${a.label}:${a.port}`) },
      'recorder: recording session started',
    );
  }

  private dialogKey(callId: string, localTag: string) {
    return `${callId}\n${localTag}`;
  }

  private contact(remote: Remote): string {
    const ports = this.o.ports();
    const port = ports[remote.transport] ?? ports.udp ?? 5060;
    const host = this.o.advertisedAddress.includes(':') ? `[${this.o.advertisedAddress}]` : this.o.advertisedAddress;
    return `<sip:srs@${host}:${port}${remote.transport === 'udp' ? '' : `;transport=${remote.transport}`}>;+sip.srs`;
  }

  private answerSdp(d: Dialog): string {
    const build = () => buildAnswer(d.offer, d.answers, { sessionId: d.sdpSession, version: d.sdpVersion, address: this.o.advertisedAddress });
    let body = build();
    // RFC 3264 §8: the origin version moves only when the description changes.
    if (d.lastAnswerBody !== null && stripOrigin(body) !== stripOrigin(d.lastAnswerBody)) {
      d.sdpVersion++;
      body = build();
    }
    d.lastAnswerBody = body;
    return body;
  }

  /** 2xx to an INVITE: retransmitted (UDP) until the ACK; without one after 64·T1 the session is ended with a BYE. */
  private awaitAck(d: Dialog, cseq: number, ok: SipResponse, tx: TxState) {
    const buf = serialize(ok);
    const target = this.responseTarget(tx.request, tx.remote);
    const timers: NodeJS.Timeout[] = [];
    d.pendingAck = { cseq, timers };
    if (tx.remote.transport === 'udp') {
      let interval = T1;
      const again = () => {
        if (d.pendingAck?.cseq !== cseq) return;
        void this.transports?.send(target, buf).catch(() => {});
        interval = Math.min(interval * 2, T2);
        timers.push(setTimeout(again, interval));
      };
      timers.push(setTimeout(again, interval));
    }
    timers.push(
      setTimeout(() => {
        if (d.pendingAck?.cseq !== cseq) return;
        d.pendingAck = null;
        if (d.state === 'early') {
          this.o.log.warn({ callId: d.callId }, 'recorder: no ACK for the 200; ending the session');
          void this.sendBye(d).then(() => this.endCall(d, 'timeout'));
        }
      }, TIMER_H),
    );
  }

  private onAck(req: SipRequest) {
    const toTag = parseNameAddr(req.headers.get('to')!)?.params.tag;
    const cseq = parseCSeq(req.headers.get('cseq')!)!.seq;
    const d = toTag ? this.dialogs.get(this.dialogKey(req.headers.get('call-id')!, toTag)) : undefined;
    if (d && d.pendingAck?.cseq === cseq) {
      for (const t of d.pendingAck.timers) clearTimeout(t);
      d.pendingAck = null;
      if (d.state === 'early') d.state = 'confirmed';
    }
    // ACK of a non-2xx final: stop Timer G.
    const tx = this.serverTx.get(this.txKey(req, 'INVITE'));
    if (tx && tx.final) this.dropTx(tx);
  }

  private async onCancel(req: SipRequest, remote: Remote) {
    const tx = this.serverTx.get(this.txKey(req, 'INVITE'));
    if (!tx) return this.reply(this.responseTarget(req, remote), this.response(req, 481, 'Call/Transaction Does Not Exist'));
    await this.reply(
      this.responseTarget(req, remote),
      this.response(req, 200, 'OK', [], parseNameAddr(req.headers.get('to')!)?.params.tag ?? tx.dialog?.localTag),
    );
    if (tx.final) return; // too late: the BYE will end it
    tx.cancelled = true;
    await this.respond(tx, this.response(tx.request, 487, 'Request Terminated', [], tx.dialog?.localTag));
    if (tx.dialog?.opened) await this.endCall(tx.dialog, 'cancel');
    this.o.log.info({ callId: req.headers.get('call-id') }, 'recorder: INVITE cancelled before the answer');
  }

  private async inDialog(req: SipRequest, tx: TxState, toTag: string) {
    const d = this.dialogs.get(this.dialogKey(req.headers.get('call-id')!, toTag));
    if (!d || d.state === 'ended') return this.respond(tx, this.response(req, 481, 'Call/Transaction Does Not Exist'));
    const cseq = parseCSeq(req.headers.get('cseq')!)!.seq;
    if (req.method !== 'PRACK' && cseq <= d.remoteCseq && !(req.method === 'BYE' && cseq === d.remoteCseq)) {
      return this.respond(tx, this.response(req, 500, 'Server Internal Error', [this.warn('CSeq out of order'), ['retry-after', '1']]));
    }
    d.remoteCseq = Math.max(d.remoteCseq, cseq);
    const contact = parseNameAddr(req.headers.get('contact') ?? '');
    switch (req.method) {
      case 'BYE':
        await this.respond(tx, this.response(req, 200, 'OK', [], d.localTag));
        await this.endCall(d, 'bye');
        return;
      case 'INVITE':
      case 'UPDATE':
        if (contact) d.remoteTarget = contact.uri;
        return this.onReoffer(req, tx, d);
      case 'OPTIONS':
        return this.respond(
          tx,
          this.response(
            req,
            200,
            'OK',
            [
              ['allow', ALLOW],
              ['supported', SUPPORTED.join(', ')],
            ],
            d.localTag,
          ),
        );
      case 'PRACK':
      case 'INFO':
        return this.respond(tx, this.response(req, 200, 'OK', [], d.localTag));
      default:
        return this.respond(tx, this.response(req, 405, 'Method Not Allowed', [['allow', ALLOW]], d.localTag));
    }
  }

  /** re-INVITE/UPDATE: a new offer (streams added/removed, codec change, pause = inactive) and/or a metadata update. */
  private async onReoffer(req: SipRequest, tx: TxState, d: Dialog) {
    if (req.method === 'INVITE') await this.respond(tx, this.response(req, 100, 'Trying'));
    if (req.method === 'INVITE' && d.pendingAck) {
      return this.respond(
        tx,
        this.response(req, 500, 'Server Internal Error', [['retry-after', '1'], this.warn('previous INVITE not yet acknowledged')], d.localTag),
      );
    }
    const bad = this.checkRequire(req);
    if (bad.length) return this.respond(tx, this.response(req, 420, 'Bad Extension', [['unsupported', bad.join(', ')]], d.localTag));
    const timer = this.sessionTimer(req);
    if (timer && 'tooSmall' in timer) return this.respond(tx, this.response(req, 422, 'Session Interval Too Small', [['min-se', String(MIN_SE)]], d.localTag));
    let offer: ParsedOffer | null = null;
    let raw: RawMetadata | null = null;
    try {
      const body = splitSiprecBody(req.headers.get('content-type'), req.body);
      if (body.sdp) offer = parseOffer(body.sdp);
      if (body.metadata) raw = parseMetadataXml(body.metadata);
    } catch (err) {
      if (!(err instanceof SiprecBodyError)) throw err;
      this.o.log.warn({ callId: d.callId, reason: err.reason }, 'recorder: re-offer refused; the session continues unchanged');
      return this.respond(
        tx,
        this.response(
          req,
          err.status,
          err.status === 415 ? 'Unsupported Media Type' : err.status === 488 ? 'Not Acceptable Here' : 'Bad Request',
          [this.warn(err.reason)],
          d.localTag,
        ),
      );
    }
    if (timer && !('tooSmall' in timer)) {
      d.sessionExpires = timer.expires;
      d.refresher = timer.refresher;
    }
    let metaChanged = false;
    if (raw) {
      d.rawMeta = mergeMetadata(d.rawMeta, raw);
      metaChanged = true;
    }
    if (offer) d.offer = offer;
    const labels = d.offer.media.filter((m) => m.offer).map((m) => m.offer!.label);
    if (raw || offer) {
      const parties = await this.o.sources.partyContext(d.tenantId);
      const mapped = mapMetadata(d.rawMeta, labels, { ...parties, vendor: d.vendor, callId: d.callId });
      // The call reference is the control API's handle: it never changes under a running call.
      d.meta = { ...mapped.meta, callRef: d.meta.callRef };
    }
    const offers = d.offer.media.flatMap((m) => (m.offer ? [m.offer] : []));
    if (offer) {
      try {
        d.answers = await this.o.pool.updateCall(d.id, offers, metaChanged ? d.meta : undefined);
      } catch (err) {
        this.o.log.error({ err, callId: d.callId }, 'recorder: the media pool refused the re-offer');
        return this.respond(tx, this.response(req, 488, 'Not Acceptable Here', [this.warn('the new offer could not be applied')], d.localTag));
      }
    } else if (metaChanged) {
      d.answers = await this.o.pool.updateCall(d.id, offers, d.meta);
    }
    // Pause (RFC 7866 §8.1.2 style: every stream inactive) and resume.
    const paused = offers.length > 0 && offers.every((s) => s.direction === 'inactive' || s.direction === 'recvonly');
    const patch: Parameters<typeof updateCall>[3] = { streams: d.answers };
    if (metaChanged || offer) Object.assign(patch, { participants: d.meta.participants, metadata: d.meta, direction: d.meta.direction });
    const pauseChanged = paused !== d.paused;
    if (pauseChanged) {
      d.paused = paused;
      this.o.log.info({ callId: d.callId, paused }, paused ? 'recorder: paused by the SRC' : 'recorder: resumed by the SRC');
    }
    const sdp = offer || !d.lastAnswerBody ? this.answerSdp(d) : d.lastAnswerBody;
    const extra: Array<[string, string]> = [
      ['contact', this.contact(tx.remote)],
      ['supported', SUPPORTED.join(', ')],
    ];
    if (d.sessionExpires) {
      extra.push(['session-expires', `${d.sessionExpires};refresher=${d.refresher}`]);
      if (d.refresher === 'uac') extra.push(['require', 'timer']);
    }
    const ok = this.response(req, 200, 'OK', extra, d.localTag, Buffer.from(sdp));
    await this.respond(tx, ok);
    if (req.method === 'INVITE') this.awaitAck(d, parseCSeq(req.headers.get('cseq')!)!.seq, ok, tx);
    this.armSessionTimer(d);
    // The media pool keeps the API's hold apart from the SRC's; the row's state follows both, its pause clock moves once.
    const call = pauseChanged
      ? await applySourcePause(this.o.db, this.o.adapter, d.id, paused, patch)
      : await updateCall(this.o.db, this.o.adapter, d.id, patch);
    if (call) this.o.onCallChange?.(call);
  }

  /**
   * Session timers (RFC 4028 §10): the SRC refreshes (we end the session when it does not, at expiry − min(32 s, ⅓));
   * when we are the refresher we send an UPDATE at half the interval. Without a timer a call is still ended after
   * maxSessionMs without any request.
   */
  private armSessionTimer(d: Dialog) {
    if (d.sessionTimer) clearTimeout(d.sessionTimer);
    d.sessionTimer = null;
    if (d.state === 'ended') return;
    if (!d.sessionExpires) {
      const max = this.o.maxSessionMs ?? 0;
      if (max > 0) d.sessionTimer = setTimeout(() => void this.expire(d, 'no request for the maximum session time'), max);
      return;
    }
    const ms = d.sessionExpires * 1000;
    if (d.refresher === 'uas') {
      d.sessionTimer = setTimeout(() => {
        void this.sendInDialog(d, 'UPDATE').then((r) => {
          if (r && r.status < 300) this.armSessionTimer(d);
          else void this.expire(d, 'session refresh (UPDATE) failed');
        });
      }, ms / 2);
    } else {
      d.sessionTimer = setTimeout(() => void this.expire(d, 'session timer expired without a refresh'), ms - Math.min(32_000, ms / 3));
    }
  }

  private async expire(d: Dialog, why: string) {
    if (d.state === 'ended') return;
    this.o.log.warn({ callId: d.callId, why }, 'recorder: ending a session');
    await this.sendBye(d);
    await this.endCall(d, 'timeout');
  }

  /** Closes the media and the row once (BYE, CANCEL, timeout, error, shutdown). */
  private endCall(d: Dialog, reason: CloseReason | 'shutdown', opts: { state?: 'ended' | 'failed' } = {}): Promise<void> {
    d.closing ??= (async () => {
      d.state = 'ended';
      if (d.sessionTimer) clearTimeout(d.sessionTimer);
      if (d.pendingAck) for (const t of d.pendingAck.timers) clearTimeout(t);
      d.pendingAck = null;
      setTimeout(() => this.dialogs.delete(this.dialogKey(d.callId, d.localTag)), TIMER_H).unref();
      sessionsGauge.set(this.activeSessions);
      let result: Awaited<ReturnType<MediaPool['closeCall']>> | null = null;
      if (d.opened && reason !== 'shutdown') {
        try {
          result = await this.o.pool.closeCall(d.id, reason);
        } catch (err) {
          this.o.log.error({ err, callId: d.callId }, 'recorder: the media pool could not close the call');
        }
      }
      if (reason === 'shutdown') return; // left open for the restart recovery
      // The pause clock is the row's: the API's paused time is in it too (a running pause is closed, not overwritten).
      const call = await endWithClock(this.o.db, this.o.adapter, d.id, {
        state: opts.state ?? 'ended',
        endedAt: new Date().toISOString(),
        endReason: reason,
        ...(result ? { quality: result.quality, flags: result.flags, conversationId: result.conversationId } : {}),
      }).catch((err) => {
        this.o.log.error({ err, callId: d.callId }, 'recorder: could not record the end of a call');
        return undefined;
      });
      if (call) this.o.onCallChange?.(call);
      this.o.log.info({ callId: d.callId, reason, conversationId: result?.conversationId ?? null }, 'recorder: recording session ended');
    })();
    return d.closing;
  }

  // Requests we send (BYE, UPDATE refresh, OPTIONS probes)

  private async sendBye(d: Dialog) {
    await this.sendInDialog(d, 'BYE').catch(() => null);
  }

  private async sendInDialog(d: Dialog, method: 'BYE' | 'UPDATE'): Promise<SipResponse | null> {
    const h = new SipHeaders();
    // We are the UAS: our From is the dialog's To (with our tag), our To is the SRC's From.
    const uri = parseUri(d.remoteTarget);
    const remote: Remote =
      d.remote.transport !== 'udp' || !uri || !/^[\d.]+$|^\[/.test(uri.host) ? d.remote : { transport: 'udp', address: uri.host, port: uri.port ?? 5060 };
    d.localCseq = d.localCseq === 0 ? Math.floor(Math.random() * 10_000) + 1 : d.localCseq + 1;
    const branch = 'z9hG4bK' + randomBytes(8).toString('hex');
    h.add('via', `SIP/2.0/${remote.transport.toUpperCase()} ${this.viaHost(remote)};branch=${branch};rport`);
    h.add('max-forwards', '70');
    h.add('from', d.toHeader);
    h.add('to', d.fromHeader);
    h.add('call-id', d.callId);
    h.add('cseq', `${d.localCseq} ${method}`);
    for (const r of [...d.routeSet]) h.add('route', r);
    if (method === 'UPDATE') {
      h.add('contact', this.contact(remote));
      if (d.sessionExpires) h.add('session-expires', `${d.sessionExpires};refresher=uas`);
    }
    const req: SipRequest = { kind: 'request', method, uri: d.remoteTarget, headers: h, body: Buffer.alloc(0) };
    return this.sendRequest(req, remote, branch);
  }

  /** OPTIONS to an SRC (assurance probes): the status, or null when nothing answered within 32 s. */
  async sendOptions(target: string, remote: Remote): Promise<number | null> {
    const h = new SipHeaders();
    const branch = 'z9hG4bK' + randomBytes(8).toString('hex');
    h.add('via', `SIP/2.0/${remote.transport.toUpperCase()} ${this.viaHost(remote)};branch=${branch};rport`);
    h.add('max-forwards', '70');
    h.add('from', `<sip:srs@${this.o.advertisedAddress}>;tag=${tag()}`);
    h.add('to', `<${target}>`);
    h.add('call-id', `${randomBytes(10).toString('hex')}@earshot`);
    h.add('cseq', '1 OPTIONS');
    h.add('accept', 'application/sdp');
    const r = await this.sendRequest({ kind: 'request', method: 'OPTIONS', uri: target, headers: h, body: Buffer.alloc(0) }, remote, branch);
    return r?.status ?? null;
  }

  private viaHost(remote: Remote) {
    const port = this.o.ports()[remote.transport] ?? 5060;
    const host = this.o.advertisedAddress.includes(':') ? `[${this.o.advertisedAddress}]` : this.o.advertisedAddress;
    return `${host}:${port}`;
  }

  /** A non-INVITE client transaction (RFC 3261 §17.1.2): Timer E retransmissions over UDP, Timer F = 64·T1. */
  private sendRequest(req: SipRequest, remote: Remote, branch: string): Promise<SipResponse | null> {
    const buf = serialize(req);
    return new Promise((resolve) => {
      const ctx: ClientTx = { resolve, timers: [] };
      this.clientTx.set(branch, ctx);
      const finish = (r: SipResponse | null) => {
        for (const t of ctx.timers) clearTimeout(t);
        this.clientTx.delete(branch);
        resolve(r);
      };
      ctx.resolve = finish;
      void this.transports?.send(remote, buf).catch(() => finish(null));
      if (remote.transport === 'udp') {
        let interval = T1;
        const again = () => {
          if (!this.clientTx.has(branch)) return;
          void this.transports?.send(remote, buf).catch(() => {});
          interval = Math.min(interval * 2, T2);
          ctx.timers.push(setTimeout(again, interval));
        };
        ctx.timers.push(setTimeout(again, interval));
      }
      ctx.timers.push(setTimeout(() => finish(null), TIMER_H));
    });
  }

  private onResponse(res: SipResponse) {
    const via = parseVia(res.headers.get('via')!);
    const branch = via?.params.branch;
    if (!branch || res.status < 200) return;
    this.clientTx.get(branch)?.resolve(res);
  }

  /** Stops: open sessions stay open in recorder_calls (their media pool recovers them on restart). */
  async close() {
    this.closed = true;
    for (const tx of this.serverTx.values()) for (const t of tx.timers) clearTimeout(t);
    this.serverTx.clear();
    for (const c of this.clientTx.values()) c.resolve(null);
    for (const d of this.dialogs.values()) {
      if (d.sessionTimer) clearTimeout(d.sessionTimer);
      if (d.pendingAck) for (const t of d.pendingAck.timers) clearTimeout(t);
    }
    this.dialogs.clear();
    await this.o.sources.flush();
  }
}

function stripOrigin(sdp: string) {
  return sdp.replace(/^o=.*$/m, '');
}

export const defaultNode = () => `${os.hostname()}`;
