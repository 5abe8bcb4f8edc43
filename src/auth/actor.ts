import type { Application, Initiator } from '../platform/audit/types.ts';
import { forbidden } from '../platform/errors.ts';
import { PERMISSION_IDS, type Permission } from './permissions.ts';

/** Which groups a user may see: everything in the tenant, or a group and everything below it. */
export type GroupScope = { all: true } | { all: false; groupIds: readonly string[] };

// The HTTP layer resolves each request's actor through the Authenticator that app.ts builds from this feature.
declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

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

/**
 * The scope rule every administrative change goes through: a change is refused when it affects a user or object outside
 * the actor's group scope. `groupIds` are the groups of everything the change reaches (the users holding an edited
 * role, the groups and users of a site, a moved group's new parent…); null stands for the whole organisation (a user
 * in no group sees every group; a tenant setting applies to everyone), which only an organisation-wide actor may affect.
 */
export function assertWithinScope(actor: Actor, groupIds: Iterable<string | null>, change: string): void {
  if (actor.scope.all) return;
  for (const g of groupIds) {
    if (!inScope(actor, g)) throw forbidden(`${change} would affect users or groups outside your scope; ask an administrator of the whole organisation`);
  }
}
