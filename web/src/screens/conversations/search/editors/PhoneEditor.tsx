// Phone number: a prefix of the number, digits with an optional leading + (spaces allowed).
import { TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageAt } from '../filterModel.ts';
import { EditorForm, HelpText, type EditorProps } from './EditorForm.tsx';

export function PhoneEditor({ value, apply, ...form }: EditorProps<string>) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(value ?? '');
  return (
    <EditorForm title={t('search.fields.phone')} onApply={() => apply(phone.trim() || undefined)} shownPaths={['phone']} {...form}>
      <TextInput
        size="xs"
        aria-label={t('search.fields.phone')}
        placeholder="+33 6 12"
        value={phone}
        onChange={(e) => setPhone(e.currentTarget.value)}
        error={messageAt(form.error, 'phone')}
        inputMode="tel"
        maxLength={40}
        data-autofocus
      />
      <HelpText text={t('search.phone.help')} />
    </EditorForm>
  );
}
