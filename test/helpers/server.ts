// A real server on 127.0.0.1 and a free port, on a temp SQLite database with the demo tenant seeded.
import { buildApp, WEB_DIST } from '../../src/app.ts';
import { seedDemo, DEMO_USERS } from '../../src/demo/seed.ts';
import { createTestContext } from './context.ts';
import pino from 'pino';
import { runJobs } from './jobs.ts';
import { JobWorker } from '../../src/platform/jobs/worker.ts';
import { useEngineResolver } from '../../src/speech/transcribe/engine.ts';

export async function startTestServer() {
  const ctx = await createTestContext('sqlite');
  // No speech engine: pocketsphinx over every demo call (~20-40 s a call on two shared cores, 65 calls at this scale)
  // would hold the start-up for most of an hour; calls settle at "no engine" at once (the speech suites test engines).
  useEngineResolver(ctx, async () => ({ engine: null, reason: 'No speech engine in the test server' }));
  // A twentieth of the demo: enough for paging and every channel, quick to make.
  await seedDemo(ctx, { scale: 0.05 });
  // Index what the seed ingested (serve runs a worker for this; the test server runs the queue once).
  await runJobs(ctx);
  // And keep a worker running, as serve does, for what the tests ingest (indexing, media analysis).
  const worker = new JobWorker(ctx.jobs, ctx, { concurrency: 1, pollMs: 200, log: pino({ level: 'silent' }) });
  worker.start();
  const { app } = await buildApp(ctx, { webDir: WEB_DIST });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const find = (email: string) => DEMO_USERS.find((u) => u.email === email)!;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    login: {
      admin: { email: find('admin@demo.earshot.local').email, password: find('admin@demo.earshot.local').password },
      agent: { email: find('agent@demo.earshot.local').email, password: find('agent@demo.earshot.local').password },
    },
    async close() {
      await worker.stop();
      await app.close();
      await ctx.cleanup();
    },
  };
}
