// The retention page: the saved policy in the form, a rule added, the dry run shown, and a policy that would delete
// everything saved only after the explicit confirmation (the second request carries confirmDeleteAll).
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../../test/render.tsx';
import { RetentionPage } from './RetentionPage.tsx';

const policy = {
  default: { periodDays: 60, scope: 'conversation' },
  rules: [{ id: 'r1', name: 'Chats', enabled: true, periodDays: 30, scope: 'conversation', conditions: { channels: ['chat'] } }],
  confirmedAllAt: null,
  updatedAt: '2026-12-01T10:00:00Z',
  lastRun: { at: '2026-12-07T01:00:00Z', status: 'succeeded', planned: 12, skippedProtected: 3, error: null },
};

describe('RetentionPage', () => {
  it('previews, and saves a delete-everything policy only after the confirmation', async () => {
    let puts = 0;
    const api = fakeApi({
      'GET /api/compliance/retention': () => policy,
      'GET /api/compliance/deletions': () => ({ items: [] }),
      'GET /api/groups': () => ({ items: [] }),
      'GET /api/tags': () => ({ items: [] }),
      'GET /api/categories': () => ({ items: [] }),
      'POST /api/compliance/retention/preview': () => ({
        conversations: 5,
        wholeConversations: 4,
        mediaOnly: 1,
        protectedSkipped: 2,
        oldestStartedAt: '2026-01-01T00:00:00Z',
        bytes: 2_500_000,
        deletesEverything: false,
        exact: true,
        sample: [{ id: 'c1', title: 'Old call', startedAt: '2026-01-01T00:00:00Z', scope: 'conversation', rule: 'default policy (60 days)' }],
      }),
      'PUT /api/compliance/retention': () =>
        ++puts === 1
          ? Response.json(
              { error: { code: 'CONFLICT', message: 'would delete all', details: { reason: 'RETENTION_DELETES_ALL', conversations: 7 } } },
              { status: 409 },
            )
          : policy,
    });
    renderWithApp(
      <MemoryRouter>
        <RetentionPage />
      </MemoryRouter>,
      { me: testUser(['lifecycle.manage']) },
    );
    expect(await screen.findByTestId('retention-rule-row')).toBeTruthy();
    expect(screen.getByTestId('retention-last-run').textContent).toContain('12 planned for deletion, 3 protected ones kept');
    await userEvent.click(screen.getByTestId('retention-preview'));
    const result = await screen.findByTestId('retention-preview-result');
    expect(result.textContent).toContain('5 conversations (4 entirely, 1 media files only)');
    expect(result.textContent).toContain('2.5 MB');
    expect(result.textContent).toContain('Old call');

    await userEvent.click(screen.getByTestId('retention-save'));
    expect(await screen.findByText(en.retention.confirmAllTitle)).toBeTruthy();
    await userEvent.click(screen.getByText(en.retention.confirmAll));
    await waitFor(() => expect(api.requests('PUT', '/api/compliance/retention')).toHaveLength(2));
    const [first, second] = api.requests('PUT', '/api/compliance/retention');
    expect(first!.body).toMatchObject({ default: { periodDays: 60, scope: 'conversation' }, rules: [{ name: 'Chats', conditions: { channels: ['chat'] } }] });
    expect((first!.body as { confirmDeleteAll?: boolean }).confirmDeleteAll).toBeUndefined();
    expect(second!.body).toMatchObject({ confirmDeleteAll: true });
  });
});
