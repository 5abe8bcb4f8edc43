// Environment parsed and validated once, at boot. An invalid value stops start-up with one line naming the variable.
import fs from 'node:fs';
import path from 'node:path';

export const ROLES = ['api', 'worker', 'scheduler', 'recorder'] as const;
export type ProcessRole = (typeof ROLES)[number];

export interface Config {
  dataDir: string;
  databaseUrl: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  roles: ProcessRole[];
  masterKey: string | undefined;
  masterKeyFile: string;
  media:
    | { backend: 'fs'; dir: string }
    | {
        backend: 's3';
        bucket: string;
        region: string;
        endpoint: string | undefined;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
        prefix: string;
      };
  demo: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** Files one ingest request may carry. */
  uploadMaxFiles: number;
  /** Ingest uploads streamed at once per process; more answer 503 UPLOADS_BUSY. */
  uploadConcurrency: number;
  /** Files one upload of the Import screen may carry, and their total size (a zip counts as one file, its size). */
  importMaxFiles: number;
  importMaxBytes: number;
  loginRateLimitPerMinute: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  workerConcurrency: number;
  metrics: boolean;
  /** A search's time budget; past it the search is cancelled (503 SEARCH_TIMEOUT). */
  searchTimeoutMs: number;
  /** Where users reach the server (e.g. https://earshot.example.com); also an origin accepted for state-changing calls. */
  publicUrl: string | undefined;
  /** Origins (scheme://host[:port]) besides the server's own from which browsers may send state-changing calls. */
  allowedOrigins: string[];
  /** Bearer token that /metrics on the API port requires; without it /metrics is served only on metricsListen. */
  metricsToken: string | undefined;
  /** A separate HOST:PORT that serves only /metrics, without a token (keep it on a private interface). */
  metricsListen: { host: string; port: number } | undefined;
  /** ffmpeg to run (EARSHOT_FFMPEG); undefined: the one on PATH, else the one shipped in @ffmpeg-installer/ffmpeg. */
  ffmpegPath: string | undefined;
  /** Folder archive targets live below this directory (EARSHOT_ARCHIVE_DIR, default <data>/archive); a tenant cannot write elsewhere. */
  archiveDir: string;
  /** Webhook URLs may point at loopback and link-local addresses and at this server (EARSHOT_WEBHOOKS_ALLOW_PRIVATE; tests, development). */
  webhooksAllowPrivate: boolean;
  /** Speech-to-text engines (src/speech/engines/); which one a tenant uses is its Settings' choice. */
  asr: AsrConfig;
  /**
   * An optional OpenAI-compatible /v1/chat/completions server for conversation insights (EARSHOT_INSIGHTS_LLM_URL): a
   * short summary and better next steps. Undefined: insights use their offline rules only.
   */
  insightsLlm: { url: string; apiKey: string | undefined; model: string; timeoutMs: number } | undefined;
}

export interface AsrConfig {
  /** An OpenAI-compatible /v1/audio/transcriptions server (EARSHOT_ASR_OPENAI_URL); undefined: that engine is off. */
  openai: { url: string; apiKey: string | undefined; model: string } | undefined;
  /** Requests in flight at once to that server, per process. */
  concurrency: number;
  /** One transcription request's time budget. */
  timeoutMs: number;
  /** The local model (sherpa-onnx): a model folder, or the name of one installed by `earshot models pull`. */
  localModel: string | undefined;
  /** Threads the local model uses per transcription. */
  localThreads: number;
  /** Where `earshot models pull` installs models. */
  modelsDir: string;
}

/** What the browser may see; nothing else from Config is ever sent to it. */
export function publicConfig(config: Config) {
  // The UI languages (src/auth/languages.ts LANGUAGES; config sits below the features, so the list is repeated).
  return { demo: config.demo, languages: ['en', 'fr', 'es', 'pt-BR', 'de', 'ru', 'cs'], version: process.env.npm_package_version ?? '0.1.0' };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function parseRoles(raw: string, variable = 'EARSHOT_ROLES'): ProcessRole[] {
  const roles = raw
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0) throw new ConfigError(variable, 'name at least one role');
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new ConfigError(variable, `unknown role "${r}" (expected ${ROLES.join(', ')})`);
    }
  }
  return [...new Set(roles)] as ProcessRole[];
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(str(env, 'EARSHOT_DATA_DIR', './data'));
  const databaseUrl = str(env, 'EARSHOT_DATABASE_URL', `sqlite:${path.join(dataDir, 'earshot.db')}`);
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('EARSHOT_DATABASE_URL', 'expected sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB');
  }
  const masterKey = env.EARSHOT_MASTER_KEY || undefined;
  if (masterKey !== undefined && Buffer.from(masterKey, 'base64').length !== 32) {
    throw new ConfigError('EARSHOT_MASTER_KEY', 'expected 32 random bytes in base64 (openssl rand -base64 32)');
  }
  const backend = oneOf(env, 'EARSHOT_MEDIA_BACKEND', ['fs', 's3'] as const, 'fs');
  let media: Config['media'];
  if (backend === 's3') {
    const bucket = env.EARSHOT_S3_BUCKET;
    if (!bucket) throw new ConfigError('EARSHOT_S3_BUCKET', 'required when EARSHOT_MEDIA_BACKEND=s3');
    const endpoint = env.EARSHOT_S3_ENDPOINT || undefined;
    if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) {
      throw new ConfigError('EARSHOT_S3_ENDPOINT', `expected an http(s) URL, got "${endpoint}"`);
    }
    media = {
      backend: 's3',
      bucket,
      region: str(env, 'EARSHOT_S3_REGION', 'us-east-1'),
      endpoint,
      accessKeyId: env.EARSHOT_S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.EARSHOT_S3_SECRET_ACCESS_KEY || undefined,
      forcePathStyle: bool(env, 'EARSHOT_S3_FORCE_PATH_STYLE', endpoint !== undefined),
      prefix: str(env, 'EARSHOT_S3_PREFIX', ''),
    };
  } else {
    media = { backend: 'fs', dir: path.resolve(str(env, 'EARSHOT_MEDIA_DIR', path.join(dataDir, 'media'))) };
  }
  return {
    dataDir,
    databaseUrl,
    host: str(env, 'HOST', '127.0.0.1'),
    port: int(env, 'PORT', 8080, 0, 65535),
    logLevel: oneOf(env, 'EARSHOT_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    roles: parseRoles(str(env, 'EARSHOT_ROLES', 'api,worker,scheduler')),
    masterKey,
    masterKeyFile: path.resolve(str(env, 'EARSHOT_MASTER_KEY_FILE', path.join(dataDir, 'master.key'))),
    media,
    demo: bool(env, 'EARSHOT_DEMO', true),
    sessionTtlHours: int(env, 'EARSHOT_SESSION_TTL_HOURS', 12, 1, 24 * 90),
    bodyLimitBytes: int(env, 'EARSHOT_BODY_LIMIT_KB', 1024, 1, 1024 * 1024) * 1024,
    uploadLimitBytes: int(env, 'EARSHOT_UPLOAD_LIMIT_MB', 200, 1, 64 * 1024) * 1024 * 1024,
    uploadMaxFiles: int(env, 'EARSHOT_UPLOAD_MAX_FILES', 8, 1, 100),
    uploadConcurrency: int(env, 'EARSHOT_UPLOAD_CONCURRENCY', 4, 1, 256),
    importMaxFiles: int(env, 'EARSHOT_IMPORT_MAX_FILES', 1000, 1, 100_000),
    importMaxBytes: int(env, 'EARSHOT_IMPORT_MAX_MB', 2048, 1, 1024 * 1024) * 1024 * 1024,
    loginRateLimitPerMinute: int(env, 'EARSHOT_LOGIN_RATE_LIMIT', 20, 1, 100000),
    cookieSecure: bool(env, 'EARSHOT_COOKIE_SECURE', false),
    trustProxy: bool(env, 'EARSHOT_TRUST_PROXY', false),
    workerConcurrency: int(env, 'EARSHOT_WORKER_CONCURRENCY', 2, 1, 64),
    metrics: bool(env, 'EARSHOT_METRICS', true),
    searchTimeoutMs: int(env, 'EARSHOT_SEARCH_TIMEOUT_MS', 5000, 100, 600_000),
    publicUrl: env.EARSHOT_PUBLIC_URL ? origin(env.EARSHOT_PUBLIC_URL, 'EARSHOT_PUBLIC_URL') : undefined,
    allowedOrigins: (env.EARSHOT_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => origin(o, 'EARSHOT_ALLOWED_ORIGINS')),
    metricsToken: env.EARSHOT_METRICS_TOKEN || undefined,
    metricsListen: env.EARSHOT_METRICS_LISTEN ? hostPort(env.EARSHOT_METRICS_LISTEN, 'EARSHOT_METRICS_LISTEN') : undefined,
    ffmpegPath: env.EARSHOT_FFMPEG ? executable(env.EARSHOT_FFMPEG, 'EARSHOT_FFMPEG') : undefined,
    archiveDir: path.resolve(str(env, 'EARSHOT_ARCHIVE_DIR', path.join(dataDir, 'archive'))),
    webhooksAllowPrivate: bool(env, 'EARSHOT_WEBHOOKS_ALLOW_PRIVATE', false),
    asr: {
      openai: env.EARSHOT_ASR_OPENAI_URL
        ? {
            url: httpUrl(env.EARSHOT_ASR_OPENAI_URL, 'EARSHOT_ASR_OPENAI_URL'),
            apiKey: env.EARSHOT_ASR_OPENAI_KEY || undefined,
            model: str(env, 'EARSHOT_ASR_OPENAI_MODEL', 'whisper-1'),
          }
        : undefined,
      concurrency: int(env, 'EARSHOT_ASR_CONCURRENCY', 2, 1, 64),
      timeoutMs: int(env, 'EARSHOT_ASR_TIMEOUT_MS', 300_000, 1000, 3_600_000),
      localModel: env.EARSHOT_ASR_LOCAL_MODEL || undefined,
      localThreads: int(env, 'EARSHOT_ASR_LOCAL_THREADS', 1, 1, 64),
      modelsDir: path.resolve(str(env, 'EARSHOT_MODELS_DIR', path.join(dataDir, 'models'))),
    },
    insightsLlm: env.EARSHOT_INSIGHTS_LLM_URL
      ? {
          url: httpUrl(env.EARSHOT_INSIGHTS_LLM_URL, 'EARSHOT_INSIGHTS_LLM_URL'),
          apiKey: env.EARSHOT_INSIGHTS_LLM_KEY || undefined,
          model: str(env, 'EARSHOT_INSIGHTS_LLM_MODEL', 'gpt-4o-mini'),
          timeoutMs: int(env, 'EARSHOT_INSIGHTS_LLM_TIMEOUT_MS', 30_000, 1000, 600_000),
        }
      : undefined,
  };
}

/** An http(s) base URL without a trailing slash (query and fragment refused: they would be lost when paths are appended). */
function httpUrl(raw: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(variable, `expected an http(s) URL such as http://127.0.0.1:8000, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(variable, `expected an http(s) URL, got "${raw}"`);
  if (url.search || url.hash) throw new ConfigError(variable, `expected a base URL without ?query or #fragment, got "${raw}"`);
  return url.href.replace(/\/+$/, '');
}

/** scheme://host[:port] of an http(s) URL, the form browsers send in the Origin header. */
function origin(raw: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(variable, `expected an http(s) URL such as https://earshot.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(variable, `expected an http(s) URL, got "${raw}"`);
  return url.origin;
}

function executable(raw: string, variable: string): string {
  const file = path.resolve(raw);
  try {
    fs.accessSync(file, fs.constants.X_OK);
    if (fs.statSync(file).isFile()) return file;
  } catch {
    // reported below
  }
  throw new ConfigError(variable, `${file} is not an executable file`);
}

function hostPort(raw: string, variable: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(raw.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new ConfigError(variable, `expected HOST:PORT such as 127.0.0.1:9464, got "${raw}"`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}
