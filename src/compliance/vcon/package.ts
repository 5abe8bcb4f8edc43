// An export package: a ZIP holding one vCon per conversation, its media (inline in the vCon, as files beside it, or
// referenced only), the conversation's audit events, and manifest.json listing every file with its SHA-256, signed
// with the tenant's Ed25519 export key in manifest.sig.json. Anyone can check a package offline with
// `earshot verify-export FILE` (verify.ts): a changed, added or removed byte fails.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../context.ts';
import { initiatorOf, type Actor } from '../../auth/actor.ts';
import { buildVcon, VCON_VERSION } from './vcon.ts';
import { ZipWriter, type WrittenEntry } from './zip.ts';
import { exportKey, signBytes } from './signing.ts';
import * as repo from './repository.ts';

export const PACKAGE_FORMAT = 'earshot-vcon-export/1';
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig.json';
/** Larger media is never put inline (a vCon JSON of hundreds of MB helps nobody): it goes beside it as a file. */
export const INLINE_MAX_BYTES = 20 * 1024 * 1024;

export type MediaMode = 'inline' | 'files' | 'none';

export interface PackageInput {
  exportId: string;
  tenantId: string;
  conversationIds: string[];
  media: MediaMode;
  createdAt: string;
}

export interface ManifestConversation {
  id: string;
  uuid: string;
  subject: string;
  vcon: string;
  audit: string;
  audit_events: Array<{ id: string; seq: number; at: string; action: string; hash: string }>;
  media: string[];
  notes: string[];
}

export interface Manifest {
  format: string;
  export_id: string;
  tenant_id: string;
  created_at: string;
  created_by: { id: string | null; name: string };
  vcon_version: string;
  media_mode: MediaMode;
  signing: { algorithm: 'Ed25519'; key_id: string };
  conversations: ManifestConversation[];
  skipped: Array<{ id: string; reason: string }>;
  files: Array<{ path: string; bytes: number; sha256: string; sha512?: string }>;
}

export interface PackageResult {
  file: string;
  bytes: number;
  included: number;
  skipped: number;
}

const apiUrl = (ctx: AppContext, conversationId: string, streamId: string) =>
  `${(ctx.config.publicUrl ?? '').replace(/\/+$/, '')}/api/conversations/${conversationId}/streams/${streamId}/media?download=true`;

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'file';

async function readAll(ctx: AppContext, tenantId: string, blobId: string) {
  const chunks: Buffer[] = [];
  for await (const c of await ctx.blobs.read(tenantId, blobId)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function hashOnly(ctx: AppContext, tenantId: string, blobId: string) {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha512');
  for await (const c of await ctx.blobs.read(tenantId, blobId)) h.update(c as Buffer);
  return h.digest('base64url');
}

/**
 * Writes the package to `file` (a temporary path the caller removes). Each conversation's export is audited before its
 * audit events are read, so the package's trail ends with the export itself. `onProgress` after each conversation.
 */
export async function writePackage(
  ctx: AppContext,
  actor: Actor,
  input: PackageInput,
  file: string,
  onProgress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<PackageResult> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  const zip = new ZipWriter(file, new Date(input.createdAt));
  const files: WrittenEntry[] = [];
  const conversations: ManifestConversation[] = [];
  const skipped: Manifest['skipped'] = [];
  try {
    for (const [n, id] of input.conversationIds.entries()) {
      let built;
      try {
        built = await buildVcon(ctx, actor, id);
      } catch (err) {
        // Deleted since, or out of the exporter's sight now: said in the manifest, the rest still goes out.
        skipped.push({ id, reason: (err as Error).message });
        await onProgress(n + 1, input.conversationIds.length);
        continue;
      }
      const mediaPaths: string[] = [];
      for (const m of built.media) {
        const d = built.vcon.dialog[m.dialogIndex]!;
        const size = (await ctx.blobs.stat(input.tenantId, m.blobId)).size;
        if (input.media === 'inline' && size <= INLINE_MAX_BYTES) {
          d.body = (await readAll(ctx, input.tenantId, m.blobId)).toString('base64url');
          d.encoding = 'base64url';
        } else if (input.media === 'none') {
          d.url = apiUrl(ctx, id, m.streamId);
          d.content_hash = `sha512-${await hashOnly(ctx, input.tenantId, m.blobId)}`;
        } else {
          const p = `media/${id}/${safe(m.streamId)}-${safe(m.fileName)}`;
          const w = await zip.addStream(p, await ctx.blobs.read(input.tenantId, m.blobId));
          files.push(w);
          mediaPaths.push(p);
          // Relative to the package unless a public URL is configured (then the recording is also reachable there).
          d.url = ctx.config.publicUrl ? apiUrl(ctx, id, m.streamId) : p;
          d.content_hash = `sha512-${w.sha512}`;
          if (input.media === 'inline')
            built.notes.push(`${m.fileName}: larger than ${INLINE_MAX_BYTES / 1024 / 1024} MB, packaged as a file instead of inline`);
        }
      }
      await ctx.audit.append({
        tenantId: input.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: id,
        action: 'CONVERSATION_VCON_EXPORT',
        details: `Exported as vCon ${built.vcon.uuid as string} in export ${input.exportId} (media ${input.media === 'none' ? 'referenced only' : input.media}${built.media.length ? `, ${built.media.length} file(s)` : ''})`,
      });
      const events = await repo.auditEventsOf(ctx.db, input.tenantId, id);
      const auditPath = `audit/${id}.json`;
      const auditDoc = events.map((e) => ({
        id: e.id,
        chain: e.chain,
        seq: Number(e.seq),
        at: e.at,
        initiator: { id: e.initiator_id, name: e.initiator_name, application: e.application },
        action: e.action,
        details: e.details,
        changes: typeof e.changes === 'string' ? JSON.parse(e.changes) : (e.changes ?? null),
        prev_hash: e.prev_hash,
        hash: e.hash,
      }));
      files.push(await zip.addBuffer(auditPath, Buffer.from(JSON.stringify(auditDoc, null, 2))));
      const vconPath = `vcons/${id}.vcon.json`;
      files.push(await zip.addBuffer(vconPath, Buffer.from(JSON.stringify(built.vcon, null, 2))));
      conversations.push({
        id,
        uuid: built.vcon.uuid as string,
        subject: (built.vcon.subject as string | undefined) ?? '',
        vcon: vconPath,
        audit: auditPath,
        audit_events: auditDoc.map((e) => ({ id: e.id, seq: e.seq, at: e.at, action: e.action, hash: e.hash })),
        media: mediaPaths,
        notes: built.notes,
      });
      await onProgress(n + 1, input.conversationIds.length);
    }
    const key = exportKey(ctx.keyring, input.tenantId);
    const manifest: Manifest = {
      format: PACKAGE_FORMAT,
      export_id: input.exportId,
      tenant_id: input.tenantId,
      created_at: input.createdAt,
      created_by: { id: actor.userId || null, name: actor.name },
      vcon_version: VCON_VERSION,
      media_mode: input.media,
      signing: { algorithm: 'Ed25519', key_id: key.keyId },
      conversations,
      skipped,
      files: files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256, ...(f.path.startsWith('media/') ? { sha512: f.sha512 } : {}) })),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    const written = await zip.addBuffer(MANIFEST, manifestBytes);
    const signature = {
      algorithm: 'Ed25519',
      key_id: key.keyId,
      public_key: key.publicKeyPem,
      signed_file: MANIFEST,
      manifest_sha256: written.sha256,
      signature: signBytes(key, manifestBytes),
    };
    await zip.addBuffer(SIGNATURE, Buffer.from(JSON.stringify(signature, null, 2)));
    const bytes = await zip.finish();
    return { file, bytes, included: conversations.length, skipped: skipped.length };
  } catch (err) {
    await zip.abort().catch(() => {});
    throw err;
  }
}
