import type { Auth } from './identity.ts';
import type { DomainEvent } from './events.ts';
import type { DocRow, SpaceRole } from './model.ts';
import type { Clock } from './ports.ts';

interface Entry<T> {
  at: number;
  value: T;
}

/** A Map with a time-to-live and a size bound (oldest entries go first). */
class TtlMap<T> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxSize: number,
  ) {}

  get(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.clock.now() - e.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T) {
    if (this.map.size >= this.maxSize) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, { at: this.clock.now(), value });
  }

  deleteWhere(test: (key: string, value: T) => boolean) {
    for (const [k, e] of this.map) if (test(k, e.value)) this.map.delete(k);
  }

  clear() {
    this.map.clear();
  }
}

export interface CachedDoc {
  doc: DocRow;
  /** `{"doc": …}` as the API answers it, serialized once per revision. */
  json: string;
}

/**
 * The read path's memory: resolved tokens, the caller's role per space, documents as answered,
 * and the last revision each reader was recorded as having seen. Every write in this process
 * forgets what it changes at once (so a revoked token or a removed member is refused on the very
 * next request); entries also expire after `ttlMs`, which bounds how stale a second API node
 * sharing the database can be.
 */
export class ReadCache {
  private readonly auth: TtlMap<Auth | null>;
  private readonly roles: TtlMap<SpaceRole | null>;
  private readonly docs: TtlMap<CachedDoc>;
  private readonly seen: TtlMap<number>;

  constructor(clock: Clock, ttlMs = 2000) {
    this.auth = new TtlMap(clock, ttlMs, 10_000);
    this.roles = new TtlMap(clock, ttlMs, 50_000);
    this.docs = new TtlMap(clock, ttlMs, 2_000);
    this.seen = new TtlMap(clock, 60 * 60_000, 100_000);
  }

  async authFor(tokenHash: string, load: () => Promise<Auth | null>): Promise<Auth | null> {
    const hit = this.auth.get(tokenHash);
    if (hit !== undefined) return hit;
    const value = await load();
    if (value) this.auth.set(tokenHash, value);
    return value;
  }

  async roleIn(userId: string, spaceId: string, load: () => Promise<SpaceRole | null>): Promise<SpaceRole | null> {
    const key = `${userId}\u0000${spaceId}`;
    const hit = this.roles.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    this.roles.set(key, value);
    return value;
  }

  async doc(docId: string, load: () => Promise<CachedDoc | null>): Promise<CachedDoc | null> {
    const hit = this.docs.get(docId);
    if (hit) return hit;
    const value = await load();
    if (value) this.docs.set(docId, value);
    return value;
  }

  /** True when `userId` is already recorded as having seen `docId` at `revision` or later. */
  hasSeen(userId: string, docId: string, revision: number): boolean {
    return (this.seen.get(`${userId}\u0000${docId}`) ?? 0) >= revision;
  }

  markSeen(userId: string, docId: string, revision: number) {
    this.seen.set(`${userId}\u0000${docId}`, revision);
  }

  /** A person's sessions, tokens, profile or workspace role changed. */
  forgetUser(userId: string) {
    this.auth.deleteWhere((_k, a) => a?.user.id === userId);
    this.roles.deleteWhere((k) => k.startsWith(`${userId}\u0000`));
  }

  /** A space's memberships or settings changed. */
  forgetSpace(spaceId: string) {
    this.roles.deleteWhere((k) => k.endsWith(`\u0000${spaceId}`));
  }

  forgetDoc(docId: string) {
    this.docs.deleteWhere((k) => k === docId);
  }

  forgetAllDocs() {
    this.docs.clear();
  }

  /** Forgets what a committed event made stale (subscribed to the event bus in server.ts). */
  forgetOn(event: DomainEvent) {
    switch (event.topic) {
      case 'user.access':
        return this.forgetUser(event.userId);
      case 'space.membership':
      case 'space.changed':
        return this.forgetSpace(event.spaceId);
      case 'doc.created':
      case 'doc.revised':
        return this.forgetDoc(event.docId);
      case 'doc.moved':
      case 'doc.trashed':
      case 'doc.restored':
      case 'doc.deleted':
        return this.forgetAllDocs();
    }
  }
}
