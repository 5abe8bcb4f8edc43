// Child process for purge-crash.test.ts, SIGKILLed by the parent in the middle of a retention purge.
// Input (env): the EARSHOT_* configuration of the parent's test context, CRASH_TENANT. Plans the purge (one
// conversation per transaction), then runs the planned deletions one by one, printing "DELETED <n>" after each, with
// a short pause so the kill lands anywhere: inside a transaction, between the commit and the object removal, between two.
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../../config.ts';
import { createContext } from '../../context.ts';
import { FEATURES } from '../../features.ts';
import { executeDeletion } from '../deletion/service.ts';
import { purgeTenant } from './service.ts';

const ctx = await createContext(loadConfig(process.env), { features: FEATURES, log: pino({ level: 'silent' }), migrate: false });
const tenantId = process.env.CRASH_TENANT!;
const planned = await purgeTenant(ctx, tenantId, { batch: 1 });
console.log(`PLANNED ${planned.planned}`);
const open = await ctx.db
  .selectFrom('deletions')
  .select('id')
  .where('tenant_id', '=', tenantId)
  .where('status', 'in', ['planned', 'shredded'])
  .orderBy('requested_at')
  .execute();
let n = 0;
for (const d of open) {
  await executeDeletion(ctx, d.id);
  console.log(`DELETED ${++n}`);
  await sleep(Math.floor(Math.random() * 15));
}
console.log('FINISHED');
await ctx.close();
