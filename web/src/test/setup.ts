// Set-up of the web's component tests (vitest project "web", happy-dom): the English catalogue, and an unmounted
// tree and a fresh fetch after each test.
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import i18n from '../i18n/index.ts';

await i18n.changeLanguage('en');

// happy-dom has no document.fonts, which Mantine's autosizing textarea listens to (every comment box uses one).
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { configurable: true, value: { addEventListener() {}, removeEventListener() {}, ready: Promise.resolve() } });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
