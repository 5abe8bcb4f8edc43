// The permanent anonymization dialog: it says it is permanent, what the setup overwrites, which conversations are
// protected and why, offers the gentler audio option only where transcripts found personal data, sends confirm: true
// only on "Anonymize permanently", and follows a search's run to its end. The states show on a conversation.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { AnonymizeDialog } from './AnonymizeDialog.tsx';
import { ComplianceStates } from './ComplianceStates.tsx';

const A = en.compliance.anonymize;
const preview = (more: object = {}) => ({
  total: 3,
  checked: 3,
  protectedCount: 1,
  protected: [{ conversationId: 'c3', title: 'Call with a trader', protections: [{ kind: 'tag', tagId: 't1', name: 'MiFID II' }, { kind: 'reviewed' }] }],
  alreadyAnonymized: 0,
  withMedia: 2,
  withPii: 1,
  parts: ['phone_numbers', 'chat_content', 'media'],
  customFields: [{ id: 'f1', key: 'account', label: 'Account' }],
  audioOptions: ['delete', 'redact'],
  ...more,
});
const run = (more: object) => ({
  id: 'r1',
  status: 'queued',
  total: 3,
  done: 0,
  anonymized: 0,
  skipped: 0,
  audio: 'delete',
  parts: {},
  jobId: 'j1',
  error: null,
  requestedBy: 'Tess',
  createdAt: '2026-12-01T10:00:00Z',
  finishedAt: null,
  skippedItems: [],
  ...more,
});

const render = (ui: React.ReactElement) =>
  renderWithApp(<MemoryRouter>{ui}</MemoryRouter>, { me: testUser(['conversations.view', 'conversations.anonymize']) });

describe('AnonymizeDialog', () => {
  it('says it is permanent, lists what is overwritten and the protected ones with why, then runs the search as a job', async () => {
    let polls = 0;
    const api = fakeApi({
      'POST /api/compliance/anonymize/preview': () => preview(),
      'POST /api/compliance/anonymizations': () => run({}),
      'GET /api/compliance/anonymizations/r1': () =>
        ++polls > 1 ? run({ status: 'done', done: 3, anonymized: 2, skipped: 1 }) : run({ status: 'running', done: 1 }),
    });
    render(<AnonymizeDialog selection={{ filter: { q: 'refund' } }} onClose={() => {}} />);
    expect(await screen.findByTestId('anonymize-permanent')).toBeTruthy();
    expect(screen.getByTestId('anonymize-count').textContent).toBe('3 conversations match; 2 will be anonymized.');
    const parts = screen.getByTestId('anonymize-parts');
    expect(within(parts).getByText(en.compliance.parts.phone_numbers)).toBeTruthy();
    expect(within(parts).getByText('Custom field Account')).toBeTruthy();
    expect(screen.getByTestId('anonymize-protected').textContent).toContain('Call with a trader: protection tag MiFID II; reviewed');
    // The gentler option is there (one conversation has PII spans); delete is the default.
    expect(screen.getByLabelText(A.audio.redact)).toBeTruthy();
    expect((screen.getByLabelText(A.audio.delete) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByLabelText(A.audio.redact));
    await userEvent.click(screen.getByTestId('anonymize-confirm'));
    expect(api.requests('POST', '/api/compliance/anonymizations')[0]!.body).toEqual({ filter: { q: 'refund' }, confirm: true, audio: 'redact' });
    expect(await screen.findByText('Done: 2 anonymized, 1 skipped.', {}, { timeout: 4000 })).toBeTruthy();
  });

  it('anonymizes one conversation at once, without the redaction option when no PII was found', async () => {
    const api = fakeApi({
      'POST /api/compliance/anonymize/preview': () => preview({ total: 1, protectedCount: 0, protected: [], withPii: 0, withMedia: 1 }),
      'POST /api/conversations/c1/anonymize': () => ({
        conversationId: 'c1',
        parts: [],
        media: 'planned_for_deletion',
        auditEventsRedacted: 2,
        legacyAuditEvents: 0,
      }),
    });
    render(<AnonymizeDialog selection={{ conversationIds: ['c1'] }} single onClose={() => {}} />);
    expect(await screen.findByTestId('anonymize-count')).toBeTruthy();
    expect(screen.queryByLabelText(A.audio.redact)).toBeNull();
    await userEvent.click(screen.getByTestId('anonymize-confirm'));
    expect(api.requests('POST', '/api/conversations/c1/anonymize')[0]!.body).toEqual({ confirm: true, audio: 'delete' });
    expect((await screen.findByTestId('anonymize-done')).textContent).toBe(A.doneOne.planned_for_deletion);
  });

  it('cannot go ahead when everything selected is protected', async () => {
    fakeApi({ 'POST /api/compliance/anonymize/preview': () => preview({ total: 1, protectedCount: 1 }) });
    render(<AnonymizeDialog selection={{ conversationIds: ['c3'] }} onClose={() => {}} />);
    await screen.findByTestId('anonymize-protected');
    expect((screen.getByTestId('anonymize-confirm') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('ComplianceStates', () => {
  it('shows the seed’s words for the states', () => {
    renderWithApp(<ComplianceStates conversation={{ anonymizedAt: '2026-12-01T10:00:00Z', mediaState: 'planned_for_deletion', timeZone: 'UTC' }} />);
    expect(screen.getByTestId('state-anonymized').textContent).toBe('Anonymized');
    expect(screen.getByTestId('state-planned').textContent).toBe('Planned for deletion of media files');
  });
});
