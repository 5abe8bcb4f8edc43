// One delivery attempt over HTTP: POST the body, no redirects followed (a 3xx is a failure: the receiver must give the
// final URL), a total time limit, the response read only as far as the excerpt the delivery log keeps.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, type UrlPolicy } from './url-guard.ts';

export const ATTEMPT_TIMEOUT_MS = 10_000;
export const EXCERPT_CHARS = 1000;
const READ_LIMIT = 64 * 1024;

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
}

export function postJson(url: URL, body: string, headers: Record<string, string>, policy: UrlPolicy, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<AttemptOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Omit<AttemptOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...o, durationMs: took() });
    };
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const excerpt = text ? text.slice(0, EXCERPT_CHARS) : null;
          const ok = status >= 200 && status < 300;
          done({ ok, statusCode: status, excerpt, error: ok ? null : status >= 300 && status < 400 ? `Redirect (${status}) not followed` : `HTTP ${status}` });
          res.destroy();
        };
        res.on('data', (c: Buffer) => {
          if (size < READ_LIMIT) chunks.push(c);
          size += c.length;
          if (size >= READ_LIMIT) finish();
        });
        res.on('end', finish);
        res.on('error', (err) => done({ ok: false, statusCode: res.statusCode ?? null, excerpt: null, error: err.message }));
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, statusCode: null, excerpt: null, error: `No answer within ${timeoutMs / 1000} s` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, statusCode: null, excerpt: null, error: describe(err) }));
    req.end(body);
  });
}

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'WEBHOOK_URL_REFUSED') return err.message;
  if (err.code === 'ECONNREFUSED') return 'Connection refused';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `The host name could not be resolved (${err.code})`;
  if (err.code === 'ECONNRESET') return 'The connection was reset';
  return err.code ? `${err.message} (${err.code})` : err.message;
}
