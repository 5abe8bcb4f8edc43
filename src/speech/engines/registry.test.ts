// Engine selection: the tenant's choice per language, then for all; "auto" in the order local → openai →
// pocketsphinx among those that can run and speak the language; "none"; the reasons a conversation shows when
// nothing can run; availability asked at most once a minute; one registry per process configuration.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import type { AsrEngine, EngineAvailability } from '../model.ts';
import { EngineRegistry, NO_ENGINE, TURNED_OFF, engineRegistry, engineStatus, resolveEngine } from './registry.ts';

function fake(id: string, availability: EngineAvailability, languages: readonly string[] | '*' = '*') {
  const e = {
    id,
    label: `${id} engine`,
    languages,
    sampleRates: { min: 8000, max: 48000, preferred: 16000 },
    calls: 0,
    async available() {
      e.calls++;
      return availability;
    },
    async transcribe() {
      return [];
    },
  };
  return e satisfies AsrEngine;
}

const config = loadConfig({});
const auto = { speechEngine: 'auto', speechEngineByLanguage: {} };
const down = (reason: string): EngineAvailability => ({ ok: false, reason });

describe('engine registry', () => {
  it('auto: the local model first, then the OpenAI-compatible server, then pocketsphinx', async () => {
    const up = { ok: true } as const;
    const id = async (engines: AsrEngine[]) => {
      const r = await new EngineRegistry(config, { engines }).resolve(auto, 'en');
      return r.engine?.id ?? r;
    };
    expect(await id([fake('local', up), fake('openai', up), fake('pocketsphinx', up, ['en'])])).toBe('local');
    expect(await id([fake('local', down('no model')), fake('openai', up), fake('pocketsphinx', up, ['en'])])).toBe('openai');
    expect(await id([fake('local', down('no model')), fake('pocketsphinx', up, ['en'])])).toBe('pocketsphinx');
    expect(await id([fake('local', down('no model')), fake('pocketsphinx', down('not installed'), ['en'])])).toEqual({ engine: null, reason: NO_ENGINE });
  });

  it('auto skips an engine that does not speak the language, and says so when none does', async () => {
    const r = new EngineRegistry(config, { engines: [fake('local', { ok: true }, ['en']), fake('pocketsphinx', { ok: true }, ['en'])] });
    expect(await r.resolve(auto, 'fr-CA')).toEqual({ engine: null, reason: `${NO_ENGINE} for the language "fr-CA"` });
    expect((await r.resolve(auto, 'en-US')).engine?.id).toBe('local');
  });

  it('"none", a per-language choice, and an explicit engine that cannot run or does not speak the language', async () => {
    const r = new EngineRegistry(config, {
      engines: [fake('local', down('The model folder /m does not exist')), fake('openai', { ok: true }), fake('pocketsphinx', { ok: true }, ['en'])],
    });
    expect(await r.resolve({ speechEngine: 'none', speechEngineByLanguage: {} }, 'en')).toEqual({ engine: null, reason: TURNED_OFF });
    const perLanguage = { speechEngine: 'pocketsphinx', speechEngineByLanguage: { fr: 'openai', de: 'none' } };
    expect((await r.resolve(perLanguage, 'fr')).engine?.id).toBe('openai');
    expect((await r.resolve(perLanguage, 'en')).engine?.id).toBe('pocketsphinx');
    expect(await r.resolve(perLanguage, 'de')).toEqual({ engine: null, reason: TURNED_OFF });
    expect(await r.resolve({ speechEngine: 'local', speechEngineByLanguage: {} }, 'en')).toEqual({
      engine: null,
      reason: 'The speech engine chosen in Settings (Local model (sherpa-onnx)) cannot run: The model folder /m does not exist',
    });
    expect(await r.resolve({ speechEngine: 'pocketsphinx', speechEngineByLanguage: {} }, 'es')).toEqual({
      engine: null,
      reason: 'The speech engine chosen in Settings (pocketsphinx (offline, built in)) does not transcribe the language "es" (it knows en)',
    });
  });

  it('asks an engine whether it can run at most once a minute', async () => {
    let now = 0;
    const local = fake('local', { ok: true });
    const r = new EngineRegistry(config, { engines: [local], now: () => now });
    await r.resolve(auto, 'en');
    await r.resolve(auto, 'en');
    await r.status();
    expect(local.calls).toBe(1);
    now = 60_000;
    await r.resolve(auto, 'en');
    expect(local.calls).toBe(2);
    r.recheck();
    await r.resolve(auto, 'en');
    expect(local.calls).toBe(3);
  });

  it('an engine whose check throws is unavailable with the error as the reason', async () => {
    const broken = { ...fake('local', { ok: true }), available: () => Promise.reject(new Error('libonnxruntime.so: cannot open shared object file')) };
    const r = new EngineRegistry(config, { engines: [broken] });
    expect(await r.status()).toContainEqual(
      expect.objectContaining({ id: 'local', available: false, reason: 'libonnxruntime.so: cannot open shared object file' }),
    );
  });

  it('reports a check that takes long as still running, and its result once there', async () => {
    let finish!: (a: EngineAvailability) => void;
    const slow = { ...fake('local', { ok: true }), available: () => new Promise<EngineAvailability>((resolve) => (finish = resolve)) };
    const r = new EngineRegistry(config, { engines: [slow] });
    expect((await r.status(50)).find((s) => s.id === 'local')).toMatchObject({ available: false, reason: expect.stringContaining('Still checking') });
    finish({ ok: true });
    expect((await r.status(50)).find((s) => s.id === 'local')).toMatchObject({ available: true, reason: null });
  });

  it('from the configuration: every engine listed with why it cannot run, built once per process', async () => {
    const ctx = { config: loadConfig({ EARSHOT_DATA_DIR: '/nonexistent-earshot' }) };
    const status = await engineStatus(ctx);
    expect(status.map((s) => s.id)).toEqual(['local', 'openai', 'pocketsphinx']);
    expect(status[0]).toMatchObject({ available: false, reason: expect.stringContaining('No local model is configured') });
    expect(status[1]).toMatchObject({ available: false, reason: expect.stringContaining('set EARSHOT_ASR_OPENAI_URL') });
    expect(engineRegistry(ctx)).toBe(engineRegistry(ctx));

    const withServer = { config: loadConfig({ EARSHOT_ASR_OPENAI_URL: 'http://127.0.0.1:9', EARSHOT_ASR_CONCURRENCY: '3' }) };
    const r = await resolveEngine(withServer, { speechEngine: 'openai', speechEngineByLanguage: {} }, 'en');
    expect(r.engine?.id).toBe('openai');
  });
});
