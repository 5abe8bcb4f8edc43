// Fixtures for the compliance tests: a short stereo call ingested the way production does it, and the objects and rows
// a conversation holds, to check that a deletion left nothing behind.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../auth/actor.ts';
import type { AppContext } from '../../context.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { interleave } from '../../media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { sql } from 'kysely';

export async function makeCall(
  ctx: AppContext,
  actor: Actor,
  opts: { at?: Date; direction?: 'inbound' | 'outbound' | 'internal'; agentExtension?: string; phone?: string; ms?: number } = {},
) {
  const ms = opts.ms ?? 3000;
  const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([synthSpeechLike(ms, 8000, 1), synthSpeechLike(ms, 8000, 2)]) });
  return ingestCall(
    ctx,
    actor,
    {
      callId: `call-${randomBytes(6).toString('hex')}`,
      startTime: (opts.at ?? new Date(Date.now() - 60_000)).toISOString(),
      direction: opts.direction ?? 'inbound',
      parties: [
        { key: 'agent', role: 'agent', extension: opts.agentExtension ?? '9999' },
        { key: 'customer', role: 'customer', phone: opts.phone ?? '+15550100' },
      ],
      audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
    },
    [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
  );
}

/** The blob ids a conversation's rows point at (streams, renditions, clips). */
export async function blobIdsOf(ctx: AppContext, conversationId: string): Promise<string[]> {
  const streams = await ctx.db
    .selectFrom('streams as s')
    .innerJoin('segments as g', 'g.id', 's.segment_id')
    .select('s.blob_id')
    .where('g.conversation_id', '=', conversationId)
    .execute();
  const renditions = await ctx.db
    .selectFrom('stream_renditions')
    .select(['pcm_blob_id', 'peaks_blob_id', 'redacted_pcm_blob_id'])
    .where('conversation_id', '=', conversationId)
    .execute();
  const ids = [...streams.map((s) => s.blob_id), ...renditions.flatMap((r) => [r.pcm_blob_id, r.peaks_blob_id, r.redacted_pcm_blob_id])];
  return [...new Set(ids.filter((x): x is string => !!x))];
}

/** Rows per table that still name the conversation (tables with a conversation_id column, and the conversation). */
export async function rowsNaming(ctx: AppContext, conversationId: string, except: string[] = ['deletions', 'legal_hold_conversations']) {
  const tables = await ctx.db.introspection.getTables();
  const out: Record<string, number> = {};
  for (const t of tables) {
    if (t.isView || except.includes(t.name) || !t.columns.some((c) => c.name === 'conversation_id')) continue;
    // Any table with the column: raw SQL, as the typed builder knows only the declared tables.
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t.name)} where conversation_id = ${conversationId}`.execute(ctx.db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0) out[t.name] = n;
  }
  const conv = await ctx.db.selectFrom('conversations').select('id').where('id', '=', conversationId).executeTakeFirst();
  if (conv) out.conversations = 1;
  return out;
}
