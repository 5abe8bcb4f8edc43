// Every route declares who may call it; the app refuses to start with a route that does not.

/**
 * The permission ids a route may name. The auth feature declares them (declaration merging, as features do with
 * JobPayloads), so the platform names no feature and a misspelt permission is still a type error.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by src/auth/permissions.ts
export interface PermissionIds {}
export type Permission = keyof PermissionIds & string;

export type Access =
  | { public: true }
  | { authenticated: true }
  /** Any one of the listed permissions; `organisationWide`: and a caller whose scope is the whole organisation. */
  | { permission: Permission | Permission[]; organisationWide?: true };

export const PUBLIC: Access = { public: true };
export const AUTHENTICATED: Access = { authenticated: true };
export const needs = (...anyOf: Permission[]): Access => ({ permission: anyOf.length === 1 ? anyOf[0]! : anyOf });
/**
 * A permission over what belongs to the whole organisation and cannot be cut down to a group (the audit trail, the
 * jobs list): a group-scoped holder of the permission is refused rather than shown other groups' records.
 */
export const needsOrganisationWide = (...anyOf: Permission[]): Access => ({ permission: anyOf.length === 1 ? anyOf[0]! : anyOf, organisationWide: true });

export function requiredPermissions(access: Access): Permission[] {
  return 'permission' in access ? (Array.isArray(access.permission) ? access.permission : [access.permission]) : [];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
