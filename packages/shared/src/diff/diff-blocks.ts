import { diffArrays, diffChars, diffWordsWithSpace } from 'diff';

/*
 * Block-level diff of two revisions, with a word-level diff inside the blocks that changed.
 * The inputs are the Markdown of each top-level block. The output is the `blocks` array of
 * `GET /api/docs/:id/diff` (its zod schema is `DiffBlockSchema` in ../schemas/docs.ts).
 */

export type DiffWord = { op: 'same' | 'added' | 'removed'; text: string };

export type DiffBlock =
  | { op: 'same'; before: string; after: string }
  | { op: 'added'; after: string }
  | { op: 'removed'; before: string }
  | { op: 'changed'; before: string; after: string; words: DiffWord[] };

export type DiffBlocksOptions = {
  /** A removed and an added block pair up as `changed` at this word similarity or more (0..1). Default 0.4. */
  similarity?: number;
  /** How many added blocks ahead of the last pairing a removed block may pair with. Default 64. */
  pairWindow?: number;
  /** Past this many block insertions + deletions the block alignment gives up (all removed, then all added). */
  maxBlockEdits?: number;
  /** Past this many word insertions + deletions a changed block is shown as all removed, then all added. */
  maxWordEdits?: number;
};

const DEFAULTS = { similarity: 0.4, pairWindow: 64, maxBlockEdits: 2000, maxWordEdits: 2000 } as const;

/** Diffs two revisions given as the Markdown of their top-level blocks. */
export function diffBlocks(before: readonly string[], after: readonly string[], options: DiffBlocksOptions = {}): DiffBlock[] {
  const opts: Required<DiffBlocksOptions> = {
    similarity: options.similarity ?? DEFAULTS.similarity,
    pairWindow: options.pairWindow ?? DEFAULTS.pairWindow,
    maxBlockEdits: options.maxBlockEdits ?? DEFAULTS.maxBlockEdits,
    maxWordEdits: options.maxWordEdits ?? DEFAULTS.maxWordEdits,
  };
  const out: DiffBlock[] = [];

  // Common prefix and suffix need no diff algorithm.
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }

  for (let i = 0; i < start; i++) pushSame(out, before[i]!);

  if (start < endBefore || start < endAfter) {
    const oldMiddle = before.slice(start, endBefore);
    const newMiddle = after.slice(start, endAfter);
    let i = 0;
    let j = 0;
    for (const [oi, nj] of alignBlocks(oldMiddle, newMiddle, opts.maxBlockEdits)) {
      pairRun(out, oldMiddle.slice(i, oi), newMiddle.slice(j, nj), opts);
      pushSame(out, oldMiddle[oi]!);
      i = oi + 1;
      j = nj + 1;
    }
    pairRun(out, oldMiddle.slice(i), newMiddle.slice(j), opts);
  }

  for (let i = endBefore; i < before.length; i++) pushSame(out, before[i]!);
  return out;
}

/**
 * The pairs of indices of blocks left unchanged, in order (a longest common subsequence).
 * Blocks found on one side only can never be part of it, so they are set aside before running
 * jsdiff's O(ND) `diffArrays`: D then counts only blocks that moved, not the ones edited. Blocks
 * are interned as numbers so that the algorithm compares integers, not long strings.
 */
function alignBlocks(oldBlocks: readonly string[], newBlocks: readonly string[], maxEdits: number): Array<[number, number]> {
  const ids = new Map<string, number>();
  const oldIds = oldBlocks.map((block) => {
    let id = ids.get(block);
    if (id === undefined) ids.set(block, (id = ids.size));
    return id;
  });
  const inOld = ids.size;
  const newIds = newBlocks.map((block) => ids.get(block) ?? -1);
  const inNew = new Set(newIds);

  const oldKept: number[] = [];
  const newKept: number[] = [];
  oldIds.forEach((id, index) => inNew.has(id) && oldKept.push(index));
  newIds.forEach((id, index) => id >= 0 && id < inOld && newKept.push(index));
  if (oldKept.length === 0 || newKept.length === 0) return [];

  const changes = diffArrays(
    oldKept.map((index) => oldIds[index]!),
    newKept.map((index) => newIds[index]!),
    { maxEditLength: maxEdits },
  );
  if (changes === undefined) return [];
  const anchors: Array<[number, number]> = [];
  let fi = 0;
  let fj = 0;
  for (const change of changes) {
    const count = change.value.length;
    if (change.removed) fi += count;
    else if (change.added) fj += count;
    else {
      for (let k = 0; k < count; k++) anchors.push([oldKept[fi + k]!, newKept[fj + k]!]);
      fi += count;
      fj += count;
    }
  }
  return anchors;
}

function pushSame(out: DiffBlock[], block: string) {
  out.push({ op: 'same', before: block, after: block });
}

/**
 * Pairs a run of removed blocks with the run of added blocks that replaced them, in order: each
 * removed block takes the most similar added block within the window (if similar enough); added
 * blocks skipped over come out as `added` just before the pair.
 */
function pairRun(
  out: DiffBlock[],
  removed: readonly string[],
  added: readonly string[],
  opts: Required<DiffBlocksOptions>,
) {
  const addedBags: (TokenBag | undefined)[] = new Array(added.length);
  const addedBag = (k: number) => (addedBags[k] ??= tokenBag(added[k]!));
  let next = 0;
  for (const before of removed) {
    let best = -1;
    let bestScore = opts.similarity;
    if (next < added.length) {
      const bag = tokenBag(before);
      const end = Math.min(added.length, next + opts.pairWindow);
      for (let k = next; k < end; k++) {
        const score = dice(bag, addedBag(k));
        if (score > bestScore || (score === bestScore && best < 0)) {
          best = k;
          bestScore = score;
          if (score === 1) break;
        }
      }
    }
    if (best < 0) {
      out.push({ op: 'removed', before });
      continue;
    }
    for (let k = next; k < best; k++) out.push({ op: 'added', after: added[k]! });
    const after = added[best]!;
    if (before === after) pushSame(out, before);
    else out.push({ op: 'changed', before, after, words: diffWords(before, after, opts.maxWordEdits) });
    next = best + 1;
  }
  for (let k = next; k < added.length; k++) out.push({ op: 'added', after: added[k]! });
}

/** The word-level diff of one block (words, punctuation and runs of whitespace are the tokens). */
export function diffWords(before: string, after: string, maxEdits: number = DEFAULTS.maxWordEdits): DiffWord[] {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: maxEdits });
  if (changes === undefined) {
    const words: DiffWord[] = [];
    if (before) words.push({ op: 'removed', text: before });
    if (after) words.push({ op: 'added', text: after });
    return words;
  }
  const words: DiffWord[] = [];
  for (const change of changes) {
    if (!change.value) continue;
    const op = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const last = words[words.length - 1];
    if (last && last.op === op) last.text += change.value;
    else words.push({ op, text: change.value });
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// Similarity: Dice coefficient over the multiset of word and punctuation tokens (whitespace ignored).

type TokenBag = { counts: Map<string, number>; size: number };
const TOKEN = /[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;

function tokenBag(text: string): TokenBag {
  const counts = new Map<string, number>();
  let size = 0;
  for (const match of text.matchAll(TOKEN)) {
    counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
    size++;
  }
  return { counts, size };
}

function dice(a: TokenBag, b: TokenBag): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let common = 0;
  for (const [token, count] of small.counts) common += Math.min(count, large.counts.get(token) ?? 0);
  return (2 * common) / (a.size + b.size);
}

/** Word similarity of two blocks, 0 (nothing in common) to 1 (same words). */
export function blockSimilarity(a: string, b: string): number {
  return dice(tokenBag(a), tokenBag(b));
}

// ---------------------------------------------------------------------------------------------
// Summaries, for briefs

export type DiffSummary = {
  addedBlocks: number;
  removedBlocks: number;
  changedBlocks: number;
  /** Characters (code points) in added blocks. */
  addedChars: number;
  /** Characters (code points) in removed blocks. */
  removedChars: number;
  /** Characters (code points) in the added and removed words of changed blocks. */
  changedChars: number;
};

export function summarizeDiff(blocks: readonly DiffBlock[]): DiffSummary {
  const summary: DiffSummary = {
    addedBlocks: 0,
    removedBlocks: 0,
    changedBlocks: 0,
    addedChars: 0,
    removedChars: 0,
    changedChars: 0,
  };
  for (const block of blocks) {
    switch (block.op) {
      case 'added':
        summary.addedBlocks++;
        summary.addedChars += codePoints(block.after);
        break;
      case 'removed':
        summary.removedBlocks++;
        summary.removedChars += codePoints(block.before);
        break;
      case 'changed':
        summary.changedBlocks++;
        for (const word of block.words) if (word.op !== 'same') summary.changedChars += codePoints(word.text);
        break;
      case 'same':
        break;
    }
  }
  return summary;
}

/**
 * True when a diff is not worth telling anyone about: nothing changed, only whitespace changed
 * (including blocks split or joined), or at most `maxChars` (default 5) non-whitespace characters
 * were added or removed in all. Inside changed blocks characters are counted with a character
 * diff of each replaced run of words, so fixing "recieve" to "receive" counts 2, not 14.
 */
export function isTrivialChange(blocks: readonly DiffBlock[], maxChars = 5): boolean {
  if (countChangedChars(blocks, maxChars) <= maxChars) return true;
  // Blocks split, joined or re-wrapped: the same text in the same order once whitespace is ignored.
  let beforeText = '';
  let afterText = '';
  for (const block of blocks) {
    if (block.op !== 'added') beforeText += block.before.replace(WHITESPACE, '');
    if (block.op !== 'removed') afterText += block.after.replace(WHITESPACE, '');
  }
  return beforeText === afterText;
}

/** Non-whitespace characters added or removed, counted until `limit` is passed. */
function countChangedChars(blocks: readonly DiffBlock[], limit: number): number {
  let count = 0;
  for (const block of blocks) {
    if (block.op === 'added') count += nonSpaceChars(block.after);
    else if (block.op === 'removed') count += nonSpaceChars(block.before);
    else if (block.op === 'changed') {
      let removed = '';
      let added = '';
      for (const word of [...block.words, { op: 'same', text: '' }]) {
        if (word.op === 'removed') removed += word.text;
        else if (word.op === 'added') added += word.text;
        else if (removed || added) {
          count += charEdits(removed.replace(WHITESPACE, ''), added.replace(WHITESPACE, ''), limit - count);
          removed = '';
          added = '';
          if (count > limit) return count;
        }
      }
    }
    if (count > limit) return count;
  }
  return count;
}

/** Characters inserted plus deleted to turn `a` into `b`, or `budget + 1` once past `budget`. */
function charEdits(a: string, b: string, budget: number): number {
  if (!a || !b) return codePoints(a) + codePoints(b);
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  const changes = diffChars(a, b, { maxEditLength: budget });
  if (changes === undefined) return budget + 1;
  let edits = 0;
  for (const change of changes) if (change.added || change.removed) edits += codePoints(change.value);
  return edits;
}

const WHITESPACE = /\s+/g;

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function nonSpaceChars(text: string): number {
  return codePoints(text.replace(WHITESPACE, ''));
}
