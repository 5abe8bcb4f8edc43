// Issue 15: two analyses of one conversation overlapping (a reprocess racing the ingest's analysis) each store their
// PCM and peaks, and the blob rows of the one replaced last are referenced by nothing once the other commits.
// The sweep must find and remove exactly those rows (and their objects), never media that is still played, on both
// database engines and both media backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { startS3rver, type TestS3 } from '../../../test/s3.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { actorOfUser } from '../../../test/helpers/conversations.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { analyzeConversation } from '../../media/pipeline/service.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { BLOB_REFERENCES } from '../../blob-references.ts';
import * as repo from './repository.ts';
import type { BlobStore } from './service.ts';

describe.each(ENGINES)('orphaned media after concurrent reprocessing (%s)', (engine) => {
  describe.each(['fs', 's3'] as const)('with the %s backend', (kind) => {
    let t: TestContext;
    let s3: TestS3 | undefined;
    let conversationId: string;

    beforeAll(async () => {
      let env: Record<string, string> = {};
      if (kind === 's3') {
        s3 = await startS3rver();
        env = {
          EARSHOT_MEDIA_BACKEND: 's3',
          EARSHOT_S3_BUCKET: s3.bucket,
          EARSHOT_S3_ENDPOINT: s3.endpoint,
          EARSHOT_S3_REGION: s3.region,
          EARSHOT_S3_ACCESS_KEY_ID: s3.accessKeyId,
          EARSHOT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
          EARSHOT_S3_PREFIX: 'media/',
        };
      }
      t = await createTestContext(engine, env);
      const tenant = await makeTenant(t);
      const actor = await actorOfUser(t, tenant.admin.id);
      const left = synthSpeechLike(4000, 8000, 1);
      const right = synthSpeechLike(4000, 8000, 2);
      const stereo = new Int16Array(left.length * 2);
      for (let i = 0; i < left.length; i++) {
        stereo[2 * i] = left[i]!;
        stereo[2 * i + 1] = right[i]!;
      }
      const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: stereo });
      const r = await ingestCall(
        t,
        actor,
        {
          callId: `orphans-${kind}`,
          startTime: '2026-11-01T10:00:00.000Z',
          direction: 'inbound',
          parties: [
            { key: 'agent', role: 'agent' },
            { key: 'cust', role: 'customer', phone: '+15550100' },
          ],
          audio: [{ file: 'call.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
        } as never,
        [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
      );
      conversationId = r.conversationId;
      await analyzeConversation(t, conversationId);
    }, 120_000);
    afterAll(async () => {
      await t?.cleanup();
      await s3?.stop();
    });

    const referenced = async () => {
      const streams = await t.db.selectFrom('streams').select('blob_id').where('blob_id', 'is not', null).execute();
      const rend = await t.db.selectFrom('stream_renditions').select(['pcm_blob_id', 'peaks_blob_id']).where('conversation_id', '=', conversationId).execute();
      return new Set([...streams.map((s) => s.blob_id!), ...rend.flatMap((r) => [r.pcm_blob_id!, r.peaks_blob_id!])]);
    };
    const allRows = async () => t.db.selectFrom('blobs').select(['id', 'storage_key']).execute();

    it('finds the superseded analysis rows and sweeps them, keeping every referenced blob readable', async () => {
      expect((await t.blobs.findOrphans()).rowCount).toBe(0);
      const rowsBefore = (await allRows()).length;

      // Run A reads the current renditions and decodes, then stalls before storing its media; run B (a reprocess)
      // runs start to finish meanwhile; then A stores and commits, replacing B's renditions. B's media is left behind.
      let reached!: () => void;
      const atGate = new Promise<void>((r) => (reached = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const gated = new Proxy(t.blobs, {
        get(target, prop, receiver) {
          if (prop !== 'put') return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<BlobStore['put']>) => {
            reached();
            await gate;
            return target.put(...args);
          };
        },
      });
      const a = analyzeConversation({ ...t, blobs: gated }, conversationId);
      await atGate;
      await analyzeConversation(t, conversationId);
      release();
      await a;

      const live = await referenced();
      const rows = await allRows();
      const orphanIds = rows
        .filter((r) => !live.has(r.id))
        .map((r) => r.id)
        .sort();
      expect(orphanIds.length).toBe(4); // 2 parties x (PCM + peaks) of the superseded run
      expect(rows.length).toBe(rowsBefore + 4);

      const report = await t.blobs.findOrphans();
      expect(report.unregisteredReferences).toEqual([]);
      expect(report.rows.map((r) => r.id).sort()).toEqual(orphanIds);
      expect(report.rows.every((r) => !r.sweepable)).toBe(true); // young: could be a write whose reference is pending
      expect(report.objects).toEqual([]);

      expect((await t.blobs.sweepOrphans()).rowsRemoved).toBe(0); // the default grace keeps young rows
      const keys = rows.filter((r) => orphanIds.includes(r.id)).map((r) => r.storage_key);
      const swept = await t.blobs.sweepOrphans({ rowsOlderThanMs: 0, olderThanMs: 0 });
      expect(swept).toMatchObject({ rowsRemoved: 4, objectsRemoved: 0, unregisteredReferences: [] });
      for (const k of keys) expect(await t.blobs.backend.size(k)).toBeNull();

      const after = await allRows();
      expect(after.map((r) => r.id).sort()).toEqual([...live].sort());
      for (const r of after) {
        const v = await t.blobs.verifyBlob(r.id);
        expect(v.ok, v.reason).toBe(true);
      }
      const o = await t.blobs.findOrphans();
      expect([o.rowCount, o.objectCount]).toEqual([0, 0]);
    }, 120_000);

    it('declares every column of the schema that holds blob ids', async () => {
      const declared = BLOB_REFERENCES.map((r) => `${r.table}.${r.column}`).sort();
      expect(await repo.blobReferenceLikeColumns(t.db)).toEqual(declared);
    });

    it('judges no row while a blob-like column is undeclared', async () => {
      await t.db.schema
        .createTable('later_feature')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('clip_blob_id', 'text')
        .execute();
      try {
        const report = await t.blobs.findOrphans();
        expect(report).toMatchObject({ rowsUnchecked: true, unregisteredReferences: ['later_feature.clip_blob_id'], rows: [] });
        const r = await t.blobs.sweepOrphans({ rowsOlderThanMs: 0, olderThanMs: 0 });
        expect(r).toMatchObject({ rowsRemoved: 0, unregisteredReferences: ['later_feature.clip_blob_id'] });
        expect((await allRows()).length).toBeGreaterThan(0);
      } finally {
        await t.db.schema.dropTable('later_feature').execute();
      }
    });
  });
});
