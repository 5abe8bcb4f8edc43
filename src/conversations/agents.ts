// Agents are matched to users by extension, email address or external id; an unknown agent stays a bare participant.
import type { Executor } from '../platform/db/index.ts';

export interface AgentIdentity {
  extension?: string | null;
  email?: string | null;
  externalId?: string | null;
}

export interface ResolvedUser {
  id: string;
  name: string;
  groupId: string | null;
  siteId: string | null;
}

export async function resolveAgent(db: Executor, tenantId: string, who: AgentIdentity): Promise<ResolvedUser | null> {
  const q = db.selectFrom('users').select(['id', 'name', 'group_id', 'site_id']).where('tenant_id', '=', tenantId).where('disabled', '=', 0);
  const tries: Array<[string, string | null | undefined]> = [
    ['external_id', who.externalId],
    ['extension', who.extension],
    ['email', who.email?.toLowerCase()],
  ];
  for (const [column, value] of tries) {
    if (!value) continue;
    const rows = await q
      .where(column as 'email', '=', value)
      .limit(2)
      .execute();
    // Two users sharing an extension is ambiguous: better no link than a wrong one.
    if (rows.length === 1) return { id: rows[0]!.id, name: rows[0]!.name, groupId: rows[0]!.group_id, siteId: rows[0]!.site_id };
  }
  return null;
}
