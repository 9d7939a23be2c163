import type { Database, Db } from '@handoff/db';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Clock } from './domain/ports.ts';
import type { AuthLimiter } from './domain/login-limiter.ts';
import type { Auth } from './domain/identity.ts';
import type { PasswordHasher } from './domain/passwords.ts';
import type { DocEngine } from './domain/doc-engine.ts';
import type { ReadCache } from './domain/read-cache.ts';
import type { EventBus } from './domain/event-bus.ts';
import type { BriefWriter, SearchIndex } from './domain/ports.ts';
import type { BriefPageRenderer } from './domain/brief-store.ts';
import type { SearchIndexer } from './jobs/search-indexer.ts';
import type { OutboxPruner } from './jobs/outbox-pruner.ts';
import type { BriefScheduler } from './jobs/brief-scheduler.ts';
import type { BriefDelivery } from './jobs/brief-delivery.ts';
import type { WebhookUrlChecker } from './domain/delivery-ports.ts';
import type { BlobStore } from './domain/blob-store.ts';

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
  /** Committed domain events, published in-process (the read cache and open sockets follow them). */
  events: EventBus;
  search: SearchIndex;
  searchIndexer: SearchIndexer;
  /** Deletes outbox rows every consumer has passed; started by index.ts, driven by hand in tests. */
  outboxPruner: OutboxPruner;
  /** Writes briefs from their facts: extractive by default (the LLM writer when configured). */
  briefWriter: BriefWriter;
  /** The offline writer: the fallback of any other, and the one that rewrites a rechecked brief. */
  extractiveBriefWriter: BriefWriter;
  /** Renders a brief as an e-mail-ready HTML page (`GET /api/briefs/{id}.html`). */
  renderBriefPage: BriefPageRenderer;
  /** Builds each person's brief at their brief hour; started by index.ts, driven by hand in tests. */
  briefScheduler: BriefScheduler;
  /** Sends the briefs' e-mail and webhook deliveries inside working hours; started by index.ts, driven by hand in tests. */
  briefDelivery: BriefDelivery;
  /** The SSRF guard for webhook URLs people set (`PATCH /api/me`). */
  checkWebhookUrl: WebhookUrlChecker;
  /** The bytes of attachments and images: a folder on disk, or an S3-compatible bucket (config.blobs). */
  blobs: BlobStore;
}

export type { Auth } from './domain/identity.ts';

export interface AppEnv {
  Variables: {
    deps: Deps;
    auth: Auth | null;
    requestId: string;
  };
}
