/**
 * The S3 adapter against a real S3-compatible endpoint when S3_TEST_ENDPOINT is set (with
 * S3_TEST_BUCKET, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY, optional S3_TEST_REGION and
 * S3_TEST_FORCE_PATH_STYLE=0; each run writes under its own prefix and deletes it afterwards),
 * otherwise against a FAKE S3 server (s3rver, see testing/fake-s3.ts) on a loopback port.
 */
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBlobStoreConfig } from '../../config.ts';
import { BlobTooLargeError } from '../../domain/blob-store.ts';
import { chunked, readAll, runBlobStoreContract } from './blob-store.case.ts';
import { createBlobStore, createS3Client } from './index.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import { startFakeS3, type FakeS3 } from './testing/fake-s3.ts';

const REAL = process.env.S3_TEST_ENDPOINT;
const RUN = `handoff-test-${Date.now().toString(36)}-${process.pid}`;
let fake: Promise<FakeS3> | null = null;
let serial = 0;

/** The environment the app would read, pointing at the real endpoint or the fake. */
async function s3Env(): Promise<NodeJS.ProcessEnv> {
  if (REAL) {
    return {
      S3_ENDPOINT: REAL,
      S3_BUCKET: process.env.S3_TEST_BUCKET,
      S3_REGION: process.env.S3_TEST_REGION,
      S3_ACCESS_KEY_ID: process.env.S3_TEST_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: process.env.S3_TEST_SECRET_ACCESS_KEY,
      S3_FORCE_PATH_STYLE: process.env.S3_TEST_FORCE_PATH_STYLE,
    };
  }
  fake ??= startFakeS3();
  const f = await fake;
  return { S3_ENDPOINT: f.endpoint, S3_BUCKET: f.bucket, S3_ACCESS_KEY_ID: f.accessKeyId, S3_SECRET_ACCESS_KEY: f.secretAccessKey };
}

async function s3Config() {
  const config = parseBlobStoreConfig(await s3Env());
  if (config.kind !== 's3') throw new Error('expected an S3 configuration');
  return config;
}

/** Deletes every object under `prefix` (what one store of this run wrote). */
async function deletePrefix(client: S3Client, bucket: string, prefix: string) {
  for (;;) {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}

async function makeS3Store(options: { partSize?: number } = {}) {
  const config = await s3Config();
  const client = createS3Client(config);
  const prefix = `${RUN}/${serial++}/`;
  return {
    store: new S3BlobStore({ client, bucket: config.bucket, prefix, ...options }),
    client,
    bucket: config.bucket,
    prefix,
    async close() {
      await deletePrefix(client, config.bucket, prefix);
      client.destroy();
    },
  };
}

afterAll(async () => {
  if (fake) await (await fake).close();
});

runBlobStoreContract(REAL ? `s3 (${REAL})` : 's3 (FAKE S3 server: s3rver)', () => makeS3Store());

describe('S3BlobStore beyond the contract', () => {
  it('is what createBlobStore builds from an S3 configuration, and writes the key as given', async () => {
    const config = await s3Config();
    const store = createBlobStore(config);
    const key = `${RUN}-factory`;
    await store.put(key, chunked(Buffer.from('via the factory')), { maxBytes: 100 });
    const made = await makeS3Store();
    try {
      const listed = await made.client.send(new ListObjectsV2Command({ Bucket: made.bucket, Prefix: key }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
      expect((await readAll((await store.get(key))!.body)).toString()).toBe('via the factory');
    } finally {
      await store.delete(key);
      await made.close();
    }
  });

  it('keeps each store under its prefix', async () => {
    const a = await makeS3Store();
    const b = await makeS3Store();
    try {
      await a.store.put('same/key', chunked(Buffer.from('from a')), { maxBytes: 100 });
      expect(await b.store.head('same/key')).toBeNull();
      const listed = await a.client.send(new ListObjectsV2Command({ Bucket: a.bucket, Prefix: a.prefix }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual([`${a.prefix}same/key`]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  /** The S3 operations a store's client sends, in order. */
  const recording = (client: S3Client) => {
    const sent: string[] = [];
    client.middlewareStack.add((next, context) => (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    }, { step: 'initialize' });
    return sent;
  };

  it('sends a body longer than one part as a multipart upload, and aborts it when the body fails', { timeout: 60_000 }, async () => {
    const made = await makeS3Store();
    const sent = recording(made.client);
    try {
      await made.store.put('multi', chunked(Buffer.alloc(11 * 1024 * 1024, 7)), { maxBytes: 25 * 1024 * 1024 });
      expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
      sent.length = 0;
      async function* failingLate() {
        yield* chunked(Buffer.alloc(11 * 1024 * 1024, 8));
        throw new Error('client went away');
      }
      await expect(made.store.put('multi', failingLate(), { maxBytes: 25 * 1024 * 1024 })).rejects.toThrow('client went away');
      expect(sent).toContain('AbortMultipartUpload');
      expect(sent).not.toContain('CompleteMultipartUpload');
      expect(await made.store.head('multi')).toEqual({ size: 11 * 1024 * 1024 });
    } finally {
      await made.close();
    }
  });

  it('never sends a body refused within the first part', async () => {
    const made = await makeS3Store();
    const sent = recording(made.client);
    try {
      await expect(made.store.put('refused', chunked(Buffer.alloc(4096)), { maxBytes: 1000 })).rejects.toBeInstanceOf(BlobTooLargeError);
      expect(sent).toEqual([]);
      await made.store.put('small', chunked(Buffer.alloc(1000)), { maxBytes: 1000 });
      expect(sent).toEqual(['PutObject']);
    } finally {
      await made.close();
    }
  });

  it('never writes an object for a body refused within the first part', async () => {
    const made = await makeS3Store();
    try {
      await expect(made.store.put('refused', chunked(Buffer.alloc(4096)), { maxBytes: 1000 })).rejects.toBeInstanceOf(BlobTooLargeError);
      const listed = await made.client.send(new ListObjectsV2Command({ Bucket: made.bucket, Prefix: made.prefix }));
      expect(listed.Contents ?? []).toEqual([]);
    } finally {
      await made.close();
    }
  });
});
