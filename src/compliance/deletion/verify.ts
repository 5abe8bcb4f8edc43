// What `earshot verify` says about deleted media: an object deleted by a retention policy, a person or anonymization is
// recorded (deleted_blobs: which deletion, its SHA-256, when its key was destroyed and the object removed), so verify
// tells it apart from media that is missing — a reference whose blob has no row and no such record.
import type { AppContext } from '../../context.ts';
import * as repo from './repository.ts';

export interface DeletionReport {
  /** Objects deleted, per origin (policy, person, anonymization), and how many of them are already removed from storage. */
  deleted: Array<{ origin: string; objects: number; removed: number }>;
  /** Blob ids still referenced by a row although their blob row is gone. */
  references: Array<{ table: string; column: string; blobId: string; deletedBy: string | null }>;
  /** Keys destroyed but the object still in storage (a crash between the two steps; the next purge removes them). */
  pendingRemoval: Array<{ blobId: string; storageKey: string; present: boolean }>;
  /** Storage keys of recorded deletions, to tell them apart from unknown orphans. */
  deletedKeys: Set<string>;
}

const LIMIT = 1000;

export async function deletionReport(ctx: AppContext): Promise<DeletionReport> {
  const deleted = (await repo.deletedBlobCounts(ctx.db)).map((r) => ({ origin: r.origin, objects: Number(r.n), removed: Number(r.removed) }));
  const references: DeletionReport['references'] = [];
  for (const ref of ctx.blobs.references ?? []) {
    for (const blobId of await repo.danglingReferences(ctx.db, ref, LIMIT)) {
      const d = await repo.deletedBlob(ctx.db, blobId);
      references.push({
        table: ref.table,
        column: ref.column,
        blobId,
        deletedBy: d
          ? `${d.origin === 'policy' ? 'retention policy' : d.origin} (${d.requested_by_name}: ${d.reason}), conversation ${d.conversation_id}`
          : null,
      });
    }
  }
  const pendingRemoval: DeletionReport['pendingRemoval'] = [];
  for (const p of await repo.unremovedObjects(ctx.db, LIMIT)) {
    pendingRemoval.push({ blobId: p.blob_id, storageKey: p.storage_key, present: (await ctx.blobs.backend.size(p.storage_key)) !== null });
  }
  return { deleted, references, pendingRemoval, deletedKeys: new Set(pendingRemoval.map((p) => p.storageKey)) };
}
