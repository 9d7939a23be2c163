/**
 * The contract every `BlobStore` adapter meets (Hono's `common.case.test.ts` pattern): the same
 * puts, reads and failures, with the same outcome, whatever keeps the bytes. Each adapter's test
 * file calls `runBlobStoreContract` with a factory that returns an empty store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRangeNotSatisfiableError, BlobTooLargeError, InvalidBlobKeyError, type BlobStore } from '../../domain/blob-store.ts';

export type MakeBlobStore = () => Promise<{ store: BlobStore; close(): Promise<void> | void }>;

const MB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** `bytes` in chunks of `size` (the way a request body arrives). */
export async function* chunked(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

export async function readAll(body: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

/** Yields `before` bytes, then fails the way an aborted upload does. */
async function* failingAfter(before: number, error: Error): AsyncGenerator<Uint8Array> {
  yield* chunked(randomBytes(before));
  throw error;
}

export function runBlobStoreContract(name: string, make: MakeBlobStore): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void> | void = () => undefined;
    let serial = 0;
    const newKey = (label = 'blob') => `contract/${label}-${Date.now().toString(36)}-${serial++}`;
    const put = (key: string, bytes: Uint8Array, maxBytes = 50 * MB) => store.put(key, chunked(bytes), { maxBytes, contentType: 'application/octet-stream' });
    const read = async (key: string) => {
      const got = await store.get(key);
      return got ? readAll(got.body) : null;
    };

    beforeAll(async () => {
      ({ store, close } = await make());
    });
    afterAll(async () => {
      await close();
    });

    describe('round trips', () => {
      it('gives back the same bytes, their size and their SHA-256', async () => {
        const key = newKey();
        const bytes = randomBytes(100_000);
        expect(await put(key, bytes)).toEqual({ size: bytes.byteLength, sha256: sha256(bytes) });
        expect(await store.head(key)).toEqual({ size: 100_000 });
        const got = await store.get(key);
        expect(got).toMatchObject({ size: 100_000, start: 0, end: 99_999 });
        expect((await readAll(got!.body)).equals(bytes)).toBe(true);
      });

      it('stores an empty blob', async () => {
        const key = newKey('empty');
        expect(await store.put(key, chunked(new Uint8Array(0)), { maxBytes: 10 })).toEqual({ size: 0, sha256: EMPTY_SHA256 });
        expect(await store.head(key)).toEqual({ size: 0 });
        const got = await store.get(key);
        expect(got).toMatchObject({ size: 0, start: 0, end: -1 });
        expect((await readAll(got!.body)).byteLength).toBe(0);
      });

      it('streams a body of several megabytes in small chunks (the multipart path of object stores)', { timeout: 60_000 }, async () => {
        const key = newKey('big');
        const bytes = randomBytes(Math.round(11.5 * MB));
        expect(await store.put(key, chunked(bytes, 64 * 1024), { maxBytes: 25 * MB })).toEqual({ size: bytes.byteLength, sha256: sha256(bytes) });
        expect(await store.head(key)).toEqual({ size: bytes.byteLength });
        expect(sha256(await readAll((await store.get(key))!.body))).toBe(sha256(bytes));
      });

      it('takes a Node Readable and string chunks (as their UTF-8 bytes)', async () => {
        const key = newKey('readable');
        const result = await store.put(key, Readable.from(['grüße ', Buffer.from('aus '), new Uint8Array([66, 101, 114, 108, 105, 110])]), { maxBytes: 100 });
        expect(result.size).toBe(Buffer.byteLength('grüße aus Berlin'));
        expect((await read(key))!.toString('utf8')).toBe('grüße aus Berlin');
      });

      it('replaces the bytes of a key put again', async () => {
        const key = newKey('overwrite');
        await put(key, Buffer.from('the first version, longer than the second'));
        expect(await put(key, Buffer.from('second'))).toEqual({ size: 6, sha256: sha256(Buffer.from('second')) });
        expect((await read(key))!.toString()).toBe('second');
        expect(await store.head(key)).toEqual({ size: 6 });
      });

      it('keeps keys apart that are prefixes of each other', async () => {
        const parent = newKey('nest');
        await put(parent, Buffer.from('parent'));
        await put(`${parent}/child`, Buffer.from('child'));
        await put(`${parent}-sibling`, Buffer.from('sibling'));
        expect((await read(parent))!.toString()).toBe('parent');
        expect((await read(`${parent}/child`))!.toString()).toBe('child');
        expect((await read(`${parent}-sibling`))!.toString()).toBe('sibling');
      });
    });

    describe('ranges (inclusive, like HTTP)', () => {
      const bytes = Buffer.from('0123456789abcdefghij'); // 20 bytes
      let key: string;
      beforeAll(async () => {
        key = newKey('range');
        await put(key, bytes);
      });
      const readRange = async (start: number, end?: number) => {
        const got = await store.get(key, { start, end });
        return { ...got!, body: (await readAll(got!.body)).toString() };
      };

      it('serves start..end', async () => {
        expect(await readRange(2, 5)).toEqual({ body: '2345', size: 20, start: 2, end: 5 });
        expect(await readRange(0, 0)).toEqual({ body: '0', size: 20, start: 0, end: 0 });
        expect(await readRange(19, 19)).toEqual({ body: 'j', size: 20, start: 19, end: 19 });
      });

      it('serves start.. to the end, and clamps an end past the end', async () => {
        expect(await readRange(15)).toEqual({ body: 'fghij', size: 20, start: 15, end: 19 });
        expect(await readRange(18, 1000)).toEqual({ body: 'ij', size: 20, start: 18, end: 19 });
        expect(await readRange(0)).toEqual({ body: bytes.toString(), size: 20, start: 0, end: 19 });
      });

      it('refuses a range starting at or past the end, telling the size', async () => {
        for (const start of [20, 1000]) {
          const error = await store.get(key, { start }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(BlobRangeNotSatisfiableError);
          expect((error as BlobRangeNotSatisfiableError).size).toBe(20);
        }
        const empty = newKey('empty-range');
        await put(empty, new Uint8Array(0));
        const error = await store.get(empty, { start: 0 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BlobRangeNotSatisfiableError);
        expect((error as BlobRangeNotSatisfiableError).size).toBe(0);
      });

      it('rejects a malformed range before asking the store', async () => {
        await expect(store.get(key, { start: -1 })).rejects.toThrow(RangeError);
        await expect(store.get(key, { start: 5, end: 4 })).rejects.toThrow(RangeError);
        await expect(store.get(key, { start: 1.5 })).rejects.toThrow(RangeError);
      });

      it('answers null for a range of a missing key', async () => {
        expect(await store.get(newKey('missing'), { start: 0, end: 10 })).toBeNull();
      });
    });

    describe('failed puts leave nothing behind', () => {
      it('takes exactly maxBytes', async () => {
        const key = newKey('exact');
        expect((await put(key, randomBytes(1000), 1000)).size).toBe(1000);
      });

      it('refuses one byte more with BlobTooLargeError, and the key stays absent', async () => {
        const key = newKey('too-large');
        const error = await put(key, randomBytes(1001), 1000).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BlobTooLargeError);
        expect(error).toMatchObject({ kind: 'too_large', maxBytes: 1000 });
        expect(await store.head(key)).toBeNull();
        expect(await store.get(key)).toBeNull();
      });

      it('stops reading an endless body soon after the limit', async () => {
        const key = newKey('endless');
        let pulled = 0;
        async function* endless() {
          for (;;) {
            pulled += 64 * 1024;
            yield new Uint8Array(64 * 1024);
          }
        }
        await expect(store.put(key, endless(), { maxBytes: MB })).rejects.toBeInstanceOf(BlobTooLargeError);
        expect(pulled).toBeLessThanOrEqual(MB + 2 * 64 * 1024);
        expect(await store.head(key)).toBeNull();
      });

      it('refuses a body past the limit after several megabytes (an aborted multipart upload), leaving nothing', { timeout: 60_000 }, async () => {
        const key = newKey('too-large-big');
        await expect(put(key, randomBytes(12 * MB), 11 * MB)).rejects.toBeInstanceOf(BlobTooLargeError);
        expect(await store.head(key)).toBeNull();
      });

      it('passes on the error of a body that fails midway, leaving nothing', async () => {
        const key = newKey('broken');
        const cause = new Error('client went away');
        await expect(store.put(key, failingAfter(200_000, cause), { maxBytes: MB })).rejects.toBe(cause);
        expect(await store.head(key)).toBeNull();
        expect(await store.get(key)).toBeNull();
      });

      it('leaves nothing of a body that fails after several megabytes', { timeout: 60_000 }, async () => {
        const key = newKey('broken-big');
        const cause = new Error('client went away late');
        await expect(store.put(key, failingAfter(11 * MB, cause), { maxBytes: 25 * MB })).rejects.toBe(cause);
        expect(await store.head(key)).toBeNull();
      });

      it('keeps the previous bytes of a key when a new put fails', async () => {
        const key = newKey('keep');
        await put(key, Buffer.from('the good version'));
        await expect(put(key, randomBytes(2000), 1000)).rejects.toBeInstanceOf(BlobTooLargeError);
        await expect(store.put(key, failingAfter(500, new Error('gone')), { maxBytes: 1000 })).rejects.toThrow('gone');
        expect((await read(key))!.toString()).toBe('the good version');
        expect(await store.head(key)).toEqual({ size: 16 });
      });
    });

    describe('missing keys and deletes', () => {
      it('answers null for a key never stored', async () => {
        const key = newKey('never');
        expect(await store.get(key)).toBeNull();
        expect(await store.head(key)).toBeNull();
      });

      it('deletes, and deleting again (or a key never stored) does nothing', async () => {
        const key = newKey('delete');
        await put(key, Buffer.from('bye'));
        await store.delete(key);
        expect(await store.head(key)).toBeNull();
        expect(await store.get(key)).toBeNull();
        await store.delete(key);
        await store.delete(newKey('never-stored'));
      });
    });

    describe('keys', () => {
      const bad = ['', '../etc/passwd', 'a/../b', '..', '/abs', 'trail/', 'a//b', 'dot.ted', 'a b', 'ümlaut', 'back\\slash', 'nul\u0000', 'x'.repeat(201)];

      it.each(bad)('rejects %j in every method', async (key) => {
        await expect(store.put(key, chunked(Buffer.from('x')), { maxBytes: 10 })).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      });

      it('takes letters, digits, _ - and / up to 200 characters', async () => {
        const key = `${newKey('Mixed_Case')}/`.padEnd(200, 'z');
        expect(key).toHaveLength(200);
        await put(key, Buffer.from('long key'));
        expect((await read(key))!.toString()).toBe('long key');
      });
    });
  });
}
