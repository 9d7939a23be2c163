import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { spaces } from './spaces.ts';
import { users } from './users.ts';

/**
 * The current state of each document. Title, Markdown, Lexical JSON and text are derived from the
 * document's Y.Doc (see `doc_updates` / `doc_snapshots`) when a revision is written; they are a
 * read cache, never the source of truth for the body.
 */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    spaceId: text('space_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    parentId: text('parent_id'),
    kind: text('kind', { enum: ['page', 'decision', 'handoff'] }).notNull().default('page'),
    title: text('title').notNull(),
    markdown: text('markdown').notNull().default(''),
    content: text('content').notNull(),
    text: text('text').notNull().default(''),
    revision: integer('revision').notNull().default(0),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    updatedBy: text('updated_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    trashedAt: integer('trashed_at'),
  },
  (t) => [
    index('documents_space_updated_idx').on(t.spaceId, t.updatedAt, t.id),
    index('documents_parent_idx').on(t.parentId),
    index('documents_updated_idx').on(t.updatedAt, t.id),
  ],
);

/** Every revision of every document, with everything needed to show or diff it without Yjs. */
export const revisions = sqliteTable(
  'revisions',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    markdown: text('markdown').notNull(),
    text: text('text').notNull(),
    /** The decision record as it was at this revision (JSON), null for pages. */
    decision: text('decision'),
    /** The author's "why" for the change. */
    message: text('message'),
    /** The full Y.Doc state at this revision: the base for merging a PATCH made against it. */
    ydocState: blob('ydoc_state', { mode: 'buffer' }).notNull(),
    /** The last `doc_updates.id` this revision includes; the log is only compacted up to here. */
    throughUpdateId: integer('through_update_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docId, t.revision] }), index('revisions_created_idx').on(t.createdAt)],
);

/** Everyone who contributed to a revision. */
export const revisionAuthors = sqliteTable(
  'revision_authors',
  {
    docId: text('doc_id').notNull(),
    revision: integer('revision').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.docId, t.revision, t.userId] }), index('revision_authors_user_idx').on(t.userId)],
);

/** The append-only Yjs update log: a document's body is the merge of its snapshot and these. */
export const docUpdates = sqliteTable(
  'doc_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    update: blob('update', { mode: 'buffer' }).notNull(),
    /** Who made the change (user id), or null for the system (seeding, restore). */
    userId: text('user_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('doc_updates_doc_idx').on(t.docId, t.id)],
);

/** A compacted Y.Doc state holding every update of the log up to `throughUpdateId`. */
export const docSnapshots = sqliteTable('doc_snapshots', {
  docId: text('doc_id')
    .primaryKey()
    .references(() => documents.id, { onDelete: 'cascade' }),
  state: blob('state', { mode: 'buffer' }).notNull(),
  throughUpdateId: integer('through_update_id').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const decisions = sqliteTable(
  'decisions',
  {
    docId: text('doc_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['proposed', 'accepted', 'superseded', 'rejected'] }).notNull(),
    supersedes: text('supersedes'),
    decidedAt: integer('decided_at'),
  },
  (t) => [index('decisions_supersedes_idx').on(t.supersedes)],
);

export const decisionOwners = sqliteTable(
  'decision_owners',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.docId, t.userId] })],
);

/** The last revision of each document that each reader has seen. */
export const views = sqliteTable(
  'views',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.docId] })],
);

/** A person following a document or a whole space. */
export const watches = sqliteTable(
  'watches',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    targetType: text('target_type', { enum: ['doc', 'space'] }).notNull(),
    targetId: text('target_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.targetType, t.targetId] }), index('watches_target_idx').on(t.targetType, t.targetId)],
);

/** A user mentioned in a document, from the revision where the mention first appeared. */
export const mentions = sqliteTable(
  'mentions',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    mentionedBy: text('mentioned_by').references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docId, t.userId, t.revision] }), index('mentions_user_idx').on(t.userId, t.createdAt)],
);

/**
 * The transactional outbox: every change that search and briefs must hear of writes a row here in
 * the same transaction as the change. Consumers keep their own position in `outbox_offsets`.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    topic: text('topic').notNull(),
    docId: text('doc_id'),
    spaceId: text('space_id'),
    payload: text('payload').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt)],
);

export const outboxOffsets = sqliteTable('outbox_offsets', {
  consumer: text('consumer').primaryKey(),
  lastId: integer('last_id').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
});


/**
 * The doc-link graph: `docId`'s current revision links to `targetId` (a `/docs/<id>` link in its
 * body). Rewritten with each revision; a brief's `linked` reason and the decision reason read it.
 */
export const docLinks = sqliteTable(
  'doc_links',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    targetId: text('target_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docId, t.targetId] }), index('doc_links_target_idx').on(t.targetId)],
);

/**
 * Whom a handoff note (`kind: "handoff"`) is addressed to: a person (`userId`) or every member of a
 * space (`spaceId`); exactly one of the two is set.
 */
export const handoffRecipients = sqliteTable(
  'handoff_recipients',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** `user:<id>` or `space:<id>`: the key, so one table holds both. */
    recipient: text('recipient').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    spaceId: text('space_id').references(() => spaces.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docId, t.recipient] }), index('handoff_recipients_user_idx').on(t.userId), index('handoff_recipients_space_idx').on(t.spaceId)],
);

/**
 * "Blocked on @person" and "Decision needed from @person" items of a handoff note's current
 * revision: they wait on that person (her "Waiting on you", the `asked` reason) until she answers
 * or the note no longer asks.
 */
export const handoffAsks = sqliteTable(
  'handoff_asks',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Which section asks: `blocked` (Blocked on) or `decision` (Decisions needed). */
    section: text('section', { enum: ['blocked', 'decision'] }).notNull(),
    /** The item's text (plain, ≤ 500 characters). */
    text: text('text').notNull(),
    askedBy: text('asked_by')
      .notNull()
      .references(() => users.id),
    /** The revision in which this item first asked her. */
    revision: integer('revision').notNull(),
    askedAt: integer('asked_at').notNull(),
    /** When she marked it answered (null: still waiting on her). */
    answeredAt: integer('answered_at'),
  },
  (t) => [primaryKey({ columns: [t.docId, t.userId, t.section, t.text] }), index('handoff_asks_user_idx').on(t.userId, t.askedAt)],
);

/**
 * One-time maintenance work that has run to its end (e.g. `doc-links-backfill`), so that it is
 * not repeated at every start.
 */
export const maintenanceMarks = sqliteTable('maintenance_marks', {
  name: text('name').primaryKey(),
  doneAt: integer('done_at').notNull(),
});
