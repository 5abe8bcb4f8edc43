// The Export menu of a conversation (issue 16 item 6): JSON, merged MP3 and one WAV per call segment, each entry shown
// only with the permission its route needs, and a refused download shows the server's message instead of nothing.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationSummary } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { ConversationActions } from './ConversationActions.tsx';

const A = en.conversations.actions;
const summary = { id: 'c1', title: 'Call', channels: ['call'], hasScreen: false, tags: [], timeZone: 'Europe/Paris' } as unknown as ConversationSummary;
const seg = (id: string, kind: string, startedAt: string) => ({ id, kind, externalId: `ext-${id}`, startedAt });
const detail = {
  ...summary,
  segments: [seg('s1', 'call', '2026-03-01T09:00:00Z'), seg('s2', 'chat', '2026-03-01T09:05:00Z'), seg('s3', 'call', '2026-03-01T09:10:00Z')],
};

function renderActions(permissions: string[], conversation: ConversationSummary = summary) {
  return renderWithApp(
    <MemoryRouter>
      <ConversationActions conversation={conversation} />
    </MemoryRouter>,
    { me: testUser(['conversations.view', ...permissions]) },
  );
}

describe('Export menu', () => {
  it('offers JSON, the merged MP3 and one WAV per call segment to a user who may export and download', async () => {
    fakeApi({ 'GET /api/conversations/c1': () => detail as unknown as ConversationDetail });
    renderActions(['conversations.export', 'media.download']);
    await userEvent.click(screen.getByTestId('action-export'));
    const menu = screen.getByTestId('export-menu');
    expect(within(menu).getByText(A.exportJson)).toBeTruthy();
    expect(within(menu).getByText(A.exportMp3)).toBeTruthy();
    await screen.findAllByTestId('export-wav');
    expect(
      within(menu)
        .getAllByTestId('export-wav')
        .map((e) => e.textContent),
    ).toEqual([expect.stringMatching(/^WAV, segment 1 \(.*10:00.*\)$/), expect.stringMatching(/^WAV, segment 2 \(.*10:10.*\)$/)]);
  });

  it('shows only what the permissions allow, and nothing without either', async () => {
    fakeApi({ 'GET /api/conversations/c1': () => detail });
    const { unmount } = renderActions(['conversations.export']);
    await userEvent.click(screen.getByTestId('action-export'));
    expect(screen.getByTestId('export-json')).toBeTruthy();
    expect(screen.queryByTestId('export-mp3')).toBeNull();
    unmount();

    renderActions(['media.download'], { ...summary, channels: ['chat'] } as ConversationSummary);
    expect(screen.queryByTestId('action-export')).toBeNull();
  });

  it("shows the server's reason when the recording cannot be made", async () => {
    fakeApi({
      'GET /api/conversations/c1': () => detail,
      'GET /api/conversations/c1/export.mp3': () =>
        Response.json(
          { error: { code: 'CONFLICT', message: 'Segment s3 (contact ext-s3) has no usable media: it has no recording. No file was produced.' } },
          { status: 409 },
        ),
    });
    renderActions(['media.download']);
    await userEvent.click(screen.getByTestId('action-export'));
    await userEvent.click(screen.getByTestId('export-mp3'));
    expect((await screen.findByTestId('error-alert')).textContent).toContain('has no usable media');
    expect(screen.queryByTestId('export-saved')).toBeNull();
  });

  it('says that the server cannot encode MP3 rather than a generic "unavailable"', async () => {
    fakeApi({
      'GET /api/conversations/c1': () => detail,
      'GET /api/conversations/c1/export.mp3': () =>
        Response.json({ error: { code: 'UNAVAILABLE', message: 'MP3 export needs ffmpeg, which is not installed on this server' } }, { status: 503 }),
    });
    renderActions(['media.download']);
    await userEvent.click(screen.getByTestId('action-export'));
    await userEvent.click(screen.getByTestId('export-mp3'));
    expect((await screen.findByTestId('error-alert')).textContent).toContain('MP3 export needs ffmpeg');
  });
});
