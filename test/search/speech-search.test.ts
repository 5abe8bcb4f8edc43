// Search over what was said (issue 9), on both engines: transcripts join the conversation's document (redacted text
// only), a phrase never runs from one utterance, chat message or email field into the next, "said by" keeps a query
// to one side, and a speech hit says where in the call it was said.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { actorOfUser } from '../helpers/conversations.ts';
import { makeTenant } from '../helpers/factories.ts';
import { runJobs } from '../helpers/jobs.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { buildEml } from '../../src/conversations/email/fixtures.ts';
import { ingestChat } from '../../src/conversations/ingest/chats.ts';
import { ingestEmail } from '../../src/conversations/ingest/emails.ts';
import { newId } from '../../src/platform/ids.ts';
import { inTransaction } from '../../src/platform/db/uow.ts';
import { indexConversation, queueIndexing } from '../../src/search/index/indexer.ts';
import { conversationHighlights, searchConversations } from '../../src/search/service.ts';
import { replaceTranscript, updateRedaction, type NewUtterance } from '../../src/speech/repository.ts';
import type { SpeakerRole } from '../../src/speech/model.ts';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const AT = new Date('2026-06-14T09:00:00.000Z');

for (const engine of ENGINES) {
  describe(`search over speech, chats and emails (${engine})`, () => {
    let t: TestContext;
    let actor: Actor;
    const ids: Record<string, string> = {};

    const chat = async (name: string, messages: Array<[sender: 'customer' | 'agent', text: string]>) => {
      const r = await ingestChat(t, actor, {
        chatId: `chat-${randomBytes(6).toString('hex')}`,
        roomName: `Room ${name}`,
        participants: [
          { key: 'customer', role: 'customer', name: 'Pat Customer' },
          { key: 'agent', role: 'agent', name: 'Agent', extension: '2001' },
        ],
        messages: messages.map(([sender, text], i) => ({ sender, at: new Date(AT.getTime() + i * 10_000).toISOString(), text })),
      } as never);
      ids[name] = r.conversationId;
    };

    /** Stores a transcript on a conversation as the transcription job does (the indexer does not look at the segment kind). */
    const transcript = async (conversationId: string, utterances: Array<[role: SpeakerRole, text: string, redacted?: string]>) => {
      const tenantId = (await t.db.selectFrom('conversations').select('tenant_id').where('id', '=', conversationId).executeTakeFirstOrThrow()).tenant_id;
      const rows: NewUtterance[] = utterances.map(([role, text, redacted], i) => {
        const words = text.split(/\s+/).map((w, k) => ({ w, s: i * 5000 + k * 300, e: i * 5000 + k * 300 + 250, c: 0.9 }));
        return {
          id: newId(),
          segmentId: null,
          streamId: null,
          partyKey: role,
          role,
          seq: i,
          startMs: i * 5000,
          endMs: i * 5000 + words.length * 300,
          text,
          displayText: text,
          redactedText: redacted ?? text,
          confidence: 0.9,
          words,
          pii: [],
        };
      });
      await inTransaction(t.db, async (uow) => {
        await replaceTranscript(
          uow.tx,
          t.adapter,
          {
            id: newId(),
            tenant_id: tenantId,
            conversation_id: conversationId,
            engine: 'test',
            language: 'en',
            word_count: 0,
            audio_ms: 0,
            cpu_ms: 0,
            created_at: NOW.toISOString(),
          },
          rows,
        );
        await queueIndexing(t, uow, tenantId, [conversationId]);
      });
      await runJobs(t);
      return rows;
    };

    const titles = async (q: string, extra: Record<string, unknown> = {}) => {
      const r = await searchConversations(t, actor, { q, period: null, reviewable: 'all', sort: 'newest', ...extra }, { now: NOW });
      return r.items.map((i) => Object.keys(ids).find((k) => ids[k] === i.id));
    };

    beforeAll(async () => {
      t = await createTestContext(engine);
      const tenant = await makeTenant(t, 'Speech search');
      actor = await actorOfUser(t, tenant.admin.id);
      // "late" ends one message, "Fee" starts the next: never the phrase "late fee".
      await chat('across messages', [
        ['customer', 'My payment is late'],
        ['agent', 'Fee waived, no worries'],
      ]);
      await chat('in one message', [['customer', 'Why is there a late fee on my bill?']]);
      await chat('refund by the agent', [
        ['customer', 'Hello there'],
        ['agent', 'I have issued a refund today'],
      ]);
      const email = await ingestEmail(
        t,
        actor,
        Buffer.from(
          buildEml({
            messageId: `late-${engine}@x.test`,
            from: { name: 'Jamie Doe', address: 'jamie@example.com' },
            to: ['support@acme.test'],
            subject: 'Payment late',
            date: AT,
            text: 'Fee charged twice, please refund',
          }),
        ),
      );
      ids['email across fields'] = email.conversationId;
      await runJobs(t);
      await chat('call', [['customer', 'placeholder for a call']]);
      await transcript(ids.call!, [
        ['agent', 'Thank you for calling, the payment was late'],
        ['customer', 'fee is what I am asking about'],
        ['customer', 'I want to cancel my subscription', undefined],
        ['customer', 'my card is 4111 1111 1111 1111', 'my card is [CARD]'],
        ['agent', 'I can offer a discount'],
      ]);
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    it('finds a phrase inside one chat message and never across two (regression: "late fee")', async () => {
      expect(await titles('"late fee"')).toEqual(['in one message']);
      expect(await titles('late fee')).toEqual(expect.arrayContaining(['across messages', 'in one message', 'email across fields', 'call']));
    });

    it('never joins the subject and the body of an email into a phrase', async () => {
      expect(await titles('"payment late"')).toEqual(['email across fields']);
      expect(await titles('"late fee"')).not.toContain('email across fields');
      expect(await titles('"fee charged"')).toEqual(['email across fields']);
    });

    it('finds spoken words and phrases, never across two utterances', async () => {
      expect(await titles('"cancel my subscription"')).toEqual(['call']);
      expect(await titles('discount')).toEqual(['call']);
      expect(await titles('"late fee"')).not.toContain('call');
    });

    it('searches only the redacted transcript', async () => {
      expect(await titles('4111')).toEqual([]);
      expect(await titles('"my card is"')).toEqual(['call']);
    });

    it('keeps a query to what one side said or wrote', async () => {
      expect(await titles('"cancel my subscription"', { saidBy: 'customer' })).toEqual(['call']);
      expect(await titles('"cancel my subscription"', { saidBy: 'agent' })).toEqual([]);
      expect(await titles('discount', { saidBy: 'agent' })).toEqual(['call']);
      expect(await titles('refund', { saidBy: 'agent' })).toEqual(['refund by the agent']);
      // The email is from the customer (an address no agent has).
      expect(await titles('refund', { saidBy: 'customer' })).toEqual(['email across fields']);
      expect(await titles('refund', { saidBy: 'anyone' })).toEqual(expect.arrayContaining(['refund by the agent', 'email across fields']));
      // Exclusions stay on that side too: the customer never said "discount" in the call.
      expect(await titles('subscription -discount', { saidBy: 'customer' })).toEqual(['call']);
      expect(await titles('subscription -discount')).toEqual([]);
      // Room names, ids and tag comments are nobody's words.
      expect(await titles('room', { saidBy: 'customer' })).toEqual([]);
    });

    it('says where a speech hit was said, for the player', async () => {
      const r = await searchConversations(t, actor, { q: '"cancel my subscription"', period: null, reviewable: 'all' }, { now: NOW });
      const h = r.items[0]!.highlight!;
      expect(h.text).toBe('I want to cancel my subscription');
      expect(h.speech).toMatchObject({ startMs: 10_000, endMs: 11_800, role: 'customer', wordRange: [3, 6] });
      const items = (await conversationHighlights(t, actor, ids.call!, 'payment')).items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ where: 'transcript', ranges: [[27, 34]], speech: { startMs: 0, role: 'agent', wordRange: [5, 6] } });
      // A chat message has no time to seek to.
      const chatItems = (await conversationHighlights(t, actor, ids['in one message']!, 'fee')).items;
      expect(chatItems[0]).not.toHaveProperty('speech');
    });

    it('follows a new transcript and a changed redaction', async () => {
      const rows = await transcript(ids.call!, [
        ['customer', 'please close my account'],
        ['agent', 'the card ending 1111 is removed'],
      ]);
      expect(await titles('subscription')).toEqual([]);
      expect(await titles('"close my account"', { saidBy: 'customer' })).toEqual(['call']);
      expect(await titles('1111')).toEqual(['call']);
      await inTransaction(t.db, async (uow) => {
        await updateRedaction(uow.tx, t.adapter, rows[1]!.id, [], 'the card ending [CARD] is removed');
        await queueIndexing(t, uow, actor.tenantId, [ids.call!]);
      });
      await runJobs(t);
      expect(await titles('1111')).toEqual([]);
      await indexConversation(t, ids.call!);
      expect(await titles('removed', { saidBy: 'agent' })).toEqual(['call']);
    });
  });
}
