import { ReadCache } from '../domain/read-cache.ts';
import type { Clock } from '../domain/ports.ts';

/** Something that may change who can read or edit which document. */
export type AccessChange =
  | { kind: 'space'; spaceId: string } // memberships or settings of a space
  | { kind: 'user'; userId: string } // a person's sessions, tokens or workspace role
  | { kind: 'docs' }; // documents trashed, restored or moved

/** In-process signal that access changed; open collaboration sockets re-check on it. */
export class AccessChanges {
  private readonly listeners = new Set<(change: AccessChange) => void>();

  on(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(change: AccessChange) {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }
}

/**
 * The read cache, which every write that changes access already tells (`forgetSpace` after a
 * membership change, `forgetUser` after a revoked session or token, `forgetAllDocs` after a trash or
 * restore) — so it also announces the change to `changes`.
 */
export class SignallingReadCache extends ReadCache {
  constructor(
    clock: Clock,
    private readonly changes: AccessChanges,
  ) {
    super(clock);
  }

  override forgetSpace(spaceId: string) {
    super.forgetSpace(spaceId);
    this.changes.emit({ kind: 'space', spaceId });
  }

  override forgetUser(userId: string) {
    super.forgetUser(userId);
    this.changes.emit({ kind: 'user', userId });
  }

  override forgetAllDocs() {
    super.forgetAllDocs();
    this.changes.emit({ kind: 'docs' });
  }
}
