import { Type, type TSchema } from 'typebox';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParams = Type.Object({ id: Id });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
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
