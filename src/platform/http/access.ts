// Every route declares who may call it; the app refuses to start with a route that does not.
import type { Actor } from '../../auth/actor.ts';
import type { Permission } from '../../auth/permissions.ts';

export type Access =
  | { public: true }
  | { authenticated: true }
  /** Any one of the listed permissions. */
  | { permission: Permission | Permission[] };

export const PUBLIC: Access = { public: true };
export const AUTHENTICATED: Access = { authenticated: true };
export const needs = (...anyOf: Permission[]): Access => ({ permission: anyOf.length === 1 ? anyOf[0]! : anyOf });

export function requiredPermissions(access: Access): Permission[] {
  return 'permission' in access ? (Array.isArray(access.permission) ? access.permission : [access.permission]) : [];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}
