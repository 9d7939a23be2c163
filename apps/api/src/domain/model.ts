import type { documents, spaces, users } from '@handoff/db';

/** The rows the domain works with (drizzle's inferred row types) and the roles of a space. */
export type UserRow = typeof users.$inferSelect;
export type SpaceRow = typeof spaces.$inferSelect;
export type DocRow = typeof documents.$inferSelect;
export type SpaceRole = 'viewer' | 'editor' | 'admin';
/** `page`, `decision` (a decision record) or `handoff` (a handoff note). */
export type DocKind = DocRow['kind'];
