// The audit table's Details column (issue 16 item 9): long details without spaces (ids, file names) break inside the
// column instead of running past its edge, the full text is on hover, and a row with long details opens to show
// them in full.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../api/types.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { renderWithApp } from '../../../test/render.tsx';
import { AuditTable } from './AuditTable.tsx';

const LONG = `exported conversation 0195f3a2-7c1e-7d2a-9b3c-4e5f6a7b8c9d as 0195f3a2-7c1e-7d2a-9b3c-4e5f6a7b8c9d_20260301T073900Z_merged_all_segments.mp3`;

const event = (id: string, details: string): AuditEvent => ({
  id,
  seq: 1,
  at: '2026-03-01T07:39:00Z',
  initiatorId: 'u1',
  initiatorName: 'Ada Admin',
  clientIp: '127.0.0.1',
  application: 'web',
  resourceType: 'conversation',
  resourceId: '0195f3a2-7c1e-7d2a-9b3c-4e5f6a7b8c9d',
  action: 'EXPORT',
  details,
  changes: null,
});

describe('AuditTable details', () => {
  it('breaks long details inside the column, with the full text on hover and when the row is opened', async () => {
    renderWithApp(<AuditTable events={[event('e1', LONG), event('e2', 'short')]} loading={false} />);
    const [long, short] = screen.getAllByTestId('audit-details');
    expect(long!.style.overflowWrap).toBe('anywhere');
    expect(long!.getAttribute('title')).toBe(LONG);
    expect(short!.textContent).toBe('short');
    const toggles = screen.getAllByRole('button', { name: en.audit.toggleChanges });
    expect(toggles).toHaveLength(1); // only the long one opens
    await userEvent.click(toggles[0]!);
    const rows = screen.getAllByRole('row');
    expect(
      rows.some((r) =>
        within(r)
          .queryAllByText(LONG)
          .some((el) => el.getAttribute('data-testid') !== 'audit-details'),
      ),
    ).toBe(true);
  });
});
