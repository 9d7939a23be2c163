import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/**
 * Each reader's briefs ("what changed for you"). `items` holds the facts of every item as they were
 * built (JSON, see `BriefItemFacts` in apps/api/src/domain/ports.ts) so that a brief can be rechecked
 * against the reader's permissions and rewritten when it is shown.
 */
export const briefs = sqliteTable(
  'briefs',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The window: revisions created after `since`, up to and including `until` (ms since the epoch). */
    since: integer('since').notNull(),
    until: integer('until').notNull(),
    writer: text('writer', { enum: ['extractive', 'llm'] }).notNull(),
    readingSeconds: integer('reading_seconds').notNull(),
    markdown: text('markdown').notNull(),
    /** JSON: the items' facts with their summaries, most important first. */
    items: text('items').notNull(),
    /** Items left out by the reading-time budget. */
    omitted: integer('omitted').notNull().default(0),
    /** JSON: the ids of the documents left out (so the count can be rechecked when shown). */
    omittedDocs: text('omitted_docs').notNull().default('[]'),
    /** The reader's local date (YYYY-MM-DD) of a scheduled brief; null for one asked for. */
    scheduledFor: text('scheduled_for'),
    createdAt: integer('created_at').notNull(),
    acknowledgedAt: integer('acknowledged_at'),
  },
  (t) => [
    index('briefs_user_created_idx').on(t.userId, t.createdAt),
    // At most one scheduled brief per reader and local day, even with several API processes.
    uniqueIndex('briefs_user_scheduled_idx').on(t.userId, t.scheduledFor),
  ],
);
