// HTTP helpers for API tests: a client over app.inject that sends a session cookie, and assertions on status and error code.
import { expect } from 'vitest';
import type { App } from '../../src/platform/http/types.ts';
import { login } from './factories.ts';

export type Res = Awaited<ReturnType<App['inject']>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Requests to the app, with the cookie header when there is one. */
export function client(app: App, cookie?: string) {
  const call = (method: Method, url: string, payload?: unknown) =>
    app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown = {}) => call('POST', url, payload),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    put: (url: string, payload: unknown) => call('PUT', url, payload),
    del: (url: string) => call('DELETE', url),
  };
}
export type Client = ReturnType<typeof client>;

/** Logs the user in through the API and returns a client sending their session cookie. */
export async function signIn(app: App, user: { email: string; password: string }): Promise<Client> {
  return client(app, await login(app, user));
}

/** Expects the status and returns the JSON body (null for 204). */
export function ok(res: Res, status = 200): Json {
  expect(res.statusCode, res.body).toBe(status);
  return status === 204 ? null : res.json();
}

/** Expects the status and error code (and `details.reason` when given) and returns the error. */
export function fails(res: Res, status: number, code: string, reason?: string) {
  expect(res.statusCode, res.body).toBe(status);
  const err = res.json().error as { code: string; message: string; details?: Record<string, unknown> };
  expect(err.code, res.body).toBe(code);
  if (reason) expect(err.details?.reason, res.body).toBe(reason);
  return err;
}
