// Import rules (issue 17), checked by `npm run lint:deps` and src/architecture.test.ts; docs/architecture.md explains
// the layers. In short: the platform imports no feature; config.ts / context.ts import only the platform; features
// import the platform and their declared neighbours, never the composition roots; the web imports server code only as
// types from the shared schema paths (and the one runtime module both sides share); nothing forms a cycle.
/* eslint-disable */
const FEATURES = [
  'auth',
  'conversations',
  'search',
  'media',
  'recorder',
  'speech',
  'analytics',
  'quality',
  'compliance',
  'reports',
  'notify',
  'settings',
  'demo',
];

/** Which other features each feature may import. A new edge is a design decision: add it here, in review. */
const NEIGHBOURS = {
  auth: ['settings'],
  // Redaction belongs to speech (it works on transcripts' PII spans), and every place that hands out text or audio
  // applies it: settings (PII types), search (indexes redacted transcripts), media (redacted audio), conversations
  // (chat and e-mail text).
  // settings → notify: the SMTP fields are checked and the password sealed where e-mail is sent from.
  settings: ['auth', 'notify', 'search', 'speech'],
  // conversations → quality: @mentions in comments are e-mailed through quality's notifyQuality (comment_mention).
  // conversations → compliance (issue 12): ingest applies the recording policies and keeps an anonymization marking
  // across a re-import.
  conversations: ['auth', 'compliance', 'media', 'quality', 'search', 'settings', 'speech'],
  search: ['auth', 'conversations', 'settings', 'speech'],
  media: ['auth', 'analytics', 'conversations', 'search', 'settings', 'speech'],
  // analytics → notify: subscriptions e-mail indicator alerts and digests; → auth, conversations: reports and
  // subscriptions count only the conversations a user may see.
  // analytics → search: indicators and topics read text with the tenant's search analyzer (src/search/analyzer), so a
  // keyword means what a search for it means.
  // analytics → speech: insights read the current transcript's redacted utterances and redact chat/e-mail text with
  // speech's PII detection, so what they quote never holds PII.
  analytics: ['auth', 'conversations', 'media', 'notify', 'search', 'settings', 'speech'],
  // notify → quality: the notification preferences page lists quality's events (src/quality/notification-emails.ts).
  notify: ['auth', 'quality', 'settings'],
  speech: ['auth', 'conversations', 'media', 'search', 'settings'],
  // quality (issue 11): reviews read conversations in the reviewer's scope (auth, conversations), e-mail through
  // notify; automated scoring reads transcripts, insights and media analysis (speech, analytics, media) with the
  // search analyzer (search); tenant settings (settings).
  quality: ['analytics', 'auth', 'conversations', 'media', 'notify', 'search', 'settings', 'speech'],
  // compliance (issue 12): anonymization, retention, holds, deletion, archiving and vCon export work on everything a
  // conversation carries (conversations, media, transcripts, insights, evaluations, the search index) in the actor's
  // scope, with tenant settings, e-mail to admins (notify).
  compliance: ['analytics', 'auth', 'conversations', 'media', 'notify', 'quality', 'search', 'settings', 'speech'],
  // recorder (issue 13): a finished call becomes a conversation through ingest (conversations, media); recording
  // policies come from compliance; assurance e-mails through notify; tenant settings and group scope (auth, settings).
  recorder: ['auth', 'compliance', 'conversations', 'media', 'notify', 'search', 'settings'],
  // reports (issue 14): the dashboard and call reports count conversations in the user's scope (auth, conversations,
  // settings for the time zone), show live calls (recorder), sentiment and scores (analytics, quality), tags (search),
  // and e-mail scheduled reports (notify). Features that change conversations refresh the daily counts through a job
  // queued by name, not an import (conversations → compliance → … would otherwise reach reports and back).
  reports: ['analytics', 'auth', 'conversations', 'notify', 'quality', 'recorder', 'search', 'settings'],
  // The demo seeds every feature's data.
  demo: FEATURES,
};

/** Server modules the web may import types from (the API's TypeBox schemas and what they are built from). */
const WEB_SHARED_TYPES = [
  '^src/[a-z/-]*/schemas\\.ts$',
  '^src/search/filter\\.ts$',
  '^src/search/filters/(custom-data|loose-input|periods)\\.ts$',
  '^src/settings/service\\.ts$',
  '^src/media/peaks-format\\.ts$',
  '^src/search/analyzer/stopwords/(en|fr)\\.ts$',
  '^src/quality/(model|scoring|scorecards/definition)\\.ts$',
];
/** Server modules the web may import at run time: no Node APIs, shared byte formats only (and the stop word lists
 * the search box's help shows, plain strings). */
// The quality model, its scorer and the scorecard definition checks are pure (no I/O): the evaluation form's score so
// far, the builder's maximum and its problems are computed by the very code the server uses.
const WEB_SHARED_RUNTIME = [
  '^src/media/peaks-format\\.ts$',
  '^src/search/analyzer/stopwords/(en|fr)\\.ts$',
  '^src/quality/(model|scoring|scorecards/definition)\\.ts$',
];

const KERNEL = '^src/(platform/|(config|context|blob-references)\\.ts$)';
const ROOTS = '^src/(main|app|jobs|features|roles)\\.ts$';
const feature = (f) => `^src/${f}/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles; type-only imports count (they couple modules all the same).',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-feature',
      severity: 'error',
      comment: 'src/platform imports only itself, config.ts and (for types) context.ts.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: KERNEL },
    },
    {
      name: 'kernel-imports-only-platform',
      severity: 'error',
      comment: 'config.ts and context.ts are built from platform parts; features reach them through src/features.ts.',
      from: { path: '^src/(config|context|blob-references)\\.ts$' },
      to: { path: '^src/', pathNot: KERNEL },
    },
    {
      name: 'migrations-import-no-live-code',
      severity: 'error',
      comment: 'A migration must not change when live code does: it may use the dialect adapter, the schema types and ids.',
      from: { path: '^src/platform/db/migrations/' },
      to: { path: '^src/', pathNot: '^src/platform/(db/(adapter|schema)|ids)\\.ts$' },
    },
    {
      name: 'features-import-no-composition-root',
      severity: 'error',
      comment: 'main/app/jobs/features/roles collect the features; a feature importing them closes a cycle.',
      from: { path: `^src/(${FEATURES.join('|')})/` },
      to: { path: ROOTS },
    },
    ...FEATURES.map((f) => ({
      name: 'feature-imports-declared-neighbours',
      severity: 'error',
      comment: `${f} may import the platform, itself and: ${(NEIGHBOURS[f] ?? []).join(', ') || 'nothing else'} (NEIGHBOURS in .dependency-cruiser.cjs).`,
      from: { path: feature(f) },
      to: { path: `^src/(${FEATURES.join('|')})/`, pathNot: [feature(f), ...(NEIGHBOURS[f] ?? []).map(feature)] },
    })),
    {
      name: 'server-imports-no-web',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'web-imports-server-types-from-shared-paths',
      severity: 'error',
      comment: 'The web takes API shapes from the server schemas (type-only); other server modules stay on the server.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: WEB_SHARED_TYPES },
    },
    {
      name: 'web-imports-server-code-only-if-shared',
      severity: 'error',
      comment: 'A run-time import would bundle server code into the browser; only the shared formats may be.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: WEB_SHARED_RUNTIME, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|\\.test\\.tsx?$|(^|/)test-fixtures\\.ts$|\\.script\\.ts$|\\.tmp\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
