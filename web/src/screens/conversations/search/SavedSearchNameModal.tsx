// The name of a saved search, when saving the current search or renaming one. A name already taken (409) is said
// at the field.
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

/** As the server allows (src/search/saved/schemas.ts NAME_MAX). */
export const SAVED_SEARCH_NAME_MAX = 100;

interface Props {
  title: string;
  submitLabel: string;
  initialName: string;
  pending: boolean;
  error: unknown;
  onSubmit: (name: string) => void;
  onClose: () => void;
}

export function SavedSearchNameModal({ title, submitLabel, initialName, pending, error, onSubmit, onClose }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [submitted, setSubmitted] = useState(false);
  const blank = !name.trim();
  const fieldError = error instanceof ApiError && (error.status === 409 || error.details?.field === 'name') ? error.message : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!blank) onSubmit(name.trim());
  };

  return (
    <Modal opened onClose={onClose} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('search.saved.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={SAVED_SEARCH_NAME_MAX}
            error={submitted && blank ? t('validation.required') : fieldError}
            onFocus={(e) => e.currentTarget.select()}
            data-autofocus
            required
          />
          {!fieldError && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
