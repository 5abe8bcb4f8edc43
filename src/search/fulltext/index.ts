// The full-text engine of a deployment: today it follows the database (FTS5 inside SQLite, tsvector inside
// PostgreSQL); an engine outside the database would be chosen here from the configuration.
import type { DialectName } from '../../platform/db/adapter.ts';
import type { FullTextBackend } from './backend.ts';
import { postgresTsvector } from './postgres-tsvector.ts';
import { sqliteFts5 } from './sqlite-fts5.ts';

export type { FullTextBackend, TextMatch } from './backend.ts';

export function fullTextFor(adapter: { readonly name: DialectName }): FullTextBackend {
  return adapter.name === 'sqlite' ? sqliteFts5 : postgresTsvector;
}
