// A CSV download streamed from an async generator of lines (reports' ?format=csv).
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { attachmentDisposition } from './content-disposition.ts';

/** Sends `lines` as `<name>-<today>.csv`. The first line is pulled before the headers go out, so a refused filter is
 * still a JSON 4xx, not a broken download. */
export async function sendCsv(reply: FastifyReply, name: string, lines: AsyncGenerator<string>) {
  const first = await lines.next();
  async function* rest() {
    if (!first.done) yield first.value;
    yield* lines;
  }
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', attachmentDisposition(`${name}-${new Date().toISOString().slice(0, 10)}.csv`))
    .send(Readable.from(rest()));
}
