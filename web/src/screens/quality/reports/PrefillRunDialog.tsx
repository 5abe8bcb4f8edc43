// "Pre-fill a saved search": for planners (quality.plan), runs the scorecards' auto rules again over the reviews not
// submitted yet of what one of their saved searches (or a shared one) finds, as a background job — once transcripts
// or insights have arrived after the reviews were planned.
import { Alert, Anchor, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useStartPrefillRun } from '../../../api/qualityReports.ts';
import { useScorecards } from '../../../api/scorecards.ts';
import { useSavedSearches } from '../../../api/search.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';

export function PrefillRunButton() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  if (!can(me, 'quality.plan')) return null;
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)} data-testid="prefill-run-open">
        {t('qualityReports.prefill.open')}
      </Button>
      {open && <PrefillRunDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function PrefillRunDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const searches = useSavedSearches();
  const scorecards = useScorecards('active');
  const start = useStartPrefillRun();
  const [searchId, setSearchId] = useState<string | null>(null);
  const [scorecardId, setScorecardId] = useState<string | null>(null);
  return (
    <Modal opened onClose={onClose} title={t('qualityReports.prefill.title')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('qualityReports.prefill.help')}
        </Text>
        <Select
          label={t('qualityReports.prefill.search')}
          data={(searches.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={searchId}
          onChange={setSearchId}
          searchable
          comboboxProps={{ withinPortal: false }}
          data-testid="prefill-search"
        />
        <Select
          label={t('qualityReports.prefill.scorecard')}
          placeholder={t('qualityReports.prefill.allScorecards')}
          data={(scorecards.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={scorecardId}
          onChange={setScorecardId}
          clearable
          comboboxProps={{ withinPortal: false }}
        />
        <ErrorAlert error={start.error} />
        {start.data && (
          <Alert color="green" data-testid="prefill-started">
            {t('qualityReports.prefill.started')}{' '}
            {can(me, 'jobs.view') && (
              <Anchor component={Link} to="/admin/jobs">
                {t('qualityReports.prefill.jobs')}
              </Anchor>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
          <Button
            disabled={!searchId || !!start.data}
            loading={start.isPending}
            onClick={() => searchId && start.mutate({ savedSearchId: searchId, scorecardId })}
            data-testid="prefill-start"
          >
            {t('qualityReports.prefill.start')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
