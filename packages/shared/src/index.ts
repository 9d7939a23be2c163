// The package's parts are imported by subpath ('@handoff/shared/schemas', '/markdown', '/lexical',
// '/diff') so that the web bundle pulls in only what it uses; this index re-exports them for scripts.
// (DiffBlock/DiffWord types come from the schemas; the diff module's are the same shape.)
export * from './schemas/index.ts';
export { diffBlocks, diffWords, blockSimilarity, summarizeDiff, isTrivialChange, type DiffSummary, type DiffBlocksOptions } from './diff/index.ts';
export * from './lexical/index.ts';
export * from './markdown/index.ts';
export * from './handoff-template.ts';
