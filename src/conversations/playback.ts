// Plain playback and download of a stored stream, with HTTP ranges (decrypting only the chunks a range touches).
import { validateHeaderValue } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { can, initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { attachmentDisposition } from '../platform/http/content-disposition.ts';
import { loadVisible } from './service.ts';
import { assertMayGetOriginalAudio } from '../speech/redaction/service.ts';

const CONTENT_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
};

export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === ''))
    throw new DomainError('VALIDATION_FAILED', `Unsupported Range header "${header}" (one bytes=start-end range)`, { reason: 'RANGE_NOT_SATISFIABLE' });
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new DomainError('VALIDATION_FAILED', `The range ${header} is outside the ${size}-byte media`, { reason: 'RANGE_NOT_SATISFIABLE', size });
  return { start, end };
}

export async function streamMedia(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  streamId: string,
  opts: { range?: string; download: boolean },
  reply: FastifyReply,
) {
  await loadVisible(ctx, actor, conversationId);
  if (opts.download) requirePermission(actor, 'media.download');
  const stream = await ctx.db
    .selectFrom('streams as st')
    .innerJoin('segments as s', 's.id', 'st.segment_id')
    .selectAll('st')
    .where('s.conversation_id', '=', conversationId)
    .where('st.id', '=', streamId)
    .executeTakeFirst();
  if (!stream) throw notFound('Stream', streamId);
  // The stored call file carries any PII the transcript found: only for who may hear it unredacted.
  if (stream.kind === 'audio') await assertMayGetOriginalAudio(ctx, actor, conversationId);
  if (stream.status !== 'ok' || !stream.blob_id)
    throw new DomainError('NOT_FOUND', `This stream has no playable media: ${stream.status_reason ?? stream.status}`);
  const info = await ctx.blobs.stat(actor.tenantId, stream.blob_id);
  let range: { start: number; end: number } | null;
  try {
    range = parseRange(opts.range, info.size);
  } catch (err) {
    reply.header('content-range', `bytes */${info.size}`);
    return reply.status(416).send({ error: { code: 'VALIDATION_FAILED', message: (err as Error).message } });
  }
  const headers: Record<string, string | number> = {
    'accept-ranges': 'bytes',
    'content-type': CONTENT_TYPES[stream.container ?? ''] ?? info.contentType ?? 'application/octet-stream',
    'cache-control': 'private, no-store',
    'content-length': range ? range.end - range.start + 1 : info.size,
  };
  if (opts.download) headers['content-disposition'] = attachmentDisposition(stream.file_name ?? `${stream.id}.${stream.container ?? 'bin'}`);
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
  for (const [name, value] of Object.entries(headers)) validateHeaderValue(name, String(value));
  const body = await ctx.blobs.read(actor.tenantId, stream.blob_id, range ?? undefined);
  // Audited once the response can be sent (headers valid, media opened), so a failure is never recorded as a
  // listen or a download; one event per listen or download, not one per seek.
  if (!range || range.start === 0 || opts.download) {
    await ctx.audit
      .append({
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: opts.download ? 'RECORDING_DOWNLOADED' : 'PLAYBACK',
        details: `${opts.download ? 'Downloaded' : 'Played'} ${stream.kind} stream ${stream.file_name ?? stream.id}${stream.party_key ? ` (${stream.party_key})` : ''}${stream.kind === 'audio' && can(actor, 'media.play_unredacted') ? ' (unredacted)' : ''}`,
      })
      .catch((err: unknown) => {
        body.destroy();
        throw err;
      });
  }
  reply.headers(headers);
  if (range) reply.status(206);
  return reply.send(body);
}
