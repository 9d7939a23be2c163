import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  assertBlobKey,
  BlobRangeNotSatisfiableError,
  checkBlobRange,
  resolveBlobRange,
  type BlobPutOptions,
  type BlobRange,
  type BlobRead,
  type BlobStore,
} from '../../domain/blob-store.ts';
import { meterBody } from './metered-body.ts';

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Put before every key (`tenant-a/`, a test run's folder); empty by default. */
  prefix?: string | undefined;
  /** Bytes per part of a multipart upload (at least 5 MiB, S3's minimum); a body up to one part is a single PUT. */
  partSize?: number | undefined;
  /** Parts uploaded at once; a put holds up to `queueSize × partSize` bytes in memory. */
  queueSize?: number | undefined;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * Blobs as objects in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph…) through the official AWS
 * SDK, so several API nodes can share them.
 *
 * `put` streams the metered body into lib-storage's `Upload`: a body that fits in one part becomes a
 * single PutObject, sent only once the body has ended within the limit; a longer one becomes a
 * multipart upload, which S3 shows under the key only when it is completed, and which `Upload`
 * aborts (deleting the parts) when the body errors, goes past `maxBytes` or a request fails. Parts
 * of an upload cut short by a crash stay invisible but stored: give the bucket a lifecycle rule
 * that aborts incomplete multipart uploads after a day.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.partSize = Math.max(options.partSize ?? MIN_PART_SIZE, MIN_PART_SIZE);
    this.queueSize = options.queueSize ?? 2;
  }

  async put(key: string, body: AsyncIterable<Uint8Array | string>, options: BlobPutOptions): Promise<{ size: number; sha256: string }> {
    const Key = this.objectKey(key);
    const { chunks, meter } = meterBody(body, options.maxBytes);
    // The body's own failure (too large, an aborted request) wins over a failure to abort the upload after it.
    let bodyError: unknown = null;
    async function* watched() {
      try {
        yield* chunks;
      } catch (err) {
        bodyError = err;
        throw err;
      }
    }
    const source = Readable.from(watched());
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: source, ContentType: options.contentType },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      source.destroy();
      throw bodyError ?? err;
    }
    return { size: meter.size, sha256: meter.sha256() };
  }

  async get(key: string, range?: BlobRange): Promise<BlobRead | null> {
    const Key = this.objectKey(key);
    if (range) checkBlobRange(range);
    let out;
    try {
      out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }),
      );
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') return null;
      if (errorName(err) === 'InvalidRange' || statusOf(err) === 416) {
        const found = await this.head(key);
        if (!found) return null;
        throw new BlobRangeNotSatisfiableError(found.size);
      }
      throw err;
    }
    const body = (out.Body as Readable | undefined) ?? Readable.from([]);
    const partial = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(out.ContentRange ?? '');
    const size = partial ? Number(partial[3]) : (out.ContentLength ?? 0);
    try {
      // Checked against what was asked, not trusted: S3-compatible servers differ at the edges (an
      // empty object, `bytes=0-0`); one that sends more than asked is cut to the range.
      const wanted = resolveBlobRange(range, size);
      const served = partial ? { start: Number(partial[1]), end: Number(partial[2]) } : { start: 0, end: size - 1 };
      if (served.start !== wanted.start || served.end < wanted.end) throw new Error(`The S3 store answered bytes ${served.start}-${served.end} of ${key} for ${wanted.start}-${wanted.end}.`);
      const trimmed = served.end > wanted.end ? Readable.from(firstBytes(body, wanted.end - wanted.start + 1)) : body;
      return { body: trimmed, size, ...wanted };
    } catch (err) {
      body.destroy();
      throw err;
    }
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: out.ContentLength ?? 0 };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that is not there, too.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  private objectKey(key: string): string {
    assertBlobKey(key);
    return this.prefix + key;
  }
}

const errorName = (err: unknown) => (err instanceof S3ServiceException ? err.name : undefined);
const statusOf = (err: unknown) => (err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined);

/** The first `count` bytes of `body`, then it is destroyed. */
async function* firstBytes(body: Readable, count: number): AsyncGenerator<Uint8Array> {
  let left = count;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      if (left <= 0) break;
      const part = chunk.byteLength > left ? chunk.subarray(0, left) : chunk;
      left -= part.byteLength;
      yield part;
    }
  } finally {
    body.destroy();
  }
}
