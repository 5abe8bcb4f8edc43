import { Alert, Button, Popover, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVerifyAudit } from '../../../api/system.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconAdmin } from '../../../components/icons.tsx';

/** Checks the hash chain of the audit trail and says whether it is intact or where it first breaks. */
export function VerifyChain() {
  const { t } = useTranslation();
  const verify = useVerifyAudit();
  const result = verify.data;
  const opened = verify.isSuccess || verify.isError;

  return (
    <Popover opened={opened} onChange={(o) => !o && verify.reset()} position="bottom-end" width={360} withArrow shadow="md">
      <Popover.Target>
        <Button variant="light" leftSection={<IconAdmin size={16} />} loading={verify.isPending} onClick={() => verify.mutate()}>
          {t('audit.verify.button')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown data-testid="audit-verify-result">
        <ErrorAlert error={verify.error} />
        {result && (
          <Alert
            color={result.intact ? 'green' : 'red'}
            variant="light"
            title={result.intact ? t('audit.verify.intact') : t('audit.verify.broken')}
            withCloseButton
            onClose={() => verify.reset()}
          >
            <Stack gap={4}>
              <Text size="sm">{t('audit.verify.checked', { checked: result.checked })}</Text>
              {result.firstBroken && <Text size="sm">{t('audit.verify.firstBroken', { seq: result.firstBroken.seq, reason: result.firstBroken.reason })}</Text>}
            </Stack>
          </Alert>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
