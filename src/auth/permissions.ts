// The permission catalogue and the built-in roles. Routes declare one of these ids; custom roles pick from them.
export const PERMISSIONS = [
  // Conversations
  { id: 'conversations.view', category: 'Conversations', label: 'View conversations', description: "Find and open conversations in the caller's group scope." },
  {
    id: 'conversations.view_own',
    category: 'Conversations',
    label: 'View own conversations',
    description: 'Find and open only conversations the user took part in.',
  },
  { id: 'media.play_redacted', category: 'Conversations', label: 'Play media (redacted)', description: 'Play recordings with anonymized parts silenced.' },
  {
    id: 'media.play_unredacted',
    category: 'Conversations',
    label: 'Play media (unredacted)',
    description: 'Play recordings as captured, including parts marked for anonymization.',
  },
  { id: 'media.download', category: 'Conversations', label: 'Download media', description: 'Download recordings as files.' },
  {
    id: 'media.reprocess',
    category: 'Conversations',
    label: 'Reprocess media',
    description: 'Run the media analysis again (waveforms, voice activity, speech events) for conversations.',
  },
  { id: 'conversations.export', category: 'Conversations', label: 'Export conversations', description: 'Export conversations with their metadata and media.' },
  { id: 'conversations.delete', category: 'Conversations', label: 'Delete conversations', description: 'Delete conversations and their media.' },
  { id: 'conversations.anonymize', category: 'Conversations', label: 'Anonymize conversations', description: 'Remove personal data from conversations.' },
  {
    id: 'conversations.edit_custom_fields',
    category: 'Conversations',
    label: 'Edit custom field values',
    description: 'Change custom field values on conversations.',
  },
  { id: 'comments.write', category: 'Conversations', label: 'Write comments', description: 'Add comments and notes to conversations.' },
  { id: 'tags.apply', category: 'Conversations', label: 'Apply tags', description: 'Add, edit and remove tags on conversations.' },
  { id: 'tags.manage', category: 'Conversations', label: 'Manage tags', description: 'Create, edit and delete tag definitions.' },
  // Quality
  { id: 'quality.plan', category: 'Quality', label: 'Plan reviews', description: 'Assign reviews to evaluators with a due date.' },
  { id: 'quality.review', category: 'Quality', label: 'Review', description: 'Evaluate conversations with a scorecard.' },
  { id: 'quality.review_self', category: 'Quality', label: 'Review myself', description: "Evaluate one's own conversations." },
  { id: 'quality.respond', category: 'Quality', label: 'Acknowledge and dispute', description: "Read one's own evaluations, acknowledge or dispute them." },
  { id: 'quality.calibrate', category: 'Quality', label: 'Run calibrations', description: 'Create and manage calibration sessions.' },
  { id: 'scorecards.manage', category: 'Quality', label: 'Manage scorecards', description: 'Create and version scorecards.' },
  {
    id: 'quality.view_others',
    category: 'Quality',
    label: 'View evaluations of others',
    description: "See evaluations written by other evaluators, within the user's group scope.",
  },
  { id: 'moments.manage', category: 'Quality', label: 'Manage moments', description: 'Save parts of a recording as named clips and share them internally.' },
  {
    id: 'moments.share_external',
    category: 'Quality',
    label: 'Share moments externally',
    description: 'Create expiring links that play one clip to people without an account.',
  },
  // Live
  { id: 'live.monitor', category: 'Live', label: 'Monitor live', description: 'See active calls and chats and listen in.' },
  { id: 'recording.control', category: 'Live', label: 'Control recording', description: 'Start, stop, pause and resume recording.' },
  {
    id: 'recorder.manage',
    category: 'Live',
    label: 'Manage the recorder',
    description: 'Configure SIPREC sources and party rules; see recording health.',
  },
  // Reports
  { id: 'reports.view', category: 'Reports', label: 'View reports', description: 'See dashboards and reports.' },
  // Analytics
  {
    id: 'insights.manage',
    category: 'Analytics',
    label: 'Manage indicators and topics',
    description: 'Define indicator categories, indicators and their keywords, and custom topics; re-analyse history after a change.',
  },
  // Compliance
  {
    id: 'lifecycle.manage',
    category: 'Compliance',
    label: 'Manage data life cycle',
    description: 'Compliance setup (what anonymization removes), retention policies, protected searches and recording policies.',
  },
  {
    id: 'legal_holds.manage',
    category: 'Compliance',
    label: 'Manage legal holds',
    description: 'Place conversations under legal hold (by search or list) and release holds.',
  },
  { id: 'archive.manage', category: 'Compliance', label: 'Manage archiving', description: 'Configure archive targets and see archive transfers.' },
  { id: 'audit.view', category: 'Compliance', label: 'View audit trail', description: 'Search the audit trail and verify its chain.' },
  // Administration
  { id: 'users.manage', category: 'Administration', label: 'Manage users', description: 'Create, edit, unlock and delete users.' },
  { id: 'roles.manage', category: 'Administration', label: 'Manage roles', description: 'Create and edit custom roles.' },
  { id: 'groups.manage', category: 'Administration', label: 'Manage groups and sites', description: 'Edit the group hierarchy and sites.' },
  { id: 'settings.manage', category: 'Administration', label: 'Manage settings', description: 'Change tenant settings.' },
  { id: 'jobs.view', category: 'Administration', label: 'View jobs', description: 'See background jobs and their progress.' },
  { id: 'customfields.manage', category: 'Administration', label: 'Manage custom fields', description: 'Define the custom fields conversations carry.' },
  // Integration
  {
    id: 'ingest.write',
    category: 'Integration',
    label: 'Ingest conversations',
    description: 'Send calls, chats, emails and screen recordings through the ingest API.',
  },
] as const;

export type Permission = (typeof PERMISSIONS)[number]['id'];

// The route access declarations (platform/http/access.ts) take their permission ids from this catalogue.
declare module '../platform/http/access.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so that it merges
  interface PermissionIds extends Record<(typeof PERMISSIONS)[number]['id'], true> {}
}
export const PERMISSION_IDS: readonly Permission[] = PERMISSIONS.map((p) => p.id);
export const isPermission = (s: string): s is Permission => (PERMISSION_IDS as readonly string[]).includes(s);

export type BuiltinRoleKey = 'admin' | 'cc_manager' | 'evaluator' | 'agent' | 'compliance_analyst';

export const BUILTIN_ROLES: Record<BuiltinRoleKey, { name: string; description: string; permissions: readonly Permission[] }> = {
  admin: { name: 'Admin', description: 'Everything, including users, roles and settings.', permissions: PERMISSION_IDS },
  cc_manager: {
    name: 'CC Manager',
    description: 'Supervisor: reviews, plans reviews, monitors live calls, sees reports.',
    permissions: [
      'conversations.view',
      'media.play_redacted',
      'media.play_unredacted',
      'media.download',
      'media.reprocess',
      'conversations.export',
      'conversations.anonymize',
      'conversations.edit_custom_fields',
      'comments.write',
      'tags.apply',
      'tags.manage',
      'quality.plan',
      'quality.review',
      'quality.calibrate',
      'quality.view_others',
      'scorecards.manage',
      'moments.manage',
      'moments.share_external',
      'live.monitor',
      'recording.control',
      'reports.view',
      'insights.manage',
      'jobs.view',
    ],
  },
  evaluator: {
    name: 'Evaluator',
    description: 'Reviews conversations with scorecards.',
    permissions: [
      'conversations.view',
      'media.play_redacted',
      'comments.write',
      'tags.apply',
      'quality.review',
      'quality.calibrate',
      'moments.manage',
      'reports.view',
    ],
  },
  agent: {
    name: 'Agent',
    description: 'Sees own conversations and evaluations; acknowledges or disputes them.',
    permissions: ['conversations.view_own', 'media.play_redacted', 'comments.write', 'quality.review_self', 'quality.respond'],
  },
  compliance_analyst: {
    name: 'Compliance Analyst',
    description: 'Exports, anonymizes, deletes, manages retention and legal holds, reads the audit trail.',
    permissions: [
      'conversations.view',
      'media.play_redacted',
      'media.play_unredacted',
      'media.download',
      'conversations.export',
      'conversations.delete',
      'conversations.anonymize',
      'lifecycle.manage',
      'legal_holds.manage',
      'archive.manage',
      'audit.view',
      'jobs.view',
    ],
  },
};
