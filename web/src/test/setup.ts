// Set-up of the web's component tests (vitest project "web", happy-dom): the English catalogue, no network (a test's
// requests answer "no fake route" unless it installs fakeApi), and an unmounted tree and a fresh fetch after each test.
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import i18n from '../i18n/index.ts';
import { fakeApi } from './render.tsx';

await i18n.changeLanguage('en');

// happy-dom has no document.fonts, which Mantine's autosizing textarea listens to (every comment box uses one).
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { configurable: true, value: { addEventListener() {}, removeEventListener() {}, ready: Promise.resolve() } });
}

// happy-dom's own fetch would connect to the page's origin (localhost:3000), where nothing listens: a screen whose
// queries a test did not fake logged ECONNREFUSED in the suite's output. No route: every request is "no fake route".
beforeEach(() => void fakeApi({}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
