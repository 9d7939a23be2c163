import { S3Client } from '@aws-sdk/client-s3';
import type { BlobStoreConfig } from '../../config.ts';
import type { BlobStore } from '../../domain/blob-store.ts';
import { DiskBlobStore } from './disk-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

/** The blob store configuration asks for (server.ts calls this; nothing else knows which is active). */
export function createBlobStore(config: BlobStoreConfig): BlobStore {
  if (config.kind === 'disk') return new DiskBlobStore(config.dir);
  return new S3BlobStore({ client: createS3Client(config), bucket: config.bucket });
}

export function createS3Client(config: Extract<BlobStoreConfig, { kind: 's3' }>): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Other S3-compatible servers do not all accept the SDK's default CRC32 checksums (headers and
    // aws-chunked bodies); send and check them only where an operation requires them. Every put's
    // SHA-256 is computed by the store itself anyway.
    ...(config.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
}
