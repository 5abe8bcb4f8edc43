// Test databases: a fresh SQLite file or a fresh PostgreSQL database per call, migrated.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { randomBytes } from 'node:crypto';

export type Engine = 'sqlite' | 'postgres';

/** The engines this run can test; PostgreSQL is always there in CI (global-setup refuses to run without it). */
export const ENGINES: Engine[] = inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb extends DatabaseHandle {
  engine: Engine;
  url: string;
  cleanup(): Promise<void>;
}

export async function createTestDb(engine: Engine, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let url: string;
  let drop: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-db-'));
    url = `sqlite:${path.join(dir, 'test.db')}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const base = inject('pgUrl');
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client(base);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    url = base.replace(/\/[^/]*$/, `/${name}`);
    drop = async () => {
      const c = new pg.Client(base);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const handle = openDatabase(url, { poolSize: 5 });
  if (opts.migrate !== false) await migrate(handle.db, handle.adapter);
  return {
    ...handle,
    engine,
    url,
    async cleanup() {
      await handle.close();
      await drop();
    },
  };
}
