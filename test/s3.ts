// A throwaway S3-compatible server (s3rver) on 127.0.0.1, a free port and a temp folder, with one bucket created
// through the real AWS SDK.
import type { Server } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../src/config.ts';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: true;
  /** The folder s3rver keeps objects in (to tamper with them in tests). */
  directory: string;
  client: S3Client;
  /** EARSHOT media config pointing at this server. */
  media(prefix?: string): Extract<Config['media'], { backend: 's3' }>;
  stop(): Promise<void>;
}

export async function startS3rver(opts: { bucket?: string } = {}): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = opts.bucket ?? `earshot-${randomBytes(4).toString('hex')}`;
  const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: creds,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    ...creds,
    forcePathStyle: true,
    directory,
    client,
    media: (prefix = '') => ({ backend: 's3', bucket, region: 'us-east-1', endpoint, ...creds, forcePathStyle: true, prefix }),
    async stop() {
      client.destroy();
      // Drop connections a test left open (an aborted download, a killed uploader) so close() cannot hang.
      server.httpServer?.closeAllConnections();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
