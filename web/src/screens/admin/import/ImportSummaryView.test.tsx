// The import run as the screen follows it: the job's progress (items done of total, the file being read) and, at the
// end, the summary worded as `earshot import` prints it, with each failure and its file.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImportRun } from '../../../api/imports.ts';
import { renderWithApp } from '../../../test/render.tsx';
import { ImportProgress, ImportSummaryView } from './ImportSummaryView.tsx';

const base: ImportRun = {
  id: 'r1',
  status: 'running',
  format: 'auto',
  dryRun: false,
  fileCount: 3,
  totalBytes: 1000,
  createdBy: { id: 'u1', name: 'Admin' },
  createdAt: '2026-03-01T09:00:00.000Z',
  startedAt: '2026-03-01T09:00:01.000Z',
  finishedAt: null,
  jobId: 'j1',
  total: 10,
  done: 4,
  currentLabel: 'calls/c2.json',
  summary: null,
  error: null,
};

describe('import run', () => {
  it('shows the job progress with the item being read, and "counting" before the tree is counted', () => {
    const { rerender } = renderWithApp(<ImportProgress run={base} />);
    expect(screen.getByTestId('import-progress').textContent).toContain('4 of 10 items · calls/c2.json');
    rerender(<ImportProgress run={{ ...base, total: null, done: 0, currentLabel: null }} />);
    expect(screen.getByTestId('import-progress').textContent).toContain('Counting the items');
  });

  it('words the summary as earshot import does, with skip reasons, notes and failures', () => {
    renderWithApp(
      <ImportSummaryView
        run={{
          ...base,
          status: 'done',
          summary: {
            format: 'connect',
            dryRun: false,
            total: 5,
            imported: 2,
            skipped: 2,
            failed: 1,
            skippedByReason: { 'already imported': 1, 'chat transcripts are not in CTRs': 1 },
            failures: [{ file: 'ctr/missing.json', reason: 'recording not found' }],
            notes: [{ file: 'rec/x.wav', note: 'no CTR' }],
            elapsedMs: 61_000,
          },
        }}
      />,
    );
    const text = screen.getByTestId('import-summary').textContent!;
    expect(text).toContain('Imported 2, skipped 2, failed 1 (5 items in 1:01)');
    expect(text).toContain('Amazon Connect export');
    expect(text).toContain('already imported');
    expect(text).toContain('rec/x.wav: no CTR');
    expect(screen.getByTestId('import-failures').textContent).toContain('ctr/missing.jsonrecording not found');
  });

  it('says why a run failed', () => {
    renderWithApp(<ImportSummaryView run={{ ...base, status: 'failed', error: 'Admin, who uploaded this import, no longer has an active account' }} />);
    expect(screen.getByRole('alert').textContent).toContain('no longer has an active account');
  });
});
