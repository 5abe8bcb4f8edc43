// Receives the files of an Import screen upload: each streamed through encryption into the media store (never
// written to disk in clear here, never held whole in memory), under the path the browser gives it relative to the
// dropped folder. Bounded in count and total size (413 with a reason); on any failure the objects already stored are
// deleted, so a refused upload leaves nothing behind.
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { discardUploads } from '../multipart.ts';

export interface UploadedImportFile {
  /** "/"-separated, relative to the upload's root. */
  path: string;
  blobId: string;
  size: number;
}

export interface ImportUpload {
  fields: Record<string, string>;
  files: UploadedImportFile[];
}

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/** A safe relative path from what the browser sent as the file name (its path inside the dropped folder). */
export function uploadPath(name: string): string {
  const norm = path.posix.normalize(name.replace(/\\/g, '/')).replace(/^(\.\/)+/, '');
  const parts = norm.split('/');
  if (
    !norm ||
    norm.length > 1000 ||
    norm.endsWith('/') ||
    norm.startsWith('/') ||
    /^[A-Za-z]:/.test(norm) ||
    parts.some((p) => p === '..' || p === '.' || p === '') ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f]/.test(norm)
  ) {
    throw invalid(`"${name.slice(0, 200)}" is not a file name the import can use`, { reason: 'BAD_FILE_NAME' });
  }
  return norm;
}

export async function receiveImportUpload(ctx: AppContext, tenantId: string, req: FastifyRequest): Promise<ImportUpload> {
  if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data');
  const { importMaxFiles: maxFiles, importMaxBytes: maxBytes } = ctx.config;
  const fields: Record<string, string> = {};
  const files: UploadedImportFile[] = [];
  const seen = new Set<string>();
  const folders = new Set<string>();
  let total = 0;
  try {
    // preservePath: the browser sends "folder/sub/file.wav" as the file name of a dropped folder's file.
    const options = {
      limits: { fileSize: maxBytes, files: maxFiles, fields: 10, fieldSize: 1024, parts: maxFiles + 10 },
      throwFileSizeLimit: false,
      preservePath: true,
    };
    for await (const part of req.parts(options as Parameters<FastifyRequest['parts']>[0])) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const rel = uploadPath(part.filename || part.fieldname);
      if (seen.has(rel) || folders.has(rel)) throw invalid(`The file "${rel}" was sent twice`, { reason: 'DUPLICATE_FILE' });
      // "a/b" cannot be both a file and a folder of the upload.
      const ancestors = rel
        .split('/')
        .slice(0, -1)
        .map((_, i, all) => all.slice(0, i + 1).join('/'));
      const clash = ancestors.find((a) => seen.has(a));
      if (clash) throw invalid(`"${clash}" is sent both as a file and as a folder`, { reason: 'DUPLICATE_FILE' });
      seen.add(rel);
      ancestors.forEach((a) => folders.add(a));
      const file = part.file;
      let size = 0;
      // A file the import would refuse to read (over EARSHOT_UPLOAD_LIMIT_MB) is refused now, not after the upload;
      // a zip may be as large as the whole upload (its entries are held to the file limit when it is unpacked).
      const fileCap = rel.toLowerCase().endsWith('.zip') ? maxBytes : Math.min(maxBytes, ctx.config.uploadLimitBytes);
      async function* counted() {
        for await (const chunk of file) {
          size += (chunk as Buffer).length;
          if (size > fileCap)
            throw new DomainError('PAYLOAD_TOO_LARGE', `The file "${rel}" is larger than ${mb(fileCap)}`, { reason: 'FILE_TOO_LARGE', maxBytes: fileCap });
          // Checked as the bytes arrive: the stream stops at once, and throwing makes the store drop the object.
          if (total + size > maxBytes)
            throw new DomainError('PAYLOAD_TOO_LARGE', `The upload is larger than ${mb(maxBytes)}; send it in several parts`, {
              reason: 'UPLOAD_TOO_LARGE',
              maxBytes,
            });
          yield chunk as Buffer;
        }
        if (file.truncated)
          throw new DomainError('PAYLOAD_TOO_LARGE', `The file "${rel}" is larger than ${mb(maxBytes)}`, { reason: 'FILE_TOO_LARGE', maxBytes });
      }
      const blob = await ctx.blobs.put(tenantId, counted(), { contentType: 'application/octet-stream' });
      files.push({ path: rel, blobId: blob.id, size });
      total += size;
    }
  } catch (err) {
    await discardUploads(ctx, tenantId, files);
    if ((err as { code?: string })?.code === 'FST_FILES_LIMIT')
      throw new DomainError('PAYLOAD_TOO_LARGE', `Send at most ${maxFiles} files per upload (or a zip)`, { reason: 'TOO_MANY_FILES', maxFiles });
    if ((err as { code?: string })?.code === 'FST_PARTS_LIMIT')
      throw new DomainError('PAYLOAD_TOO_LARGE', `Send at most ${maxFiles} files per upload (or a zip)`, { reason: 'TOO_MANY_FILES', maxFiles });
    throw err;
  }
  return { fields, files };
}
