// Objects in any S3-compatible store. Uploads stream through lib-storage: one PUT for small objects, a multipart
// upload otherwise; either is invisible until complete, so a crash mid-write leaves no object behind.
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../../config.ts';
import { BlobObjectMissingError, BlobObjectTruncatedError, checkKey, type BlobBackend, type StoredObject } from './object-store.ts';

export type S3MediaConfig = Extract<Config['media'], { backend: 's3' }>;

const PART_SIZE = 8 * 1024 * 1024;

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export class S3Backend implements BlobBackend {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;
  private readonly prefix: string;
  private readonly ownsClient: boolean;

  constructor(cfg: Omit<S3MediaConfig, 'backend'>, client?: S3Client) {
    this.bucket = cfg.bucket;
    const p = cfg.prefix.replace(/^\/+/, '');
    this.prefix = p && !p.endsWith('/') ? `${p}/` : p;
    const clientConfig: S3ClientConfig = {
      region: cfg.region,
      endpoint: cfg.endpoint,
      forcePathStyle: cfg.forcePathStyle,
      // Objects carry their own integrity (GCM tags, SHA-256, signature); the SDK's default CRC trailers are not
      // understood by every S3-compatible store, so only send checksums where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (cfg.accessKeyId && cfg.secretAccessKey) {
      clientConfig.credentials = { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey };
    }
    this.ownsClient = !client;
    this.client = client ?? new S3Client(clientConfig);
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }

  private objectKey(key: string): string {
    checkKey(key);
    return this.prefix + key;
  }

  async put(key: string, body: AsyncIterable<Buffer>): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.objectKey(key), Body: Readable.from(body), ContentType: 'application/octet-stream' },
      partSize: PART_SIZE,
      queueSize: 2,
      // We abort ourselves: lib-storage's own abort replaces the original error when the store refuses it.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (err) {
      if (upload.uploadId) {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key), UploadId: upload.uploadId })).catch(() => {}); // sweepIncomplete() or a bucket lifecycle rule removes it later
      }
      throw err;
    }
  }

  private async get(key: string, start: number, endInclusive: number) {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Range: `bytes=${start}-${endInclusive}` }));
      return r.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new BlobObjectMissingError(key);
      if ((err as { name?: string }).name === 'InvalidRange') throw new BlobObjectTruncatedError(key, `no byte ${start}`);
      throw err;
    }
  }

  async readRange(key: string, start: number, endInclusive: number): Promise<Buffer> {
    const len = endInclusive - start + 1;
    const out = Buffer.allocUnsafe(len);
    let off = 0;
    for await (const chunk of this.readStream(key, start, endInclusive)) {
      chunk.copy(out, off);
      off += chunk.length;
    }
    return out;
  }

  async *readStream(key: string, start: number, endInclusive: number): AsyncGenerator<Buffer> {
    const body = await this.get(key, start, endInclusive);
    const want = endInclusive - start + 1;
    let got = 0;
    try {
      for await (const chunk of body) {
        const b = chunk as Buffer;
        if (got + b.length > want) throw new BlobObjectTruncatedError(key, 'the store returned more bytes than asked');
        got += b.length;
        yield b;
      }
    } finally {
      if (!body.destroyed) body.destroy(); // consumer stopped early: release the connection
    }
    if (got < want) throw new BlobObjectTruncatedError(key, `ends before byte ${start + got}`);
  }

  async size(key: string): Promise<number | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return r.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async *list(prefix = ''): AsyncGenerator<StoredObject> {
    let token: string | undefined;
    do {
      const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }));
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  private async *uploads(): AsyncGenerator<{ Key: string; UploadId: string; Initiated?: Date }> {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      do {
        const r = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.prefix || undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
        for (const u of r.Uploads ?? []) if (u.Key && u.UploadId) yield { Key: u.Key, UploadId: u.UploadId, Initiated: u.Initiated };
        keyMarker = r.IsTruncated ? r.NextKeyMarker : undefined;
        uploadIdMarker = r.IsTruncated ? r.NextUploadIdMarker : undefined;
      } while (keyMarker);
    } catch (err) {
      // Some S3-compatible stores (and s3rver) do not list uploads; a bucket lifecycle rule
      // (AbortIncompleteMultipartUpload) is the recommended backstop there anyway.
      const name = (err as { name?: string }).name;
      if (name !== 'NotImplemented' && name !== 'MethodNotAllowed' && (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 501) {
        throw err;
      }
    }
  }

  async *listIncomplete(): AsyncGenerator<{ name: string; lastModified: Date }> {
    for await (const u of this.uploads()) yield { name: `upload ${u.UploadId} of ${u.Key}`, lastModified: u.Initiated ?? new Date(0) };
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for await (const u of this.uploads()) {
      if (u.Initiated && u.Initiated.getTime() > cutoff) continue;
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }));
      removed++;
    }
    return removed;
  }
}
