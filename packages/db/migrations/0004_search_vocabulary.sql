-- The typo and prefix vocabulary of the embedded search engine, made exact and bounded (issue 8):
-- `docs` is now the number of indexed documents that hold the word (raised when a document is
-- indexed, lowered when it is re-indexed, trashed or removed; a word whose count reaches 0 is
-- deleted), ids are never reused (AUTOINCREMENT: other processes pick up new words by id), and an
-- index on `docs` lets the engine keep only the most used words in memory without reading all.
-- The old table counted every re-index again and never forgot a word: it is rebuilt from the
-- indexed documents (surface words folded as `unicode61 remove_diacritics 2` does, 3–30 letters,
-- no digits, no Chinese/Japanese/Korean — what the engine keeps).
DROP TABLE `search_vocab`;
--> statement-breakpoint
CREATE TABLE `search_vocab` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`term` text NOT NULL,
	`docs` integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_vocab_term_idx` ON `search_vocab` (`term`);
--> statement-breakpoint
CREATE INDEX `search_vocab_docs_idx` ON `search_vocab` (`docs` DESC, `id`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_vocab_build` USING fts5(t, content = '', detail = 'none', tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `search_vocab_build` (rowid, t) SELECT rowid, title || ' ' || body FROM `search_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_vocab_build_terms` USING fts5vocab(`search_vocab_build`, 'row');
--> statement-breakpoint
INSERT INTO `search_vocab` (term, docs)
	SELECT term, doc FROM `search_vocab_build_terms`
	WHERE length(term) BETWEEN 3 AND 30 AND term NOT GLOB '*[0-9]*' AND term NOT GLOB '*[⺀-鿿]*' AND term NOT GLOB '*[가-힣]*'
	ORDER BY doc DESC;
--> statement-breakpoint
DROP TABLE `search_vocab_build_terms`;
--> statement-breakpoint
DROP TABLE `search_vocab_build`;
