// Child process for archive-crash.test.ts: runs the archive run of one tenant on the parent's database, media and
// archive folder, printing "START <n> <path>" as each copy starts. The parent SIGKILLs it in the middle of a copy.
// Input (env): the EARSHOT_* of the parent's context and CRASH_TENANT.
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';
import { FEATURES } from '../../src/features.ts';
import { runArchive } from '../../src/compliance/archive/service.ts';

const ctx = await createContext(loadConfig(process.env), { features: FEATURES, log: pino({ level: 'silent' }), migrate: false });
let n = 0;
await runArchive(ctx, {
  tenantId: process.env.CRASH_TENANT!,
  onItem: (event, item) => {
    if (event === 'start') process.stdout.write(`START ${++n} ${item.path}\n`);
  },
});
process.stdout.write('FINISHED\n');
await ctx.close();
