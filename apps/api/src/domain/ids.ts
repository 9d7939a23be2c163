import { createHash, randomBytes } from 'node:crypto';

/** A new opaque id: 16 random bytes, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A secret token with a readable prefix (`hs_` session, `ht_` API token). Only its hash is stored. */
export function newSecret(prefix: 'hs_' | 'ht_' | 'csrf_'): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
