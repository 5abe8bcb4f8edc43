// The Import screen checks the server's limits before sending anything: too many files, too many bytes, or a file
// larger than the import reads (a zip may be larger: its entries are checked when it is unpacked).
import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { ImportPage } from './ImportPage.tsx';

const limits = { maxFiles: 3, maxBytes: 1000, maxFileBytes: 100 };
const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

function renderPage() {
  const api = fakeApi({ 'GET /api/imports': () => ({ items: [], limits }) });
  renderWithApp(<ImportPage />, { me: testUser(['ingest.write']) });
  return api;
}

describe('Import screen limits', () => {
  it('refuses before sending a file larger than the import reads, but not a zip of that size', async () => {
    renderPage();
    await screen.findByText(/At most 3 files/);
    const input = screen.getByTestId('import-files-input');
    await userEvent.upload(input, [file('call.json', 10), file('call.wav', 150)]);
    expect((await screen.findByRole('alert')).textContent).toContain('call.wav is larger than 100 B');
    expect(screen.getByTestId('import-start').hasAttribute('disabled')).toBe(true);

    await userEvent.click(screen.getByText('Clear'));
    await userEvent.upload(input, [file('export.zip', 150)]);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('import-start').hasAttribute('disabled')).toBe(false);
  });

  it('refuses too many files and too many bytes', async () => {
    renderPage();
    await screen.findByText(/At most 3 files/);
    const input = screen.getByTestId('import-files-input');
    await userEvent.upload(
      input,
      ['a', 'b', 'c', 'd'].map((n) => file(`${n}.eml`, 1)),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Too many files: at most 3');
    await userEvent.click(screen.getByText('Clear'));
    await userEvent.upload(input, [file('a.zip', 600), file('b.zip', 600)]);
    expect((await screen.findByRole('alert')).textContent).toContain('Too large');
    expect(screen.getByTestId('import-start').hasAttribute('disabled')).toBe(true);
  });
});
