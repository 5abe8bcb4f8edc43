// The one-field dialog of responses: a dispute's reason, a re-affirmation's comment (both required), or an
// acknowledgement's optional remark. The server's refusal shows inside it.
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

const MAX = 2000;

export function TextModal({
  opened,
  title,
  intro,
  label,
  required,
  submitLabel,
  pending,
  error,
  onSubmit,
  onClose,
  testId,
}: {
  opened: boolean;
  title: string;
  intro?: string;
  label: string;
  required: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (text: string) => void;
  onClose: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (opened) {
      setText('');
      setTouched(false);
    }
  }, [opened]);
  const missing = required && !text.trim();
  return (
    <Modal opened={opened} onClose={onClose} title={title} data-testid={testId}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!missing) onSubmit(text.trim());
        }}
        noValidate
      >
        <Stack>
          {intro && (
            <Text size="sm" c="dimmed">
              {intro}
            </Text>
          )}
          <Textarea
            label={label}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            // A fixed height: Mantine's autosize needs a layout engine the component tests do not have.
            rows={4}
            maxLength={MAX}
            required={required}
            error={touched && missing ? t('validation.required') : undefined}
            data-testid={`${testId}-text`}
            data-autofocus
          />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid={`${testId}-submit`}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
