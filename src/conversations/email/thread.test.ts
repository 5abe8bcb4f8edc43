import { describe, expect, it } from 'vitest';
import { buildEml, type BuildEmlInput } from './fixtures.ts';
import { parseEml, type ParsedEmail } from './parse.ts';
import { parentCandidates, relatedThreadKeys, threadKeyFor, threadMessages, type ThreadLookup } from './thread.ts';

const customer = { name: 'Zoé Dupont', address: 'zoe.dupont@exemple.fr' };
const agent = { name: 'Acme Support', address: 'support@acme-support.example' };

const parse = (input: Omit<BuildEmlInput, 'to'> & { to?: BuildEmlInput['to'] }) => parseEml(Buffer.from(buildEml({ to: agent, ...input })));

// A 3-message thread: the customer's question, the agent's answer, the customer's follow-up.
async function threeMessageThread() {
  const root = await parse({
    messageId: '<q1@exemple.fr>',
    from: customer,
    subject: 'Réclamation facture',
    date: new Date('2025-07-01T08:00:00Z'),
    text: "Je n'ai pas reçu mon remboursement.",
  });
  const answer = await parse({
    messageId: '<a1@acme-support.example>',
    inReplyTo: '<q1@exemple.fr>',
    references: ['<q1@exemple.fr>'],
    from: agent,
    to: customer,
    subject: 'RE: Réclamation facture',
    date: new Date('2025-07-01T09:30:00Z'),
    text: 'Le remboursement part aujourd’hui.',
  });
  const followUp = await parse({
    messageId: '<q2@exemple.fr>',
    inReplyTo: '<a1@acme-support.example>',
    references: ['<q1@exemple.fr>', '<a1@acme-support.example>'],
    from: customer,
    subject: 'Re: RE: Réclamation facture',
    date: new Date('2025-07-02T07:00:00Z'),
    text: 'Merci !',
  });
  return { root, answer, followUp };
}

/** An in-memory stand-in for the ingest's store: every id a thread contains or references → its key. */
function memoryStore() {
  const keyOf = new Map<string, string>();
  const lookup: ThreadLookup = (id) => keyOf.get(id) ?? null;
  const ingest = (email: ParsedEmail) => {
    const keys = relatedThreadKeys(email, lookup);
    const key = keys[0] ?? email.messageId;
    // merge any other thread this message bridges into the first one
    for (const other of keys.slice(1)) for (const [id, k] of keyOf) if (k === other) keyOf.set(id, key);
    for (const id of [email.messageId, ...parentCandidates(email)]) keyOf.set(id, key);
    return key;
  };
  return { lookup, ingest };
}

describe('threadMessages', () => {
  it('groups a 3-message thread delivered out of order, in chronological order', async () => {
    const { root, answer, followUp } = await threeMessageThread();
    const threads = threadMessages([followUp, root, answer]);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.key).toBe('q1@exemple.fr');
    expect(threads[0]!.emails.map((e) => e.messageId)).toEqual(['q1@exemple.fr', 'a1@acme-support.example', 'q2@exemple.fr']);
    expect(threads[0]!.ids).toEqual(['a1@acme-support.example', 'q1@exemple.fr', 'q2@exemple.fr']);
    // the same set in any order gives the same result
    expect(threadMessages([answer, followUp, root])).toEqual(threads);
  });

  it('joins replies whose parent was never imported, and lists the missing id for later merging', async () => {
    const { root, followUp } = await threeMessageThread();
    const onlyFollowUp = threadMessages([followUp]);
    expect(onlyFollowUp).toHaveLength(1);
    expect(onlyFollowUp[0]!.key).toBe('q2@exemple.fr');
    expect(onlyFollowUp[0]!.ids).toEqual(['a1@acme-support.example', 'q1@exemple.fr', 'q2@exemple.fr']);

    // the root and the follow-up, without the answer in between: still one thread
    const threads = threadMessages([followUp, root]);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.emails.map((e) => e.messageId)).toEqual(['q1@exemple.fr', 'q2@exemple.fr']);
  });

  it('threads a message that has References but no In-Reply-To', async () => {
    const { root, answer } = await threeMessageThread();
    const refsOnly = await parse({
      messageId: '<q3@exemple.fr>',
      references: ['<q1@exemple.fr>', '<a1@acme-support.example>'],
      from: customer,
      subject: 'Autre question',
      date: new Date('2025-07-03T07:00:00Z'),
      text: 'Encore une chose.',
    });
    expect(refsOnly.inReplyTo).toBeNull();
    const threads = threadMessages([refsOnly, answer, root]);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.emails.at(-1)!.messageId).toBe('q3@exemple.fr');
  });

  it('does not join different customers who use the same subject', async () => {
    const a = await parse({
      messageId: '<inv-a@one.example>',
      from: 'alice@one.example',
      subject: 'Invoice',
      date: new Date('2025-07-01T08:00:00Z'),
      text: 'Where is my invoice?',
    });
    const b = await parse({
      messageId: '<inv-b@two.example>',
      from: 'bob@two.example',
      subject: 'Invoice',
      date: new Date('2025-07-01T08:05:00Z'),
      text: 'Wrong amount on my invoice.',
    });
    const replyWithoutRefs = await parse({
      messageId: '<inv-c@one.example>',
      from: 'alice@one.example',
      subject: 'Re: Invoice',
      date: new Date('2025-07-01T09:00:00Z'),
      text: 'Any news?',
    });
    const threads = threadMessages([b, replyWithoutRefs, a]);
    expect(threads.map((t) => t.key)).toEqual(['inv-a@one.example', 'inv-b@two.example', 'inv-c@one.example']);
  });

  it('counts a message imported twice (no Message-ID, same synthetic id) once', async () => {
    const input = {
      messageId: null,
      from: 'noreply@legacy.example',
      subject: 'Daily export failed',
      date: new Date('2025-07-07T06:00:00Z'),
      text: 'The nightly export job failed with code 17.',
    };
    const first = await parse(input);
    const again = await parse(input);
    expect(again.messageId).toBe(first.messageId);
    const threads = threadMessages([first, again]);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.emails).toHaveLength(1);
  });

  it('orders messages without a Date last and parents before replies sent in the same second', async () => {
    const t = new Date('2025-07-01T08:00:00Z');
    const parent = await parse({ messageId: '<p@x.example>', from: 'a@x.example', subject: 's', date: t, text: 'p' });
    const child = await parse({
      messageId: '<0-child@x.example>',
      inReplyTo: '<p@x.example>',
      from: 'b@x.example',
      subject: 's',
      date: t,
      text: 'c',
    });
    const undated = await parse({
      messageId: '<00-undated@x.example>',
      inReplyTo: '<0-child@x.example>',
      from: 'a@x.example',
      subject: 's',
      date: null,
      text: 'u',
    });
    const [thread] = threadMessages([undated, child, parent]);
    expect(thread!.emails.map((e) => e.messageId)).toEqual(['p@x.example', '0-child@x.example', '00-undated@x.example']);
  });
});

describe('threadKeyFor', () => {
  it('prefers In-Reply-To, then References from the last to the first', () => {
    const email = { messageId: 'new@x', inReplyTo: 'parent@x', references: ['root@x', 'middle@x', 'parent@x'] };
    const keys: Record<string, string> = { 'root@x': 'T-root', 'middle@x': 'T-middle', 'parent@x': 'T-parent' };
    expect(threadKeyFor(email, (id) => keys[id] ?? null)).toBe('T-parent');
    delete keys['parent@x'];
    expect(threadKeyFor(email, (id) => keys[id] ?? null)).toBe('T-middle');
    delete keys['middle@x'];
    expect(threadKeyFor(email, (id) => keys[id] ?? null)).toBe('T-root');
    delete keys['root@x'];
    expect(threadKeyFor(email, () => null)).toBe('new@x');
    expect(parentCandidates(email)).toEqual(['parent@x', 'middle@x', 'root@x']);
  });

  it('puts a re-imported message back into its own thread', () => {
    const email = { messageId: 'known@x', inReplyTo: 'other@x', references: [] };
    const keys: Record<string, string> = { 'known@x': 'T-1', 'other@x': 'T-2' };
    expect(threadKeyFor(email, (id) => keys[id] ?? null)).toBe('T-1');
    expect(relatedThreadKeys(email, (id) => keys[id] ?? null)).toEqual(['T-1', 'T-2']);
  });

  it('ends with one thread when the 3 messages are ingested one by one in any order', async () => {
    const { root, answer, followUp } = await threeMessageThread();
    for (const order of [
      [root, answer, followUp],
      [followUp, root, answer],
      [answer, followUp, root],
      [followUp, answer, root],
    ]) {
      const store = memoryStore();
      const keys = order.map((e) => store.ingest(e));
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toBe(order[0]!.messageId);
    }
  });

  it('reports both threads when a late parent bridges two separately started ones', async () => {
    const { root, answer, followUp } = await threeMessageThread();
    const store = memoryStore();
    // the follow-up names only its direct parent here, so it cannot know the root yet
    const followUpNarrow = { ...followUp, references: ['a1@acme-support.example'] };
    expect(store.ingest(root)).toBe('q1@exemple.fr');
    expect(store.ingest(followUpNarrow)).toBe('q2@exemple.fr');
    expect(relatedThreadKeys(answer, store.lookup)).toEqual(['q2@exemple.fr', 'q1@exemple.fr']);
    const key = store.ingest(answer);
    expect(store.lookup('q1@exemple.fr')).toBe(key);
    expect(store.lookup('q2@exemple.fr')).toBe(key);
  });
});
