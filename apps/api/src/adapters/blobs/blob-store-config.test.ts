import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBlobStoreConfig, repoRoot } from '../../config.ts';

describe('parseBlobStoreConfig', () => {
  it('keeps files on disk beside a file: database by default', () => {
    expect(parseBlobStoreConfig({ DATABASE_URL: 'file:/srv/handoff/handoff.db' })).toEqual({ kind: 'disk', dir: '/srv/handoff/files' });
    expect(parseBlobStoreConfig({})).toEqual({ kind: 'disk', dir: join(repoRoot, 'data/files') });
    expect(parseBlobStoreConfig({ DATABASE_URL: 'libsql://db.example.com' })).toEqual({ kind: 'disk', dir: join(repoRoot, 'data/files') });
  });

  it('takes HANDOFF_FILES_DIR relative to where the command was typed', () => {
    expect(parseBlobStoreConfig({ HANDOFF_FILES_DIR: 'blobs', INIT_CWD: '/home/ada' })).toEqual({ kind: 'disk', dir: '/home/ada/blobs' });
    expect(parseBlobStoreConfig({ HANDOFF_FILES_DIR: '/var/blobs' })).toEqual({ kind: 'disk', dir: '/var/blobs' });
  });

  it('chooses S3 when S3_BUCKET is set, path-style by default with an endpoint', () => {
    expect(parseBlobStoreConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' })).toEqual({
      kind: 's3',
      bucket: 'b',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
    });
    expect(parseBlobStoreConfig({ S3_BUCKET: 'b', S3_REGION: 'eu-central-1' })).toMatchObject({ kind: 's3', endpoint: undefined, region: 'eu-central-1', credentials: undefined, forcePathStyle: false });
    expect(parseBlobStoreConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'https://s3.example.com', S3_FORCE_PATH_STYLE: '0' })).toMatchObject({ forcePathStyle: false });
  });

  it('fails at start on a half-done S3 configuration', () => {
    expect(() => parseBlobStoreConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/S3_BUCKET/);
    expect(() => parseBlobStoreConfig({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => parseBlobStoreConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
    expect(() => parseBlobStoreConfig({ S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE/);
  });
});
