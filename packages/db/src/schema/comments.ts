import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { documents } from './documents.ts';
import { users } from './users.ts';

/**
 * A conversation on a document: anchored to a range of its text (two Yjs relative positions in the
 * document's Y.Doc, so the range follows the text through every edit) or to the whole document
 * (no anchor). Comments live here, never in the Y.Doc: they do not change the body or make
 * revisions.
 */
export const threads = sqliteTable(
  'threads',
  {
    id: text('id').primaryKey(),
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    /** `Y.encodeRelativePosition` of the range's start (bound to its first character); null for a document-level thread. */
    anchorStart: blob('anchor_start', { mode: 'buffer' }),
    /** `Y.encodeRelativePosition` of the range's end (bound to its last character). */
    anchorEnd: blob('anchor_end', { mode: 'buffer' }),
    /** The anchored text when the thread was started: what an orphaned thread still shows. */
    quote: text('quote'),
    /** The anchored text was deleted, as last seen (recomputed whenever the threads are listed). */
    orphaned: integer('orphaned', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['open', 'resolved'] }).notNull().default('open'),
    resolvedBy: text('resolved_by').references(() => users.id),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
    /** The last comment, resolve or reopen. */
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('threads_doc_idx').on(t.docId, t.createdAt), index('threads_updated_idx').on(t.updatedAt)],
);

export const comments = sqliteTable(
  'comments',
  {
    id: text('id').primaryKey(),
    threadId: text('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    /** The thread's document (denormalized: search and briefs read comments by document). */
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    /** Markdown subset (emphasis, code, links, @mentions); emptied when deleted. */
    markdown: text('markdown').notNull(),
    createdAt: integer('created_at').notNull(),
    editedAt: integer('edited_at'),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('comments_thread_idx').on(t.threadId, t.createdAt), index('comments_doc_idx').on(t.docId, t.createdAt), index('comments_author_idx').on(t.authorId, t.createdAt)],
);

/**
 * People a thread asks something of: addressed when it was started ("question for @person") or
 * @mentioned in a comment. `askedAt` is the latest time they were asked; the thread waits on them
 * until they reply after it or the thread is resolved.
 */
export const threadAsks = sqliteTable(
  'thread_asks',
  {
    threadId: text('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    askedBy: text('asked_by')
      .notNull()
      .references(() => users.id),
    /** Addressed when the thread was started (shown as "question for"), not only mentioned. */
    addressed: integer('addressed', { mode: 'boolean' }).notNull().default(false),
    askedAt: integer('asked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.userId] }), index('thread_asks_user_idx').on(t.userId, t.askedAt)],
);
