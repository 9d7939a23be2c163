import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { assertBlobKey, resolveBlobRange, type BlobPutOptions, type BlobRange, type BlobRead, type BlobStore } from '../../domain/blob-store.ts';
import { meterBody } from './metered-body.ts';

/**
 * Blobs as files under one folder (`HANDOFF_FILES_DIR`, by default `files/` beside the database
 * file). A key's file sits in two levels of sub-folders named from the SHA-256 of the key (256 × 256
 * folders, so none grows huge), named after the key with `/` written as `+` (so `a` and `a/b` never
 * clash as a file and a folder).
 *
 * `put` writes to `<name>.<random>.tmp` in the same folder, fsyncs it, renames it over the key's
 * file (atomic on one file system) and fsyncs the folder: a reader sees the old file or the whole
 * new one, and a crash leaves at most a `.tmp` file (never a valid key's name, since keys have no
 * dots). `get` opens the file before streaming it, so an overwrite while it streams does not mix
 * the two versions.
 */
export class DiskBlobStore implements BlobStore {
  constructor(readonly dir: string) {}

  async put(key: string, body: AsyncIterable<Uint8Array | string>, options: BlobPutOptions): Promise<{ size: number; sha256: string }> {
    const path = this.pathOf(key);
    const folder = dirname(path);
    await mkdir(folder, { recursive: true });
    const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
    const { chunks, meter } = meterBody(body, options.maxBytes);
    let file: FileHandle | null = await open(temp, 'wx', 0o644);
    try {
      for await (const chunk of chunks) {
        for (let offset = 0; offset < chunk.byteLength; ) offset += (await file.write(chunk, offset)).bytesWritten;
      }
      await file.sync();
      await file.close();
      file = null;
      await rename(temp, path);
    } catch (err) {
      await file?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      throw err;
    }
    await syncFolder(folder);
    return { size: meter.size, sha256: meter.sha256() };
  }

  async get(key: string, range?: BlobRange): Promise<BlobRead | null> {
    const path = this.pathOf(key);
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    try {
      const { size } = await file.stat();
      const { start, end } = resolveBlobRange(range, size);
      if (size === 0) {
        await file.close();
        return { body: Readable.from([]), size, start, end };
      }
      // The stream owns the handle from here: it closes it at the end, on error and when destroyed.
      return { body: file.createReadStream({ start, end }), size, start, end };
    } catch (err) {
      await file.close().catch(() => undefined);
      throw err;
    }
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    assertBlobKey(key);
    const hash = createHash('sha256').update(key).digest('hex');
    return join(this.dir, hash.slice(0, 2), hash.slice(2, 4), key.replaceAll('/', '+'));
  }
}

/** Makes a rename in `folder` durable (Linux, macOS); file systems that cannot fsync a folder are skipped. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a folder; some file systems refuse fsync on one (EINVAL). The file itself was synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
