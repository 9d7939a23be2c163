/**
 * The `BlobStore` port: where the bytes of attachments and images live. Two adapters implement it
 * (a folder on local disk, the default, and S3-compatible object storage, so several API nodes can
 * share files), chosen by configuration in server.ts; both run one contract suite
 * (adapters/blobs/blob-store.case.ts). Metadata (name, content type, who may read it) lives in the
 * database, never here: a blob is bytes under a key.
 */
import type { Readable } from 'node:stream';
import { DomainError } from './errors.ts';

export interface BlobPutOptions {
  /** The most bytes the body may hold, counted while it streams in; one more throws `BlobTooLargeError`. */
  maxBytes: number;
  /** Stored with the object where the store keeps such a thing (S3); the disk store ignores it. */
  contentType?: string | undefined;
}

/** A byte range, inclusive like HTTP's `Range: bytes=start-end`; without `end`, to the last byte. */
export interface BlobRange {
  start: number;
  end?: number | undefined;
}

export interface BlobRead {
  /** The bytes from `start` to `end` (inclusive); `end - start + 1` of them. */
  body: Readable;
  /** The whole blob's size (for `Content-Range: bytes start-end/size`), not just the range's. */
  size: number;
  start: number;
  /** The last byte served (a range's `end` past the blob is clamped to `size - 1`; -1 for an empty blob). */
  end: number;
}

/**
 * Keys are chosen by the server (never a file name someone typed): 1–200 characters of
 * `A-Z a-z 0-9 _ -`, in segments separated by single `/` (no leading or trailing `/`; no dots, so no
 * `..`). Every method throws `InvalidBlobKeyError` for any other key.
 *
 * Semantics every adapter keeps:
 * - `put` streams the body (it never holds it all in memory), counting bytes and hashing as it
 *   goes; over `maxBytes` it stops reading and throws `BlobTooLargeError`. A `put` that fails for any
 *   reason (too large, the body errors, the store fails) leaves the key as it was before: absent if
 *   it was, the previous bytes if it held some. Readers never see a partial blob. A successful `put`
 *   replaces what the key held.
 * - `get` and `head` answer `null` for a missing key. A range starting at or past the end (any range
 *   of an empty blob) throws `BlobRangeNotSatisfiableError` (HTTP 416); an `end` past the end is
 *   clamped; a negative `start` or an `end` before `start` is a caller bug (`RangeError`).
 * - `delete` of a missing key does nothing.
 */
export interface BlobStore {
  put(key: string, body: AsyncIterable<Uint8Array | string>, options: BlobPutOptions): Promise<{ size: number; sha256: string }>;
  get(key: string, range?: BlobRange): Promise<BlobRead | null>;
  head(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
}

/** A body longer than `maxBytes`: nothing was stored (HTTP 413 through app.ts). */
export class BlobTooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    super('too_large', 'payload_too_large', `The file is larger than ${maxBytes.toLocaleString('en')} bytes.`, { maxBytes });
    this.name = 'BlobTooLargeError';
  }
}

export class InvalidBlobKeyError extends DomainError {
  constructor(key: string) {
    super('invalid', 'bad_request', `Invalid blob key ${JSON.stringify(key.slice(0, 250))}.`);
    this.name = 'InvalidBlobKeyError';
  }
}

/** A range that starts at or past the end of the blob; `size` is for `Content-Range: bytes *\/size`. */
export class BlobRangeNotSatisfiableError extends Error {
  constructor(readonly size: number) {
    super(`The range is not satisfiable (the blob holds ${size} bytes).`);
    this.name = 'BlobRangeNotSatisfiableError';
  }
}

export const BLOB_KEY_MAX_LENGTH = 200;
const KEY = /^[\w-]+(?:\/[\w-]+)*$/;

export function assertBlobKey(key: string): void {
  // Without the `u` and `i` flags together, `\w` is exactly [A-Za-z0-9_].
  if (typeof key !== 'string' || key.length === 0 || key.length > BLOB_KEY_MAX_LENGTH || !KEY.test(key)) throw new InvalidBlobKeyError(String(key));
}

/** Checks a requested range against a blob of `size` bytes: the inclusive bytes to serve. */
export function resolveBlobRange(range: BlobRange | undefined, size: number): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  checkBlobRange(range);
  if (range.start >= size) throw new BlobRangeNotSatisfiableError(size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** A range a caller may ask for at all (before the size is known). */
export function checkBlobRange(range: BlobRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`A range starts at a byte offset ≥ 0 (got ${start}).`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) throw new RangeError(`A range's end is ≥ its start (got ${start}-${end}).`);
}
