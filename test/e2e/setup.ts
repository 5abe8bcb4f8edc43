// What every browser suite sets up the same way: Debian Chromium (never downloaded; a suite is skipped without it,
// except in CI), the built app (dist/web, from `npm run build:web`), a test server with the demo tenant, a signed-in
// API client for seeding, a page that collects uncaught errors, and signing in through the login form.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { startTestServer } from '../helpers/server.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium';
const WEB_INDEX = path.join(ROOT, 'dist/web/index.html');

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
export type Login = { email: string; password: string };

/** Whether Chromium is here; call at module level, for describe.skipIf. In CI a missing Chromium fails the run. */
export function chromiumFor(suite: string): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`Chromium is required for the e2e suite in CI (apt-get install chromium); not found at ${CHROMIUM}`);
  console.warn(`\n!! ${CHROMIUM} not found: the ${suite} e2e suite is skipped on this machine (apt-get install chromium)\n`);
  return false;
}

/** Waiting for elements with one timeout. */
export function waits(timeout: number) {
  return {
    WAIT: { timeout },
    visible: (l: Locator) => l.waitFor({ state: 'visible', timeout }),
    hidden: (l: Locator) => l.waitFor({ state: 'hidden', timeout }),
  };
}

/** The test server, once the built app is there to serve. */
export async function startE2eServer(): Promise<TestServer> {
  if (!fs.existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} is missing: run \`npm run build:web\` before the e2e suite`);
  return startTestServer();
}

/** Signs in through the API; the cookie header to send along. */
export async function sessionCookie(server: TestServer, who: Login = server.login.admin): Promise<string> {
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(login.status).toBe(200);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A JSON client for seeding and checking through the API as the cookie's user. */
export function apiClient(server: TestServer, cookie: () => string) {
  return async (method: string, url: string, body?: unknown, init: RequestInit = {}) => {
    const headers: Record<string, string> = { cookie: cookie(), ...(init.headers as Record<string, string> | undefined) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${server.url}${url}`, { method, ...init, headers, body: body === undefined ? init.body : JSON.stringify(body) });
  };
}

/** Ingests a chat through the API; its conversation id. */
export async function ingestChat(api: ReturnType<typeof apiClient>, input: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/api/ingest/chats', input);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { conversationId: string }).conversationId;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A page in a new context (en-GB, Paris time unless told otherwise); `errors` collects uncaught page errors. */
export async function openPage(browser: Browser, timeout: number, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Paris', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Signs in through the login form (labels of the given catalogue) without waiting for what follows. */
export async function submitLogin(page: Page, who: Login, labels: typeof en = en) {
  await page.getByLabel(labels.login.email).fill(who.email);
  await page.getByLabel(new RegExp(`^${labels.login.password}`)).fill(who.password);
  await page.getByRole('button', { name: labels.login.submit, exact: true }).click();
}

/** Opens the login page, signs in and waits for the Conversations screen (from the dashboard, where those who may see reports land). */
export async function signIn(page: Page, server: TestServer, who: Login, timeout: number) {
  await page.goto(`${server.url}/login`);
  await submitLogin(page, who);
  await page.waitForURL((u) => u.pathname === '/conversations' || u.pathname === '/dashboard', { timeout });
  if (new URL(page.url()).pathname === '/dashboard') {
    await page.getByRole('navigation', { name: en.shell.mainNav }).getByRole('link', { name: en.nav.conversations }).click();
    await page.waitForURL('**/conversations', { timeout });
  }
}
