// Rendering a screen part as the app does (Mantine, TanStack Query, the signed-in user), against a fake API: the
// handlers answer like the server's routes and every request is recorded, so a test asserts what was sent.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { vi } from 'vitest';
import type { Me } from '../api/types.ts';
import { CurrentUserContext } from '../screens/shell/currentUser.tsx';

export interface SentRequest {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (req: SentRequest) => unknown;

/** `routes` maps "METHOD /path" (query string left out) to a handler: a Response it returns is sent as is, anything else as JSON with 200. */
export function fakeApi(routes: Record<string, Handler>) {
  const sent: SentRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://earshot.test');
    const req: SentRequest = { method: init.method ?? 'GET', path: url.pathname, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined };
    sent.push(req);
    const handler = routes[`${req.method} ${req.path}`];
    if (!handler) return Response.json({ error: { code: 'NOT_FOUND', message: `no fake route ${req.method} ${req.path}` } }, { status: 404 });
    const answer = handler(req);
    return answer instanceof Response ? answer : Response.json(answer ?? null);
  });
  vi.stubGlobal('fetch', fetch);
  return { sent, requests: (method: string, path: string) => sent.filter((r) => r.method === method && r.path === path) };
}

export const testUser = (permissions: string[] = []): Me => ({
  id: 'u-test',
  tenantId: 't-test',
  tenantName: 'Test',
  email: 'tester@example.test',
  name: 'Tess Tester',
  language: 'en',
  ownLanguage: null,
  defaultLanguage: 'en',
  timeDisplay: 'site',
  permissions,
  roles: [],
  groupId: null,
  siteId: null,
  organisationWide: true,
  passwordMinLength: 10,
});

/** The providers the app puts around a screen (for render and renderHook). */
export function appWrapper({ me = testUser() }: { me?: Me } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    // env="test": no transitions and no portals, so what opens is there at once and inside the rendered tree.
    <MantineProvider env="test">
      <QueryClientProvider client={client}>
        <CurrentUserContext.Provider value={me}>{children}</CurrentUserContext.Provider>
      </QueryClientProvider>
    </MantineProvider>
  );
  return { client, wrapper };
}

export function renderWithApp(ui: ReactElement, options: { me?: Me } = {}) {
  const { client, wrapper } = appWrapper(options);
  return { client, ...render(ui, { wrapper }) };
}
