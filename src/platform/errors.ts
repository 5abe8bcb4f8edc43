// Domain errors carry a stable code; the HTTP edge maps each code to a status once (see http/errors.ts).
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  /** A webhook URL that is not http(s), carries credentials, or points at this server, loopback or link-local (src/notify/webhooks). */
  WEBHOOK_URL_REFUSED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  /** Single sign-on refused (src/auth/sso): details.reason says why (SAML_SIGNATURE, OIDC_ISSUER, SSO_NO_ACCOUNT…). */
  SSO_FAILED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  /** A link that worked once and no longer does (an expired or revoked moment share). */
  GONE: 410,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  IN_USE: 409,
  /** Reviewed, under legal hold or carrying a protection tag (src/compliance/protection.ts): not deleted nor anonymized. */
  CONVERSATION_PROTECTED: 409,
  /** A tenant's indicators or custom topics are at their limit (src/analytics). */
  INDICATOR_LIMIT: 409,
  TOPIC_LIMIT: 409,
  /** Recording control (src/recorder/control): the call's mode or a recording policy does not allow this action. */
  RECORDING_CONTROL_REFUSED: 409,
  /** The recorded call has ended: nothing left to control or listen to. */
  CALL_ENDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_DISABLED: 403,
  /** The organisation signs in through its identity provider only (src/auth/sso); the break-glass admin keeps a password. */
  PASSWORD_LOGIN_DISABLED: 403,
  RATE_LIMITED: 429,
  SEARCH_BUSY: 429,
  // nginx's "client closed request": only a caller that has gone away cancels, so nobody reads it.
  SEARCH_CANCELLED: 499,
  INTEGRITY_FAILURE: 500,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  /** Listen-in: the call is recorded by a recorder process this API process cannot reach. */
  LISTEN_UNAVAILABLE: 503,
  SEARCH_TIMEOUT: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id?: string) => new DomainError('NOT_FOUND', id ? `${what} ${id} was not found` : `${what} was not found`);
export const forbidden = (message = 'You do not have permission to do this') => new DomainError('FORBIDDEN', message);
export const invalid = (message: string, details?: Record<string, unknown>) => new DomainError('VALIDATION_FAILED', message, details);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
