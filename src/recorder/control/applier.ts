// The recorder process's half of recording control: applies the API's start/stop/pause/resume requests to the media
// pool for the calls this node holds, and publishes each active call's live quality into recorder_calls so the Live
// screen (in any process) shows it.
//
// Scale-out: the API writes the request row and, in the same process, signals the bus (bus.ts), which applies it at
// once. A recorder on another host polls recorder_control_requests joined to its own calls (node) every pollMs, so a
// request reaches it within that delay; the applied_at stamp makes each request apply once even when both paths fire.
import type { Logger } from 'pino';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Db } from '../../platform/db/index.ts';
import { nowIso } from '../../platform/ids.ts';
import { listUnfinishedOnNode, updateCall } from '../calls/repository.ts';
import type { MediaPool } from '../media/pool.ts';
import { onControl } from './bus.ts';
import * as repo from './repository.ts';

export interface ControlApplierDeps {
  db: Db;
  adapter: DialectAdapter;
  log: Pick<Logger, 'warn' | 'debug'>;
  pool: Pick<MediaPool, 'setPaused' | 'stats'>;
  /** This recorder process's node name (recorder_calls.node). */
  node: string;
}

export interface ControlApplier {
  /** Applies every pending request of this node now (the poll does the same). */
  drain(): Promise<number>;
  /** Writes the live quality of this node's active calls (the timer does the same). */
  publishQuality(): Promise<void>;
  stop(): void;
}

const HOLD_ACTIONS = new Set(['stop', 'pause']);

export function startControlApplier(deps: ControlApplierDeps, opts: { pollMs?: number; qualityMs?: number } = {}): ControlApplier {
  let draining: Promise<number> | null = null;
  let again = false;

  async function drainOnce(): Promise<number> {
    const pending = await repo.pendingRequestsForNode(deps.db, deps.node);
    for (const r of pending) {
      let result = 'applied';
      if (r.ended_at) result = 'ended';
      else {
        try {
          await deps.pool.setPaused(r.call_id, HOLD_ACTIONS.has(r.action), 'api');
        } catch (err) {
          result = `error: ${(err as Error).message}`.slice(0, 500);
          deps.log.warn({ err, callId: r.call_id, action: r.action }, 'recording control request failed');
        }
      }
      await repo.markApplied(deps.db, r.id, nowIso(), result);
    }
    return pending.length;
  }

  // One drain at a time; a signal during a drain runs one more afterwards (it may concern a row the drain missed).
  function drain(): Promise<number> {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      let n = 0;
      do {
        again = false;
        n += await drainOnce();
      } while (again);
      return n;
    })().finally(() => {
      draining = null;
    });
    return draining;
  }

  async function publishQuality() {
    const calls = await listUnfinishedOnNode(deps.db, deps.adapter, deps.node);
    for (const c of calls) {
      const quality = deps.pool.stats(c.id);
      if (quality.length) await updateCall(deps.db, deps.adapter, c.id, { quality });
    }
  }

  const swallow = (what: string) => (err: unknown) => deps.log.warn({ err }, `recording control: ${what} failed`);
  const off = onControl(() => void drain().catch(swallow('apply')));
  const poll = setInterval(() => void drain().catch(swallow('poll')), opts.pollMs ?? 1000);
  const quality = setInterval(() => void publishQuality().catch(swallow('live quality')), opts.qualityMs ?? 5000);
  poll.unref();
  quality.unref();
  return {
    drain,
    publishQuality,
    stop() {
      off();
      clearInterval(poll);
      clearInterval(quality);
    },
  };
}
