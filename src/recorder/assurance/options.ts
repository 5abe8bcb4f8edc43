// The periodic OPTIONS to each configured SRC (recorder_sources.ping_uri): an SRC that stops answering is reported on
// Recording health (and in the log) from the first failed probe, and again when it answers once more. Over UDP, one
// request per probe with a short wait: any SIP response (even 4xx/5xx) proves the SRC's SIP stack is alive.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { nowIso } from '../../platform/ids.ts';
import * as repo from './repository.ts';

/** host and port of a sip:/sips: URI or host:port ("sip:sbc.example.com:5060;transport=udp" → sbc.example.com, 5060). */
export function probeTarget(uri: string): { host: string; port: number } | null {
  const m = /^(?:sips?:)?(?:[^@;]*@)?(\[[^\]]+\]|[^:;>]+)(?::(\d+))?/i.exec(uri.trim());
  if (!m) return null;
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : 5060;
  return host && port > 0 && port < 65536 ? { host, port } : null;
}

/** Sends one OPTIONS and resolves with the response's status line, or rejects after `timeoutMs`. */
export function sendOptions(uri: string, timeoutMs = 2000): Promise<string> {
  const target = probeTarget(uri);
  if (!target) return Promise.reject(new Error(`"${uri}" is not a SIP URI or host:port`));
  const sock = dgram.createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  const callId = `${randomBytes(8).toString('hex')}@earshot`;
  const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const done = (err: Error | null, status?: string) => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(status!);
    };
    sock.on('error', (err) => done(err));
    sock.on('message', (msg) => {
      const text = msg.toString('utf8');
      if (!text.startsWith('SIP/2.0 ') || !text.includes(callId)) return;
      const eol = text.indexOf('\r\n');
      const status = (eol > 0 ? text.slice(0, eol) : text.slice(0, 40)).trim();
      // 1xx is not an answer to OPTIONS worth waiting past; anything final is.
      if (/^SIP\/2\.0 1\d\d/.test(status)) return;
      done(null, status);
    });
    sock.bind(0, () => {
      const { port } = sock.address();
      const local = target.host.includes(':') ? '[::1]' : '127.0.0.1';
      const uriText = uri.startsWith('sip') ? uri.replace(/;.*$/, '') : `sip:${target.host}:${target.port}`;
      const req = [
        `OPTIONS ${uriText} SIP/2.0`,
        `Via: SIP/2.0/UDP ${local}:${port};branch=${branch};rport`,
        'Max-Forwards: 70',
        `From: <sip:earshot@${local}>;tag=${randomBytes(4).toString('hex')}`,
        `To: <${uriText}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 OPTIONS',
        `Contact: <sip:earshot@${local}:${port}>`,
        'Accept: application/sdp',
        'User-Agent: Earshot recorder',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(req, target.port, target.host, (err) => err && done(err));
    });
  });
}

/** The probe job: one OPTIONS per enabled SRC with a ping URI; the state change is logged (stopped / answering again). */
export async function probeSources(ctx: AppContext, send: (uri: string) => Promise<string> = sendOptions): Promise<number> {
  const sources = await repo.enabledSources(ctx.db);
  await Promise.all(
    sources.map(async (s) => {
      const target = s.ping_uri!;
      const before = await repo.getProbe(ctx.db, s.tenant_id, target);
      const at = nowIso();
      let status: string | null = null;
      let error: string | null = null;
      try {
        status = await send(target);
      } catch (err) {
        error = (err as Error).message;
      }
      const failingSince = error ? (before?.failing_since ?? at) : null;
      if (error && !before?.failing_since) ctx.log.warn({ tenantId: s.tenant_id, source: s.name, target, error }, 'recording source stopped answering OPTIONS');
      if (!error && before?.failing_since) ctx.log.info({ tenantId: s.tenant_id, source: s.name, target }, 'recording source answers OPTIONS again');
      await repo.saveProbe(ctx.db, {
        tenant_id: s.tenant_id,
        target,
        name: s.name,
        last_probe_at: at,
        last_ok_at: error ? (before?.last_ok_at ?? null) : at,
        last_status: status,
        last_error: error,
        failing_since: failingSince,
        notified_at: before?.notified_at ?? null,
      });
    }),
  );
  return sources.length;
}
