import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/**
 * Counters of the rate limiter (log-in, sign-up, password change): one row per key, a fixed window.
 * Kept in the database so limits survive restarts and hold across API nodes sharing it; each
 * attempt is one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull(),
    /** When the current window ends (ms since the epoch); the counter starts over after it. */
    resetAt: integer('reset_at').notNull(),
  },
  (t) => [index('rate_limits_reset_idx').on(t.resetAt)],
);

/** An invitation to join the workspace. The token itself is never stored, only its SHA-256. */
export const invites = sqliteTable(
  'invites',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    /** When set, only this (lowercased) e-mail may use the invite. */
    email: text('email'),
    role: text('role', { enum: ['admin', 'member'] }).notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedBy: text('used_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invites_created_idx').on(t.createdAt)],
);
