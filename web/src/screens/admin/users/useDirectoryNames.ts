import { useMemo } from 'react';
import { useGroups, useSites } from '../../../api/directory.ts';

/** id → name lookups for groups and sites, for showing names in tables. */
export function useDirectoryNames() {
  const groups = useGroups();
  const sites = useSites();
  return useMemo(
    () => ({
      group: new Map((groups.data?.items ?? []).map((g) => [g.id, g.name])),
      site: new Map((sites.data?.items ?? []).map((s) => [s.id, s.name])),
    }),
    [groups.data, sites.data],
  );
}
