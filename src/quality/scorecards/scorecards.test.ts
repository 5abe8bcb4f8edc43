// Scorecards through the HTTP API on both engines: create, read, versioning (in place while unused, a new version once
// an evaluation uses the latest; old versions stay frozen), archive / unarchive, duplicate, the definition checks and
// their 400s with every problem named, who may read and who may change, and the audit with old and new values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { ScorecardDefinition } from '../model.ts';
import { getLatestVersion, getVersion } from './repository.ts';

const DEF: ScorecardDefinition = {
  scoring: 'points',
  passMark: 10,
  sections: [
    {
      id: 'sec-open',
      title: 'Opening',
      weight: 1,
      questions: [
        { id: 'q-greet', text: 'Greeted the customer', type: 'yes_no', points: 5, required: true, naAllowed: false, autoFail: false, commentAllowed: true },
        {
          id: 'q-verify',
          text: 'Verified identity',
          type: 'choice',
          options: [
            { id: 'o-full', label: 'Fully', points: 10 },
            { id: 'o-none', label: 'Not at all', points: 0, fails: true },
          ],
          required: true,
          naAllowed: false,
          autoFail: true,
          commentAllowed: false,
        },
      ],
    },
    {
      id: 'sec-tone',
      title: 'Tone',
      weight: 2,
      questions: [
        { id: 'q-tone', text: 'Tone', type: 'scale', min: 1, max: 5, points: 5, required: false, naAllowed: true, autoFail: false, commentAllowed: false },
      ],
    },
  ],
};

describe.each(ENGINES)('scorecards on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let adminId: string;
  let ingest: Actor;
  let evaluator: Client;
  let agent: Client;
  let viewer: Client;
  let n = 0;
  const uniqueName = (base = 'Card') => `${base} ${++n}`;

  const audit = async (resourceId: string) => {
    const q = new URLSearchParams({ resourceId, limit: '100' });
    return (ok(await admin.get(`/api/audit?${q}`)).items as Json[]).reverse();
  };
  const create = async (name = uniqueName(), definition: ScorecardDefinition = DEF, description?: string) =>
    ok(await admin.post('/api/scorecards', { name, definition, ...(description === undefined ? {} : { description }) }), 201);

  /** An evaluation row scored with a version, as the evaluation service writes one (its API is another folder's). */
  async function useVersion(scorecardId: string, versionId: string) {
    const { conversationId } = await makeChat(t, ingest);
    const now = nowIso();
    await t.db
      .insertInto('evaluations')
      .values({
        id: newId(),
        tenant_id: tenantId,
        conversation_id: conversationId,
        agent_user_id: adminId,
        scorecard_id: scorecardId,
        scorecard_version_id: versionId,
        evaluator_user_id: adminId,
        kind: 'review',
        calibration_id: null,
        status: 'draft',
        response_status: 'none',
        planned_by: null,
        planned_at: null,
        due_at: null,
        reminded_at: null,
        started_at: now,
        submitted_at: null,
        revision: 0,
        answers: null,
        general_comment: null,
        score: null,
        max_score: null,
        percent: null,
        passed: null,
        auto_failed: 0,
        auto_fail_reason: null,
        prefill: null,
        acknowledged_at: null,
        auto_acknowledged: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    adminId = ingest.userId;
    evaluator = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'] }));
    agent = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
  });
  afterAll(() => t?.cleanup());

  describe('create and read', () => {
    it('creates version 1 with its summary, and audits the new values', async () => {
      const name = uniqueName('Sales QA');
      const card = await create(`  ${name} `, DEF, ' For the sales team ');
      expect(card).toMatchObject({
        name,
        description: 'For the sales team',
        version: 1,
        scoring: 'points',
        passMark: 10,
        maxScore: 20,
        sections: 2,
        questions: 3,
        archived: false,
        archivedAt: null,
        definition: DEF,
      });
      expect(card.versions).toEqual([
        { id: card.versionId, version: 1, createdAt: expect.any(String), createdBy: { id: adminId, name: expect.any(String) }, evaluations: 0 },
      ]);
      expect(ok(await admin.get(`/api/scorecards/${card.id}`))).toEqual(card);
      const events = await audit(card.id);
      expect(events.map((e) => e.action)).toEqual(['SCORECARD_CREATE']);
      expect(events[0].changes).toEqual([
        { field: 'name', old: null, new: name },
        { field: 'description', old: null, new: 'For the sales team' },
        { field: 'definition', old: null, new: DEF },
      ]);
    });

    it('keeps "no pass mark" as null (not coerced to a mark of 0)', async () => {
      const card = await create(uniqueName(), { ...DEF, passMark: null });
      expect(card.passMark).toBeNull();
      expect(card.definition.passMark).toBeNull();
      expect((await getLatestVersion(t.db, tenantId, card.id))!.definition.passMark).toBeNull();
      expect(ok(await admin.put(`/api/scorecards/${card.id}`, { definition: { ...DEF, passMark: null }, description: 'x' })).passMark).toBeNull();
    });

    it('is found by the repository getters the evaluations use', async () => {
      const card = await create();
      const latest = (await getLatestVersion(t.db, tenantId, card.id))!;
      expect(latest.scorecard).toMatchObject({ id: card.id, latest_version: 1, archived_at: null });
      expect(latest.version).toMatchObject({ id: card.versionId, version: 1 });
      expect(latest.definition).toEqual(DEF);
      expect((await getVersion(t.db, tenantId, card.versionId))!.definition).toEqual(DEF);
      const other = await makeTenant(t);
      expect(await getLatestVersion(t.db, other.tenantId, card.id)).toBeUndefined();
      expect(await getVersion(t.db, other.tenantId, card.versionId)).toBeUndefined();
    });

    it('lists active scorecards by name for anyone taking part in quality, not for others', async () => {
      const b = await create(uniqueName('zz list B'));
      const a = await create(uniqueName('ZZ list A'));
      for (const c of [admin, evaluator, agent]) {
        const names = (ok(await c.get('/api/scorecards')).items as Json[]).map((x) => x.name);
        expect(names.indexOf(a.name)).toBeGreaterThanOrEqual(0);
        expect(names.indexOf(a.name)).toBeLessThan(names.indexOf(b.name));
      }
      ok(await evaluator.get(`/api/scorecards/${a.id}`));
      fails(await viewer.get('/api/scorecards'), 403, 'FORBIDDEN');
      fails(await viewer.get(`/api/scorecards/${a.id}`), 403, 'FORBIDDEN');
    });

    it('lets only scorecard managers change scorecards', async () => {
      const card = await create();
      fails(await evaluator.post('/api/scorecards', { name: uniqueName(), definition: DEF }), 403, 'FORBIDDEN');
      fails(await evaluator.put(`/api/scorecards/${card.id}`, { name: uniqueName() }), 403, 'FORBIDDEN');
      fails(await evaluator.post(`/api/scorecards/${card.id}/archive`), 403, 'FORBIDDEN');
      fails(await evaluator.post(`/api/scorecards/${card.id}/duplicate`), 403, 'FORBIDDEN');
    });

    it("answers 404 for another tenant's scorecard", async () => {
      const card = await create();
      const other = await makeTenant(t);
      const otherAdmin = await signIn(t.app, other.admin);
      fails(await otherAdmin.get(`/api/scorecards/${card.id}`), 404, 'NOT_FOUND');
      fails(await otherAdmin.put(`/api/scorecards/${card.id}`, { name: 'Mine' }), 404, 'NOT_FOUND');
      fails(await otherAdmin.post(`/api/scorecards/${card.id}/duplicate`), 404, 'NOT_FOUND');
    });
  });

  describe('bad input', () => {
    it('refuses a definition with problems, naming each, and writes nothing', async () => {
      const before = (ok(await admin.get('/api/scorecards?archived=all')).items as Json[]).length;
      const bad: ScorecardDefinition = {
        scoring: 'percentage',
        passMark: 120,
        sections: [
          { id: 's1', title: ' ', weight: 1, questions: [{ ...DEF.sections[0]!.questions[0]!, id: 'dup' }] },
          { id: 's2', title: 'Two', weight: 1, questions: [{ ...DEF.sections[1]!.questions[0]!, id: 'dup', min: 5, max: 5 } as never] },
        ],
      };
      const err = fails(await admin.post('/api/scorecards', { name: uniqueName(), definition: bad }), 400, 'VALIDATION_FAILED', 'INVALID_DEFINITION');
      expect((err.details!.problems as Json[]).map((p) => [p.path, p.code])).toEqual([
        ['sections[0].title', 'TITLE_REQUIRED'],
        ['sections[1].questions[0].id', 'DUPLICATE_ID'],
        ['sections[1].questions[0].max', 'SCALE_INVALID'],
        ['passMark', 'PASS_MARK_INVALID'],
      ]);
      expect(err.message).toBe('The scorecard cannot be saved: Section 1 needs a title (and 3 more problems)');
      expect((ok(await admin.get('/api/scorecards?archived=all')).items as Json[]).length).toBe(before);
    });

    it('refuses a scorecard without questions, and a definition of the wrong shape', async () => {
      fails(
        await admin.post('/api/scorecards', { name: uniqueName(), definition: { scoring: 'points', passMark: null, sections: [] } }),
        400,
        'VALIDATION_FAILED',
        'INVALID_DEFINITION',
      );
      const wrongType = { ...DEF, sections: [{ ...DEF.sections[0], questions: [{ ...DEF.sections[0]!.questions[0], type: 'free_text' }] }] };
      fails(await admin.post('/api/scorecards', { name: uniqueName(), definition: wrongType }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/scorecards', { name: uniqueName(), definition: { ...DEF, scoring: 'stars' } }), 400, 'VALIDATION_FAILED');
    });

    it('refuses an empty, long or taken name (regardless of case)', async () => {
      fails(await admin.post('/api/scorecards', { name: '   ', definition: DEF }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
      fails(await admin.post('/api/scorecards', { name: 'x'.repeat(121), definition: DEF }), 400, 'VALIDATION_FAILED', 'NAME_TOO_LONG');
      const card = await create();
      fails(await admin.post('/api/scorecards', { name: card.name.toUpperCase(), definition: DEF }), 409, 'ALREADY_EXISTS');
      const other = await create();
      fails(await admin.put(`/api/scorecards/${other.id}`, { name: card.name }), 409, 'ALREADY_EXISTS');
    });
  });

  describe('versions', () => {
    const changed = (def: ScorecardDefinition, points: number): ScorecardDefinition => ({
      ...def,
      sections: def.sections.map((s, i) => (i === 0 ? { ...s, questions: s.questions.map((q, j) => (j === 0 ? { ...q, points } : q)) as never } : s)),
    });

    it('edits the latest version in place while no evaluation uses it, auditing old and new definitions', async () => {
      const card = await create();
      const next = changed(DEF, 7);
      const updated = ok(await admin.put(`/api/scorecards/${card.id}`, { definition: next, expectedUpdatedAt: card.updatedAt }));
      expect(updated).toMatchObject({ version: 1, versionId: card.versionId, newVersion: false, maxScore: 22, definition: next });
      expect(updated.versions).toHaveLength(1);
      const events = await audit(card.id);
      expect(events.map((e) => e.action)).toEqual(['SCORECARD_CREATE', 'SCORECARD_UPDATE']);
      expect(events[1].changes).toEqual([{ field: 'definition', old: DEF, new: next }]);
    });

    it('adds a new version once an evaluation uses the latest, and keeps the old one frozen', async () => {
      const card = await create();
      await useVersion(card.id, card.versionId);
      const next = changed(DEF, 8);
      const updated = ok(await admin.put(`/api/scorecards/${card.id}`, { definition: next, description: 'Now 8 points' }));
      expect(updated).toMatchObject({ version: 2, newVersion: true, description: 'Now 8 points', definition: next });
      expect(updated.versionId).not.toBe(card.versionId);
      expect(updated.versions.map((v: Json) => [v.version, v.evaluations])).toEqual([
        [2, 0],
        [1, 1],
      ]);
      expect(ok(await admin.get(`/api/scorecards/${card.id}/versions/1`))).toMatchObject({ id: card.versionId, version: 1, latest: false, definition: DEF });
      expect(ok(await admin.get(`/api/scorecards/${card.id}/versions/2`))).toMatchObject({ version: 2, latest: true, definition: next });
      fails(await admin.get(`/api/scorecards/${card.id}/versions/3`), 404, 'NOT_FOUND');
      expect((await getVersion(t.db, tenantId, card.versionId))!.definition).toEqual(DEF);
      expect((await getLatestVersion(t.db, tenantId, card.id))!.version.version).toBe(2);

      const events = await audit(card.id);
      expect(events.at(-1)).toMatchObject({ action: 'SCORECARD_VERSION' });
      expect(events.at(-1).changes).toEqual([
        { field: 'description', old: '', new: 'Now 8 points' },
        { field: 'definition', old: DEF, new: next },
        { field: 'version', old: 1, new: 2 },
      ]);
      // Version 2 is unused: the next edit changes it in place.
      expect(ok(await admin.put(`/api/scorecards/${card.id}`, { definition: changed(DEF, 9) }))).toMatchObject({ version: 2, newVersion: false });
    });

    it('keeps a submitted evaluation on its version and score when the scorecard changes (through the evaluations API)', async () => {
      const card = await create();
      await makeUser(t, tenantId, { roles: ['agent'], extension: '3101', name: 'Vera Versioned' });
      const agentRow = await t.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('name', '=', 'Vera Versioned')
        .executeTakeFirstOrThrow();
      const { conversationId } = await makeChat(t, ingest, { agentExtension: '3101' });
      const draft = ok(await admin.post('/api/evaluations', { conversationId, agentUserId: agentRow.id, scorecardId: card.id, mode: 'now' }), 201);
      const answers = { 'q-greet': { value: 'yes' }, 'q-verify': { value: 'o-full' }, 'q-tone': { value: 5 } };
      const submitted = ok(await admin.post(`/api/evaluations/${draft.id}/submit`, { answers, generalComment: '' }));
      expect(submitted.result).toMatchObject({ score: 20, maxScore: 20, passed: true });

      // Greeting now worth 50: version 2; the submitted evaluation keeps version 1 and its 20 / 20.
      const next = changed(DEF, 50);
      expect(ok(await admin.put(`/api/scorecards/${card.id}`, { definition: next }))).toMatchObject({ version: 2, newVersion: true });
      const again = ok(await admin.get(`/api/evaluations/${draft.id}`));
      expect(again.scorecard).toMatchObject({ id: card.id, version: 1, definition: DEF });
      expect(again.result).toMatchObject({ score: 20, maxScore: 20 });
      // A new review is scored with version 2.
      const { conversationId: other } = await makeChat(t, ingest, { agentExtension: '3101' });
      expect(
        ok(await admin.post('/api/evaluations', { conversationId: other, agentUserId: agentRow.id, scorecardId: card.id, mode: 'now' }), 201).scorecard,
      ).toMatchObject({
        version: 2,
        definition: next,
      });
    });

    it('counts a calibration session as a use of the version', async () => {
      const card = await create();
      const { conversationId } = await makeChat(t, ingest);
      await t.db
        .insertInto('calibrations')
        .values({
          id: newId(),
          tenant_id: tenantId,
          name: 'Cal',
          conversation_id: conversationId,
          agent_user_id: adminId,
          scorecard_id: card.id,
          scorecard_version_id: card.versionId,
          reference_user_id: null,
          status: 'open',
          due_at: null,
          created_by: adminId,
          created_at: nowIso(),
          closed_at: null,
        })
        .execute();
      expect(ok(await admin.put(`/api/scorecards/${card.id}`, { definition: changed(DEF, 3) }))).toMatchObject({ version: 2, newVersion: true });
    });

    it('renames without a new version, and changes nothing (no audit) when nothing differs', async () => {
      const card = await create();
      await useVersion(card.id, card.versionId);
      const name = uniqueName('Renamed');
      expect(ok(await admin.put(`/api/scorecards/${card.id}`, { name, definition: DEF }))).toMatchObject({ name, version: 1, newVersion: false });
      const same = ok(await admin.put(`/api/scorecards/${card.id}`, { name, description: '', definition: DEF }));
      expect(same).toMatchObject({ version: 1, newVersion: false });
      expect((await audit(card.id)).map((e) => [e.action, e.changes])).toEqual([
        ['SCORECARD_CREATE', expect.anything()],
        ['SCORECARD_UPDATE', [{ field: 'name', old: card.name, new: name }]],
      ]);
    });

    it('refuses to overwrite a save made since the editor opened the scorecard', async () => {
      const card = await create();
      ok(await admin.put(`/api/scorecards/${card.id}`, { description: 'First editor', expectedUpdatedAt: card.updatedAt }));
      fails(
        await admin.put(`/api/scorecards/${card.id}`, { description: 'Second editor', expectedUpdatedAt: card.updatedAt }),
        409,
        'CONFLICT',
        'CHANGED_MEANWHILE',
      );
      expect(ok(await admin.get(`/api/scorecards/${card.id}`)).description).toBe('First editor');
    });
  });

  describe('archive and duplicate', () => {
    it('archives instead of deleting: left out of the default list, not editable, back when unarchived', async () => {
      const card = await create();
      const archived = ok(await admin.post(`/api/scorecards/${card.id}/archive`));
      expect(archived).toMatchObject({ archived: true, archivedAt: expect.any(String) });
      // Twice is harmless and audited once.
      ok(await admin.post(`/api/scorecards/${card.id}/archive`));
      const ids = async (archivedFilter?: string) =>
        (ok(await admin.get(`/api/scorecards${archivedFilter ? `?archived=${archivedFilter}` : ''}`)).items as Json[]).map((x) => x.id);
      expect(await ids()).not.toContain(card.id);
      expect(await ids('archived')).toContain(card.id);
      expect(await ids('all')).toContain(card.id);
      fails(await admin.put(`/api/scorecards/${card.id}`, { description: 'x' }), 409, 'CONFLICT', 'SCORECARD_ARCHIVED');
      fails(await admin.get('/api/scorecards?archived=maybe'), 400, 'VALIDATION_FAILED');

      expect(ok(await admin.post(`/api/scorecards/${card.id}/unarchive`))).toMatchObject({ archived: false, archivedAt: null });
      expect(await ids()).toContain(card.id);
      const events = await audit(card.id);
      expect(events.map((e) => e.action)).toEqual(['SCORECARD_CREATE', 'SCORECARD_ARCHIVE', 'SCORECARD_UNARCHIVE']);
      expect(events[1].changes).toEqual([{ field: 'archivedAt', old: null, new: archived.archivedAt }]);
    });

    it('frees the name of an archived scorecard, and refuses to bring it back while another holds the name', async () => {
      const card = await create();
      ok(await admin.post(`/api/scorecards/${card.id}/archive`));
      await create(card.name);
      fails(await admin.post(`/api/scorecards/${card.id}/unarchive`), 409, 'ALREADY_EXISTS');
    });

    it('duplicates the latest definition into a new scorecard with new ids, named "Copy of …"', async () => {
      const card = await create();
      await useVersion(card.id, card.versionId);
      const next = { ...DEF, passMark: 12 };
      ok(await admin.put(`/api/scorecards/${card.id}`, { definition: next }));
      const copy = ok(await admin.post(`/api/scorecards/${card.id}/duplicate`), 201);
      expect(copy).toMatchObject({ name: `Copy of ${card.name}`, version: 1, passMark: 12, maxScore: 20, questions: 3 });
      expect(copy.id).not.toBe(card.id);
      const ids = (d: ScorecardDefinition) =>
        d.sections.flatMap((s) => [s.id, ...s.questions.flatMap((q) => [q.id, ...(q.type === 'choice' ? q.options.map((o) => o.id) : [])])]);
      expect(ids(copy.definition).filter((id) => ids(DEF).includes(id))).toEqual([]);
      const strip = (d: ScorecardDefinition) => JSON.parse(JSON.stringify(d, (k, v) => (k === 'id' ? undefined : v)));
      expect(strip(copy.definition)).toEqual(strip(next));
      expect(ok(await admin.post(`/api/scorecards/${card.id}/duplicate`), 201).name).toBe(`Copy of ${card.name} (2)`);
      expect(ok(await admin.post(`/api/scorecards/${card.id}/duplicate`, { name: uniqueName('Named copy') }), 201).version).toBe(1);
      expect((await audit(copy.id)).map((e) => e.action)).toEqual(['SCORECARD_DUPLICATE']);
    });
  });
});
