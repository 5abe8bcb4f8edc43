// Where stored (already encrypted) objects live. Backends never see plaintext or keys.
import type { Config } from '../../config.ts';
import { FsBackend } from './fs-backend.ts';
import { S3Backend } from './s3-backend.ts';
import type { BlobBackend } from './object-store.ts';

export * from './object-store.ts';

export function createBlobBackend(media: Config['media']): BlobBackend {
  return media.backend === 's3' ? new S3Backend(media) : new FsBackend(media.dir);
}
