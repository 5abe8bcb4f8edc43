import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../api/types.ts';
import { segmentBlocks } from './blocks.ts';

const seg = (id: string, kind: Segment['kind'], startedAt: string, messages: [string, string][] = []): Segment => ({
  id,
  kind,
  externalId: id,
  parentSegmentId: null,
  direction: null,
  startedAt,
  endedAt: startedAt,
  durationMs: 0,
  queue: null,
  agentUserId: null,
  agentPartyKey: null,
  title: null,
  monitor: null,
  sourceUrl: null,
  metadata: {},
  dataTags: [],
  parties: [],
  streams: [],
  events: [],
  messages: messages.map(([sentAt, text], seq) => ({ seq, senderKey: 'c', senderName: null, senderRole: 'customer', sentAt, text })),
  email: null,
});

describe('segmentBlocks', () => {
  it('joins consecutive chats into one thread, in message time order', () => {
    const blocks = segmentBlocks([
      seg('b', 'chat', '2026-01-01T10:05:00Z', [['2026-01-01T10:05:00Z', 'second']]),
      seg('a', 'chat', '2026-01-01T10:00:00Z', [
        ['2026-01-01T10:00:00Z', 'first'],
        ['2026-01-01T10:06:00Z', 'third'],
      ]),
    ]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.kind).toBe('chat');
    expect(blocks[0]!.kind === 'chat' && blocks[0]!.messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
  });

  it('starts a new thread when another kind of segment comes between', () => {
    const blocks = segmentBlocks([
      seg('a', 'chat', '2026-01-01T10:00:00Z'),
      seg('c', 'call', '2026-01-01T10:10:00Z'),
      seg('d', 'chat', '2026-01-01T10:20:00Z'),
      seg('e', 'email', '2026-01-01T10:30:00Z'),
    ]);
    expect(blocks.map((b) => b.kind)).toEqual(['chat', 'single', 'chat', 'single']);
  });
});
