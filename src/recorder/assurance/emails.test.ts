// The recording assurance digest in the recipient's language (issue 14): every variant (sources only, calls only, both,
// more than listed, counts that take each plural form) renders in each of the seven UI languages with its links and
// no English sentence left in a translated mail; and notifyAssurance, on both engines, sends a German-speaking
// administrator the German digest beside the English one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { englishLeftovers } from '../../../test/helpers/english-leftovers.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { LANGUAGES } from '../../auth/languages.ts';
import { newId } from '../../platform/ids.ts';
import { renderAssuranceDigest, type AssuranceDigestFacts } from './emails.ts';
import { notifyAssurance } from './notify.ts';
import * as repo from './repository.ts';

const probe = {
  name: 'SBC <1>',
  target: 'sbc1.example.com:5060',
  failingSince: '2030-01-01T09:58:00.000Z',
  lastError: 'no answer within 2000 ms',
  lastStatus: null,
};
const ev = (flag: string, callRef: string, conversationId: string | null = 'c1') => ({
  startedAt: '2030-01-01T09:59:00.000Z',
  callRef,
  flag,
  detail: `detail of ${callRef}`,
  conversationId,
});
const ALL_FLAGS = ['not_recorded', 'one_sided', 'empty', 'clipped', 'long_gaps'];
const VARIANTS: Array<Omit<AssuranceDigestFacts, 'lang' | 'base'>> = [
  { calls: 0, probes: [probe], counts: [], events: [], more: 0 },
  {
    calls: 0,
    probes: [probe, { ...probe, name: null, target: 'sbc2:5060', lastError: null }, { ...probe, target: 'sbc3:5060' }],
    counts: [],
    events: [],
    more: 0,
  },
  {
    calls: 5,
    probes: [],
    counts: ALL_FLAGS.map((flag) => ({ flag, n: 1 })),
    events: ALL_FLAGS.map((flag, i) => ev(flag, `call-${i}`, flag === 'not_recorded' ? null : `c${i}`)),
    more: 0,
  },
  { calls: 1, probes: [probe], counts: [{ flag: 'clipped', n: 1 }], events: [ev('clipped', 'call-X')], more: 0 },
  { calls: 22, probes: [probe], counts: [{ flag: 'long_gaps', n: 30 }], events: [ev('long_gaps', 'call-Y')], more: 29 },
];
const facts = (lang: AssuranceDigestFacts['lang'], v: (typeof VARIANTS)[number]): AssuranceDigestFacts => ({ lang, base: 'https://e.example', ...v });
const dataOf = (v: (typeof VARIANTS)[number]) => [
  ...v.probes.flatMap((p) => [p.name ?? '', p.target, p.lastError ?? '']),
  ...v.events.flatMap((e) => [e.callRef, e.detail, ...(e.conversationId ? [`https://e.example/conversations/${e.conversationId}`] : [])]),
  'https://e.example/admin/recorder/health',
  'SIP OPTIONS',
  'recorder.manage',
];

describe('recording assurance digest e-mail', () => {
  it.each(LANGUAGES.flatMap((l) => VARIANTS.map((_, i) => [l, i] as const)))('%s, variant %i', (lang, i) => {
    const v = VARIANTS[i]!;
    const m = renderAssuranceDigest(facts(lang, v));
    expect(m.subject).toMatch(/^Earshot: \S/);
    expect(m.text).toContain('https://e.example/admin/recorder/health');
    expect(m.html).toContain('href="https://e.example/admin/recorder/health"');
    for (const e of v.events) {
      expect(m.text).toContain(e.callRef);
      if (e.conversationId) expect(m.html).toContain(`href="https://e.example/conversations/${e.conversationId}"`);
    }
    for (const p of v.probes) expect(m.text).toContain(p.target);
    expect(m.html).not.toContain('<1>');
    if (lang === 'en') return;
    const en = renderAssuranceDigest(facts('en', v));
    expect(englishLeftovers(en.text, m.text, dataOf(v))).toEqual([]);
    expect(englishLeftovers(en.subject, m.subject, dataOf(v))).toEqual([]);
    expect(m.text).not.toMatch(/not answering|recording problem|Recording health|Calls flagged|You receive this/);
  });

  it('counts with the plural forms of each language', () => {
    const subject = (lang: AssuranceDigestFacts['lang'], calls: number, sources: number) =>
      renderAssuranceDigest(facts(lang, { calls, probes: Array.from({ length: sources }, () => probe), counts: [], events: [], more: 0 })).subject;
    expect(subject('en', 1, 2)).toBe('Earshot: 1 call with a recording problem, 2 recording sources not answering');
    expect(subject('de', 3, 1)).toBe('Earshot: 3 Anrufe mit einem Aufzeichnungsproblem, 1 Aufzeichnungsquelle antwortet nicht');
    expect(subject('ru', 21, 3)).toBe('Earshot: 21 звонок с проблемой записи, 3 источника записи не отвечают');
    expect(subject('ru', 5, 0)).toBe('Earshot: 5 звонков с проблемой записи');
    expect(subject('cs', 2, 5)).toBe('Earshot: 2 hovory s problémem nahrávání, 5 zdrojů nahrávání neodpovídá');
    expect(subject('fr', 2, 0)).toBe("Earshot: 2 appels avec un problème d'enregistrement");
  });
});

describe.each(ENGINES)('the digest in the administrator’s language (%s)', (engine) => {
  let t: TestContext;
  let tenantId: string;
  beforeAll(async () => {
    t = await createTestContext(engine);
    ({ tenantId } = await makeTenant(t));
  }, 60_000);
  afterAll(() => t?.cleanup());

  it('a German-speaking administrator gets it in German, the others in the organisation’s language', async () => {
    const german = await makeUser(t, tenantId, { permissions: ['recorder.manage'], email: `de-${newId()}@example.test` });
    await t.db.updateTable('users').set({ language: 'de' }).where('id', '=', german.id).execute();
    const english = await makeUser(t, tenantId, { permissions: ['recorder.manage'], email: `en-${newId()}@example.test` });
    const at = '2030-01-01T09:59:00.000Z';
    await repo.insertEvents(t.db, [
      {
        id: newId(),
        tenant_id: tenantId,
        call_id: newId(),
        call_ref: 'call-A',
        conversation_id: newId(),
        flag: 'one_sided',
        detail: 'callee silent',
        call_started_at: at,
        created_at: at,
        notified_at: null,
      },
      {
        id: newId(),
        tenant_id: tenantId,
        call_id: newId(),
        call_ref: 'call-B',
        conversation_id: null,
        flag: 'not_recorded',
        detail: 'no RTP',
        call_started_at: at,
        created_at: at,
        notified_at: null,
      },
    ]);
    await notifyAssurance(t, Date.parse('2030-01-01T10:00:00.000Z'));
    const mails = await t.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'recording_assurance')
      .execute();
    const toGerman = mails.find((m) => m.to_address === german.email)!;
    const toEnglish = mails.find((m) => m.to_address === english.email)!;
    expect(toEnglish.subject).toBe('Earshot: 2 calls with a recording problem');
    expect(toGerman.subject).toBe('Earshot: 2 Anrufe mit einem Aufzeichnungsproblem');
    expect(toGerman.body_text).toContain('Von der Aufzeichnungsprüfung markierte Anrufe:');
    expect(toGerman.body_text).toContain('Anruf call-A — einseitig (eine Seite ist stumm oder fehlt): callee silent');
    expect(toGerman.body_text).toContain('Anruf call-B — nicht aufgezeichnet: no RTP');
    expect(toGerman.body_text).toMatch(/1\.1\.2030|01\.01\.2030/);
    expect(toGerman.body_text).toContain('Zustand der Aufzeichnung:');
    expect(toGerman.body_html).toContain('/admin/recorder/health"');
    expect(toGerman.body_text).not.toMatch(/You receive this|Calls flagged/);
  }, 60_000);
});
