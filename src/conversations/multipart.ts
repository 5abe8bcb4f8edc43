// Reads a multipart upload into memory: media must never touch the disk unencrypted, so no temp files.
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { DomainError, invalid } from '../platform/errors.ts';
import { parseJson, validate } from '../platform/http/validate.ts';
import type { UploadedFile } from './ingest/calls.ts';

export async function readMultipart(req: FastifyRequest, maxFileBytes: number): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with a "metadata" JSON field and the files');
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for await (const part of req.parts({ limits: { fileSize: maxFileBytes, files: 20, fields: 20, fieldSize: 1024 * 1024 } })) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    const data = await part.toBuffer().catch((err: { code?: string }) => {
      if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('PAYLOAD_TOO_LARGE', `The file "${part.filename}" is larger than ${Math.round(maxFileBytes / 1048576)} MiB`);
      throw err;
    });
    files.push({ fieldName: part.fieldname, fileName: part.filename || part.fieldname, contentType: part.mimetype, data });
  }
  return { fields, files };
}

/** A media upload: the "metadata" JSON field checked against its schema, and the files. */
export async function readMediaUpload<T extends TSchema>(req: FastifyRequest, maxFileBytes: number, schema: T, what: string): Promise<{ meta: Static<T>; files: UploadedFile[] }> {
  const { fields, files } = await readMultipart(req, maxFileBytes);
  if (!fields.metadata) throw invalid('The "metadata" field (JSON) is missing', { reason: 'MISSING_METADATA' });
  return { meta: validate(schema, parseJson(fields.metadata, 'The "metadata" field'), what), files };
}
