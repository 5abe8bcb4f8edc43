import { Button, Group as Row, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useGroups, useSaveGroup, useSites } from '../../../api/directory.ts';
import type { Group } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NullableSelect } from '../../../components/NullableSelect.tsx';
import { LANGUAGES } from '../../../i18n/index.ts';
import { groupOptions } from './groupTree.ts';

/** Create (group = null) or rename / move / re-site a group. */
export function GroupFormModal({ group, parentId, onClose }: { group: Group | null; parentId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const sites = useSites();
  const save = useSaveGroup();
  const [name, setName] = useState(group?.name ?? '');
  const [parent, setParent] = useState<string | null>(parentId);
  const [siteId, setSiteId] = useState<string | null>(group?.siteId ?? null);
  const [language, setLanguage] = useState<string | null>(group?.language ?? null);
  const [submitted, setSubmitted] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim()) return;
    const input = group
      ? { name: name.trim(), parentId: parent, siteId, language }
      : { name: name.trim(), ...(parent ? { parentId: parent } : {}), ...(siteId ? { siteId } : {}), ...(language ? { language } : {}) };
    save.mutate({ id: group?.id, input }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={group ? t('groups.editTitle') : t('groups.createTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('groups.fields.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={submitted && !name.trim() ? t('validation.required') : undefined}
            data-autofocus
          />
          <NullableSelect
            label={t('groups.fields.parent')}
            noneLabel={t('groups.topLevel')}
            data={groupOptions(groups.data?.items ?? [], group?.id)}
            value={parent}
            onChange={setParent}
            searchable
          />
          <NullableSelect
            label={t('groups.fields.site')}
            noneLabel={t('common.none')}
            data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={siteId}
            onChange={setSiteId}
            searchable
          />
          <NullableSelect
            label={t('groups.fields.language')}
            description={t('groups.languageHint')}
            noneLabel={t('groups.languageInherit')}
            data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
            value={language}
            onChange={setLanguage}
            data-testid="group-language"
          />
          <ErrorAlert error={save.error} />
          <Row justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {group ? t('common.save') : t('groups.submitCreate')}
            </Button>
          </Row>
        </Stack>
      </form>
    </Modal>
  );
}
