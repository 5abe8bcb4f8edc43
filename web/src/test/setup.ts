// Set-up of the web's component tests (vitest project "web", happy-dom): the English catalogue, and an unmounted
// tree and a fresh fetch after each test.
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import i18n from '../i18n/index.ts';

await i18n.changeLanguage('en');

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
