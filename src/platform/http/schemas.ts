import { Type, type TNull, type TSchema, type TUnion } from 'typebox';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParams = Type.Object({ id: Id });
/** How request schemas are validated (app.ts): query strings arrive as text, so types are coerced. */
export const REQUEST_AJV_OPTIONS = { removeAdditional: false, coerceTypes: 'array', useDefaults: true } as const;

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array']);
/**
 * T or null. A scalar or an array is one schema with `type: [T, "null"]` rather than `anyOf`: requests are validated
 * with type coercion (REQUEST_AJV_OPTIONS), and in an anyOf the first branch coerced null to 0, "", false or [""] before the null
 * branch was tried, so a field sent as null to clear it arrived as a value. With a type list, AJV coerces only a
 * value that matches none of the types. The static type is the same union either way.
 */
export const Nullable = <T extends TSchema>(t: T): TUnion<[T, TNull]> => {
  const type = (t as { type?: unknown }).type;
  if (typeof type === 'string' && SCALAR_TYPES.has(type)) return Type.Unsafe({ ...t, type: [type, 'null'] }) as unknown as TUnion<[T, TNull]>;
  return Type.Union([t, Type.Null()]);
};
export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }) },
  { $id: 'Error' },
);
export const NoContent = Type.Null();
export const Timestamp = Type.String({ format: 'date-time' });
/** Error responses every authenticated route can give; listed in the OpenAPI document. */
export const authErrors = { 401: ErrorResponse, 403: ErrorResponse };
/** What the browser may know of the configuration (GET /api/config/public). */
export const PublicConfig = Type.Object({ demo: Type.Boolean(), languages: Type.Array(Type.String()), version: Type.String() });
