import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRoles } from './config.ts';

describe('config', () => {
  it('has embedded defaults: SQLite and a media folder under ./data, port 8080, every role', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.databaseUrl).toBe(`sqlite:${path.resolve('data/earshot.db')}`);
    expect(c.media).toEqual({ backend: 'fs', dir: path.resolve('data/media') });
    expect(c.port).toBe(8080);
    expect(c.roles).toEqual(['api', 'worker', 'scheduler']);
    expect(c.masterKeyFile).toBe(path.resolve('data/master.key'));
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EARSHOT_DATABASE_URL: 'mysql://x' }, 'EARSHOT_DATABASE_URL'],
    [{ EARSHOT_MASTER_KEY: 'c2hvcnQ=' }, 'EARSHOT_MASTER_KEY'],
    [{ EARSHOT_MEDIA_BACKEND: 'ftp' }, 'EARSHOT_MEDIA_BACKEND'],
    [{ EARSHOT_MEDIA_BACKEND: 's3' }, 'EARSHOT_S3_BUCKET'],
    [{ EARSHOT_MEDIA_BACKEND: 's3', EARSHOT_S3_BUCKET: 'b', EARSHOT_S3_ENDPOINT: 'localhost:9000' }, 'EARSHOT_S3_ENDPOINT'],
    [{ EARSHOT_DEMO: 'maybe' }, 'EARSHOT_DEMO'],
    [{ EARSHOT_ROLES: 'api,cook' }, 'EARSHOT_ROLES'],
    [{ EARSHOT_LOG_LEVEL: 'loud' }, 'EARSHOT_LOG_LEVEL'],
    [{ EARSHOT_PUBLIC_URL: 'earshot.example.com' }, 'EARSHOT_PUBLIC_URL'],
    [{ EARSHOT_ALLOWED_ORIGINS: 'https://a.example, ftp://b.example' }, 'EARSHOT_ALLOWED_ORIGINS'],
    [{ EARSHOT_METRICS_LISTEN: '9464' }, 'EARSHOT_METRICS_LISTEN'],
    [{ EARSHOT_FFMPEG: '/nonexistent/ffmpeg' }, 'EARSHOT_FFMPEG'],
    [{ EARSHOT_ASR_OPENAI_URL: '127.0.0.1:8000' }, 'EARSHOT_ASR_OPENAI_URL'],
    [{ EARSHOT_ASR_OPENAI_URL: 'http://127.0.0.1:8000/?key=x' }, 'EARSHOT_ASR_OPENAI_URL'],
    [{ EARSHOT_ASR_CONCURRENCY: '0' }, 'EARSHOT_ASR_CONCURRENCY'],
    [{ EARSHOT_ASR_TIMEOUT_MS: '5s' }, 'EARSHOT_ASR_TIMEOUT_MS'],
    [{ EARSHOT_ASR_LOCAL_THREADS: '100' }, 'EARSHOT_ASR_LOCAL_THREADS'],
    [{ EARSHOT_INSIGHTS_LLM_URL: 'llm.local:8000' }, 'EARSHOT_INSIGHTS_LLM_URL'],
    [{ EARSHOT_INSIGHTS_LLM_URL: 'http://127.0.0.1:8000', EARSHOT_INSIGHTS_LLM_TIMEOUT_MS: '10' }, 'EARSHOT_INSIGHTS_LLM_TIMEOUT_MS'],
  ])('refuses %o naming %s', (env, variable) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message.startsWith(`${variable}: `)).toBe(true);
  });

  it('reads S3 settings', () => {
    const c = loadConfig({
      EARSHOT_MEDIA_BACKEND: 's3',
      EARSHOT_S3_BUCKET: 'rec',
      EARSHOT_S3_ENDPOINT: 'http://127.0.0.1:9000',
      EARSHOT_S3_PREFIX: 'earshot/',
    });
    expect(c.media).toMatchObject({
      backend: 's3',
      bucket: 'rec',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      prefix: 'earshot/',
      region: 'us-east-1',
    });
  });

  it('reads origins as scheme://host[:port] and the metrics address', () => {
    const c = loadConfig({
      EARSHOT_PUBLIC_URL: 'https://Earshot.example.com:443/app/',
      EARSHOT_ALLOWED_ORIGINS: 'http://127.0.0.1:5173, https://ui.example',
      EARSHOT_METRICS_LISTEN: '127.0.0.1:9464',
    });
    expect(c.publicUrl).toBe('https://earshot.example.com');
    expect(c.allowedOrigins).toEqual(['http://127.0.0.1:5173', 'https://ui.example']);
    expect(c.metricsListen).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it('reads the speech engines: the OpenAI-compatible server off unless its URL is set, models under the data folder', () => {
    expect(loadConfig({}).asr).toEqual({
      openai: undefined,
      concurrency: 2,
      timeoutMs: 300_000,
      localModel: undefined,
      localThreads: 1,
      modelsDir: path.resolve('data/models'),
    });
    const c = loadConfig({
      EARSHOT_ASR_OPENAI_URL: 'http://127.0.0.1:8000/v1/',
      EARSHOT_ASR_OPENAI_KEY: 'sk-test',
      EARSHOT_ASR_CONCURRENCY: '4',
      EARSHOT_ASR_TIMEOUT_MS: '60000',
      EARSHOT_ASR_LOCAL_MODEL: '/srv/models/whisper',
    });
    expect(c.asr).toMatchObject({
      openai: { url: 'http://127.0.0.1:8000/v1', apiKey: 'sk-test', model: 'whisper-1' },
      concurrency: 4,
      timeoutMs: 60_000,
      localModel: '/srv/models/whisper',
    });
  });

  it('reads the optional insights chat endpoint (off by default)', () => {
    expect(loadConfig({}).insightsLlm).toBeUndefined();
    const c = loadConfig({ EARSHOT_INSIGHTS_LLM_URL: 'http://127.0.0.1:11434/v1/', EARSHOT_INSIGHTS_LLM_KEY: 'k', EARSHOT_INSIGHTS_LLM_MODEL: 'llama3.1' });
    expect(c.insightsLlm).toEqual({ url: 'http://127.0.0.1:11434/v1', apiKey: 'k', model: 'llama3.1', timeoutMs: 30_000 });
  });

  it('parses roles and removes duplicates', () => {
    expect(parseRoles('api, worker,api')).toEqual(['api', 'worker']);
    expect(() => parseRoles('')).toThrow(ConfigError);
  });
});
