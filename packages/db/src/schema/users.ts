import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Times are stored as integer milliseconds since the epoch (UTC). */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  handle: text('handle').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  timezone: text('timezone').notNull(),
  briefHour: integer('brief_hour').notNull().default(8),
  role: text('role', { enum: ['admin', 'member'] }).notNull().default('member'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  deactivatedAt: integer('deactivated_at'),
  /** JSON array of ISO weekdays (1 = Monday … 7 = Sunday) the person works on. */
  workDays: text('work_days').notNull().default('[1,2,3,4,5]'),
  /** Working hours in the person's time zone, "HH:MM" (24-hour); nothing is delivered outside them. */
  workStart: text('work_start').notNull().default('09:00'),
  workEnd: text('work_end').notNull().default('17:00'),
  /** On leave until this time (ms): no scheduled brief is built or delivered before it. */
  awayUntil: integer('away_until'),
  /** Opted in to the brief by e-mail (to `email`). */
  deliveryEmail: integer('delivery_email', { mode: 'boolean' }).notNull().default(false),
  /** A chat or generic HTTPS webhook the brief is posted to; null when off. */
  webhookUrl: text('webhook_url'),
  /** The HMAC-SHA256 key of `X-Handoff-Signature` for `webhookUrl` (shown to its owner only). */
  webhookSecret: text('webhook_secret'),
});

/** A log-in session. The token itself is never stored, only its SHA-256. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Absolute expiry: the session ends here however active it is. */
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Long-lived Bearer tokens for scripts and the CLI. `scopes`: `read` (GET/HEAD only) or
 * `read,write`; `expiresAt` (optional): the token answers 401 from then on.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes', { enum: ['read', 'read,write'] }).notNull().default('read,write'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);
