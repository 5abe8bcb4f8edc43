// The Audit screen's filters suggest the resource types and actions found in the trail (GET /api/audit/vocabulary),
// so an event type added by any feature is offered without a change here.
import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { AuditFilterBar, EMPTY_FILTERS } from './AuditFilterBar.tsx';

afterEach(() => vi.unstubAllGlobals());

describe('AuditFilterBar', () => {
  it("offers the trail's own resource types and actions", async () => {
    const api = fakeApi({ 'GET /api/audit/vocabulary': () => ({ resourceTypes: ['import', 'scorecard'], actions: ['IMPORT_STARTED', 'SCORECARD_CREATE'] }) });
    const onChange = vi.fn();
    renderWithApp(<AuditFilterBar value={EMPTY_FILTERS} onChange={onChange} />, { me: testUser(['audit.view']) });
    await userEvent.click(screen.getByRole('combobox', { name: en.audit.filters.resourceType }));
    expect(await screen.findByRole('option', { name: 'scorecard' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'import' })).toBeTruthy();
    await userEvent.click(screen.getByRole('combobox', { name: en.audit.filters.action }));
    await userEvent.click(await screen.findByRole('option', { name: 'IMPORT_STARTED' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...EMPTY_FILTERS, action: 'IMPORT_STARTED' });
    expect(api.requests('GET', '/api/audit/vocabulary')).toHaveLength(1);
  });
});
