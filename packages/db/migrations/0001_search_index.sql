-- The embedded search engine (SQLite FTS5 inside the same database). Maintained by the search
-- indexer from the outbox; never written by request handlers.
-- One row per indexed document. Its rowid is the FTS rowid, re-assigned (increasing) on every
-- re-index, so "ORDER BY rowid DESC" walks the most recently changed documents first.
CREATE TABLE `search_docs` (
	`rowid` integer PRIMARY KEY,
	`doc_id` text NOT NULL,
	`space_id` text NOT NULL,
	`kind` text NOT NULL,
	`authors` text NOT NULL DEFAULT '',
	`updated_at` integer NOT NULL,
	`revision` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_doc_idx` ON `search_docs` (`doc_id`);
--> statement-breakpoint
CREATE INDEX `search_docs_space_idx` ON `search_docs` (`space_id`);
--> statement-breakpoint
-- Words: Porter-stemmed, Unicode-folded. `scope` holds filter tokens (space, kind, authors) so
-- that permission and facet filters are index intersections inside the MATCH itself.
CREATE VIRTUAL TABLE `search_fts` USING fts5(title, body, scope, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
-- Substrings: partial words and Chinese, Japanese and Korean text (no spaces between words).
CREATE VIRTUAL TABLE `search_trigram` USING fts5(title, body, scope, tokenize = 'trigram');
--> statement-breakpoint
-- Titles alone: their doclists are short, so title matches of a very common word are cheap.
CREATE VIRTUAL TABLE `search_titles` USING fts5(title, scope, tokenize = 'porter unicode61 remove_diacritics 2', content = '', contentless_delete = 1, detail = 'column');
--> statement-breakpoint
-- The vocabulary (lower-cased surface words with how many documents used them), for prefix
-- expansion and typo tolerance (the adapter keeps a trigram map of it in memory).
CREATE TABLE `search_vocab` (
	`id` integer PRIMARY KEY,
	`term` text NOT NULL,
	`docs` integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_vocab_term_idx` ON `search_vocab` (`term`);
