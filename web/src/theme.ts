import { createTheme, type MantineThemeOverride } from '@mantine/core';
import type { TFunction } from 'i18next';

/** The Mantine theme; built per language so the labels Mantine renders itself (close buttons, password toggles) are translated too. */
export function buildTheme(t: TFunction): MantineThemeOverride {
  return createTheme({
    primaryColor: 'blue',
    defaultRadius: 'md',
    fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
    headings: { fontWeight: '650' },
    components: {
      Modal: {
        defaultProps: { centered: true, closeButtonProps: { 'aria-label': t('common.close') } },
        styles: { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } },
      },
      PasswordInput: { defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('common.togglePassword') } } },
      Alert: { defaultProps: { closeButtonLabel: t('common.close') } },
      Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true }, styles: { th: { whiteSpace: 'nowrap' } } },
    },
  });
}
