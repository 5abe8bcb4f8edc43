// Child process for crash.test.ts: a recorder's media pool with calls open, SIGKILLed (with its RTP workers, as one
// process group) by the test while RTP flows. Input (env): CRASH_DATA_DIR, CRASH_DB_URL, CRASH_MASTER_KEY, CRASH_TENANT,
// CRASH_CALLS, CRASH_PORT_MIN. Prints "OPEN <json>" with each call's answer ports once the calls are open.
import pino from 'pino';
import { loadConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { loadOrCreateMasterKey } from '../../platform/crypto/keys.ts';
import { MediaPoolService } from './service.ts';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const config = loadConfig({
  EARSHOT_DATA_DIR: env('CRASH_DATA_DIR'),
  EARSHOT_DATABASE_URL: env('CRASH_DB_URL'),
  EARSHOT_MASTER_KEY: env('CRASH_MASTER_KEY'),
  EARSHOT_LOG_LEVEL: 'silent',
  EARSHOT_DEMO: 'false',
});
// Receiving and spooling need only the keys and the data folder (finalisation, which needs the rest, never runs here).
const ctx = { config, keyring: loadOrCreateMasterKey(config), log: pino({ level: 'silent' }) } as unknown as AppContext;
const portMin = Number(env('CRASH_PORT_MIN'));
const pool = await MediaPoolService.start(ctx, { workers: 2, portMin, portMax: portMin + 999 });
const tenantId = env('CRASH_TENANT');
const calls: { callId: string; ports: number[] }[] = [];
for (let i = 0; i < Number(env('CRASH_CALLS')); i++) {
  const callId = `crash-${process.pid}-${i}`;
  const codecs = [{ pt: 0, name: 'pcmu', rate: 8000 }];
  const answers = await pool.openCall(
    callId,
    tenantId,
    [
      { label: '1', index: 0, codecs, crypto: [], direction: 'sendonly', remote: null },
      { label: '2', index: 1, codecs, crypto: [], direction: 'sendonly', remote: null },
    ],
    {
      sessionId: `s-${callId}`,
      groupId: null,
      callRef: callId,
      vendor: 'generic',
      direction: 'inbound',
      participants: [
        { id: 'c', name: 'Customer', aor: null, number: '+15550199', sends: ['1'], role: 'customer', userId: null, side: 'caller' },
        { id: 'a', name: 'Agent', aor: null, number: '1001', sends: ['2'], role: 'agent', userId: null, side: 'callee' },
      ],
      streams: [
        { label: '1', participantId: 'c' },
        { label: '2', participantId: 'a' },
      ],
      extensions: {},
    },
  );
  calls.push({ callId, ports: answers.map((a) => a.port) });
}
process.stdout.write(`OPEN ${JSON.stringify(calls)}\n`);
setInterval(() => {}, 1000);
