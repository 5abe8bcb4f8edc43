// Starts one PostgreSQL cluster for the whole run; each test file makes its own database in it.
import type { TestProject } from 'vitest/node';
import { findPgBin, startPostgres, type PgCluster } from './postgres.ts';

let cluster: PgCluster | undefined;

export async function setup(project: TestProject) {
  if (!findPgBin()) {
    if (process.env.CI) throw new Error('PostgreSQL is required in CI (apt-get install postgresql)');
    console.warn('\n!! PostgreSQL not found: the PostgreSQL suites are skipped on this machine\n');
    project.provide('pgUrl', '');
    return;
  }
  cluster = await startPostgres();
  project.provide('pgUrl', cluster.url);
}

export async function teardown() {
  await cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
