// A unit of work: one transaction plus callbacks that run only after it commits (job wake-ups, notifications).
import type { Db, Tx } from './index.ts';

export interface Uow {
  tx: Tx;
  afterCommit(fn: () => void): void;
}

export async function inTransaction<T>(db: Db, fn: (uow: Uow) => Promise<T>): Promise<T> {
  const after: Array<() => void> = [];
  const result = await db.transaction().execute((tx) => fn({ tx, afterCommit: (f) => after.push(f) }));
  for (const f of after) f();
  return result;
}
