// Request bodies are validated with type coercion (REQUEST_AJV_OPTIONS). A nullable field sent as null must arrive as
// null: before, the anyOf's first branch coerced it to 0, "", false or [""], so "clear this" became a value.
import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Nullable, REQUEST_AJV_OPTIONS } from './schemas.ts';

async function echo(payload: unknown) {
  const app = Fastify({ ajv: { customOptions: REQUEST_AJV_OPTIONS } });
  const body = Type.Object({
    n: Type.Optional(Nullable(Type.Number())),
    i: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    s: Type.Optional(Nullable(Type.String())),
    b: Type.Optional(Nullable(Type.Boolean())),
    a: Type.Optional(Nullable(Type.Array(Type.String()))),
    o: Type.Optional(Nullable(Type.Object({ x: Type.Number() }))),
  });
  app.post('/echo', { schema: { body } }, (req) => req.body);
  const res = await app.inject({ method: 'POST', url: '/echo', payload: payload as object });
  await app.close();
  return { status: res.statusCode, body: res.json() };
}

describe('Nullable request fields', () => {
  it('keep null as null for numbers, integers, strings, booleans, arrays and objects', async () => {
    const nulls = { n: null, i: null, s: null, b: null, a: null, o: null };
    expect(await echo(nulls)).toEqual({ status: 200, body: nulls });
  });

  it('keep values, including the ones null used to become', async () => {
    const values = { n: 0, i: 3, s: '', b: false, a: [''], o: { x: 1 } };
    expect(await echo(values)).toEqual({ status: 200, body: values });
  });

  it('still coerce what is not of the type, and still refuse what cannot be', async () => {
    expect(await echo({ n: '2.5', i: '7', a: 'one' })).toEqual({ status: 200, body: { n: 2.5, i: 7, a: ['one'] } });
    expect((await echo({ i: -1 })).status).toBe(400);
    expect((await echo({ n: 'many' })).status).toBe(400);
  });
});
