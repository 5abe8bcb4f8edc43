// Validates a value against a TypeBox schema outside Fastify's body validation (e.g. JSON inside a multipart field).
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { invalid } from '../errors.ts';

const cache = new WeakMap<TSchema, ReturnType<typeof Compile>>();

export function validate<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  let compiled = cache.get(schema);
  if (!compiled) {
    compiled = Compile(schema);
    cache.set(schema, compiled);
  }
  if (compiled.Check(value)) return value as Static<T>;
  const errors = compiled.Errors(value).filter((e) => e.keyword !== 'boolean');
  const first = errors[0];
  const where = first?.instancePath ? ` field "${first.instancePath.slice(1).replace(/\//g, '.')}"` : '';
  const extra = first?.keyword === 'additionalProperties' ? `: ${(first.params as { additionalProperties?: string[] }).additionalProperties?.join(', ')}` : '';
  throw invalid(`Invalid ${what}${where}: ${first?.message ?? 'does not match the schema'}${extra}`, {
    reason: 'INVALID_METADATA',
    issues: errors.slice(0, 20).map((e) => ({ path: e.instancePath, message: e.message })),
  });
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(`${what} is not valid JSON: ${jsonSyntaxProblem(err, text)}`, { reason: 'MALFORMED_JSON' });
  }
}

const JSON_PROBLEMS =
  /^(?:Unexpected end of JSON input|Unexpected non-whitespace character after JSON|Expected [^"]*|Bad control character in string literal|Bad escaped character|Bad Unicode escape|Unterminated string|No number after minus sign|Unterminated fractional number|Exponent part is missing a number)$/;

/**
 * What is wrong with a JSON text and where, without quoting it: V8's messages quote the input ("Unexpected
 * token 'r', "root:x:0:0"... is not valid JSON"), and the input may be a file that must not be echoed.
 */
export function jsonSyntaxProblem(err: unknown, text: string): string {
  const message = (err instanceof Error ? err.message : '').replace(/\s*\(line \d+ column \d+\)/, '');
  const pos = /in JSON at position (\d+)/.exec(message);
  const kind = message.replace(/\s*in JSON at position \d+.*$/s, '');
  const what = JSON_PROBLEMS.test(kind) ? kind : 'Unexpected character';
  if (!pos) return what;
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  return `${what} at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}
