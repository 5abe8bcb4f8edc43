import type { Application, Initiator } from '../platform/audit/types.ts';
import { forbidden } from '../platform/errors.ts';
import { PERMISSION_IDS, type Permission } from './permissions.ts';

/** Which groups a user may see: everything in the tenant, or a group and everything below it. */
export type GroupScope = { all: true } | { all: false; groupIds: readonly string[] };

/** The caller of a service: a plain value, never the HTTP request. */
export interface Actor {
  tenantId: string;
  userId: string;
  name: string;
  email: string;
  permissions: ReadonlySet<Permission>;
  scope: GroupScope;
  ip: string | null;
  application: Application;
  sessionId?: string;
  tokenId?: string;
}

export const initiatorOf = (a: Actor): Initiator => ({ userId: a.userId || null, name: a.name, ip: a.ip, application: a.application });

/** The actor of the CLI, the demo seed and importers: acts for one tenant with every permission, as no user. */
export function systemActor(tenantId: string, name = 'earshot CLI', application: Application = 'cli'): Actor {
  return { tenantId, userId: '', name, email: '', permissions: new Set(PERMISSION_IDS), scope: { all: true }, ip: null, application };
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

export function requirePermission(actor: Actor, ...anyOf: Permission[]): void {
  if (!anyOf.some((p) => actor.permissions.has(p))) {
    throw forbidden(`This needs the permission "${anyOf.join('" or "')}"`);
  }
}

export function inScope(actor: Actor, groupId: string | null): boolean {
  if (actor.scope.all) return true;
  return groupId !== null && actor.scope.groupIds.includes(groupId);
}
