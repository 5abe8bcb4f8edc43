// The password form checks the organisation's own minimum length (from /api/me), not a length built into the UI.
import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { ChangePasswordModal } from './ChangePasswordModal.tsx';

const tooShort = (min: number) => en.validation.minLength.replace('{{min}}', String(min));

async function fill(next: string) {
  await userEvent.type(screen.getByLabelText(en.password.current), 'Current-password-1');
  await userEvent.type(screen.getByLabelText(en.password.new), next);
  await userEvent.type(screen.getByLabelText(en.password.confirm), next);
  await userEvent.click(screen.getByRole('button', { name: en.password.submit }));
}

describe('ChangePasswordModal', () => {
  it("refuses a password shorter than the organisation's minimum before sending it", async () => {
    const api = fakeApi({ 'POST /api/me/password': () => new Response(null, { status: 204 }) });
    renderWithApp(<ChangePasswordModal opened onClose={() => {}} />, { me: { ...testUser(), passwordMinLength: 14 } });
    expect(screen.getByText(en.password.rule.replace('{{min}}', '14'))).toBeTruthy();
    await fill('Twelve-chars');
    expect(await screen.findByText(tooShort(14))).toBeTruthy();
    expect(api.requests('POST', '/api/me/password')).toHaveLength(0);
  });

  it('sends a password that meets a lower minimum', async () => {
    const api = fakeApi({ 'POST /api/me/password': () => new Response(null, { status: 204 }) });
    renderWithApp(<ChangePasswordModal opened onClose={() => {}} />, { me: { ...testUser(), passwordMinLength: 8 } });
    await fill('Eight-ch');
    expect(await screen.findByText(en.password.changed)).toBeTruthy();
    expect(api.requests('POST', '/api/me/password')).toEqual([
      { method: 'POST', path: '/api/me/password', body: { currentPassword: 'Current-password-1', newPassword: 'Eight-ch' } },
    ]);
  });
});
