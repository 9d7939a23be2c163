import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { briefs } from './briefs.ts';
import { users } from './users.ts';

/**
 * The delivery log, and the outbox of deliveries: a scheduled brief's delivery rows are written in
 * the transaction that stores the brief, one per opted-in channel, due at the start of the
 * reader's next working period. The delivery job sends what is due and records each attempt, so a
 * restart never skips one and never sends one twice (`id` is the idempotency key a receiver sees).
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    briefId: text('brief_id')
      .notNull()
      .references(() => briefs.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email', 'webhook'] }).notNull(),
    /** The address or URL when the delivery was planned. */
    target: text('target').notNull(),
    /** The reader's local date (YYYY-MM-DD) it is delivered on: at most one per channel and day. */
    localDate: text('local_date').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** The start of the working period it is for (ms): never sent before it. */
    dueAt: integer('due_at').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('deliveries_user_channel_day_idx').on(t.userId, t.channel, t.localDate),
    index('deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('deliveries_brief_idx').on(t.briefId),
  ],
);

/** Something the app must tell a person about her delivery channels (a channel was turned off). */
export const deliveryNotices = sqliteTable(
  'delivery_notices',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email', 'webhook'] }).notNull(),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull(),
    dismissedAt: integer('dismissed_at'),
  },
  (t) => [index('delivery_notices_user_idx').on(t.userId, t.createdAt)],
);
