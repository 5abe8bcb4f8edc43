// The group hierarchy as a tree, flattened options for pickers, and the subtree of a group (which cannot become
// its own parent).
import type { TreeNodeData } from '@mantine/core';
import type { Group } from '../../../api/types.ts';

export interface GroupNode {
  group: Group;
  depth: number;
  children: GroupNode[];
}

export function buildGroupTree(groups: Group[]): GroupNode[] {
  const byParent = new Map<string | null, Group[]>();
  const ids = new Set(groups.map((g) => g.id));
  for (const g of groups) {
    const parent = g.parentId && ids.has(g.parentId) ? g.parentId : null;
    const list = byParent.get(parent) ?? [];
    list.push(g);
    byParent.set(parent, list);
  }
  const seen = new Set<string>();
  const build = (parent: string | null, depth: number): GroupNode[] =>
    (byParent.get(parent) ?? [])
      .filter((g) => !seen.has(g.id) && seen.add(g.id))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => ({ group: g, depth, children: build(g.id, depth + 1) }));
  return build(null, 0);
}

export function flatten(nodes: GroupNode[]): GroupNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** Options for a Select, indented by depth; `exclude` (and its subtree) left out. */
export function groupOptions(groups: Group[], exclude?: string): { value: string; label: string }[] {
  const skip = exclude ? subtreeIds(groups, exclude) : new Set<string>();
  return flatten(buildGroupTree(groups))
    .filter((n) => !skip.has(n.group.id))
    .map((n) => ({ value: n.group.id, label: `${'\u00a0\u00a0\u00a0'.repeat(n.depth)}${n.group.name}` }));
}

export function subtreeIds(groups: Group[], rootId: string): Set<string> {
  const out = new Set<string>([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of groups) {
      if (g.parentId && out.has(g.parentId) && !out.has(g.id)) {
        out.add(g.id);
        grew = true;
      }
    }
  }
  return out;
}

export function toTreeData(nodes: GroupNode[]): TreeNodeData[] {
  return nodes.map((n) => ({ value: n.group.id, label: n.group.name, children: toTreeData(n.children) }));
}
