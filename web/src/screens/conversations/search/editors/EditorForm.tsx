// The frame every filter editor shares: its title, its inputs, the server's refusal when no input shows it, and
// Apply / Cancel. Apply runs the search first (see useApplySearch), so a refusal stays here with the editor open.
import { Button, Group, Stack, Text } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../components/errors.ts';
import { errorPath } from '../filterModel.ts';

export interface EditorFormProps {
  title: string;
  children: ReactNode;
  onApply: () => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
  /** The error paths an input of this editor shows itself (e.g. "timeOfDay.to"); any other error shows at the bottom. */
  shownPaths?: readonly string[];
  /** Apply is offered only when the inputs make a condition. */
  canApply?: boolean;
}

export function EditorForm({ title, children, onApply, onCancel, pending, error, shownPaths = [], canApply = true }: EditorFormProps) {
  const { t, i18n } = useTranslation();
  const path = errorPath(error);
  const unshown = error && !(path !== null && shownPaths.includes(path)) ? describeError(error, t, i18n.language) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (canApply) onApply();
  };
  return (
    <form onSubmit={submit} noValidate data-testid="filter-editor" aria-label={title}>
      <Stack gap="sm">
        <Text size="sm" fw={700}>
          {title}
        </Text>
        {children}
        {unshown && (
          <Text size="sm" c="red" role="alert" data-testid="filter-error">
            {unshown}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" size="xs" loading={pending} disabled={!canApply}>
            {t('search.apply')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Props every editor gets: the current value of its field, and what to do with a new one. */
export interface EditorProps<T> {
  value: T | null | undefined;
  /** Runs the search with the new value (undefined clears the condition). */
  apply: (value: T | undefined) => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
}

/** Comboboxes inside a popover stay inside it, so picking an option is not a click outside that closes it. */
export const INLINE_COMBOBOX = { comboboxProps: { withinPortal: false } } as const;

/** "= 03:30" under a loose input when it reads as something other than what was typed. */
export function readsAs(text: string, preview: (s: string) => string | null): string | undefined {
  const p = text.trim() ? preview(text) : null;
  return p && p !== text.trim() ? `= ${p}` : undefined;
}

/** The quiet line under an editor's inputs that says what to type. */
export function HelpText({ text }: { text: string }) {
  return (
    <Text size="xs" c="dimmed">
      {text}
    </Text>
  );
}
