import type { Application, Initiator } from '../platform/audit/types.ts';
import { forbidden } from '../platform/errors.ts';
import type { Permission } from './permissions.ts';

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

export const initiatorOf = (a: Actor): Initiator => ({ userId: a.userId, name: a.name, ip: a.ip, application: a.application });

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
