import type { GroupScope } from './actor.ts';

/** A group and every group below it. */
export function subtree(groups: ReadonlyArray<{ id: string; parent_id: string | null }>, rootId: string): string[] {
  const children = new Map<string | null, string[]>();
  for (const g of groups) {
    const list = children.get(g.parent_id) ?? [];
    list.push(g.id);
    children.set(g.parent_id, list);
  }
  const out: string[] = [];
  const stack = [rootId];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

export function scopeFor(groupId: string | null, groups: ReadonlyArray<{ id: string; parent_id: string | null }>): GroupScope {
  return groupId === null ? { all: true } : { all: false, groupIds: subtree(groups, groupId) };
}
