import type { Database, Db } from '@handoff/db';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Clock } from './domain/ports.ts';
import type { AuthLimiter } from './domain/login-limiter.ts';
import type { PasswordHasher, Scope } from './domain/auth.ts';
import type { DocEngine } from './domain/doc-engine.ts';
import type { UserRow } from './domain/access.ts';
import type { ReadCache } from './domain/read-cache.ts';
import type { AccessChanges } from './collab/access-changes.ts';
import type { BriefWriter, SearchIndex } from './domain/ports.ts';
import type { SearchIndexer } from './jobs/search-indexer.ts';
import type { OutboxPruner } from './jobs/outbox-pruner.ts';
import type { BriefScheduler } from './jobs/brief-scheduler.ts';

/** Everything the routes need, built once in index.ts (or by a test) and passed to createApp. */
export interface Deps {
  database: Database;
  db: Db;
  config: Config;
  log: Logger;
  clock: Clock;
  /** Rate limits of log-in, sign-up and password change, counted in the database before any hashing. */
  authLimiter: AuthLimiter;
  /** Password hashing (argon2id when unset; tests inject a counting one). */
  passwords?: PasswordHasher;
  docs: DocEngine;
  cache: ReadCache;
  /** Announces changes of who may read or edit what (open collaboration sockets re-check on them). */
  accessChanges: AccessChanges;
  search: SearchIndex;
  searchIndexer: SearchIndexer;
  /** Deletes outbox rows every consumer has passed; started by index.ts, driven by hand in tests. */
  outboxPruner: OutboxPruner;
  /** Writes briefs from their facts: extractive by default (the LLM writer when configured). */
  briefWriter: BriefWriter;
  /** Builds each person's brief at their brief hour; started by index.ts, driven by hand in tests. */
  briefScheduler: BriefScheduler;
}

export interface Auth {
  user: UserRow;
  via: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  /** What the credential may do: sessions `read` + `write`; an API token maybe only `read` (see canWrite). */
  scopes: readonly Scope[];
  /** When the credential stops working (ms since the epoch), or null. */
  expiresAt: number | null;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    auth: Auth | null;
    requestId: string;
  };
}
