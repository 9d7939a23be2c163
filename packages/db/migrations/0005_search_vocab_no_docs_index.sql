-- The index on `search_vocab.docs` (migration 0004) moved an entry on every count change: bulk
-- indexing raises the counts of about half the vocabulary per batch, and the index cost more than
-- the counts themselves. Its one use, reading the most used words at start-up (at most the engine's
-- memory cap), is a scan with a bounded sort instead: the table holds a term and a count per word
-- (1,000,000 words read in about 0.6 s), and only the kept words reach memory.
DROP INDEX IF EXISTS `search_vocab_docs_idx`;
