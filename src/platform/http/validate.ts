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
    throw invalid(`${what} is not valid JSON: ${(err as Error).message}`, { reason: 'MALFORMED_JSON' });
  }
}
