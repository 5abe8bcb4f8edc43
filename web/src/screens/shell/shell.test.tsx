// Issue 16, items 2, 13 and 14 in the shell: the navigation offers each role only what it can use and shows what is
// coming to administrators alone; the user menu switches the language and where times show, saved on the profile;
// a conversation's time follows that setting with the zone on hover; the sign-in page's language sticks.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { Me } from '../../api/types.ts';
import { Timestamp } from '../../components/Timestamp.tsx';
import { formatTime } from '../../format.ts';
import i18n from '../../i18n/index.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import fr from '../../i18n/fr.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { LoginPage } from '../login/LoginPage.tsx';
import { LivePage } from '../live/LivePage.tsx';
import { QualityPage } from '../quality/QualityPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { UserMenu } from './UserMenu.tsx';
import { homePathFor } from './navItems.tsx';
import { adminSectionsFor } from '../admin/sections.ts';

const AGENT = ['conversations.view_own', 'media.play_redacted', 'comments.write', 'quality.review_self', 'quality.respond'];
const EVALUATOR = ['conversations.view', 'media.play_redacted', 'comments.write', 'tags.apply', 'quality.review', 'quality.calibrate', 'reports.view'];
const ADMIN = [...EVALUATOR, 'settings.manage', 'roles.manage', 'users.manage', 'live.monitor'];

afterEach(async () => {
  await i18n.changeLanguage('en');
});

function renderShell(me: Me, path = '/conversations') {
  return renderWithApp(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route element={<AppLayout />}>
          <Route path="conversations" element={<div>list</div>} />
          <Route path="quality" element={<QualityPage />} />
          <Route path="live" element={<LivePage />} />
        </Route>
      </Routes>
    </MemoryRouter>,
    { me },
  );
}

const navLabels = () =>
  within(screen.getByRole('navigation', { name: en.shell.mainNav }))
    .getAllByRole('link')
    .map((a) => a.textContent);

describe('navigation by role', () => {
  it('offers an agent Conversations and Quality (their own results): no Reports, Live or Administration', () => {
    renderShell(testUser(AGENT));
    expect(navLabels()).toEqual([en.nav.conversations, en.nav.quality]);
  });

  it('offers an evaluator the Dashboard, Conversations, Quality and Reports, and nothing marked as coming', () => {
    renderShell(testUser(EVALUATOR));
    expect(navLabels()).toEqual([en.nav.dashboard, en.nav.conversations, en.nav.quality, en.nav.reports]);
    expect(screen.queryByText(en.shell.comingSoonBadge)).toBeNull();
  });

  it('offers Live to whoever may monitor live calls (issue 13), with nothing marked as coming', () => {
    renderShell(testUser(ADMIN));
    expect(navLabels()).toEqual([en.nav.dashboard, en.nav.conversations, en.nav.quality, en.nav.reports, en.nav.live, en.nav.admin]);
    expect(screen.queryByText(en.shell.comingSoonBadge)).toBeNull();
  });

  it('leaves the organisation-wide Audit and Jobs tabs out for a user scoped to groups (the server refuses them)', () => {
    const auditor = ['audit.view', 'jobs.view'];
    expect(adminSectionsFor(testUser(auditor)).map((s) => s.path)).toEqual(['audit', 'jobs']);
    const scoped = { ...testUser(auditor), organisationWide: false };
    expect(adminSectionsFor(scoped)).toEqual([]);
    renderShell({ ...scoped, permissions: ['conversations.view', ...auditor] });
    expect(navLabels()).toEqual([en.nav.conversations]);
    expect(adminSectionsFor({ ...testUser([...auditor, 'users.manage']), organisationWide: false }).map((s) => s.path)).toEqual(['users']);
  });

  it('lands those who may see reports on the dashboard (issue 14), the others on their first screen', () => {
    expect(homePathFor(testUser(EVALUATOR))).toBe('/dashboard');
    expect(homePathFor(testUser(ADMIN))).toBe('/dashboard');
    expect(homePathFor(testUser(AGENT))).toBe('/conversations');
  });

  it('answers a typed address of Live with "not available" to a user who may not monitor live calls', () => {
    const { unmount } = renderShell(testUser(EVALUATOR), '/live');
    expect(screen.getByTestId('no-access')).toBeTruthy();
    expect(screen.queryByText(en.common.comingSoon)).toBeNull();
    unmount();
    renderShell(testUser(ADMIN), '/live');
    expect(screen.getByRole('heading', { name: en.live.title })).toBeTruthy();
  });
});

describe('user menu', () => {
  it('switches the language and where times show, each saved on the profile', async () => {
    const api = fakeApi({ 'PATCH /api/me': (req) => ({ ...testUser(), ...(req.body as object) }) });
    renderWithApp(
      <MemoryRouter>
        <UserMenu />
      </MemoryRouter>,
    );
    await userEvent.click(screen.getByTestId('user-menu'));
    await userEvent.click(screen.getByTestId('times-mine'));
    await waitFor(() => expect(api.requests('PATCH', '/api/me').map((r) => r.body)).toEqual([{ timeDisplay: 'mine' }]));
    if (!screen.queryByText('Français')) await userEvent.click(screen.getByTestId('user-menu'));
    await userEvent.click(screen.getByText('Français'));
    await waitFor(() => expect(api.requests('PATCH', '/api/me').map((r) => r.body)).toEqual([{ timeDisplay: 'mine' }, { language: 'fr' }]));
    expect(i18n.language).toBe('fr');
  });
});

describe('conversation times', () => {
  const iso = '2026-01-14T06:39:00.000Z'; // 07:39 in Paris

  it("shows the site's time by default, with the zone on hover", () => {
    renderWithApp(<Timestamp iso={iso} zone="Europe/Paris" style="time" />, { me: testUser() });
    const el = screen.getByText(/07:39/);
    expect(el.getAttribute('title')).toMatch(/^Jan 14, 2026, 0?7:39\sAM · Site time: .+ \(Europe\/Paris\)$/);
    expect(el.getAttribute('datetime')).toBe(iso);
  });

  it('shows the browser time to a user who chose their own zone', () => {
    renderWithApp(<Timestamp iso={iso} zone="Europe/Paris" style="time" />, { me: { ...testUser(), timeDisplay: 'mine' } });
    const el = screen.getByText(formatTime(iso, 'en'));
    expect(el.getAttribute('title')).toMatch(/ · Your time: /);
    expect(el.getAttribute('title')).not.toMatch(/Europe\/Paris/);
  });
});

describe('sign-in page', () => {
  const signIn = async (labels: typeof en.login = en.login) => {
    await userEvent.type(screen.getByLabelText(labels.email, { exact: false, selector: 'input' }), 'ana@example.test');
    await userEvent.type(screen.getByLabelText(labels.password, { exact: false, selector: 'input' }), 'Correct-Horse-42!');
  };
  const routes = (language: string) => ({
    'GET /api/me': () => Response.json({ error: { code: 'UNAUTHENTICATED', message: 'no' } }, { status: 401 }),
    'GET /api/config/public': () => ({ demo: false, version: '1' }),
    'POST /api/auth/login': (req: { body: unknown }) => ({ user: { ...testUser(), language: (req.body as { language?: string }).language ?? language } }),
  });
  const renderLogin = () =>
    renderWithApp(
      <MemoryRouter initialEntries={['/login']}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<div>home</div>} />
        </Routes>
      </MemoryRouter>,
    );

  it('sends the language picked there with the sign-in, so it sticks', async () => {
    const api = fakeApi(routes('en'));
    renderLogin();
    await userEvent.click(await screen.findByText('Français'));
    expect(i18n.language).toBe('fr');
    await signIn(fr.login);
    await userEvent.click(screen.getByRole('button', { name: fr.login.submit }));
    await waitFor(() => expect(api.requests('POST', '/api/auth/login')).toHaveLength(1));
    expect(api.requests('POST', '/api/auth/login')[0]!.body).toMatchObject({ email: 'ana@example.test', language: 'fr' });
    await screen.findByText('home');
    expect(i18n.language).toBe('fr');
  });

  it("sends no language when none was picked: the profile's own applies", async () => {
    const api = fakeApi(routes('fr'));
    renderLogin();
    await signIn();
    await userEvent.click(screen.getByRole('button', { name: en.login.submit }));
    await screen.findByText('home');
    expect(api.requests('POST', '/api/auth/login')[0]!.body).not.toHaveProperty('language');
    expect(i18n.language).toBe('fr');
  });
});
