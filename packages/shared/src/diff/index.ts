export { diffBlocks, diffWords, blockSimilarity, summarizeDiff, isTrivialChange } from './diff-blocks.ts';
export type { DiffBlock, DiffWord, DiffSummary, DiffBlocksOptions } from './diff-blocks.ts';
