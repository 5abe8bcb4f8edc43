// "Anonymize all…" beside the search: every conversation the current search matches, after the permanent dialog
// (a job with progress). Offered only while a search narrows the list, never for the bare default list.
import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../shell/currentUser.tsx';
import { AnonymizeDialog, canAnonymize } from './AnonymizeDialog.tsx';

export function AnonymizeSearchButton({ filter, searching }: { filter: unknown; searching: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  if (!canAnonymize(me) || !searching) return null;
  return (
    <>
      <Button size="xs" variant="default" color="red" onClick={() => setOpen(true)} data-testid="search-anonymize">
        {t('compliance.anonymize.actionAll')}
      </Button>
      {open && <AnonymizeDialog selection={{ filter }} onClose={() => setOpen(false)} />}
    </>
  );
}
