import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DiffBlock as DiffBlockDto } from '../schemas/docs.ts';
import { DiffBlockSchema } from '../schemas/docs.ts';
import { blockSimilarity, diffBlocks, diffWords, isTrivialChange, summarizeDiff, type DiffBlock } from './index.ts';

const doc = (n: number, prefix = 'Paragraph') =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i}: the team agreed on item ${i} after a short discussion.`);

/** The revisions a diff describes, rebuilt from it. */
function sides(blocks: DiffBlock[]) {
  const before: string[] = [];
  const after: string[] = [];
  for (const block of blocks) {
    if (block.op !== 'added') before.push(block.before);
    if (block.op !== 'removed') after.push(block.after);
  }
  return { before, after };
}

function expectFaithful(before: string[], after: string[], blocks = diffBlocks(before, after)) {
  expect(sides(blocks)).toEqual({ before, after });
  for (const block of blocks) {
    expect(DiffBlockSchema.safeParse(block).success).toBe(true);
    if (block.op === 'changed') {
      expect(block.words.filter((w) => w.op !== 'added').map((w) => w.text).join('')).toBe(block.before);
      expect(block.words.filter((w) => w.op !== 'removed').map((w) => w.text).join('')).toBe(block.after);
    }
  }
  return blocks;
}

describe('diffBlocks', () => {
  it('matches the API schema type', () => {
    expectTypeOf<DiffBlock>().toEqualTypeOf<DiffBlockDto>();
  });

  it('empty inputs', () => {
    expect(diffBlocks([], [])).toEqual([]);
    expect(diffBlocks([], ['# New'])).toEqual([{ op: 'added', after: '# New' }]);
    expect(diffBlocks(['# Old'], [])).toEqual([{ op: 'removed', before: '# Old' }]);
  });

  it('identical documents are all same', () => {
    const a = doc(50);
    const blocks = expectFaithful(a, [...a]);
    expect(blocks.every((b) => b.op === 'same')).toBe(true);
    expect(summarizeDiff(blocks)).toEqual({
      addedBlocks: 0,
      removedBlocks: 0,
      changedBlocks: 0,
      addedChars: 0,
      removedChars: 0,
      changedChars: 0,
    });
    expect(isTrivialChange(blocks)).toBe(true);
  });

  it('an insertion', () => {
    const a = doc(10);
    const b = [...a.slice(0, 4), '## A brand new section', ...a.slice(4)];
    const blocks = expectFaithful(a, b);
    expect(blocks.filter((x) => x.op !== 'same')).toEqual([{ op: 'added', after: '## A brand new section' }]);
    expect(blocks.findIndex((x) => x.op === 'added')).toBe(4);
  });

  it('a deletion', () => {
    const a = doc(10);
    const b = a.filter((_, i) => i !== 7);
    const blocks = expectFaithful(a, b);
    expect(blocks.filter((x) => x.op !== 'same')).toEqual([{ op: 'removed', before: a[7] }]);
  });

  it('one word changed in one block among 1,000', () => {
    const a = doc(1000);
    const b = [...a];
    b[500] = b[500]!.replace('short', 'long');
    const blocks = expectFaithful(a, b);
    expect(blocks).toHaveLength(1000);
    const changed = blocks.filter((x) => x.op !== 'same');
    expect(changed).toEqual([
      {
        op: 'changed',
        before: a[500],
        after: b[500],
        words: [
          { op: 'same', text: 'Paragraph 500: the team agreed on item 500 after a ' },
          { op: 'removed', text: 'short' },
          { op: 'added', text: 'long' },
          { op: 'same', text: ' discussion.' },
        ],
      },
    ]);
    expect(blocks.indexOf(changed[0]!)).toBe(500);
    expect(summarizeDiff(blocks)).toMatchObject({ changedBlocks: 1, changedChars: 9 });
    expect(isTrivialChange(blocks)).toBe(false);
  });

  it('a reorder shows up as a removal and an insertion', () => {
    const blocks = expectFaithful(['# Alpha', '# Beta', '# Gamma'], ['# Gamma', '# Alpha', '# Beta']);
    expect(blocks.map((x) => x.op).sort()).toEqual(['added', 'removed', 'same', 'same']);
    expect(isTrivialChange(blocks)).toBe(false);
  });

  it('pairs similar blocks as changed and leaves dissimilar ones added/removed, in order', () => {
    const before = ['Intro', 'We will ship the beta on Friday to all teams.', 'Totally unrelated old text here', 'End'];
    const after = ['Intro', 'A new note', 'We will ship the beta on Monday to all teams.', 'Something else entirely now', 'End'];
    const blocks = expectFaithful(before, after);
    expect(blocks.map((x) => x.op)).toEqual(['same', 'added', 'changed', 'removed', 'added', 'same']);
  });

  it('takes the most similar block in the window, not the first similar one', () => {
    const before = ['alpha beta gamma delta'];
    const after = ['alpha beta zeta eta', 'alpha beta gamma delta epsilon'];
    const blocks = expectFaithful(before, after);
    expect(blocks.map((x) => x.op)).toEqual(['added', 'changed']);
  });

  it('keeps duplicate blocks straight', () => {
    expectFaithful(['---', 'a', '---', 'b', '---'], ['---', 'b', '---', 'a', '---', '---']);
    expectFaithful(['x', 'x', 'x'], ['x']);
  });

  it('handles a completely rewritten document', () => {
    const a = doc(200, 'Old');
    const b = Array.from({ length: 150 }, (_, i) => `Fresh words number ${i}`);
    expectFaithful(a, b);
  });

  it('runs on 5,000-block documents with many edits', () => {
    const a = doc(5000);
    const b = a.map((block, i) => (i % 7 === 0 ? block.replace('agreed', 'disagreed') : block));
    b.splice(2500, 0, ...doc(300, 'Inserted'));
    b.splice(100, 200);
    const blocks = expectFaithful(a, b);
    const summary = summarizeDiff(blocks);
    expect(summary.addedBlocks).toBe(300);
    expect(summary.removedBlocks).toBe(200);
    expect(summary.changedBlocks).toBeGreaterThan(600);

    // Worst cases: nothing in common, and every block moved.
    expectFaithful(a, doc(5000, 'Other'));
    expectFaithful(a, [...a].reverse());
  });

  it('stays faithful when it gives up aligning (low edit limits)', () => {
    const a = doc(100);
    const b = [...a].reverse();
    expectFaithful(a, b, diffBlocks(a, b, { maxBlockEdits: 5, maxWordEdits: 1 }));
  });
});

describe('diffWords', () => {
  it('keeps whitespace and newlines as tokens', () => {
    expect(diffWords('- one\n- two', '- one\n- three')).toEqual([
      { op: 'same', text: '- one\n- ' },
      { op: 'removed', text: 'two' },
      { op: 'added', text: 'three' },
    ]);
  });
  it('falls back to all removed then all added past the edit limit', () => {
    expect(diffWords('a b c d', 'e f g h', 1)).toEqual([
      { op: 'removed', text: 'a b c d' },
      { op: 'added', text: 'e f g h' },
    ]);
  });
});

describe('blockSimilarity', () => {
  it('is 1 for the same words and 0 for none in common', () => {
    expect(blockSimilarity('a b c', 'c b a')).toBe(1);
    expect(blockSimilarity('a b', 'c d')).toBe(0);
    expect(blockSimilarity('a b c d', 'a b e f')).toBe(0.5);
  });
});

describe('summarizeDiff / isTrivialChange', () => {
  it('counts blocks and characters', () => {
    const blocks = diffBlocks(['keep', 'gone', 'The cat sat.'], ['keep', 'The dog sat.', 'brand new']);
    expect(summarizeDiff(blocks)).toEqual({
      addedBlocks: 1,
      removedBlocks: 1,
      changedBlocks: 1,
      addedChars: 9,
      removedChars: 4,
      changedChars: 6,
    });
  });

  it('whitespace-only changes are trivial, however large', () => {
    const before = ['A paragraph   with  spaces.', 'Another   one.'];
    const after = ['A paragraph with spaces.', 'Another one.'];
    expect(isTrivialChange(diffBlocks(before, after))).toBe(true);
    // A paragraph split in two is still whitespace-only.
    expect(isTrivialChange(diffBlocks(['First sentence here. Second sentence here.'], ['First sentence here.', 'Second sentence here.']))).toBe(true);
  });

  it('a typo fix is trivial, a new sentence is not', () => {
    expect(isTrivialChange(diffBlocks(['We recieve feedback weekly.'], ['We receive feedback weekly.']))).toBe(true);
    expect(isTrivialChange(diffBlocks(['We ship weekly.'], ['We ship weekly. Not on Fridays.']))).toBe(false);
    expect(isTrivialChange(diffBlocks(['Owner: @ada'], ['Owner: @grace']))).toBe(false);
    expect(isTrivialChange(diffBlocks(['Short'], []))).toBe(true);
    expect(isTrivialChange(diffBlocks(['Longer block'], []))).toBe(false);
  });
});
