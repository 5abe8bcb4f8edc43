// The one place where errors become HTTP: { "error": { "code", "message", "details"? } } with a stable code.
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, ERROR_STATUS, type ErrorCode } from '../errors.ts';

export function errorBody(code: ErrorCode | string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

const FASTIFY_CODES: Record<string, [number, ErrorCode, string?]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'MALFORMED_JSON', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'MALFORMED_JSON', 'The request body is empty but JSON was declared'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'This content type is not accepted here'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'VALIDATION_FAILED', 'The Content-Length header does not match the body'],
};

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { statusCode?: number }, req, reply) => {
    if (err instanceof DomainError) {
      const status = ERROR_STATUS[err.code];
      if (status >= 500) req.log.error({ err }, err.message);
      return reply.status(status).send(errorBody(err.code, err.message, err.details));
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'body';
      const path = first?.instancePath
        ? first.instancePath.replace(/^\//, '').replace(/\//g, '.')
        : (first?.params as { missingProperty?: string })?.missingProperty;
      const message = `Invalid ${where}${path ? ` field "${path}"` : ''}: ${(first && oneOfMessage(err.validation, first.instancePath)) ?? first?.message ?? err.message}`;
      return reply
        .status(400)
        .send(errorBody('VALIDATION_FAILED', message, { context: where, issues: err.validation.map((v) => ({ path: v.instancePath, message: v.message })) }));
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) return reply.status(mapped[0]).send(errorBody(mapped[1], mapped[2] ?? err.message));
    if (err.statusCode === 429) return reply.status(429).send(errorBody('RATE_LIMITED', err.message || 'Too many requests; wait a moment and try again'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(errorBody('VALIDATION_FAILED', err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL', 'Something went wrong on the server; it has been logged'));
  });
}

/**
 * A choice between literals (TypeBox unions of Type.Literal) fails with one "must be equal to constant" per
 * alternative: say which values are allowed instead.
 */
function oneOfMessage(issues: NonNullable<FastifyError['validation']>, path: string): string | null {
  const allowed = issues.filter((v) => v.instancePath === path && v.keyword === 'const').map((v) => (v.params as { allowedValue?: unknown }).allowedValue);
  if (allowed.length < 2) return null;
  return `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
}
