import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobTooLargeError } from '../../domain/blob-store.ts';
import { chunked, readAll, runBlobStoreContract } from './blob-store.case.ts';
import { DiskBlobStore } from './disk-blob-store.ts';

function makeDiskStore() {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-blobs-'));
  return {
    store: new DiskBlobStore(dir),
    dir,
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

runBlobStoreContract('disk', async () => makeDiskStore());

describe('DiskBlobStore beyond the contract', () => {
  it('shards keys into two levels of folders and writes `/` as `+`', async () => {
    const made = makeDiskStore();
    try {
      await made.store.put('ws1/att-42', chunked(Buffer.from('x')), { maxBytes: 10 });
      expect(filesUnder(made.dir)).toEqual([expect.stringMatching(/^[0-9a-f]{2}\/[0-9a-f]{2}\/ws1\+att-42$/)]);
    } finally {
      made.close();
    }
  });

  it('leaves no temp file behind after a failed put', async () => {
    const made = makeDiskStore();
    try {
      await made.store.put('kept', chunked(Buffer.from('kept')), { maxBytes: 10 });
      await expect(made.store.put('gone', chunked(Buffer.alloc(100)), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLargeError);
      await expect(made.store.put('kept', chunked(Buffer.alloc(100)), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLargeError);
      expect(filesUnder(made.dir)).toEqual([expect.stringMatching(/\/kept$/)]);
    } finally {
      made.close();
    }
  });

  it('keeps streaming the version it opened when the key is overwritten meanwhile', async () => {
    const made = makeDiskStore();
    try {
      const first = Buffer.alloc(1024 * 1024, 1);
      await made.store.put('doc', chunked(first), { maxBytes: 2 * 1024 * 1024 });
      const reading = await made.store.get('doc');
      await made.store.put('doc', chunked(Buffer.alloc(1024 * 1024, 2)), { maxBytes: 2 * 1024 * 1024 });
      expect((await readAll(reading!.body)).equals(first)).toBe(true);
      expect((await readAll((await made.store.get('doc'))!.body))[0]).toBe(2);
    } finally {
      made.close();
    }
  });

  it('creates its folder on the first put', async () => {
    const made = makeDiskStore();
    try {
      const store = new DiskBlobStore(join(made.dir, 'not', 'yet'));
      expect(await store.head('a')).toBeNull();
      await store.put('a', chunked(Buffer.from('a')), { maxBytes: 1 });
      expect(await store.head('a')).toEqual({ size: 1 });
    } finally {
      made.close();
    }
  });
});
