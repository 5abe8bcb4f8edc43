import { ActionIcon, Badge, Group as Row, Text, Tooltip, type RenderTreeNodePayload } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../../api/types.ts';
import { IconChevronDown, IconChevronRight, IconEdit, IconPlus, IconTrash } from '../../../components/icons.tsx';

interface Props {
  payload: RenderTreeNodePayload;
  group: Group;
  siteName: string | undefined;
  onAddChild: () => void;
  onEdit: () => void;
  onDelete: () => void;
}

export function GroupTreeNode({ payload, group, siteName, onAddChild, onEdit, onDelete }: Props) {
  const { t } = useTranslation();
  const { elementProps, hasChildren, expanded, tree } = payload;
  return (
    <Row {...elementProps} gap="xs" wrap="nowrap" py={6} pr="xs" data-testid={`group-${group.name}`}>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="sm"
        aria-label={expanded ? t('groups.collapse') : t('groups.expand')}
        onClick={() => tree.toggleExpanded(group.id)}
        style={{ visibility: hasChildren ? 'visible' : 'hidden' }}
      >
        {expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
      </ActionIcon>
      <Text size="sm" fw={500} style={{ flex: 1 }}>
        {group.name}
      </Text>
      {siteName && (
        <Badge variant="light" color="gray" size="sm" tt="none">
          {siteName}
        </Badge>
      )}
      <Tooltip label={t('groups.addChild')}>
        <ActionIcon variant="subtle" size="sm" onClick={onAddChild} aria-label={t('groups.addChildTo', { name: group.name })}>
          <IconPlus size={14} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t('common.edit')}>
        <ActionIcon variant="subtle" size="sm" onClick={onEdit} aria-label={t('groups.editNamed', { name: group.name })}>
          <IconEdit size={14} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t('common.delete')}>
        <ActionIcon variant="subtle" color="red" size="sm" onClick={onDelete} aria-label={t('groups.deleteNamed', { name: group.name })}>
          <IconTrash size={14} />
        </ActionIcon>
      </Tooltip>
    </Row>
  );
}
