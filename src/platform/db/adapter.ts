// The one place where SQLite and PostgreSQL differ. Everything else writes portable Kysely.
import { PostgresAdapter, sql, type ColumnDataType, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectAdapter {
  readonly name: DialectName;
  /** Column types for migrations. */
  readonly types: { timestamp: ColumnDataType; json: ColumnDataType; bigint: ColumnDataType };
  /** Value to write into a JSON column. */
  json(value: unknown): unknown;
  /** Value read from a JSON column. */
  fromJson<T>(value: unknown): T;
  /** Row locks for queue claims and chain heads: FOR UPDATE [SKIP LOCKED] on PostgreSQL; SQLite serialises writers itself. */
  lockForUpdate<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, skipLocked?: boolean): SelectQueryBuilder<DB, TB, O>;
  /**
   * Makes a table append-only: UPDATE and DELETE are refused by the database itself. With `guarded`, an UPDATE is
   * refused only when it sets one of those columns (the audit trail's redaction may rewrite its value columns).
   */
  makeAppendOnly(db: Kysely<any>, table: string, guarded?: readonly string[]): Promise<void>;
  /** Lifts the append-only guard (used only by tests that prove tampering is detected). */
  dropAppendOnly(db: Kysely<any>, table: string): Promise<void>;
  isUniqueViolation(err: unknown): boolean;
  /** Case-insensitive "contains" on a text expression. */
  containsInsensitive(expr: Expression<unknown>, needle: string): RawBuilder<boolean>;
  /** A JSON column as text, for substring search inside it. */
  jsonText(column: string): RawBuilder<string>;
  /** One key of a JSON object column as text (null when absent). */
  jsonField(column: string, key: string): RawBuilder<string | null>;
  /**
   * Case-insensitive regular expression match: RE2 through a registered function on SQLite, ~* on PostgreSQL with the
   * pattern spelled for it (both forms come from compileUserRegex in search/filters/user-regex.ts).
   */
  regexMatch(expr: Expression<unknown>, pattern: { source: string; postgres: string }): RawBuilder<boolean>;
  /** Compares text by code point (UTF-8 byte order): SQLite's default, COLLATE "C" on PostgreSQL. */
  codePointCompare(expr: Expression<unknown>, op: '<' | '<=' | '>=' | '>', value: string): RawBuilder<boolean>;
  /**
   * `expr` starts with `prefix` (compared code point by code point), as an index range: SQLite does not turn a
   * case-sensitive LIKE into one, and its BINARY order of UTF-8 is code point order, so [prefix, successor) is the
   * exact answer and no LIKE needs checking on each entry (about a quarter of a prefix walk's time at 1 M). Null on
   * PostgreSQL: the caller's LIKE serves and decides there.
   */
  prefixRange(expr: Expression<unknown>, prefix: string): RawBuilder<boolean> | null;
  /**
   * An ISO timestamp as a typed SQL value: PostgreSQL cannot infer the type of a bare parameter in a CASE that writes
   * a timestamptz column (it falls back to text); SQLite stores timestamps as ISO text and needs no cast.
   */
  timestamp(iso: string): RawBuilder<string>;
  /**
   * Brings the planner's statistics up to date (the db.statistics job). SQLite keeps none unless ANALYZE runs, and
   * the search's plans assume them; PostgreSQL's autovacuum already analyses changed tables, so it does nothing.
   * Returns what it did.
   */
  refreshStatistics(db: Kysely<any>): Promise<'analyzed' | 'autovacuum'>;
  /**
   * An aggregate, for a scalar subquery: its rows as a JSON array in `orderBy` order ('[]' without rows), each element
   * `element`, or an object of these fields. Read the result with fromJson (text on SQLite, parsed on PostgreSQL).
   * Put timestamps in through isoTimestamp; numbers are best left out (SQLite's JSON prints 15 significant digits).
   */
  jsonArrayAgg(element: Expression<unknown> | Record<string, Expression<unknown>>, orderBy?: readonly Expression<unknown>[]): RawBuilder<unknown>;
  /** An aggregate, for a scalar subquery: key/value rows as one JSON object, keys in `orderBy` order ('{}' without rows). */
  jsonObjectAgg(key: Expression<unknown>, value: Expression<unknown>, orderBy?: readonly Expression<unknown>[]): RawBuilder<unknown>;
  /**
   * A timestamp as the text the rest of the API gives (`2026-12-07T12:00:00.123Z`), for values read inside JSON:
   * SQLite stores that text; PostgreSQL's JSON would spell a timestamptz `2026-12-07T12:00:00.123456+00:00`, where a
   * column read through the pg type parser (db/index.ts) gives milliseconds and `Z`.
   */
  isoTimestamp(expr: Expression<unknown>): RawBuilder<string>;
}

export const SQLITE_ANALYSIS_LIMIT = 400;

const orderedBy = (orderBy: readonly Expression<unknown>[] | undefined) => (orderBy?.length ? sql` order by ${sql.join(orderBy)}` : sql``);
/** `'key', value, …` for json_object / json_build_object (the keys are the code's own names, written as literals). */
const keyValues = (fields: Record<string, Expression<unknown>>) => sql.join(Object.entries(fields).flatMap(([k, v]) => [sql.lit(k), v]));
const isExpression = (e: Expression<unknown> | Record<string, Expression<unknown>>): e is Expression<unknown> =>
  typeof (e as Partial<Expression<unknown>>).toOperationNode === 'function';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const sqliteAdapter: DialectAdapter = {
  name: 'sqlite',
  types: { timestamp: 'text', json: 'text', bigint: 'integer' },
  json: (value) => (value === undefined ? null : JSON.stringify(value)),
  fromJson: <T>(value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T)),
  lockForUpdate: (qb) => qb,
  async makeAppendOnly(db, table, guarded) {
    for (const op of ['UPDATE', 'DELETE']) {
      const on = op === 'UPDATE' && guarded ? `UPDATE OF ${guarded.join(', ')}` : op;
      await sql
        .raw(
          `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${on} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db);
    }
  },
  async dropAppendOnly(db, table) {
    for (const op of ['update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_no_${op}`).execute(db);
  },
  isUniqueViolation: (err) => {
    const code = (err as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  containsInsensitive: (expr, needle) => sql<boolean>`lower(${expr}) like ${'%' + escapeLike(needle.toLowerCase()) + '%'} escape '\\'`,
  jsonText: (column) => sql<string>`${sql.ref(column)}`,
  jsonField: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${'$."' + key.replace(/["\\]/g, '') + '"'})`,
  regexMatch: (expr, pattern) => sql<boolean>`earshot_regexp(${pattern.source}, ${expr})`,
  codePointCompare: (expr, op, value) => sql<boolean>`${expr} ${sql.raw(op)} ${value}`,
  prefixRange: (expr, prefix) => {
    const next = prefixSuccessor(prefix);
    return next === null ? sql<boolean>`(${expr} >= ${prefix})` : sql<boolean>`(${expr} >= ${prefix} AND ${expr} < ${next})`;
  },
  timestamp: (iso) => sql<string>`${iso}`,
  // A sample of each index (analysis_limit): at 100,000 conversations with transcripts 0.7 s on a loaded machine,
  // and the plans need the shape of the data, not exact counts. Under a limit ANALYZE writes no per-value samples
  // (sqlite_stat4) and drops old ones: with them, every statement whose parameters meet an index was planned again on
  // each run (migration 0055).
  async refreshStatistics(db) {
    await sql`PRAGMA analysis_limit = ${sql.raw(String(SQLITE_ANALYSIS_LIMIT))}`.execute(db);
    await sql`ANALYZE`.execute(db);
    return 'analyzed';
  },
  // ORDER BY inside the aggregate (SQLite 3.44+): a FROM-subquery's order is not promised to reach the aggregate.
  jsonArrayAgg: (element, orderBy) => sql`json_group_array(${isExpression(element) ? element : sql`json_object(${keyValues(element)})`}${orderedBy(orderBy)})`,
  jsonObjectAgg: (key, value, orderBy) => sql`json_group_object(${key}, ${value}${orderedBy(orderBy)})`,
  isoTimestamp: (expr) => sql<string>`${expr}`,
};

export const postgresAdapter: DialectAdapter = {
  name: 'postgres',
  types: { timestamp: 'timestamptz', json: 'jsonb', bigint: 'bigint' },
  json: (value) => (value === undefined ? null : JSON.stringify(value)),
  fromJson: <T>(value: unknown) => value as T,
  lockForUpdate: (qb, skipLocked = false) => (skipLocked ? qb.forUpdate().skipLocked() : qb.forUpdate()),
  async makeAppendOnly(db, table, guarded) {
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION earshot_append_only() RETURNS trigger AS $$ ` +
          `BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_append_only BEFORE ${guarded ? `UPDATE OF ${guarded.join(', ')}` : 'UPDATE'} OR DELETE ON ${table} ` +
          `FOR EACH ROW EXECUTE FUNCTION earshot_append_only()`,
      )
      .execute(db);
  },
  async dropAppendOnly(db, table) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`).execute(db);
  },
  isUniqueViolation: (err) => typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505',
  containsInsensitive: (expr, needle) => sql<boolean>`${expr} ilike ${'%' + escapeLike(needle) + '%'} escape '\\'`,
  jsonText: (column) => sql<string>`cast(${sql.ref(column)} as text)`,
  jsonField: (column, key) => sql<string | null>`(${sql.ref(column)} ->> ${key})`,
  regexMatch: (expr, pattern) => sql<boolean>`(${expr} ~* ${pattern.postgres})`,
  codePointCompare: (expr, op, value) => sql<boolean>`(${expr} COLLATE "C") ${sql.raw(op)} (${value} COLLATE "C")`,
  prefixRange: () => null,
  timestamp: (iso) => sql<string>`cast(${iso} as timestamptz)`,
  refreshStatistics: async () => 'autovacuum',
  // json, not jsonb: jsonb would reorder an object's keys and drop repeated ones.
  jsonArrayAgg: (element, orderBy) =>
    sql`coalesce(json_agg(${isExpression(element) ? element : sql`json_build_object(${keyValues(element)})`}${orderedBy(orderBy)}), '[]'::json)`,
  jsonObjectAgg: (key, value, orderBy) => sql`coalesce(json_object_agg(${key}, ${value}${orderedBy(orderBy)}), '{}'::json)`,
  // Milliseconds truncated, as the pg type parser's Date does.
  isoTimestamp: (expr) => sql<string>`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

/** The adapter of an open database, for code handed only a Kysely instance (e.g. compliance's protectionOf). */
export const adapterOf = (db: Kysely<any>): DialectAdapter => (db.getExecutor().adapter instanceof PostgresAdapter ? postgresAdapter : sqliteAdapter);

/**
 * The first string after every string that starts with `prefix`, in code point order: its last code point that can
 * grow, plus one (surrogates are not code points: U+D7FF is followed by U+E000). Null when there is none (every code
 * point is U+10FFFF, or the prefix is empty): every string from the prefix on starts with it.
 */
export function prefixSuccessor(prefix: string): string | null {
  const cps = [...prefix].map((c) => c.codePointAt(0)!);
  while (cps.length) {
    const last = cps.pop()!;
    if (last < 0x10ffff) return String.fromCodePoint(...cps, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}
