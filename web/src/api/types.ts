// Shapes of the API's JSON, as documented in the API contract.

export interface PublicConfig {
  demo: boolean;
  languages: string[];
  version: string;
}

export interface RoleRef {
  id: string;
  name: string;
}

export interface Me {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  name: string;
  language: string;
  permissions: string[];
  roles: RoleRef[];
  groupId: string | null;
  siteId: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface PermissionInfo {
  id: string;
  category: string;
  label: string;
  description: string;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  builtinKey: string | null;
  permissions: string[];
  userCount: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: RoleRef[];
  groupId: string | null;
  siteId: string | null;
  extension: string | null;
  externalId: string | null;
  language: string;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserInput {
  email: string;
  name: string;
  roleIds: string[];
  groupId?: string | null;
  siteId?: string | null;
  extension?: string | null;
  externalId?: string | null;
  language?: string;
  disabled?: boolean;
}

export interface Group {
  id: string;
  name: string;
  parentId: string | null;
  siteId: string | null;
}

export interface Site {
  id: string;
  name: string;
  timeZone: string;
}

export interface Settings {
  name: string;
  language: string;
  sessionTimeoutHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  passwordMinLength: number;
  [extra: string]: unknown;
}

export interface AuditChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface AuditEvent {
  id: string;
  seq: number;
  at: string;
  initiatorId: string | null;
  initiatorName: string | null;
  clientIp: string | null;
  application: string | null;
  resourceType: string;
  resourceId: string | null;
  action: string;
  details: unknown;
  changes: AuditChange[] | null;
}

export interface AuditFilters {
  from?: string;
  to?: string;
  initiator?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  q?: string;
}

export interface AuditVerify {
  intact: boolean;
  checked: number;
  firstBroken: { id: string; seq: number; reason: string } | null;
}

export interface Job {
  id: string;
  type: string;
  status: string;
  progress: number;
  progressNote: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Items<T> {
  items: T[];
}

export interface Page<T> {
  total: number;
  items: T[];
}
