// Reads a multipart upload. Media files are streamed through encryption into the media store as they arrive
// (never held whole in memory, never written to disk in clear); only their first bytes are kept, for header
// checks. Emails are small (25 MB at most) and parsed whole, so they are read into memory. The number of files
// per request and of uploads streaming at once are bounded, and a failed upload leaves no object behind.
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { AppContext } from '../context.ts';
import { DomainError, invalid } from '../platform/errors.ts';
import { parseJson, validate } from '../platform/http/validate.ts';
import type { BufferedFile, StoredUpload } from './ingest/calls.ts';

/** Bytes kept from the start of each stored upload: enough for any WAV header or container signature. */
export const UPLOAD_HEAD_BYTES = 1024 * 1024;

const MEDIA_TYPE = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/;

const active = new WeakMap<object, number>();

/**
 * Runs `fn` in one of the process's upload slots (EARSHOT_UPLOAD_CONCURRENCY); when all are taken, answers 503
 * UPLOADS_BUSY at once rather than queueing bodies in memory.
 */
export async function withUploadSlot<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  const key = ctx.config;
  const n = active.get(key) ?? 0;
  if (n >= ctx.config.uploadConcurrency) {
    throw new DomainError('UNAVAILABLE', `The server is already receiving ${n} uploads; try again in a few seconds`, {
      reason: 'UPLOADS_BUSY',
      limit: ctx.config.uploadConcurrency,
    });
  }
  active.set(key, n + 1);
  try {
    return await fn();
  } finally {
    active.set(key, (active.get(key) ?? 1) - 1);
  }
}

interface Limits {
  maxFileBytes: number;
  maxFiles: number;
}

const tooLarge = (name: string, max: number) =>
  new DomainError('PAYLOAD_TOO_LARGE', `The file "${name}" is larger than ${Math.round(max / 1048576)} MiB`, { reason: 'FILE_TOO_LARGE', maxBytes: max });

async function* partsOf(req: FastifyRequest, limits: Limits) {
  if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with a "metadata" JSON field and the files');
  try {
    // throwFileSizeLimit (read by @fastify/multipart, missing from its types): the reader reports an oversize file itself.
    const options = { limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 1024 * 1024 }, throwFileSizeLimit: false };
    yield* req.parts(options as Parameters<FastifyRequest['parts']>[0]);
  } catch (err) {
    if ((err as { code?: string })?.code === 'FST_FILES_LIMIT') {
      throw new DomainError('PAYLOAD_TOO_LARGE', `Send at most ${limits.maxFiles} files per request`, { reason: 'TOO_MANY_FILES', maxFiles: limits.maxFiles });
    }
    throw err;
  }
}

/** Fields and files of a multipart request, the files read into memory (for emails: small, parsed whole). */
export async function readMultipart(req: FastifyRequest, limits: Limits): Promise<{ fields: Record<string, string>; files: BufferedFile[] }> {
  const fields: Record<string, string> = {};
  const files: BufferedFile[] = [];
  for await (const part of partsOf(req, limits)) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if (part.file.truncated) throw tooLarge(part.filename, limits.maxFileBytes);
    files.push({ fieldName: part.fieldname, fileName: part.filename || part.fieldname, contentType: part.mimetype, data: Buffer.concat(chunks) });
  }
  return { fields, files };
}

/**
 * Fields and files of a media upload, each file streamed into the store as it arrives. The caller owns the
 * stored objects: it must delete them unless it keeps them (see discardUploads). On any failure here, those
 * already stored are deleted.
 */
export async function streamMultipart(
  ctx: AppContext,
  tenantId: string,
  req: FastifyRequest,
): Promise<{ fields: Record<string, string>; files: StoredUpload[] }> {
  const limits = { maxFileBytes: ctx.config.uploadLimitBytes, maxFiles: ctx.config.uploadMaxFiles };
  const fields: Record<string, string> = {};
  const files: StoredUpload[] = [];
  try {
    for await (const part of partsOf(req, limits)) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const fileName = part.filename || part.fieldname;
      const head: Buffer[] = [];
      let headBytes = 0;
      let size = 0;
      const file = part.file;
      async function* counted() {
        for await (const chunk of file) {
          const b = chunk as Buffer;
          size += b.length;
          if (headBytes < UPLOAD_HEAD_BYTES) {
            const take = Buffer.from(b.subarray(0, UPLOAD_HEAD_BYTES - headBytes)); // a copy: do not pin the chunk
            head.push(take);
            headBytes += take.length;
          }
          yield b;
        }
        // Over the limit: throwing here makes the store drop what it wrote.
        if (file.truncated) throw tooLarge(fileName, limits.maxFileBytes);
      }
      const contentType = MEDIA_TYPE.test(part.mimetype ?? '') ? part.mimetype : 'application/octet-stream';
      const blob = await ctx.blobs.put(tenantId, counted(), { contentType });
      files.push({ fieldName: part.fieldname, fileName, contentType, blobId: blob.id, size, head: Buffer.concat(head) });
    }
  } catch (err) {
    await discardUploads(ctx, tenantId, files);
    throw err;
  }
  return { fields, files };
}

/** Deletes the stored objects of uploads that were not kept. */
export async function discardUploads(ctx: AppContext, tenantId: string, files: Array<{ blobId?: string }>): Promise<void> {
  await Promise.allSettled(files.flatMap((f) => (f.blobId ? [ctx.blobs.delete(tenantId, f.blobId)] : [])));
}

/** A media upload: the "metadata" JSON field checked against its schema, and the files (stored). */
export async function readMediaUpload<T extends TSchema>(
  ctx: AppContext,
  tenantId: string,
  req: FastifyRequest,
  schema: T,
  what: string,
): Promise<{ meta: Static<T>; files: StoredUpload[] }> {
  const { fields, files } = await streamMultipart(ctx, tenantId, req);
  try {
    if (!fields.metadata) throw invalid('The "metadata" field (JSON) is missing', { reason: 'MISSING_METADATA' });
    return { meta: validate(schema, parseJson(fields.metadata, 'The "metadata" field'), what), files };
  } catch (err) {
    await discardUploads(ctx, tenantId, files);
    throw err;
  }
}
