// The Quality area's shell (issue 11): each role sees the tabs it can use, "/quality" opens the first of them, and a
// role with none of the quality permissions is told so.
import { screen, within } from '@testing-library/react';
import { MemoryRouter, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { adminRoutes } from '../admin/routes.tsx';
import { qualityRoutes } from './routes.tsx';

function renderQuality(permissions: string[], path = '/quality') {
  // The tabs' own screens load their data: answer them (with 404s), never the network.
  fakeApi({});
  return renderWithApp(
    <MemoryRouter initialEntries={[path]}>
      <Routes>{qualityRoutes}</Routes>
    </MemoryRouter>,
    { me: testUser(permissions) },
  );
}

const tabs = () =>
  within(screen.getByRole('tablist', { name: en.nav.quality }))
    .getAllByRole('tab')
    .map((t) => t.textContent);

describe('Quality area', () => {
  it('shows an agent their evaluations to do and their results only, and opens the first', () => {
    renderQuality(['conversations.view_own', 'quality.review_self', 'quality.respond']);
    expect(tabs()).toEqual([en.quality.tabs.mine, en.quality.tabs.results]);
    expect(screen.getByRole('tab', { name: en.quality.tabs.mine }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows a manager every tab', () => {
    renderQuality(['quality.review', 'quality.plan', 'quality.calibrate', 'quality.view_others', 'scorecards.manage', 'moments.manage', 'reports.view']);
    expect(tabs()).toEqual(Object.values(en.quality.tabs).filter((l) => l !== en.quality.tabs.results));
  });

  it('selects the tab of the address typed', () => {
    renderQuality(['scorecards.manage', 'reports.view'], '/quality/reports');
    expect(tabs()).toEqual([en.quality.tabs.scorecards, en.quality.tabs.reports]);
    expect(screen.getByRole('tab', { name: en.quality.tabs.reports }).getAttribute('aria-selected')).toBe('true');
  });

  it('leads Administration → Scorecards to Quality → Scorecards', async () => {
    fakeApi({ 'GET /api/scorecards': () => ({ items: [] }) });
    renderWithApp(
      <MemoryRouter initialEntries={['/admin/scorecards']}>
        <Routes>
          {adminRoutes}
          {qualityRoutes}
        </Routes>
      </MemoryRouter>,
      { me: testUser(['scorecards.manage']) },
    );
    expect(await screen.findByText(en.scorecards.none)).toBeTruthy();
    expect(screen.getByRole('tab', { name: en.quality.tabs.scorecards }).getAttribute('aria-selected')).toBe('true');
  });

  it('tells a user without any quality permission that the area is not theirs', () => {
    renderQuality(['conversations.view']);
    expect(screen.getByTestId('no-access')).toBeTruthy();
  });
});
