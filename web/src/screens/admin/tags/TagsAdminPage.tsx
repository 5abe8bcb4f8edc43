// Administration → Tags: custom tags (rename, colour, comment required, archive), data tags (a key/value written into
// every segment), categories (what the "By category" view files conversations under) and custom fields (text, date,
// option; which are list columns and which "Add new filter" offers). Each tab shows to whoever may manage it.
import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { CategoriesTab } from './CategoriesTab.tsx';
import { CustomFieldsTab } from './CustomFieldsTab.tsx';
import { TagsTab } from './TagsTab.tsx';

const TABS = ['tags', 'data', 'categories', 'fields'] as const;

export function TagsAdminPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const tabs = TABS.filter((tab) => (tab === 'fields' ? can(me, 'customfields.manage') : can(me, 'tags.manage')));
  const asked = params.get('tab');
  const current = tabs.find((x) => x === asked) ?? tabs[0] ?? 'tags';
  return (
    <>
      <PageHeader title={t('tagsAdmin.title')} description={t('tagsAdmin.description')} />
      <Tabs value={current} onChange={(v) => v && setParams({ tab: v }, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {t(`tagsAdmin.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="tags">
          <TagsTab data={false} />
        </Tabs.Panel>
        <Tabs.Panel value="data">
          <TagsTab data />
        </Tabs.Panel>
        <Tabs.Panel value="categories">
          <CategoriesTab />
        </Tabs.Panel>
        <Tabs.Panel value="fields">
          <CustomFieldsTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
