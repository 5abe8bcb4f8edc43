// A full AppContext on a fresh database (SQLite file or PostgreSQL database), a temp media folder and a random master key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import { FEATURES } from '../../src/features.ts';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { createTestDb, type Engine } from '../db.ts';
import { useEngineResolver } from '../../src/speech/transcribe/engine.ts';

export interface TestContext extends AppContext {
  engine: Engine;
  dataDir: string;
  cleanup(): Promise<void>;
}

export interface TestContextOptions {
  /**
   * Transcribe calls with the engine the registry picks (pocketsphinx where installed). Off by default: a test that
   * ingests a corpus call for its media or search would otherwise spend CPU seconds per call on speech it does not
   * look at; speech tests turn it on, or put their own engine in with useEngineResolver.
   */
  realSpeech?: boolean;
}

const NO_SPEECH = async () => ({ engine: null, reason: 'No speech engine configured (tests: createTestContext without realSpeech)' });

export async function createTestContext(engine: Engine, env: Record<string, string> = {}, opts: TestContextOptions = {}): Promise<TestContext> {
  const tdb = await createTestDb(engine);
  await tdb.close();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-ctx-'));
  const config: Config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_DATABASE_URL: tdb.url,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    EARSHOT_DEMO: 'false',
    // The 5 s production budget is for a person waiting; a test machine running two suites at once is not a measure of
    // search speed, so tests that do not test the budget get a long one (fences.test.ts sets its own).
    EARSHOT_SEARCH_TIMEOUT_MS: '60000',
    ...env,
  });
  const ctx = await createContext(config, { features: FEATURES, log: pino({ level: 'silent' }) });
  const t: TestContext = {
    ...ctx,
    engine,
    dataDir,
    async cleanup() {
      await ctx.close();
      await tdb.cleanup().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (!opts.realSpeech) useEngineResolver(t, NO_SPEECH);
  return t;
}

export async function createTestApp(engine: Engine, env: Record<string, string> = {}, opts: TestContextOptions = {}): Promise<TestContext & BuiltApp> {
  const ctx = await createTestContext(engine, env, opts);
  const built = await buildApp(ctx, { webDir: path.join(ctx.dataDir, 'no-web') });
  const t: TestContext & BuiltApp = {
    ...ctx,
    ...built,
    async cleanup() {
      await built.app.close();
      await ctx.cleanup();
    },
  };
  // Jobs run with the object a test holds (runJobs(t)); this one is a new object.
  if (!opts.realSpeech) useEngineResolver(t, NO_SPEECH);
  return t;
}
