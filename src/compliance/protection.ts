// Which conversations may not be anonymized or deleted, and why: reviewed ones, those under an active legal hold (an
// explicit list, or a rule whose filter matches them now), those a protected saved search finds now (the data life
// cycle setting of src/search/saved), and those carrying a protection tag. Anonymization, manual deletion and the
// retention purge all ask here, so the three can never disagree.
import type { Db, Executor } from '../platform/db/index.ts';
import { adapterOf } from '../platform/db/adapter.ts';
import * as repo from './holds/repository.ts';
import { ruleMatches } from './holds/rule.ts';
import { listProtectedSearches } from '../search/saved/service.ts';

export type Protection =
  | { kind: 'reviewed' }
  | { kind: 'legal_hold'; holdId: string; name: string }
  | { kind: 'tag'; tagId: string; name: string }
  | { kind: 'protected_search'; searchId: string; name: string };

const BATCH = 500;

/**
 * The protections of each conversation among `conversationIds` (of this tenant); an id absent from the map is not
 * protected. A rule hold whose filter cannot be evaluated throws rather than leaving its conversations unprotected.
 */
export async function protectionOf(db: Db | Executor, tenantId: string, conversationIds: string[]): Promise<Map<string, Protection[]>> {
  const out = new Map<string, Protection[]>();
  const add = (id: string, p: Protection) => {
    const list = out.get(id);
    if (list) list.push(p);
    else out.set(id, [p]);
  };
  const ids = [...new Set(conversationIds)];
  if (!ids.length) return out;
  const adapter = adapterOf(db);
  const [rules, searches] = await Promise.all([repo.activeRuleHolds(db, tenantId), listProtectedSearches({ db: db as Db, adapter }, tenantId)]);
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const [reviewed, holds, tags] = await Promise.all([
      repo.reviewedAmong(db, tenantId, chunk),
      repo.activeListHoldsAmong(db, tenantId, chunk),
      repo.protectionTagsAmong(db, tenantId, chunk),
    ]);
    for (const r of reviewed) add(r.id, { kind: 'reviewed' });
    for (const h of holds) add(h.conversation_id, { kind: 'legal_hold', holdId: h.hold_id, name: h.name });
    for (const rule of rules) {
      for (const id of await ruleMatches(db, adapter, tenantId, rule.filter, { ids: chunk })) add(id, { kind: 'legal_hold', holdId: rule.id, name: rule.name });
    }
    for (const search of searches) {
      for (const id of await ruleMatches(db, adapter, tenantId, search.filter, { ids: chunk }))
        add(id, { kind: 'protected_search', searchId: search.id, name: search.name });
    }
    for (const t of tags) add(t.conversation_id, { kind: 'tag', tagId: t.tag_id, name: t.name });
  }
  return out;
}

/** "reviewed", "legal hold Acme v. Smith", "tag MiFID II": for messages and audit details. */
export function describeProtection(p: Protection): string {
  if (p.kind === 'reviewed') return 'reviewed';
  if (p.kind === 'legal_hold') return `legal hold ${p.name}`;
  if (p.kind === 'protected_search') return `protected search ${p.name}`;
  return `protection tag ${p.name}`;
}
