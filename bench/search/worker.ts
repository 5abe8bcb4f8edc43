// Worker thread: generates batches of conversations (with packed texts and the FTS5 columns or the tsvector literal) so
// the main thread only writes to the database. Started by pipeline.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { tsvectorLiteral } from '../../src/search/fulltext/postgres-tsvector.ts';
import { packFields } from '../../src/search/index/document.ts';
import { ConversationGenerator, type GenSetup } from './generate.ts';
import type { WireDoc } from './pipeline.ts';

const { setup, tsv } = workerData as { setup: GenSetup; tsv: boolean };
const gen = new ConversationGenerator(setup);
parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  const docs: WireDoc[] = [];
  for (let i = from; i < to; i++) {
    const { fields, parts, ...rest } = gen.conversation(i);
    docs.push({
      ...rest,
      texts: packFields(fields),
      fts: tsv ? null : [parts.body.join(' '), parts.agent.join(' '), parts.customer.join(' ')],
      tsv: tsv ? tsvectorLiteral(parts) : null,
    });
  }
  parentPort!.postMessage({ from, to, docs });
});
