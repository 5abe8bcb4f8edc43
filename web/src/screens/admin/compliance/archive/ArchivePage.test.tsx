// Administration → Compliance → Archiving: the template's example follows the server; an SFTP target saves with its
// private key (never shown again), plain FTP is flagged as insecure, the connection test shows the server's answer
// and the host key it presented; the conversation detail says where and when it was archived.
import { fireEvent, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApp } from '../../../../test/render.tsx';
import { ArchivePage } from './ArchivePage.tsx';
import { ConversationArchive } from './ConversationArchive.tsx';
import type { ArchiveOverview } from './api.ts';

const counts = { pending: 0, uploading: 0, done: 0, failed: 0, skipped: 0 };
const overview = (over: Partial<ArchiveOverview> = {}): ArchiveOverview => ({
  config: {
    enabled: false,
    nameTemplate: '%{setup-time##%Y%m%d}/%{setup-time##%Y%m%d%H%M%S}-%{call-id}',
    timeZone: 'UTC',
    encryption: 'none',
    publicKey: null,
    publicKeyFingerprint: null,
    publicKeyUserIds: [],
    includeOlder: false,
    enabledAt: null,
    updatedAt: null,
  },
  primary: null,
  secondary: null,
  fields: ['setup-time', 'call-id', 'caller-number'],
  defaultTemplate: '%{setup-time##%Y%m%d}/%{setup-time##%Y%m%d%H%M%S}-%{call-id}',
  folderRoot: '/srv/earshot/archive',
  example: '20260314/20260314092653-a84f3c2e-7b1d.wav',
  run: null,
  ...over,
});

const render = () =>
  renderWithApp(
    <MemoryRouter>
      <ArchivePage />
    </MemoryRouter>,
  );

describe('Archiving page', () => {
  it('shows the example name the server gives the template, and cannot switch on without a primary target', async () => {
    const api = fakeApi({
      'GET /api/archive': () => overview(),
      'POST /api/archive/template-preview': (req) => ({
        example: `${(req.body as { nameTemplate: string }).nameTemplate.includes('queue') ? 'Billing/' : ''}x.wav`,
      }),
      'GET /api/archive/items': () => ({ items: [], nextCursor: null }),
    });
    render();
    await screen.findByTestId('archive-page');
    expect((screen.getByTestId('archive-enabled') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Set up the primary target below first.')).toBeTruthy();
    fireEvent.change(screen.getByTestId('archive-template'), { target: { value: '%{queue}/%{call-id}' } });
    expect(await screen.findByText('Billing/x.wav', {}, { timeout: 5000 })).toBeTruthy();
    expect(api.requests('POST', '/api/archive/template-preview').at(-1)?.body).toEqual({ nameTemplate: '%{queue}/%{call-id}', timeZone: 'UTC' });
  });

  it('saves an SFTP target with its key, tests it and shows the host key; plain FTP is flagged', async () => {
    const saved = overview({
      primary: {
        id: 't1',
        role: 'primary',
        kind: 'sftp',
        settings: { host: 'sftp.example.com', port: 22, username: 'rec', directory: '/upload' },
        secretsSet: { password: false, privateKey: true, passphrase: false, secretAccessKey: false },
        hostKey: null,
        insecure: false,
        where: 'sftp://rec@sftp.example.com:22/upload',
        lastTest: null,
        counts,
        lastArchivedAt: null,
        createdAt: '2026-12-01T10:00:00Z',
        updatedAt: '2026-12-01T10:00:00Z',
      },
    });
    const api = fakeApi({
      'GET /api/archive': () => overview(),
      'POST /api/archive/template-preview': () => ({ example: 'x.wav' }),
      'GET /api/archive/items': () => ({ items: [], nextCursor: null }),
      'PUT /api/archive/targets/primary': () => saved,
      'POST /api/archive/targets/primary/test': () => ({
        ok: true,
        message: 'Connected, wrote, read back and deleted a test file',
        hostKey: 'SHA256:abc',
        ms: 42,
      }),
    });
    render();
    const card = await screen.findByTestId('archive-target-primary');
    const user = userEvent.setup();
    await user.click(within(card).getByTestId('archive-primary-kind'));
    await user.click(await screen.findByRole('option', { name: 'SFTP' }));
    // Typed at once: the machine running the suite may be slow.
    const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
    type(within(card).getByTestId('archive-primary-host'), 'sftp.example.com');
    type(within(card).getByTestId('archive-primary-username'), 'rec');
    type(within(card).getByTestId('archive-primary-directory'), '/upload');
    type(within(card).getByPlaceholderText('-----BEGIN OPENSSH PRIVATE KEY-----'), 'KEY');
    await user.click(within(card).getByTestId('archive-primary-test'));
    expect((await within(card).findByTestId('archive-primary-test-result')).textContent).toContain('SHA256:abc');
    expect(api.requests('POST', '/api/archive/targets/primary/test')[0]?.body).toEqual({
      target: { kind: 'sftp', settings: { host: 'sftp.example.com', username: 'rec', directory: '/upload' }, secrets: { privateKey: 'KEY' } },
    });
    await user.click(within(card).getByTestId('archive-primary-save'));
    expect(await within(card).findByText('Stored (not shown). Type a new one to replace it.')).toBeTruthy();
    expect(api.requests('PUT', '/api/archive/targets/primary')[0]?.body).toMatchObject({ kind: 'sftp', secrets: { privateKey: 'KEY' } });

    const secondary = screen.getByTestId('archive-target-secondary');
    await user.click(within(secondary).getByTestId('archive-secondary-kind'));
    await user.click(await screen.findByRole('option', { name: 'FTP / FTPS' }));
    expect(within(secondary).queryByTestId('archive-secondary-insecure')).toBeNull();
    await user.click(within(secondary).getByTestId('archive-secondary-security'));
    await user.click(await screen.findByRole('option', { name: 'Plain FTP (not secure)' }));
    expect(within(secondary).getByTestId('archive-secondary-insecure').textContent).toContain('unencrypted');
  }, 120_000);

  it('the conversation detail lists where and when it was archived', async () => {
    fakeApi({
      'GET /api/conversations/c1/archive': () => ({
        items: [
          {
            id: 'i1',
            role: 'primary',
            kind: 'folder',
            conversation: { id: 'c1', title: null, startedAt: null },
            segmentId: 's1',
            status: 'done',
            path: 'a.wav',
            where: '/srv/earshot/archive/a.wav',
            size: 10,
            sha256: 'ab',
            encrypted: false,
            attempts: 1,
            nextAttemptAt: null,
            lastError: null,
            archivedAt: '2026-12-01T10:00:00Z',
            targetRetired: false,
          },
          {
            id: 'i2',
            role: 'secondary',
            kind: 's3',
            conversation: { id: 'c1', title: null, startedAt: null },
            segmentId: 's1',
            status: 'pending',
            path: null,
            where: null,
            size: null,
            sha256: null,
            encrypted: false,
            attempts: 0,
            nextAttemptAt: null,
            lastError: null,
            archivedAt: null,
            targetRetired: false,
          },
        ],
      }),
    });
    renderWithApp(<ConversationArchive conversationId="c1" hasMedia />);
    const box = await screen.findByTestId('conversation-archive');
    expect(box.textContent).toContain('Primary target');
    expect(box.textContent).toContain('/srv/earshot/archive/a.wav');
    expect(box.textContent).toContain('Waiting');
  });
});
