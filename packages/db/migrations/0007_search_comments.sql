-- Search finds comment text (issue 10): the word and trigram indexes of the embedded engine get a
-- `comments` column (the live comments of a document, weighted below its body). FTS5 tables cannot
-- gain a column, so each is created anew, filled from the old one (comments empty: the indexer
-- fills them as threads change; `npx handoff reindex` indexes the comments written before), and
-- renamed into place. The vocabulary stays as it is: the documents' words did not change.
CREATE VIRTUAL TABLE `search_fts_v2` USING fts5(title, body, comments, scope, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `search_fts_v2` (rowid, title, body, comments, scope) SELECT rowid, title, body, '', scope FROM `search_fts`;
--> statement-breakpoint
DROP TABLE `search_fts`;
--> statement-breakpoint
ALTER TABLE `search_fts_v2` RENAME TO `search_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_trigram_v2` USING fts5(title, body, comments, scope, tokenize = 'trigram');
--> statement-breakpoint
INSERT INTO `search_trigram_v2` (rowid, title, body, comments, scope) SELECT rowid, title, body, '', scope FROM `search_trigram`;
--> statement-breakpoint
DROP TABLE `search_trigram`;
--> statement-breakpoint
ALTER TABLE `search_trigram_v2` RENAME TO `search_trigram`;
