import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { describeError } from './errors.ts';

interface Props {
  error: unknown;
  title?: string;
  /** Messages that fit this screen better than the generic one for a code (e.g. a wrong *current* password). */
  overrides?: Record<string, string>;
}

/** Inline error for a failed query or mutation; renders nothing when there is no error. */
export function ErrorAlert({ error, title, overrides }: Props) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const override = error instanceof ApiError ? overrides?.[error.code] : undefined;
  return (
    <Alert color="red" variant="light" title={title} role="alert" data-testid="error-alert">
      {override ?? describeError(error, t, i18n.language)}
    </Alert>
  );
}
