import { Button, EmptyState, Paper, Tree, useTree } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useGroups, useSites } from '../../../api/directory.ts';
import type { Group } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlus } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { DeleteGroupModal } from './DeleteGroupModal.tsx';
import { GroupFormModal } from './GroupFormModal.tsx';
import { GroupTreeNode } from './GroupTreeNode.tsx';
import { buildGroupTree, toTreeData } from './groupTree.ts';

type Dialog = { kind: 'create'; parentId: string | null } | { kind: 'edit' | 'delete'; group: Group } | null;

export function GroupsPage() {
  const { t } = useTranslation();
  const groups = useGroups();
  const sites = useSites();
  const [dialog, setDialog] = useState<Dialog>(null);
  const items = useMemo(() => groups.data?.items ?? [], [groups.data]);
  const data = useMemo(() => toTreeData(buildGroupTree(items)), [items]);
  const byId = useMemo(() => new Map(items.map((g) => [g.id, g])), [items]);
  const siteNames = useMemo(() => new Map((sites.data?.items ?? []).map((s) => [s.id, s.name])), [sites.data]);
  const tree = useTree();

  // Expand every group the first time it appears; later collapses are the user's choice.
  const [seen] = useState(() => new Set<string>());
  useEffect(() => {
    const fresh = items.filter((g) => !seen.has(g.id));
    if (fresh.length === 0) return;
    const next = { ...tree.expandedState };
    for (const g of fresh) {
      seen.add(g.id);
      next[g.id] = true;
    }
    tree.setExpandedState(next);
  }, [items, seen, tree]);

  const close = () => setDialog(null);

  return (
    <>
      <PageHeader
        title={t('groups.title')}
        description={t('groups.description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create', parentId: null })}>
            {t('groups.create')}
          </Button>
        }
      />
      <ErrorAlert error={groups.error} />
      <Paper withBorder radius="md" p="md">
        {!groups.isPending && data.length === 0 ? (
          <EmptyState title={t('groups.empty')} description={t('groups.emptyHint')} />
        ) : (
          <Tree
            data={data}
            tree={tree}
            expandOnClick={false}
            levelOffset="xl"
            withLines
            aria-label={t('groups.title')}
            renderNode={(payload) => {
              const group = byId.get(payload.node.value);
              if (!group) return null;
              return (
                <GroupTreeNode
                  payload={payload}
                  group={group}
                  siteName={group.siteId ? siteNames.get(group.siteId) : undefined}
                  onAddChild={() => setDialog({ kind: 'create', parentId: group.id })}
                  onEdit={() => setDialog({ kind: 'edit', group })}
                  onDelete={() => setDialog({ kind: 'delete', group })}
                />
              );
            }}
          />
        )}
      </Paper>
      {dialog?.kind === 'create' && <GroupFormModal group={null} parentId={dialog.parentId} onClose={close} />}
      {dialog?.kind === 'edit' && <GroupFormModal group={dialog.group} parentId={dialog.group.parentId} onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteGroupModal group={dialog.group} onClose={close} />}
    </>
  );
}
