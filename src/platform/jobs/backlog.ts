// How far behind the job queue is, for /api/health: the oldest job that could run but has not started, and running
// jobs whose lease ran out without another worker taking them over (a stuck or absent worker role).
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';

export interface Backlog {
  /** Seconds the oldest due, queued job has been waiting (0 when none). */
  oldestWaitingSeconds: number;
  /** Running jobs whose lease expired more than `graceMs` ago. */
  expiredLeases: number;
}

export async function jobBacklog(db: Executor, now: Date, graceMs: number): Promise<Backlog> {
  const iso = now.toISOString();
  const [oldest, expired] = await Promise.all([
    db
      .selectFrom('jobs')
      .select(sql<string | null>`min(run_at)`.as('run_at'))
      .where('status', '=', 'queued')
      .where('run_at', '<=', iso)
      .executeTakeFirst(),
    db
      .selectFrom('jobs')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'running')
      .where('locked_until', '<', new Date(now.getTime() - graceMs).toISOString())
      .executeTakeFirst(),
  ]);
  const runAt = oldest?.run_at ? new Date(oldest.run_at).getTime() : null;
  return {
    oldestWaitingSeconds: runAt === null ? 0 : Math.max(0, Math.round((now.getTime() - runAt) / 1000)),
    expiredLeases: Number(expired?.n ?? 0),
  };
}
