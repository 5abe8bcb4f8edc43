// The same conversations on SQLite (FTS5) and PostgreSQL (tsvector + GIN), searched with a corpus of queries and
// filters: both must return the same conversations and the same counts, and the same order when newest first.
// Each corpus call is there as three chats (its thirds, so phrases meet message boundaries) and once more with its
// utterances as a transcript (speakers and "said by").
// Relevance order is not compared: SQLite ranks with bm25, PostgreSQL with ts_rank (docs/search.md).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { actorOfUser } from '../helpers/conversations.ts';
import { makeTenant, makeUser } from '../helpers/factories.ts';
import { runJobs } from '../helpers/jobs.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { ingestChat } from '../../src/conversations/ingest/chats.ts';
import { inTransaction } from '../../src/platform/db/uow.ts';
import { newId } from '../../src/platform/ids.ts';
import { queueIndexing } from '../../src/search/index/indexer.ts';
import * as repo from '../../src/search/repository.ts';
import { planSearch, searchConversations } from '../../src/search/service.ts';
import { replaceTranscript } from '../../src/speech/repository.ts';

const CORPUS = path.resolve('..', 'shared/corpus/public');
const DAY = 86_400_000;
const NOW = new Date('2026-06-15T12:00:00.000Z');

interface Utterance {
  speaker: string;
  role: string;
  start: number;
  end: number;
  text: string;
}
const calls = fs.existsSync(CORPUS)
  ? fs
      .readdirSync(CORPUS)
      .filter((f) => /^p\d+.*\.json$/.test(f))
      .sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8')) as { call_id: string; utterances: Utterance[] })
  : [];

/** Hand-written queries over the corpus's language, then random ones from its vocabulary. */
const QUERIES = [
  'refund',
  'charge',
  'charges',
  'charged',
  'account',
  'Account',
  'thank',
  '"thank you for calling"',
  '"this call may be recorded"',
  'card -payment',
  '(cancel OR cancellation) AND plan',
  'NOT recorded',
  '-refund',
  'refund OR cancel OR password',
  '+help +account',
  '"can I get"',
  'internet',
  'problem OR issue',
  '(problem OR issue) AND billing -refund',
  'the',
  'the refund',
  '"the refund"',
  'email',
  'confirmation friday',
  '"by friday"',
  'NOT (refund OR charge)',
  'help -(refund OR charge)',
  'zzzz',
  'zzzz OR refund',
  'speaking',
  'minutes',
  'transfer',
  'hold',
  '"please hold"',
  'sorry',
  'week',
  'payment AND NOT card',
  'bank',
  'order',
  'delivery',
  '"help you"',
  '"thank you"',
  '"you for"',
];

function randomQueries(vocab: string[], count: number, seed: number) {
  const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const atom = (d: number): string => {
    const r = next();
    if (r < 0.5) return pick(vocab);
    if (r < 0.65) return `"${pick(vocab)} ${pick(vocab)}"`;
    if (r < 0.8 && d < 2) return `(${expr(d + 1)})`;
    return pick(['-', '+', 'NOT ']) + pick(vocab);
  };
  const expr = (d: number): string => {
    const parts = [atom(d)];
    for (let i = 1 + Math.floor(next() * 2); i > 1; i--) parts.push(pick([' ', ' AND ', ' OR ']), atom(d));
    return parts.join('');
  };
  return Array.from({ length: count }, () => expr(0));
}

const FILTERS: Array<Record<string, unknown>> = [
  { period: null, reviewable: 'all' },
  { period: { kind: 'last_days', days: 30 }, reviewable: 'all' },
  { period: { kind: 'custom', from: '2026-03-01', to: '2026-05-31' }, direction: 'inbound', reviewable: 'all' },
  { period: null, daysOfWeek: [1, 2, 3], timeOfDay: { from: '8', to: '14' }, reviewable: 'all' },
  { period: null, saidBy: 'customer', reviewable: 'all' },
  { period: { kind: 'last_days', days: 90 }, saidBy: 'agent', reviewable: 'all' },
];

describe.skipIf(ENGINES.length < 2 || calls.length === 0)('search across backends', () => {
  const sides: Array<{ t: TestContext; actor: Actor; agentB: string }> = [];

  beforeAll(async () => {
    for (const engine of ENGINES) {
      const t = await createTestContext(engine);
      const tenant = await makeTenant(t, 'Cross');
      await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '2001', name: 'Agent One' });
      const b = await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '2002', name: 'Agent Two' });
      const actor = await actorOfUser(t, tenant.admin.id);
      // Each corpus call becomes three chats (its thirds), spread over five months at varied hours.
      let n = 0;
      for (const call of calls) {
        const thirds = [0, 1, 2].map((k) => call.utterances.filter((_, i) => i % 3 === k));
        for (const [k, part] of thirds.entries()) {
          if (part.length === 0) continue;
          const at = NOW.getTime() - ((n * 37) % 150) * DAY - ((n * 7) % 11) * 3_600_000;
          n++;
          await ingestChat(t, actor, {
            chatId: `${call.call_id}-${k}`,
            roomName: `Room ${call.call_id} part ${k}`,
            direction: n % 3 === 0 ? 'outbound' : 'inbound',
            participants: [
              { key: 'customer', role: 'customer', name: 'Customer' },
              { key: 'agent', role: 'agent', name: 'Agent', extension: n % 2 ? '2001' : '2002' },
            ],
            messages: part.map((u) => ({ sender: u.role === 'agent' ? 'agent' : 'customer', at: new Date(at + u.start * 1000).toISOString(), text: u.text })),
          } as never);
        }
      }
      // Each call again, as a call with its transcript (speakers agent / customer), on its own day.
      for (const [i, call] of calls.entries()) {
        const at = NOW.getTime() - ((i * 13) % 120) * DAY - 5 * 3_600_000;
        const { conversationId } = await ingestChat(t, actor, {
          chatId: `${call.call_id}-call`,
          roomName: `Transcript ${call.call_id}`,
          participants: [
            { key: 'customer', role: 'customer', name: 'Customer' },
            { key: 'agent', role: 'agent', name: 'Agent', extension: '2001' },
          ],
          messages: [{ sender: 'agent', at: new Date(at).toISOString(), text: 'call' }],
        } as never);
        await inTransaction(t.db, async (uow) => {
          const transcriptId = newId();
          await replaceTranscript(
            uow.tx,
            t.adapter,
            {
              id: transcriptId,
              tenant_id: tenant.tenantId,
              conversation_id: conversationId,
              engine: 'test',
              language: 'en',
              word_count: 0,
              audio_ms: 0,
              cpu_ms: 0,
              created_at: NOW.toISOString(),
            },
            call.utterances.map((u, seq) => ({
              id: newId(),
              segmentId: null,
              streamId: null,
              partyKey: u.role,
              role: u.role === 'agent' ? 'agent' : 'customer',
              seq,
              startMs: Math.round(u.start * 1000),
              endMs: Math.round(u.end * 1000),
              text: u.text,
              displayText: u.text,
              redactedText: u.text,
              confidence: null,
              words: u.text.split(/\s+/).map((w) => ({ w, s: Math.round(u.start * 1000), e: Math.round(u.end * 1000), c: null })),
              pii: [],
            })),
          );
          await queueIndexing(t, uow, tenant.tenantId, [conversationId]);
        });
      }
      await runJobs(t);
      sides.push({ t, actor, agentB: b.id });
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of sides) await s.t.cleanup();
  });

  async function all(side: (typeof sides)[number], filter: Record<string, unknown>) {
    const titles: string[] = [];
    let cursor: string | undefined;
    let first: { total: number; totalExact: boolean } | undefined;
    do {
      const page = await searchConversations(side.t, side.actor, filter, { cursor, limit: 200, now: NOW });
      first ??= { total: page.total, totalExact: page.totalExact };
      titles.push(...page.items.map((i) => i.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { ...first!, titles };
  }

  it('has data on both sides', async () => {
    const [a, b] = await Promise.all(sides.map((s) => all(s, { period: null, reviewable: 'all' })));
    expect(a!.total).toBeGreaterThan(20);
    expect(b!.titles).toEqual(a!.titles);
  });

  it('gives the same first page and count from one statement as from a page and a count apart', async () => {
    let checked = 0;
    for (const side of sides) {
      for (const q of QUERIES) {
        for (const f of [...FILTERS.slice(0, 2), { period: null, reviewable: 'all' }]) {
          for (const sort of ['newest', 'relevance'] as const) {
            for (const text of [q, undefined]) {
              const { plan } = await planSearch(side.t, side.actor, { ...f, q: text, sort }, NOW);
              if (!plan) continue;
              // A page of 3 and a cap of 5: both the "more than" count and the next cursor are exercised.
              const first = repo.searchFirstPage(side.t.db, side.t.adapter, plan, 3, side.t.reads, 5);
              const [page, count] = await Promise.all([first.page, first.count]);
              const label = `${side.t.config.databaseUrl.split(':')[0]} ${text} | ${JSON.stringify(f)} | ${sort}`;
              expect(page, label).toEqual(await repo.searchPage(side.t.db, side.t.adapter, plan, 3, null, side.t.reads));
              expect(count, label).toEqual(await repo.countCapped(side.t.db, side.t.adapter, plan, 5, side.t.reads));
              if (page.ids.length) checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(QUERIES.length);
  }, 300_000);

  it('returns the same conversations and counts for every query and filter', async () => {
    const vocab = [...new Set(calls.flatMap((c) => c.utterances.flatMap((u) => u.text.toLowerCase().match(/[a-z]{4,}/g) ?? [])))].sort().slice(0, 400);
    const queries = [...QUERIES, ...randomQueries(vocab, 120, 7)];
    let nonEmpty = 0;
    for (const q of queries) {
      for (const [fi, f] of FILTERS.entries()) {
        for (const sort of ['newest', 'relevance'] as const) {
          if (fi > 1 && sort === 'relevance') continue;
          const filter = { ...f, q, sort };
          const [a, b] = await Promise.all(sides.map((s) => all(s, filter)));
          const label = `${q} | ${JSON.stringify(f)} | ${sort}`;
          expect(b!.total, label).toBe(a!.total);
          expect(b!.titles.length, label).toBe(a!.titles.length);
          if (sort === 'newest') expect(b!.titles, label).toEqual(a!.titles);
          else expect([...b!.titles].sort(), label).toEqual([...a!.titles].sort());
          if (a!.total > 0) nonEmpty++;
        }
      }
    }
    // The corpus must exercise the engines, not compare empty results.
    expect(nonEmpty).toBeGreaterThan(queries.length);
  }, 900_000);
});
