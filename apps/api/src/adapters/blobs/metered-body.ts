import { createHash } from 'node:crypto';
import { BlobTooLargeError } from '../../domain/blob-store.ts';

/** What a metered body has let through so far; `sha256` only once it has ended. */
export interface Meter {
  size: number;
  sha256: () => string;
}

/**
 * Passes `body` through chunk by chunk, counting its bytes and hashing them (SHA-256) on the way;
 * throws `BlobTooLargeError` before yielding the chunk that goes past `maxBytes`, so no store ever
 * receives more than the limit. Strings (a Readable with an encoding) count as their UTF-8 bytes.
 */
export function meterBody(body: AsyncIterable<Uint8Array | string>, maxBytes: number): { chunks: AsyncGenerator<Uint8Array>; meter: Meter } {
  const hash = createHash('sha256');
  let digest: string | null = null;
  const meter: Meter = {
    size: 0,
    sha256: () => (digest ??= hash.digest('hex')),
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const raw of body) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      if (chunk.byteLength === 0) continue;
      if (meter.size + chunk.byteLength > maxBytes) throw new BlobTooLargeError(maxBytes);
      meter.size += chunk.byteLength;
      hash.update(chunk);
      yield chunk;
    }
  }
  return { chunks: chunks(), meter };
}
