// The roles screen names every permission in the UI's language (issue 16 item 13): the server's catalogue is English,
// so each permission and category needs its words in every catalogue.
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/auth/permissions.ts';
import en from './en.json' with { type: 'json' };
import { CATALOGUES, permissionKey } from './index.ts';

describe('permission names', () => {
  it('has a label and a description for every permission, and every category, in each of the seven languages', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES) as Array<[string, Record<string, unknown>]>) {
      const names = (catalogue.permissionNames ?? {}) as Record<string, { label: string; description: string }>;
      const categories = (catalogue.permissionCategories ?? {}) as Record<string, string>;
      expect(
        PERMISSIONS.filter((p) => !names[permissionKey(p.id)]?.label || !names[permissionKey(p.id)]?.description).map((p) => p.id),
        lang,
      ).toEqual([]);
      expect(
        [...new Set(PERMISSIONS.map((p) => p.category))].filter((c) => !categories[c]),
        lang,
      ).toEqual([]);
    }
  });

  it('keeps the English words the server uses', () => {
    const names = en.permissionNames as Record<string, { label: string; description: string }>;
    for (const p of PERMISSIONS) expect(names[permissionKey(p.id)]).toEqual({ label: p.label, description: p.description });
  });
});
