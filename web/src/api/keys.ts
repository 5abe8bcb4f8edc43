// Every TanStack Query key in one place, so mutations invalidate exactly what they change.
import type { AuditFilters, ConversationListQuery } from './types.ts';

export const keys = {
  config: ['config'] as const,
  me: ['me'] as const,
  tokens: ['me', 'tokens'] as const,
  permissions: ['permissions'] as const,
  roles: ['roles'] as const,
  users: ['users'] as const,
  userList: (q: string, limit: number, offset: number) => ['users', 'list', { q, limit, offset }] as const,
  groups: ['groups'] as const,
  sites: ['sites'] as const,
  settings: ['settings'] as const,
  audit: ['audit'] as const,
  auditList: (f: AuditFilters) => ['audit', 'list', f] as const,
  jobs: (status: string, type: string) => ['jobs', { status, type }] as const,
  conversations: ['conversations'] as const,
  conversationList: (q: ConversationListQuery) => ['conversations', 'list', q] as const,
  conversation: (id: string) => ['conversations', 'detail', id] as const,
  conversationAudit: (id: string) => ['conversations', 'audit', id] as const,
  media: (id: string) => ['media', id] as const,
  conversationHighlights: (id: string, q: string) => ['conversations', 'highlights', id, q] as const,
  searchOptions: ['search', 'options'] as const,
  searchAgents: (q: string) => ['search', 'agents', q] as const,
  savedSearches: ['savedSearches'] as const,
  tagDefinitions: ['tags'] as const,
  customFieldDefinitions: ['customFields'] as const,
};
