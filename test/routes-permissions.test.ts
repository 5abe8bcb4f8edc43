// The generated access test: every route the app registers is called anonymously, by a user holding every permission
// except the one(s) it needs, and by a user holding exactly what it needs. A new route is covered the day it is added.
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { PERMISSION_IDS, type Permission } from '../src/auth/permissions.ts';
import { AUTHENTICATED, requiredPermissions } from '../src/platform/http/access.ts';
import { installAuth, type RouteInfo } from '../src/platform/http/auth.ts';
import { authenticator } from '../src/auth/authenticator.ts';
import { installErrorHandling } from '../src/platform/http/errors.ts';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/platform/ids.ts';
import { ENGINES, type Engine } from './db.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { login, makeGroup, makeTenant, makeUser } from './helpers/factories.ts';
import { makeScopedWorld } from './helpers/scope.ts';
import { actorOfUser, makeChat } from './helpers/conversations.ts';
import { systemActor, type Actor } from '../src/auth/actor.ts';
import { applyTag, createTag } from '../src/conversations/tags/service.ts';
import { createPolicy as createRecordingPolicy, listPolicies as listRecordingPolicies } from '../src/compliance/recording-policies/service.ts';
import { insertExport as insertVconExport } from '../src/compliance/vcon/repository.ts';
import { createSpeechTag } from '../src/speech/tags/service.ts';
import { saveTarget as saveArchiveTarget } from '../src/compliance/archive/service.ts';
import { createField } from '../src/conversations/custom-fields/service.ts';
import { createEndpoint as createWebhook, sendTest as sendWebhookTest } from '../src/notify/webhooks/service.ts';
import { createProvider as createSsoProvider, rotateScimToken } from '../src/auth/sso/admin-service.ts';
import { createSavedSearch, deleteSavedSearch, setSavedSearchProtected } from '../src/search/saved/service.ts';
import { reprocessConversations } from '../src/media/pipeline/reprocess.ts';
import { buildEml } from '../src/conversations/email/fixtures.ts';
import { encodeWav, synthSpeechLike } from '../src/media/wav-write.ts';
import { multipart } from './helpers/multipart.ts';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createPartyRule, createSource } from '../src/recorder/sources/service.ts';
import { createMode } from '../src/recorder/control/service.ts';

/** Builds the app as production does, with a web build present so the static '/*' route is registered too. */
async function startApp(engine: Engine): Promise<TestContext & BuiltApp> {
  // Every positive control logs in afresh: keep the login rate limit out of the way (it has its own test).
  const ctx = await createTestContext(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
  const webDir = path.join(ctx.dataDir, 'web');
  fs.mkdirSync(webDir, { recursive: true });
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Earshot</title>');
  const built = await buildApp(ctx, { webDir });
  return {
    ...ctx,
    ...built,
    async cleanup() {
      await built.app.close();
      await ctx.cleanup();
    },
  };
}

// The route list is needed when the tests are collected, before any beforeAll runs: build the app once to read it.
const catalog: RouteInfo[] = await (async () => {
  const probe = await startApp('sqlite');
  try {
    return [...probe.routes];
  } finally {
    await probe.cleanup();
  }
})();

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const isPublic = (r: RouteInfo) => 'public' in r.access;
const guarded = catalog.filter((r) => !isPublic(r));
const withPermission = guarded.filter((r) => requiredPermissions(r.access).length > 0);

/**
 * What the scope rule governs: administration (users, roles, groups, sites, tenant settings), tenant-wide definitions
 * (tags, custom fields), data life cycle (saved-search protection), media reprocessing, and the changes a group-scoped
 * user makes on conversations (tags, segment metadata, custom field values), which must stay inside the scope.
 */
const SCOPED_PERMISSIONS: Permission[] = [
  'users.manage',
  'roles.manage',
  'groups.manage',
  'settings.manage',
  'tags.manage',
  'customfields.manage',
  'lifecycle.manage',
  'media.reprocess',
  'tags.apply',
  'conversations.edit_custom_fields',
  'ingest.write',
  'archive.manage',
  'recorder.manage',
];
/** Routes any viewer calls on their own saved searches, which lifecycle.manage extends to other users' protected ones. */
const ALSO_SCOPED = ['PATCH /api/saved-searches/:id', 'DELETE /api/saved-searches/:id', 'POST /api/saved-searches/:id/restore'];
const adminMutations = catalog.filter(
  (r) => r.method !== 'GET' && (requiredPermissions(r.access).some((p) => SCOPED_PERMISSIONS.includes(p)) || ALSO_SCOPED.includes(key(r))),
);

type Req = { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: object | Buffer; headers?: Record<string, string> };
/**
 * Per administrative mutation: requests a group-scoped administrator (every permission, scope = group A) makes on
 * objects outside A, with the refusal expected, and one in-scope request that must succeed (so the refusal is the
 * scope's, not a bad request's). 403 when the object is visible but the change reaches outside; 404 when the object
 * itself is out of scope (users and groups outside the scope look absent, so a scoped admin cannot probe them).
 * `none` names why a route cannot reach outside the scope. `insideBy: 'org'` marks a tenant-wide object (settings, tag and
 * custom field definitions, protection), which has no in-scope equivalent: the organisation-wide administrator makes the
 * control request.
 */
type ScopeCase = { outside: Array<[Req, 403 | 404]>; inside: Req; insideBy?: 'org' } | { none: string; inside: Req };
const SCOPE_CASES: Record<string, (w: World) => ScopeCase | Promise<ScopeCase>> = {
  'POST /api/users': (w) => ({
    outside: [
      [
        {
          method: 'POST',
          url: '/api/users',
          payload: { email: `o-${newId().slice(-8)}@example.test`, name: 'Out', password: 'Long-Enough-Pass-1', roleIds: [], groupId: w.B },
        },
        403,
      ],
      [
        {
          method: 'POST',
          url: '/api/users',
          payload: { email: `t-${newId().slice(-8)}@example.test`, name: 'Top', password: 'Long-Enough-Pass-1', roleIds: [] },
        },
        403,
      ],
    ],
    inside: {
      method: 'POST',
      url: '/api/users',
      payload: { email: `i-${newId().slice(-8)}@example.test`, name: 'In', password: 'Long-Enough-Pass-1', roleIds: [], groupId: w.A1 },
    },
  }),
  'PATCH /api/users/:id': (w) => ({
    outside: [
      [{ method: 'PATCH', url: `/api/users/${w.uB.id}`, payload: { name: 'X' } }, 404],
      [{ method: 'PATCH', url: `/api/users/${w.uA.id}`, payload: { groupId: w.B } }, 403],
    ],
    inside: { method: 'PATCH', url: `/api/users/${w.uA.id}`, payload: { name: 'Renamed inside' } },
  }),
  'DELETE /api/users/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/users/${w.uB.id}` }, 404]],
    inside: { method: 'DELETE', url: `/api/users/${(await makeUser(t_ctx(), w.admin.tenantId, { groupId: w.A1 })).id}` },
  }),
  'POST /api/users/:id/unlock': (w) => ({
    outside: [[{ method: 'POST', url: `/api/users/${w.uB.id}/unlock` }, 404]],
    inside: { method: 'POST', url: `/api/users/${w.uA.id}/unlock` },
  }),
  'POST /api/users/:id/password': (w) => ({
    outside: [[{ method: 'POST', url: `/api/users/${w.uB.id}/password`, payload: { newPassword: 'Taken-Over-Pass-1' } }, 404]],
    inside: { method: 'POST', url: `/api/users/${w.uA.id}/password`, payload: { newPassword: 'Reset-Inside-Pass-1' } },
  }),
  'POST /api/roles': () => ({
    none: 'a new role is held by no one',
    inside: { method: 'POST', url: '/api/roles', payload: { name: `New ${newId().slice(-6)}`, permissions: ['reports.view'] } },
  }),
  'PATCH /api/roles/:id': (w) => ({
    // The attack: a scoped role manager widened a role held outside the group.
    outside: [
      [{ method: 'PATCH', url: `/api/roles/${w.roleOut}`, payload: { permissions: ['reports.view', 'users.manage', 'roles.manage', 'media.download'] } }, 403],
    ],
    inside: { method: 'PATCH', url: `/api/roles/${w.roleIn}`, payload: { permissions: ['reports.view', 'jobs.view'] } },
  }),
  'DELETE /api/roles/:id': (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/roles/${w.roleOut}` }, 403]],
    inside: { method: 'DELETE', url: `/api/roles/${w.roleFree}` },
  }),
  'POST /api/groups': (w) => ({
    outside: [
      [{ method: 'POST', url: '/api/groups', payload: { name: 'Below B', parentId: w.B } }, 403],
      [{ method: 'POST', url: '/api/groups', payload: { name: 'Top level' } }, 403],
    ],
    inside: { method: 'POST', url: '/api/groups', payload: { name: `Below A ${newId().slice(-6)}`, parentId: w.A } },
  }),
  'PATCH /api/groups/:id': (w) => ({
    outside: [
      [{ method: 'PATCH', url: `/api/groups/${w.B}`, payload: { name: 'Renamed B' } }, 404],
      [{ method: 'PATCH', url: `/api/groups/${w.A1}`, payload: { parentId: w.B } }, 403],
      [{ method: 'PATCH', url: `/api/groups/${w.A1}`, payload: { parentId: null } }, 403],
    ],
    inside: { method: 'PATCH', url: `/api/groups/${w.A1}`, payload: { name: `A1 renamed ${newId().slice(-6)}` } },
  }),
  'DELETE /api/groups/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/groups/${w.B1}` }, 404]],
    inside: { method: 'DELETE', url: `/api/groups/${await makeGroup(t_ctx(), w.admin.tenantId, `empty-${newId().slice(-6)}`, w.A)}` },
  }),
  'POST /api/sites': () => ({
    none: 'a new site is used by no one',
    inside: { method: 'POST', url: '/api/sites', payload: { name: `Site ${newId().slice(-6)}`, timeZone: 'Asia/Tokyo' } },
  }),
  'PATCH /api/sites/:id': (w) => ({
    // The attack: a scoped group manager changed the time zone of a site other groups use.
    outside: [[{ method: 'PATCH', url: `/api/sites/${w.siteOut}`, payload: { timeZone: 'Pacific/Kiritimati' } }, 403]],
    inside: { method: 'PATCH', url: `/api/sites/${w.siteIn}`, payload: { timeZone: 'Asia/Tokyo' } },
  }),
  'DELETE /api/sites/:id': (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/sites/${w.siteOut}` }, 403]],
    inside: { method: 'DELETE', url: `/api/sites/${w.siteFree}` },
  }),
  // Tenant settings apply to everyone: only an organisation-wide administrator may change them (checked below).
  'PATCH /api/settings': () => ({
    outside: [[{ method: 'PATCH', url: '/api/settings', payload: { lockoutThreshold: 20 } }, 403]],
    inside: { method: 'PATCH', url: '/api/settings', payload: { lockoutThreshold: 6 } },
    insideBy: 'org',
  }),
  // What anonymization overwrites is the organisation's setting (src/compliance/setup).
  'PUT /api/compliance/setup': () => ({
    outside: [[{ method: 'PUT', url: '/api/compliance/setup', payload: { parts: ['phone_numbers'], customFieldIds: [] } }, 403]],
    inside: { method: 'PUT', url: '/api/compliance/setup', payload: { parts: ['phone_numbers', 'email_addresses'], customFieldIds: [] } },
    insideBy: 'org',
  }),

  // Tag and custom field definitions are the tenant's (every user lists them, every conversation can carry them).
  'POST /api/tags': () => ({
    outside: [
      [{ method: 'POST', url: '/api/tags', payload: { name: `Scoped ${newId().slice(-6)}`, color: '#123456' } }, 403],
      [
        {
          method: 'POST',
          url: '/api/tags',
          payload: { name: `Scoped data ${newId().slice(-6)}`, color: '#123456', dataKey: 'scoped', dataValue: newId().slice(-6) },
        },
        403,
      ],
    ],
    inside: { method: 'POST', url: '/api/tags', payload: { name: `Org ${newId().slice(-6)}`, color: '#654321' } },
    insideBy: 'org',
  }),
  'PATCH /api/tags/:id': async (w) => ({
    outside: [[{ method: 'PATCH', url: `/api/tags/${w.tagOut}`, payload: { name: 'Renamed by a group', color: '#000000' } }, 403]],
    inside: { method: 'PATCH', url: `/api/tags/${await freshTag(w)}`, payload: { color: '#000000' } },
    insideBy: 'org',
  }),
  'DELETE /api/tags/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/tags/${w.tagOut}` }, 403]],
    inside: { method: 'DELETE', url: `/api/tags/${await freshTag(w)}` },
    insideBy: 'org',
  }),
  // Categories are tag definitions of kind category: tenant-wide like tags.
  'POST /api/categories': () => ({
    outside: [[{ method: 'POST', url: '/api/categories', payload: { name: `Scoped cat ${newId().slice(-6)}`, color: '#123456' } }, 403]],
    inside: { method: 'POST', url: '/api/categories', payload: { name: `Org cat ${newId().slice(-6)}`, color: '#654321' } },
    insideBy: 'org',
  }),
  'PATCH /api/categories/:id': async (w) => {
    const id = await freshCategory(w);
    return {
      outside: [[{ method: 'PATCH', url: `/api/categories/${id}`, payload: { archived: true } }, 403]],
      inside: { method: 'PATCH', url: `/api/categories/${id}`, payload: { color: '#000000' } },
      insideBy: 'org',
    };
  },
  'POST /api/settings/email/test': () => ({
    none: 'sends one test e-mail through the organisation settings and changes nothing',
    inside: { method: 'POST', url: '/api/settings/email/test', payload: {} },
  }),
  // The recorder's sources, party rules and recording modes apply to every call of the tenant (src/recorder).
  'POST /api/recorder/sources': () => ({
    outside: [[{ method: 'POST', url: '/api/recorder/sources', payload: { name: 'Scoped SBC', address: randomAddress() } }, 403]],
    inside: { method: 'POST', url: '/api/recorder/sources', payload: { name: 'Org SBC', address: randomAddress() } },
    insideBy: 'org',
  }),
  'PATCH /api/recorder/sources/:id': async (w) => {
    const id = await freshSource(w);
    return {
      outside: [[{ method: 'PATCH', url: `/api/recorder/sources/${id}`, payload: { enabled: false } }, 403]],
      inside: { method: 'PATCH', url: `/api/recorder/sources/${id}`, payload: { enabled: false } },
      insideBy: 'org',
    };
  },
  'DELETE /api/recorder/sources/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/recorder/sources/${await freshSource(w)}` }, 403]],
    inside: { method: 'DELETE', url: `/api/recorder/sources/${await freshSource(w)}` },
    insideBy: 'org',
  }),
  'POST /api/recorder/party-rules': () => ({
    outside: [[{ method: 'POST', url: '/api/recorder/party-rules', payload: { kind: 'number', value: randomDigits(), role: 'agent' } }, 403]],
    inside: { method: 'POST', url: '/api/recorder/party-rules', payload: { kind: 'number', value: randomDigits(), role: 'agent' } },
    insideBy: 'org',
  }),
  'PATCH /api/recorder/party-rules/:id': async (w) => {
    const id = await freshPartyRule(w);
    return {
      outside: [[{ method: 'PATCH', url: `/api/recorder/party-rules/${id}`, payload: { role: 'customer' } }, 403]],
      inside: { method: 'PATCH', url: `/api/recorder/party-rules/${id}`, payload: { role: 'customer' } },
      insideBy: 'org',
    };
  },
  'DELETE /api/recorder/party-rules/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/recorder/party-rules/${await freshPartyRule(w)}` }, 403]],
    inside: { method: 'DELETE', url: `/api/recorder/party-rules/${await freshPartyRule(w)}` },
    insideBy: 'org',
  }),
  'POST /api/recorder/party-rules/test': () => ({
    none: 'tries a participant against the rules and changes nothing',
    inside: { method: 'POST', url: '/api/recorder/party-rules/test', payload: { aor: 'sip:5101@pbx.example.com' } },
  }),
  'POST /api/recorder/recording-modes': () => ({
    outside: [[{ method: 'POST', url: '/api/recorder/recording-modes', payload: { kind: 'number', value: `+${randomDigits()}`, mode: 'on_demand' } }, 403]],
    inside: { method: 'POST', url: '/api/recorder/recording-modes', payload: { kind: 'number', value: `+${randomDigits()}`, mode: 'on_demand' } },
    insideBy: 'org',
  }),
  'PATCH /api/recorder/recording-modes/:id': async (w) => {
    const id = await freshRecordingMode(w);
    return {
      outside: [[{ method: 'PATCH', url: `/api/recorder/recording-modes/${id}`, payload: { mode: 'always' } }, 403]],
      inside: { method: 'PATCH', url: `/api/recorder/recording-modes/${id}`, payload: { mode: 'always' } },
      insideBy: 'org',
    };
  },
  'DELETE /api/recorder/recording-modes/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/recorder/recording-modes/${await freshRecordingMode(w)}` }, 403]],
    inside: { method: 'DELETE', url: `/api/recorder/recording-modes/${await freshRecordingMode(w)}` },
    insideBy: 'org',
  }),
  // Recording policies reach every call of the tenant (src/compliance/recording-policies).
  'POST /api/compliance/recording-policies': () => ({
    outside: [[{ method: 'POST', url: '/api/compliance/recording-policies', payload: { name: 'Scoped', action: 'skip' } }, 403]],
    inside: { method: 'POST', url: '/api/compliance/recording-policies', payload: { name: 'Org', action: 'record' } },
    insideBy: 'org',
  }),
  'PATCH /api/compliance/recording-policies/:id': async (w) => {
    const id = await freshRecordingPolicy(w);
    return {
      outside: [[{ method: 'PATCH', url: `/api/compliance/recording-policies/${id}`, payload: { enabled: false } }, 403]],
      inside: { method: 'PATCH', url: `/api/compliance/recording-policies/${id}`, payload: { name: 'Renamed by the org' } },
      insideBy: 'org',
    };
  },
  'DELETE /api/compliance/recording-policies/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/compliance/recording-policies/${await freshRecordingPolicy(w)}` }, 403]],
    inside: { method: 'DELETE', url: `/api/compliance/recording-policies/${await freshRecordingPolicy(w)}` },
    insideBy: 'org',
  }),
  'PUT /api/compliance/recording-policies/order': async (w) => {
    await freshRecordingPolicy(w);
    const ids = (await listRecordingPolicies(t_ctx(), w.sys)).items.map((p) => p.id).reverse();
    return {
      outside: [[{ method: 'PUT', url: '/api/compliance/recording-policies/order', payload: { ids } }, 403]],
      inside: { method: 'PUT', url: '/api/compliance/recording-policies/order', payload: { ids } },
      insideBy: 'org',
    };
  },
  'POST /api/compliance/recording-policies/test': () => ({
    none: 'answers what the rules would decide and stores nothing',
    inside: { method: 'POST', url: '/api/compliance/recording-policies/test', payload: { callRef: 'x', direction: 'inbound' } },
  }),
  // An export package is its maker's (or a compliance manager's): deleting one changes no conversation.
  'DELETE /api/compliance/vcon-exports/:id': async (w) => ({
    none: 'removes an export package the user made; no conversation or setting changes',
    inside: { method: 'DELETE', url: `/api/compliance/vcon-exports/${await finishedExport(w.scopedActor)}` },
  }),
  'POST /api/speech-tags': () => ({
    outside: [[{ method: 'POST', url: '/api/speech-tags', payload: { name: `Scoped ${newId().slice(-6)}`, phrase: 'cancel', color: '#123456' } }, 403]],
    inside: { method: 'POST', url: '/api/speech-tags', payload: { name: `Org ${newId().slice(-6)}`, phrase: 'cancel', color: '#654321' } },
    insideBy: 'org',
  }),
  'PATCH /api/speech-tags/:id': async (w) => {
    const id = await freshSpeechTag(w);
    return {
      outside: [[{ method: 'PATCH', url: `/api/speech-tags/${id}`, payload: { phrase: 'changed by a group' } }, 403]],
      inside: { method: 'PATCH', url: `/api/speech-tags/${id}`, payload: { color: '#000000' } },
      insideBy: 'org',
    };
  },
  'DELETE /api/speech-tags/:id': async (w) => {
    const id = await freshSpeechTag(w);
    return {
      outside: [[{ method: 'DELETE', url: `/api/speech-tags/${id}` }, 403]],
      inside: { method: 'DELETE', url: `/api/speech-tags/${id}` },
      insideBy: 'org',
    };
  },
  'POST /api/custom-fields': () => ({
    outside: [
      [{ method: 'POST', url: '/api/custom-fields', payload: { key: `scoped_${newId().slice(-6).toLowerCase()}`, label: 'Scoped', type: 'text' } }, 403],
    ],
    inside: { method: 'POST', url: '/api/custom-fields', payload: { key: `org_${newId().slice(-6).toLowerCase()}`, label: 'Org', type: 'text' } },
    insideBy: 'org',
  }),
  'PATCH /api/custom-fields/:id': async (w) => ({
    outside: [
      [{ method: 'PATCH', url: `/api/custom-fields/${w.fieldOut}`, payload: { label: 'Renamed by a group' } }, 403],
      [{ method: 'PATCH', url: `/api/custom-fields/${w.fieldOut}`, payload: { type: 'date' } }, 403],
    ],
    inside: { method: 'PATCH', url: `/api/custom-fields/${await freshField(w)}`, payload: { label: 'Renamed by the organisation' } },
    insideBy: 'org',
  }),
  'DELETE /api/custom-fields/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/custom-fields/${w.fieldOut}` }, 403]],
    inside: { method: 'DELETE', url: `/api/custom-fields/${await freshField(w)}` },
    insideBy: 'org',
  }),
  // Tagging, segment metadata and custom field values: conversations of the scope only (others look absent).
  'POST /api/conversations/:id/tags': async (w) => ({
    outside: [[{ method: 'POST', url: `/api/conversations/${w.convB}/tags`, payload: { tagId: await freshTag(w) } }, 404]],
    inside: { method: 'POST', url: `/api/conversations/${w.convA}/tags`, payload: { tagId: await freshTag(w) } },
  }),
  'PATCH /api/conversations/:id/tags/:tagId': (w) => ({
    outside: [[{ method: 'PATCH', url: `/api/conversations/${w.convB}/tags/${w.tagOut}`, payload: { comment: 'Changed by a group' } }, 404]],
    inside: { method: 'PATCH', url: `/api/conversations/${w.convA}/tags/${w.tagOut}`, payload: { comment: `Inside ${newId().slice(-6)}` } },
  }),
  'DELETE /api/conversations/:id/tags/:tagId': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/conversations/${w.convB}/tags/${w.tagOut}` }, 404]],
    inside: { method: 'DELETE', url: `/api/conversations/${w.convA}/tags/${await freshTag(w, w.convA)}` },
  }),
  'PATCH /api/conversations/:id/segments/:segmentId/metadata': (w) => ({
    outside: [[{ method: 'PATCH', url: `/api/conversations/${w.convB}/segments/${w.segB}/metadata`, payload: { set: { queue: 'changed-by-a-group' } } }, 404]],
    inside: { method: 'PATCH', url: `/api/conversations/${w.convA}/segments/${w.segA}/metadata`, payload: { set: { queue: `inside-${newId().slice(-6)}` } } },
  }),
  'PUT /api/conversations/:id/custom-fields': (w) => ({
    outside: [[{ method: 'PUT', url: `/api/conversations/${w.convB}/custom-fields`, payload: { values: { [w.fieldOutKey]: 'set by a group' } } }, 404]],
    inside: { method: 'PUT', url: `/api/conversations/${w.convA}/custom-fields`, payload: { values: { [w.fieldOutKey]: `inside ${newId().slice(-6)}` } } },
  }),
  'PUT /api/conversations/:id/categories': async (w) => ({
    outside: [[{ method: 'PUT', url: `/api/conversations/${w.convB}/categories`, payload: { categoryIds: [await freshCategory(w)] } }, 404]],
    inside: { method: 'PUT', url: `/api/conversations/${w.convA}/categories`, payload: { categoryIds: [await freshCategory(w)] } },
  }),
  // Retention policies apply to the whole organisation (issue 12): set, previewed and run by its administrators only.
  'PUT /api/compliance/retention': () => ({
    outside: [[{ method: 'PUT', url: '/api/compliance/retention', payload: { default: { periodDays: null, scope: 'conversation' }, rules: [] } }, 403]],
    inside: { method: 'PUT', url: '/api/compliance/retention', payload: { default: { periodDays: null, scope: 'conversation' }, rules: [] } },
    insideBy: 'org',
  }),
  'POST /api/compliance/retention/preview': () => ({
    outside: [[{ method: 'POST', url: '/api/compliance/retention/preview', payload: {} }, 403]],
    inside: { method: 'POST', url: '/api/compliance/retention/preview', payload: {} },
    insideBy: 'org',
  }),
  'POST /api/compliance/retention/run': () => ({
    outside: [[{ method: 'POST', url: '/api/compliance/retention/run', payload: {} }, 403]],
    inside: { method: 'POST', url: '/api/compliance/retention/run', payload: {} },
    insideBy: 'org',
  }),
  // Why a conversation is protected is read only for the conversations one sees.
  'POST /api/compliance/protection': (w) => ({
    outside: [[{ method: 'POST', url: '/api/compliance/protection', payload: { conversationIds: [w.convB] } }, 404]],
    inside: { method: 'POST', url: '/api/compliance/protection', payload: { conversationIds: [w.convA] } },
  }),
  // Archiving copies every group's recordings (issue 12): configured, tested and run by organisation-wide managers only.
  'PUT /api/archive/settings': () => ({
    outside: [
      [
        {
          method: 'PUT',
          url: '/api/archive/settings',
          payload: { enabled: false, nameTemplate: '%{call-id}', timeZone: 'UTC', encryption: 'none', includeOlder: false },
        },
        403,
      ],
    ],
    inside: {
      method: 'PUT',
      url: '/api/archive/settings',
      payload: { enabled: false, nameTemplate: '%{call-id}', timeZone: 'UTC', encryption: 'none', includeOlder: false },
    },
    insideBy: 'org',
  }),
  'POST /api/archive/template-preview': () => ({
    outside: [[{ method: 'POST', url: '/api/archive/template-preview', payload: { nameTemplate: '%{call-id}', timeZone: 'UTC' } }, 403]],
    inside: { method: 'POST', url: '/api/archive/template-preview', payload: { nameTemplate: '%{call-id}', timeZone: 'UTC' } },
    insideBy: 'org',
  }),
  'PUT /api/archive/targets/:role': () => ({
    outside: [[{ method: 'PUT', url: '/api/archive/targets/secondary', payload: { kind: 'folder', settings: { path: 'scoped' } } }, 403]],
    inside: { method: 'PUT', url: '/api/archive/targets/secondary', payload: { kind: 'folder', settings: { path: 'org' } } },
    insideBy: 'org',
  }),
  'DELETE /api/archive/targets/:role': async (w) => {
    await saveArchiveTarget(t_ctx(), w.sys, 'secondary', { kind: 'folder', settings: { path: 'to-remove' } });
    return {
      outside: [[{ method: 'DELETE', url: '/api/archive/targets/secondary' }, 403]],
      inside: { method: 'DELETE', url: '/api/archive/targets/secondary' },
      insideBy: 'org',
    };
  },
  'POST /api/archive/targets/:role/test': () => ({
    outside: [[{ method: 'POST', url: '/api/archive/targets/primary/test', payload: { target: { kind: 'folder', settings: { path: 'probe' } } } }, 403]],
    inside: { method: 'POST', url: '/api/archive/targets/primary/test', payload: { target: { kind: 'folder', settings: { path: 'probe' } } } },
    insideBy: 'org',
  }),
  'POST /api/archive/run': () => ({
    outside: [[{ method: 'POST', url: '/api/archive/run', payload: {} }, 403]],
    inside: { method: 'POST', url: '/api/archive/run', payload: {} },
    insideBy: 'org',
  }),
  'POST /api/archive/items/retry': () => ({
    outside: [[{ method: 'POST', url: '/api/archive/items/retry', payload: {} }, 403]],
    inside: { method: 'POST', url: '/api/archive/items/retry', payload: {} },
    insideBy: 'org',
  }),
  // Webhooks carry the whole tenant's events (src/notify/webhooks): organisation-wide administrators only.
  'POST /api/webhooks': () => ({
    outside: [[{ method: 'POST', url: '/api/webhooks', payload: { name: 'Scoped', url: 'https://203.0.113.10/hook', events: ['transcript.ready'] } }, 403]],
    inside: { method: 'POST', url: '/api/webhooks', payload: { name: 'Org', url: 'https://203.0.113.10/hook', events: ['transcript.ready'] } },
    insideBy: 'org',
  }),
  'PATCH /api/webhooks/:id': async (w) => ({
    outside: [[{ method: 'PATCH', url: `/api/webhooks/${await freshWebhook(w)}`, payload: { name: 'Scoped' } }, 403]],
    inside: { method: 'PATCH', url: `/api/webhooks/${await freshWebhook(w)}`, payload: { name: 'Org' } },
    insideBy: 'org',
  }),
  'DELETE /api/webhooks/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/webhooks/${await freshWebhook(w)}` }, 403]],
    inside: { method: 'DELETE', url: `/api/webhooks/${await freshWebhook(w)}` },
    insideBy: 'org',
  }),
  'POST /api/webhooks/:id/rotate-secret': async (w) => ({
    outside: [[{ method: 'POST', url: `/api/webhooks/${await freshWebhook(w)}/rotate-secret`, payload: {} }, 403]],
    inside: { method: 'POST', url: `/api/webhooks/${await freshWebhook(w)}/rotate-secret`, payload: {} },
    insideBy: 'org',
  }),
  'POST /api/webhooks/:id/test': async (w) => ({
    outside: [[{ method: 'POST', url: `/api/webhooks/${await freshWebhook(w)}/test`, payload: {} }, 403]],
    inside: { method: 'POST', url: `/api/webhooks/${await freshWebhook(w)}/test`, payload: {} },
    insideBy: 'org',
  }),
  'POST /api/webhooks/:id/deliveries/:deliveryId/redeliver': async (w) => {
    const [outId, inId] = [await freshWebhook(w), await freshWebhook(w)];
    const [outD, inD] = [await finishedDelivery(w, outId), await finishedDelivery(w, inId)];
    return {
      outside: [[{ method: 'POST', url: `/api/webhooks/${outId}/deliveries/${outD}/redeliver`, payload: {} }, 403]],
      inside: { method: 'POST', url: `/api/webhooks/${inId}/deliveries/${inD}/redeliver`, payload: {} },
      insideBy: 'org',
    };
  },
  // How the whole organisation signs in (src/auth/sso): organisation-wide administrators only.
  'PATCH /api/admin/sso/settings': () => ({
    outside: [[{ method: 'PATCH', url: '/api/admin/sso/settings', payload: { jit: true } }, 403]],
    inside: { method: 'PATCH', url: '/api/admin/sso/settings', payload: { jit: false } },
    insideBy: 'org',
  }),
  'POST /api/admin/sso/providers': () => ({
    outside: [
      [
        {
          method: 'POST',
          url: '/api/admin/sso/providers',
          payload: { kind: 'oidc', name: 'Scoped', oidc: { issuer: 'https://idp.example.com', clientId: 'c' } },
        },
        403,
      ],
    ],
    inside: {
      method: 'POST',
      url: '/api/admin/sso/providers',
      payload: { kind: 'oidc', name: 'Org', oidc: { issuer: 'https://idp.example.com', clientId: 'c' } },
    },
    insideBy: 'org',
  }),
  'PATCH /api/admin/sso/providers/:id': async (w) => ({
    outside: [[{ method: 'PATCH', url: `/api/admin/sso/providers/${await freshSsoProvider(w)}`, payload: { name: 'Scoped' } }, 403]],
    inside: { method: 'PATCH', url: `/api/admin/sso/providers/${await freshSsoProvider(w)}`, payload: { name: 'Org' } },
    insideBy: 'org',
  }),
  'DELETE /api/admin/sso/providers/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/admin/sso/providers/${await freshSsoProvider(w)}` }, 403]],
    inside: { method: 'DELETE', url: `/api/admin/sso/providers/${await freshSsoProvider(w)}` },
    insideBy: 'org',
  }),
  'POST /api/admin/sso/scim-token': () => ({
    outside: [[{ method: 'POST', url: '/api/admin/sso/scim-token', payload: {} }, 403]],
    inside: { method: 'POST', url: '/api/admin/sso/scim-token', payload: {} },
    insideBy: 'org',
  }),
  'DELETE /api/admin/sso/scim-token': async (w) => {
    await rotateScimToken(t_ctx(), w.sys);
    return {
      outside: [[{ method: 'DELETE', url: '/api/admin/sso/scim-token' }, 403]],
      inside: { method: 'DELETE', url: '/api/admin/sso/scim-token' },
      insideBy: 'org',
    };
  },
  'POST /api/conversations/categories': async (w) => ({
    outside: [[{ method: 'POST', url: '/api/conversations/categories', payload: { conversationIds: [w.convA, w.convB], add: [await freshCategory(w)] } }, 404]],
    inside: { method: 'POST', url: '/api/conversations/categories', payload: { conversationIds: [w.convA], add: [await freshCategory(w)] } },
  }),
  // Protection is read by retention for the whole tenant (src/search/saved/service.ts): organisation-wide only. Renaming,
  // changing, deleting or restoring a protected search changes what is kept, so it is refused too; a scoped
  // administrator's own unprotected searches stay its own.
  'PUT /api/saved-searches/:id/protected': async (w) => ({
    outside: [
      [{ method: 'PUT', url: `/api/saved-searches/${w.searchKept}/protected`, payload: { protected: false } }, 403],
      [{ method: 'PUT', url: `/api/saved-searches/${await freshSearch(w, 'scoped')}/protected`, payload: { protected: true } }, 403],
    ],
    inside: { method: 'PUT', url: `/api/saved-searches/${await freshSearch(w, 'org')}/protected`, payload: { protected: true } },
    insideBy: 'org',
  }),
  'PATCH /api/saved-searches/:id': async (w) => ({
    outside: [
      [{ method: 'PATCH', url: `/api/saved-searches/${w.searchKept}`, payload: { name: 'Renamed by a group' } }, 403],
      [{ method: 'PATCH', url: `/api/saved-searches/${w.searchKept}`, payload: { filter: { q: 'nothing at all' } } }, 403],
    ],
    inside: { method: 'PATCH', url: `/api/saved-searches/${await freshSearch(w, 'scoped')}`, payload: { name: `Mine ${newId().slice(-6)}` } },
  }),
  'DELETE /api/saved-searches/:id': async (w) => ({
    outside: [[{ method: 'DELETE', url: `/api/saved-searches/${w.searchKept}` }, 403]],
    inside: { method: 'DELETE', url: `/api/saved-searches/${await freshSearch(w, 'scoped')}` },
  }),
  'POST /api/saved-searches/:id/restore': async (w) => {
    const kept = await freshSearch(w, 'org', { protect: true });
    const { undoToken } = await deleteSavedSearch(t_ctx(), w.orgActor, kept);
    const mine = await freshSearch(w, 'scoped');
    const own = await deleteSavedSearch(t_ctx(), w.scopedActor, mine);
    return {
      outside: [[{ method: 'POST', url: `/api/saved-searches/${kept}/restore`, payload: { undoToken } }, 403]],
      inside: { method: 'POST', url: `/api/saved-searches/${mine}/restore`, payload: { undoToken: own.undoToken } },
    };
  },
  // Reprocessing: one conversation of the scope; by saved search (run as the requester sees it, checked below); every
  // call of the tenant is organisation-wide only.
  'POST /api/conversations/:id/media/reprocess': (w) => ({
    outside: [[{ method: 'POST', url: `/api/conversations/${w.convB}/media/reprocess` }, 404]],
    inside: { method: 'POST', url: `/api/conversations/${w.convA}/media/reprocess` },
  }),
  // Ingest lands in whichever group the agent is in and joins conversations of any group: organisation-wide accounts
  // only, refused before the upload is read (even for an agent inside the scope).
  'POST /api/ingest/chats': (w) => ({
    outside: [
      [{ method: 'POST', url: '/api/ingest/chats', payload: chatInput(w.extB, 'scoped') }, 403],
      [{ method: 'POST', url: '/api/ingest/chats', payload: chatInput(w.extA, 'scoped') }, 403],
    ],
    inside: { method: 'POST', url: '/api/ingest/chats', payload: chatInput(w.extA, 'org') },
    insideBy: 'org',
  }),
  'POST /api/ingest/emails': () => ({
    outside: [[emailRequest('scoped'), 403]],
    inside: emailRequest('org'),
    insideBy: 'org',
  }),
  // The Import screen's upload ingests like the API: organisation-wide accounts only, refused before the upload is read.
  'POST /api/imports': () => ({ outside: [[importRequest('scoped'), 403]], inside: importRequest('org'), insideBy: 'org' }),
  'POST /api/ingest/calls': (w) => ({
    outside: [
      [callRequest(w.extB, `scoped-${newId()}`), 403],
      [callRequest(w.extA, `scoped-${newId()}`), 403],
    ],
    inside: callRequest(w.extA, `org-${newId()}`),
    insideBy: 'org',
  }),
  'POST /api/ingest/screens': async (w) => {
    // The screen recording of a call the organisation's administrator ingested.
    const callId = `org-${newId()}`;
    const req = callRequest(w.extA, callId);
    const call = await t_app().inject({ method: req.method, url: req.url, payload: req.payload, headers: { ...req.headers, cookie: w.orgCookie } });
    expect(call.statusCode, call.body).toBe(200);
    return {
      outside: [
        [screenRequest(`scoped-${newId()}`), 403],
        [screenRequest(callId), 403],
      ],
      inside: screenRequest(callId),
      insideBy: 'org',
    };
  },
  'POST /api/media/reprocess': (w) => ({
    outside: [
      [{ method: 'POST', url: '/api/media/reprocess', payload: {} }, 403],
      [{ method: 'POST', url: '/api/media/reprocess', payload: { savedSearchId: null } }, 403],
    ],
    inside: { method: 'POST', url: '/api/media/reprocess', payload: { savedSearchId: w.searchKept } },
  }),
  // Re-transcription follows the media reprocessing rules (same permission): a conversation in scope only, every call
  // only for an organisation-wide account.
  'POST /api/conversations/:id/transcribe': (w) => ({
    outside: [[{ method: 'POST', url: `/api/conversations/${w.convB}/transcribe` }, 404]],
    inside: { method: 'POST', url: `/api/conversations/${w.convA}/transcribe` },
  }),
  'POST /api/speech/retranscribe': (w) => ({
    outside: [
      [{ method: 'POST', url: '/api/speech/retranscribe', payload: {} }, 403],
      [{ method: 'POST', url: '/api/speech/retranscribe', payload: { savedSearchId: null } }, 403],
    ],
    inside: { method: 'POST', url: '/api/speech/retranscribe', payload: { savedSearchId: w.searchKept } },
  }),
};

/** An Import screen upload of one email file (POST /api/imports). */
function importRequest(who: 'scoped' | 'org'): Req & { headers: Record<string, string> } {
  const body = multipart([{ name: 'files', file: { fileName: `mail/${who}-${newId()}.eml`, data: Buffer.from('Subject: x\r\n\r\nx') } }]);
  return { method: 'POST', url: '/api/imports', payload: body.payload, headers: body.headers };
}

/** A chat with an agent of the given extension. */
const chatInput = (extension: string, who: 'scoped' | 'org') => ({
  chatId: `${who}-${newId()}`,
  roomName: 'Scope chat',
  participants: [
    { key: 'cust', role: 'customer', name: 'Pat Customer' },
    { key: 'agent', role: 'agent', name: 'Agent', extension },
  ],
  messages: [
    { sender: 'cust', at: new Date().toISOString(), text: 'Hello' },
    { sender: 'agent', at: new Date(Date.now() + 5000).toISOString(), text: 'Hi' },
  ],
});
const emailRequest = (who: 'scoped' | 'org'): Req => {
  const eml = buildEml({
    messageId: `${who}-${newId()}@scope.test`,
    from: { name: 'Pat Customer', address: 'pat@example.com' },
    to: ['support@example.test'],
    subject: 'Scope',
    date: new Date(),
    text: 'Hello',
  });
  return { method: 'POST', url: '/api/ingest/emails', payload: Buffer.from(eml), headers: { 'content-type': 'message/rfc822' } };
};
function callRequest(extension: string, callId: string): Req & { headers: Record<string, string> } {
  const meta = {
    callId,
    startTime: new Date().toISOString(),
    direction: 'inbound',
    parties: [{ key: 'agent', role: 'agent', extension }],
    audio: [{ file: 'a.wav', party: 'agent' }],
  };
  const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(500) });
  const body = multipart([
    { name: 'metadata', value: JSON.stringify(meta) },
    { name: 'audio', file: { fileName: 'a.wav', data: wav, contentType: 'audio/wav' } },
  ]);
  return { method: 'POST', url: '/api/ingest/calls', payload: body.payload, headers: body.headers };
}
function screenRequest(callId: string): Req {
  const webm = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=32x32:rate=2', '-c:v', 'libvpx', '-f', 'webm', 'pipe:1']);
  const body = multipart([
    { name: 'metadata', value: JSON.stringify({ callId }) },
    { name: 'video', file: { fileName: 'screen.webm', data: webm, contentType: 'video/webm' } },
  ]);
  return { method: 'POST', url: '/api/ingest/screens', payload: body.payload, headers: body.headers };
}

/** The scoped world plus conversations in A1 and B, tenant-wide definitions and saved searches for the cases above. */
type World = Awaited<ReturnType<typeof makeWorld>> & { orgCookie: string };
async function makeWorld(ctx: AppContext, tenantId: string, orgAdminId: string) {
  const w = await makeScopedWorld(ctx, tenantId);
  const sys = systemActor(tenantId);
  const orgActor = await actorOfUser(ctx, orgAdminId);
  const scopedActor = await actorOfUser(ctx, w.admin.id);
  const extension = () => String(100000 + Math.floor(Math.random() * 899999));
  const [extA, extB] = [extension(), extension()];
  await makeUser(ctx, tenantId, { roles: ['agent'], groupId: w.A1, extension: extA });
  await makeUser(ctx, tenantId, { roles: ['agent'], groupId: w.B, extension: extB });
  const convA = (await makeChat(ctx, sys, { agentExtension: extA })).conversationId;
  const convB = (await makeChat(ctx, sys, { agentExtension: extB })).conversationId;
  // Chats counted as calls: reprocessing by saved search looks at calls, and a chat needs no media fixture.
  await ctx.db.updateTable('conversations').set({ has_call: 1 }).where('id', 'in', [convA, convB]).execute();
  const segmentOf = async (id: string) => (await ctx.db.selectFrom('segments').select('id').where('conversation_id', '=', id).executeTakeFirstOrThrow()).id;
  const tagOut = (await createTag(ctx, sys, { name: `Out ${newId().slice(-6)}`, color: '#112233' })).id;
  for (const c of [convA, convB]) await applyTag(ctx, orgActor, c, { tagId: tagOut, comment: 'as tagged' });
  const fieldOutKey = `out_${newId().slice(-6).toLowerCase()}`;
  const fieldOut = (await createField(ctx, sys, { key: fieldOutKey, label: 'Out', type: 'text' })).id;
  const base = {
    ...w,
    sys,
    orgActor,
    scopedActor,
    extA,
    extB,
    convA,
    convB,
    segA: await segmentOf(convA),
    segB: await segmentOf(convB),
    tagOut,
    fieldOut,
    fieldOutKey,
    searchKept: '',
  };
  // An organisation-wide search (every call) its owner, the organisation's administrator, protected.
  return { ...base, searchKept: await freshSearch(base, 'org', { protect: true }) };
}

/** A new tag definition (made by the system), applied to a conversation by the organisation's administrator when one is given. */
async function freshTag(w: { sys: Actor; orgActor: Actor }, on?: string) {
  const id = (await createTag(t_ctx(), w.sys, { name: `Tag ${newId().slice(-8)}`, color: '#445566' })).id;
  if (on) await applyTag(t_ctx(), w.orgActor, on, { tagId: id });
  return id;
}
/** A finished (failed, so without a file) vCon export made by the actor. */
async function finishedExport(actor: Actor) {
  const id = newId();
  await insertVconExport(t_ctx().db, {
    id,
    tenant_id: actor.tenantId,
    status: 'failed',
    scope: JSON.stringify({ kind: 'conversations', ids: [] }),
    inline_media: 0,
    total: 0,
    done: 0,
    skipped: 0,
    blob_id: null,
    file_name: null,
    bytes: null,
    sha256: null,
    error: 'test',
    created_by: actor.userId,
    created_at: nowIso(),
    finished_at: nowIso(),
  });
  return id;
}
/** A new recording rule (made by the system). */
const randomDigits = () => String(100000 + (randomBytes(4).readUInt32BE(0) % 900000000));
const randomAddress = () => `10.${randomBytes(3).join('.')}/32`;
/** A new recording source, party rule and recording mode of the recorder (made by the system). */
async function freshSource(w: { sys: Actor }) {
  return (await createSource(t_ctx(), w.sys, { name: `SBC ${newId().slice(-8)}`, address: randomAddress() })).id;
}
async function freshPartyRule(w: { sys: Actor }) {
  return (await createPartyRule(t_ctx(), w.sys, { kind: 'number', value: randomDigits(), role: 'agent' })).id;
}
async function freshRecordingMode(w: { sys: Actor }) {
  return (await createMode(t_ctx(), w.sys, { kind: 'number', value: `+${randomDigits()}`, mode: 'on_demand' })).id;
}
async function freshRecordingPolicy(w: { sys: Actor }) {
  return (await createRecordingPolicy(t_ctx(), w.sys, { name: `Rule ${newId().slice(-8)}`, action: 'record' })).id;
}
/** A new category (made by the system). */
async function freshCategory(w: { sys: Actor }) {
  return (await createTag(t_ctx(), w.sys, { name: `Category ${newId().slice(-8)}`, color: '#445566' }, 'category')).id;
}
/** A new speech tag definition (made by the system). */
async function freshSpeechTag(w: { sys: Actor }) {
  return (await createSpeechTag(t_ctx(), w.sys, { name: `Speech ${newId().slice(-8)}`, phrase: 'refund', color: '#445566' })).id;
}
async function freshField(w: { sys: Actor }) {
  return (await createField(t_ctx(), w.sys, { key: `f_${newId().slice(-8).toLowerCase()}`, label: 'Fresh', type: 'text' })).id;
}
async function freshSsoProvider(w: { sys: Actor }) {
  const input = { kind: 'oidc' as const, name: `IdP ${newId().slice(-6)}`, oidc: { issuer: 'https://idp.example.com', clientId: 'c' } };
  return (await createSsoProvider(t_ctx(), w.sys, input, 'http://127.0.0.1')).id;
}
async function freshWebhook(w: { sys: Actor }) {
  return (await createWebhook(t_ctx(), w.sys, { name: `Hook ${newId().slice(-6)}`, url: 'https://203.0.113.10/hook', events: ['transcript.ready'] })).id;
}
/** A webhook delivery that has finished (failed), so it may be redelivered. */
async function finishedDelivery(w: { sys: Actor }, endpointId: string) {
  const { deliveryId } = await sendWebhookTest(t_ctx(), w.sys, endpointId);
  await t_ctx().db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('id', '=', deliveryId).execute();
  return deliveryId;
}
/** A saved search of the organisation's administrator or of the scoped administrator, protected on request. */
async function freshSearch(w: { orgActor: Actor; scopedActor: Actor }, owner: 'org' | 'scoped', opts: { protect?: boolean } = {}) {
  const actor = owner === 'org' ? w.orgActor : w.scopedActor;
  const id = (await createSavedSearch(t_ctx(), actor, { name: `Search ${newId().slice(-8)}`, filter: {} })).id;
  if (opts.protect) await setSavedSearchProtected(t_ctx(), w.orgActor, id, true);
  return id;
}
/** The context of the engine under test, for the cases that make a fresh object (set in beforeAll). */
let currentCtx: (AppContext & { app: BuiltApp['app'] }) | undefined;
const t_ctx = () => currentCtx!;
const t_app = () => currentCtx!.app;

/** A concrete URL for a route pattern: every :param and wildcard gets a fresh id. */
function concreteUrl(url: string) {
  return url.replace(/:[A-Za-z0-9_]+/g, () => newId()).replace(/\*/g, () => newId());
}

function request(r: RouteInfo, headers: Record<string, string> = {}) {
  const hasBody = ['POST', 'PATCH', 'PUT'].includes(r.method);
  return {
    method: r.method as 'GET',
    url: concreteUrl(r.url),
    headers,
    ...(hasBody ? { payload: {} } : {}),
  };
}

const errorCode = (body: string) => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

describe('the route catalogue', () => {
  it('is non-trivial, so the generated tests cannot pass vacuously', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(30);
    expect(guarded.length).toBeGreaterThanOrEqual(20);
    expect(withPermission.length).toBeGreaterThanOrEqual(15);
    // Every method/url pair appears once.
    expect(new Set(catalog.map(key)).size).toBe(catalog.length);
  });

  it('has exactly the expected public routes', () => {
    const publicRoutes = catalog.filter(isPublic).map(key);
    const fixed = ['GET /api/health', 'GET /api/config/public', 'POST /api/auth/login', 'GET /api/openapi.json', 'GET /metrics', 'GET /*'];
    // The unsubscribe link of subscription e-mails: its signature is the permission (src/analytics/subscriptions).
    fixed.push('GET /api/insights/subscriptions/unsubscribe', 'POST /api/insights/subscriptions/unsubscribe');
    // A moment's external share link: its unguessable token is the permission; every play is audited (src/quality/moments).
    fixed.push('GET /api/shared/moments/:token', 'GET /api/shared/moments/:token/clip.mp3');
    // Single sign-on: the sign-in page's choices, the redirect to the IdP and its return; the IdP's signed answer (and
    // the one-use state bound to the browser) is the proof (src/auth/sso).
    fixed.push(
      'GET /api/auth/sso/options',
      'GET /api/auth/sso/:id/start',
      'GET /api/auth/sso/oidc/callback',
      'GET /api/auth/sso/saml/:id/metadata',
      'POST /api/auth/sso/saml/:id/acs',
    );
    // SCIM 2.0: the tenant's SCIM bearer token is checked by the SCIM plugin itself, not by user permissions (src/auth/scim).
    for (const r of ['ServiceProviderConfig', 'ResourceTypes', 'ResourceTypes/:id', 'Schemas', 'Schemas/:id']) fixed.push(`GET /scim/v2/${r}`);
    for (const r of ['Users', 'Groups']) {
      fixed.push(
        `GET /scim/v2/${r}`,
        `POST /scim/v2/${r}`,
        `GET /scim/v2/${r}/:id`,
        `PUT /scim/v2/${r}/:id`,
        `PATCH /scim/v2/${r}/:id`,
        `DELETE /scim/v2/${r}/:id`,
      );
    }
    const docs = publicRoutes.filter((k) => k.startsWith('GET /api/docs'));
    expect(docs).toContain('GET /api/docs');
    expect(publicRoutes.sort()).toEqual([...fixed, ...docs].sort());
  });

  it('declares only known permissions', () => {
    for (const r of withPermission) for (const p of requiredPermissions(r.access)) expect(PERMISSION_IDS, key(r)).toContain(p);
  });

  it('refuses to build an app with a route that declares no access', async () => {
    const t = await createTestContext('sqlite');
    try {
      // Control: a route that declares its access registers and is catalogued.
      const good = Fastify();
      const goodRoutes: RouteInfo[] = [];
      installAuth(good, authenticator(t), goodRoutes);
      good.get('/with-access', { config: { access: AUTHENTICATED } }, () => 'ok');
      await good.ready();
      expect(goodRoutes).toEqual([{ method: 'GET', url: '/with-access', access: AUTHENTICATED }]);
      await good.close();

      const bad = Fastify();
      installAuth(bad, authenticator(t), []);
      const attempt = async () => {
        bad.get('/no-access', () => 'oops');
        await bad.ready();
      };
      await expect(attempt()).rejects.toThrow(/GET \/no-access declares no access/);
      await bad.close().catch(() => {});

      // Inside a plugin too (as every feature registers its routes).
      const nested = Fastify();
      installAuth(nested, authenticator(t), []);
      nested.register(async (child) => {
        child.post('/nested', () => 'oops');
      });
      await expect(nested.ready()).rejects.toThrow(/POST \/nested declares no access/);
      await nested.close().catch(() => {});
    } finally {
      await t.cleanup();
    }
  });

  it('checks access before validation and answers with the stable error body', async () => {
    // A bare app with the same auth and error handling: an anonymous request with an invalid body is refused as unauthenticated.
    const t = await createTestContext('sqlite');
    try {
      const app = Fastify();
      installErrorHandling(app);
      installAuth(app, authenticator(t), []);
      app.post(
        '/strict',
        { config: { access: AUTHENTICATED }, schema: { body: { type: 'object', required: ['x'], properties: { x: { type: 'string' } } } } },
        () => 'ok',
      );
      const res = await app.inject({ method: 'POST', url: '/strict', payload: {} });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
      await app.close();
    } finally {
      await t.cleanup();
    }
  });
});

describe.each(ENGINES)('route access on %s', (engine) => {
  let t: TestContext & BuiltApp;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  /** Cookies of users holding every permission except a set, by the sorted set. */
  const allButCookies = new Map<string, Promise<string>>();
  /** Users holding exactly one permission set (an empty set: authenticated, no permission). */
  const exactUsers = new Map<string, Promise<{ email: string; password: string }>>();

  beforeAll(async () => {
    t = await startApp(engine);
    tenant = await makeTenant(t);
  });
  afterAll(() => t?.cleanup());

  function allBut(excluded: Permission[]) {
    const k = [...excluded].sort().join(',');
    let c = allButCookies.get(k);
    if (!c) {
      c = (async () => {
        const perms = PERMISSION_IDS.filter((p) => !excluded.includes(p));
        const u = await makeUser(t, tenant.tenantId, { permissions: perms });
        return login(t.app, u);
      })();
      allButCookies.set(k, c);
    }
    return c;
  }

  function exactly(perms: Permission[]) {
    const k = [...perms].sort().join(',');
    let u = exactUsers.get(k);
    if (!u) {
      u = makeUser(t, tenant.tenantId, { permissions: perms });
      exactUsers.set(k, u);
    }
    return u;
  }

  it('registers the same routes as the catalogue read at collection time', () => {
    expect(t.routes.map(key).sort()).toEqual(catalog.map(key).sort());
  });

  it.each(guarded.map((r) => [key(r), r] as const))('%s refuses an anonymous caller with 401 UNAUTHENTICATED', async (_k, r) => {
    const res = await t.app.inject(request(r));
    expect(res.statusCode, res.body).toBe(401);
    expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
  });

  it.each(guarded.map((r) => [key(r), r] as const))('%s refuses a bad session cookie, a bad Bearer token and other schemes with 401', async (_k, r) => {
    const bad: Array<Record<string, string>> = [
      { cookie: 'earshot_session=not-a-session' },
      { authorization: 'Bearer esk_not-a-token' },
      { authorization: 'Basic YTpi' },
    ];
    for (const headers of bad) {
      const res = await t.app.inject(request(r, headers));
      expect(res.statusCode, res.body).toBe(401);
      expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
    }
  });

  it.each(withPermission.map((r) => [key(r), r] as const))('%s refuses a user holding every other permission with 403 FORBIDDEN', async (_k, r) => {
    const required = requiredPermissions(r.access);
    const cookie = await allBut(required);
    const res = await t.app.inject(request(r, { cookie }));
    expect(res.statusCode, res.body).toBe(403);
    expect(errorCode(res.body)).toBe('FORBIDDEN');
  });

  describe('a group-scoped administrator', () => {
    let w: World;
    let cookie: string;
    let orgAdmin: string;
    const send = (req: Req, c = cookie) =>
      t.app.inject({ method: req.method, url: req.url, headers: { ...req.headers, cookie: c }, ...(req.payload ? { payload: req.payload } : {}) });

    beforeAll(async () => {
      currentCtx = t;
      cookie = '';
      orgAdmin = await login(t.app, tenant.admin);
      w = { ...(await makeWorld(t, tenant.tenantId, tenant.admin.id)), orgCookie: orgAdmin };
      cookie = await login(t.app, w.admin);
    });

    it('has a case for every administrative mutation, so a new one is covered the day it is added', () => {
      expect(adminMutations.length).toBeGreaterThanOrEqual(15);
      expect(adminMutations.map(key).sort()).toEqual(Object.keys(SCOPE_CASES).sort());
    });

    it.each(adminMutations.map((r) => [key(r)] as const))('%s refuses a change that reaches outside the scope, and allows one inside it', async (k) => {
      const c = await SCOPE_CASES[k]!(w);
      if ('outside' in c) {
        for (const [req, status] of c.outside) {
          const res = await send(req);
          expect(res.statusCode, `${req.method} ${req.url} ${JSON.stringify(req.payload ?? {})}: ${res.body}`).toBe(status);
          expect(errorCode(res.body)).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
        }
      } else {
        expect(c.none.length).toBeGreaterThan(0);
      }
      // A tenant-wide object has no inside: the organisation-wide administrator makes the control request.
      const res = await send(c.inside, 'insideBy' in c && c.insideBy === 'org' ? orgAdmin : cookie);
      expect(res.statusCode, `${c.inside.method} ${c.inside.url}: ${res.body}`).toBeLessThan(300);
    });

    it('leaves the objects outside the scope as they were', async () => {
      const role = await t.db.selectFrom('roles').select('permissions').where('id', '=', w.roleOut).executeTakeFirstOrThrow();
      expect(t.adapter.fromJson(role.permissions)).toEqual(['reports.view']);
      const site = await t.db.selectFrom('sites').select('time_zone').where('id', '=', w.siteOut).executeTakeFirstOrThrow();
      expect(site.time_zone).toBe('Europe/Paris');
      const uB = await t.db.selectFrom('users').select(['name', 'group_id']).where('id', '=', w.uB.id).executeTakeFirstOrThrow();
      expect(uB.group_id).toBe(w.B);
      expect(await t.db.selectFrom('groups').select('id').where('id', 'in', [w.B, w.B1]).execute()).toHaveLength(2);
      const settings = await t.db.selectFrom('tenants').select('settings').where('id', '=', tenant.tenantId).executeTakeFirstOrThrow();
      expect((t.adapter.fromJson(settings.settings) as { lockoutThreshold?: number }).lockoutThreshold).not.toBe(20);

      const tag = await t.db.selectFrom('tag_definitions').select(['name', 'color']).where('id', '=', w.tagOut).executeTakeFirstOrThrow();
      expect(tag).toEqual({ name: expect.stringMatching(/^Out /), color: '#112233' });
      const scopedTags = await t.db
        .selectFrom('tag_definitions')
        .select('name')
        .where('tenant_id', '=', tenant.tenantId)
        .where('name', 'like', 'Scoped%')
        .execute();
      expect(scopedTags).toEqual([]);
      const field = await t.db.selectFrom('custom_field_definitions').select(['label', 'type']).where('id', '=', w.fieldOut).executeTakeFirstOrThrow();
      expect(field).toEqual({ label: 'Out', type: 'text' });
      const scopedFields = await t.db
        .selectFrom('custom_field_definitions')
        .select('key')
        .where('tenant_id', '=', tenant.tenantId)
        .where('key', 'like', 'scoped_%')
        .execute();
      expect(scopedFields).toEqual([]);
      // Conversation B: its tag, comment, segment metadata and values as they were, and nothing queued for it.
      const tagsB = await t.db.selectFrom('conversation_tags').select(['tag_id', 'comment']).where('conversation_id', '=', w.convB).execute();
      expect(tagsB).toEqual([{ tag_id: w.tagOut, comment: 'as tagged' }]);
      const segB = await t.db.selectFrom('segments').select('metadata').where('id', '=', w.segB).executeTakeFirstOrThrow();
      expect(t.adapter.fromJson<Record<string, string>>(segB.metadata)).not.toHaveProperty('queue');
      expect(await t.db.selectFrom('conversation_field_values').select('value').where('conversation_id', '=', w.convB).execute()).toEqual([]);
      expect(await analyzeQueuedFor([w.convB])).toEqual([]);
      // The protected search: still protected, same name and filter, not deleted.
      const kept = await t.db.selectFrom('saved_searches').select(['name', 'protected', 'deleted_at']).where('id', '=', w.searchKept).executeTakeFirstOrThrow();
      expect(kept).toMatchObject({ name: expect.stringMatching(/^Search /), deleted_at: null });
      expect(Number(kept.protected)).toBe(1);
      // Nothing ingested by the scoped administrator (its chat, call and screen ids and email Message-IDs start "scoped-").
      const ingested = await t.db
        .selectFrom('segments')
        .select('external_id')
        .where('tenant_id', '=', tenant.tenantId)
        .where('external_id', 'like', 'scoped-%')
        .execute();
      expect(ingested).toEqual([]);
      const protectedByScoped = await t.db.selectFrom('saved_searches').select('id').where('owner_id', '=', w.admin.id).where('protected', '=', 1).execute();
      expect(protectedByScoped).toEqual([]);
    });

    /** The conversations among `ids` that a media.analyze job was queued for. */
    async function analyzeQueuedFor(ids: string[]) {
      const jobs = await t.db.selectFrom('jobs').select('payload').where('type', '=', 'media.analyze').where('tenant_id', '=', tenant.tenantId).execute();
      const queued = new Set(jobs.map((j) => t.adapter.fromJson<{ conversationId: string }>(j.payload).conversationId));
      return ids.filter((id) => queued.has(id));
    }

    it("reprocesses by saved search only the conversations in the requester's scope, even with an organisation-wide owner's search", async () => {
      // Fresh conversations, so the walk above cannot have queued them. The search is the organisation administrator's
      // (every call), protected so the scoped administrator may use it.
      const extA = String(100000 + Math.floor(Math.random() * 899999));
      const extB = String(100000 + Math.floor(Math.random() * 899999));
      await makeUser(t, tenant.tenantId, { roles: ['agent'], groupId: w.A, extension: extA });
      await makeUser(t, tenant.tenantId, { roles: ['agent'], groupId: w.B1, extension: extB });
      const inA = (await makeChat(t, w.sys, { agentExtension: extA })).conversationId;
      const inB = (await makeChat(t, w.sys, { agentExtension: extB })).conversationId;
      await t.db.updateTable('conversations').set({ has_call: 1 }).where('id', 'in', [inA, inB]).execute();
      const search = await freshSearch(w, 'org', { protect: true });
      const run = async (c: string) => {
        const res = await send({ method: 'POST', url: '/api/media/reprocess', payload: { savedSearchId: search } }, c);
        expect(res.statusCode, res.body).toBe(200);
        const job = await t.db
          .selectFrom('jobs')
          .select('payload')
          .where('id', '=', (JSON.parse(res.body) as { jobId: string }).jobId)
          .executeTakeFirstOrThrow();
        // What the media.reprocess job's handler does with the payload it was queued with.
        await reprocessConversations(t, t.adapter.fromJson<{ tenantId: string; userId: string; savedSearchId: string | null }>(job.payload), () => {});
      };
      await run(cookie);
      expect(await analyzeQueuedFor([inA, inB])).toEqual([inA]);
      // Control: the same search run by its organisation-wide owner finds B's conversation too.
      await run(orgAdmin);
      expect(await analyzeQueuedFor([inA, inB])).toEqual([inA, inB]);
    });
  });

  it.each(guarded.map((r) => [key(r), r] as const))('%s lets in a user holding exactly what it needs', async (_k, r) => {
    const required = requiredPermissions(r.access);
    // Each alternative of an any-of list must be enough on its own; AUTHENTICATED needs no permission at all.
    const sets: Permission[][] = required.length ? required.map((p) => [p]) : [[]];
    for (const perms of sets) {
      const user = await exactly(perms);
      // A fresh session per request: a route under test (logout, password change…) may end the session it runs in.
      const cookie = await login(t.app, user);
      const res = await t.app.inject(request(r, { cookie }));
      expect(res.statusCode, `${perms.join(',') || 'no permission'}: ${res.body}`).not.toBe(401);
      expect(res.statusCode, `${perms.join(',') || 'no permission'}: ${res.body}`).not.toBe(403);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
  });
});
