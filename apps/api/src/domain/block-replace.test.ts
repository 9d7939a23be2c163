import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { $getRoot, $isElementNode, $isTextNode, type SerializedEditorState, type SerializedLexicalNode } from 'lexical';
import { $rootToMarkdown, $setRootFromMarkdown } from '@handoff/shared/markdown';
import { openHeadlessDoc, type HeadlessDoc } from './headless-doc.ts';
import { replaceChangedBlocks, replaceWithSerialized, textHunks } from './block-replace.ts';

function docWith(markdown: string) {
  const h = openHeadlessDoc();
  h.update(() => $setRootFromMarkdown(markdown));
  return h;
}

const md = (h: HeadlessDoc) => h.read(() => $rootToMarkdown());

/** Every live character of the body with its Yjs id, block by block (nested types flattened). */
function chars(doc: Y.Doc): Array<Array<{ ch: string; id: string }>> {
  const blocks: Array<Array<{ ch: string; id: string }>> = [];
  const walk = (type: Y.XmlText, out: Array<{ ch: string; id: string }>) => {
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentString) {
        const s = item.content.str;
        for (let i = 0; i < s.length; i++) out.push({ ch: s[i]!, id: `${item.id.client}:${item.id.clock + i}` });
      } else if (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText) walk(item.content.type, out);
    }
  };
  const root = doc.get('root', Y.XmlText);
  for (let item = root._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlText)) continue;
    const out: Array<{ ch: string; id: string }> = [];
    walk(item.content.type, out);
    blocks.push(out);
  }
  return blocks;
}

/** The Yjs ids of `word`'s characters in block `block` (its first occurrence). */
function idsOf(doc: Y.Doc, block: number, word: string): string[] {
  const b = chars(doc)[block] ?? [];
  const text = b.map((c) => c.ch).join('');
  const at = text.indexOf(word);
  if (at < 0) throw new Error(`"${word}" is not in block ${block}: "${text}"`);
  return b.slice(at, at + word.length).map((c) => c.id);
}

const patch = (h: HeadlessDoc, markdown: string) => replaceChangedBlocks(h, markdown);

describe('replaceChangedBlocks', () => {
  it('keeps unchanged blocks, edits a changed paragraph in place and replaces a block whose kind changed', () => {
    const h = docWith('One.\n\nTwo.\n\nThree.\n\nFour.');
    const keysBefore = h.read(() => $getRoot().getChildrenKeys());
    expect(patch(h, 'One.\n\nTwo, edited.\n\n# Three.\n\nFour.\n\nFive.')).toBe(true);
    const keysAfter = h.read(() => $getRoot().getChildrenKeys());
    expect(keysAfter[0]).toBe(keysBefore[0]);
    expect(keysAfter[1]).toBe(keysBefore[1]); // edited in place
    expect(keysAfter[2]).not.toBe(keysBefore[2]); // a paragraph became a heading: replaced
    expect(keysAfter[3]).toBe(keysBefore[3]);
    expect(md(h)).toBe('One.\n\nTwo, edited.\n\n# Three.\n\nFour.\n\nFive.\n');
    h.dispose();
  });

  it('reports no change (and writes no Yjs update) for the same Markdown', () => {
    const h = docWith('# Title\n\n- a\n- b');
    const sv = Y.encodeStateVector(h.doc);
    expect(patch(h, '# Title\n\n- a\n- b\n')).toBe(false);
    expect(Y.encodeStateVector(h.doc)).toEqual(sv);
    h.dispose();
  });

  it('handles inserting at the start, deleting everything and starting from empty', () => {
    const h = docWith('B.');
    patch(h, 'A.\n\nB.');
    expect(md(h)).toBe('A.\n\nB.\n');
    patch(h, '');
    expect(md(h)).toBe('');
    patch(h, 'C.');
    expect(md(h)).toBe('C.\n');
    h.dispose();
  });

  it('syncs the result into the Y.Doc so another replica sees the same document', () => {
    const h = docWith('Alpha.\n\nBeta.');
    patch(h, 'Alpha.\n\nBeta, changed.');
    const replica = openHeadlessDoc(Y.encodeStateAsUpdate(h.doc));
    expect(md(replica)).toBe('Alpha.\n\nBeta, changed.\n');
    replica.dispose();
    h.dispose();
  });

  it('keeps the Yjs identity of every character a PATCH did not change, even with several changes in one text node', () => {
    const h = docWith('We ship the release on Friday at noon, after the review.');
    const friday = idsOf(h.doc, 0, 'on Friday at noon');
    const after = idsOf(h.doc, 0, 'after the review');
    patch(h, 'They ship a release on Friday at noon, right after the final review.');
    expect(md(h)).toBe('They ship a release on Friday at noon, right after the final review.\n');
    expect(idsOf(h.doc, 0, 'on Friday at noon')).toEqual(friday);
    expect(idsOf(h.doc, 0, 'after the ')).toEqual(after.slice(0, 'after the '.length));
    expect(idsOf(h.doc, 0, 'review')).toEqual(after.slice('after the '.length));
    h.dispose();
  });

  it('keeps characters across formatting and links, and replaces only the runs whose formatting changed', () => {
    const h = docWith('Read **the plan** and [the notes](https://example.com/notes) before Friday.');
    const plan = idsOf(h.doc, 0, 'the plan');
    const notes = idsOf(h.doc, 0, 'the notes');
    const friday = idsOf(h.doc, 0, 'Friday');
    patch(h, 'Please read **the plan** and [the old notes](https://example.com/notes) before *Friday*.');
    expect(md(h)).toBe('Please read **the plan** and [the old notes](https://example.com/notes) before *Friday*.\n');
    expect(idsOf(h.doc, 0, 'the plan')).toEqual(plan);
    expect(idsOf(h.doc, 0, 'notes')).toEqual(notes.slice(4));
    expect(idsOf(h.doc, 0, 'Friday')).not.toEqual(friday); // plain → italic: a new text node
    h.dispose();
  });

  it('edits list items in place when items are added, removed or reworded', () => {
    const h = docWith('- apples\n- pears and plums\n- cherries\n\n1. one\n2. two');
    const pears = idsOf(h.doc, 0, 'pears');
    const cherries = idsOf(h.doc, 0, 'cherries');
    const two = idsOf(h.doc, 1, 'two');
    patch(h, '- pears and ripe plums\n- kiwis\n- cherries\n\n1. zero\n2. one\n3. two');
    expect(md(h)).toBe('- pears and ripe plums\n- kiwis\n- cherries\n\n1. zero\n2. one\n3. two\n');
    expect(idsOf(h.doc, 0, 'pears')).toEqual(pears);
    expect(idsOf(h.doc, 0, 'cherries')).toEqual(cherries);
    expect(idsOf(h.doc, 1, 'two')).toEqual(two);
    // The numbering of the kept items follows (a replica renders the same numbers).
    const replica = openHeadlessDoc(Y.encodeStateAsUpdate(h.doc));
    expect(md(replica)).toBe(md(h));
    replica.dispose();
    h.dispose();
  });

  it('does not morph a deleted paragraph into its edited neighbour', () => {
    const h = docWith('Intro.\n\nThe budget is final and signed.\n\nShipping moves to Monday because of the sync bug.\n\nEnd.');
    const budgetKey = h.read(() => $getRoot().getChildren()[1]!.getKey());
    const shippingKey = h.read(() => $getRoot().getChildren()[2]!.getKey());
    const bug = idsOf(h.doc, 2, 'sync bug');
    patch(h, 'Intro.\n\nShipping moves to Tuesday because of the sync bug.\n\nEnd.');
    expect(md(h)).toBe('Intro.\n\nShipping moves to Tuesday because of the sync bug.\n\nEnd.\n');
    const keys = h.read(() => $getRoot().getChildrenKeys());
    expect(keys).not.toContain(budgetKey);
    expect(keys[1]).toBe(shippingKey);
    expect(idsOf(h.doc, 1, 'sync bug')).toEqual(bug);
    h.dispose();
  });

  it('rewrites one block in place when it is the only change at its place, however different the words', () => {
    const h = docWith('Keep.\n\nCompletely different words here.\n\nKeep too.');
    const key = h.read(() => $getRoot().getChildren()[1]!.getKey());
    patch(h, 'Keep.\n\nNothing alike at all.\n\nKeep too.');
    expect(h.read(() => $getRoot().getChildren()[1]!.getKey())).toBe(key);
    expect(md(h)).toBe('Keep.\n\nNothing alike at all.\n\nKeep too.\n');
    h.dispose();
  });

  it('merges with a concurrent live edit inside the same paragraph (both survive)', () => {
    const base = docWith('The launch is on Friday and the review is on Monday.');
    const state = Y.encodeStateAsUpdate(base.doc);
    base.dispose();
    // A live collaborator types into the paragraph…
    const live = openHeadlessDoc(state);
    live.update(() => {
      const text = $getRoot().getFirstDescendant();
      if (!$isTextNode(text)) throw new Error('no text');
      text.spliceText(text.getTextContentSize() - 1, 0, ' (tentative)', false);
    });
    // …while a REST PATCH from the same base rewords another part of it.
    const rest = openHeadlessDoc(state);
    const before = Y.encodeStateVector(rest.doc);
    patch(rest, 'The launch is on Thursday and the review is on Monday.');
    const update = Y.encodeStateAsUpdate(rest.doc, before);
    rest.dispose();
    Y.applyUpdate(live.doc, update);
    live.update(() => {});
    expect(md(live)).toBe('The launch is on Thursday and the review is on Monday (tentative).\n');
    live.dispose();
  });

  it('always ends equal to the Markdown it was given (seeded random rewrites of a mixed document)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const words = ['alpha', 'beta', '**bold**', '*it*', '`code`', '[link](https://x.y)', 'gamma', 'delta', 'plan', 'the'];
    const block = () => {
      const text = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(words)).join(' ');
      return pick(['', '', '# ', '- ', '1. ', '> ']) + text;
    };
    const h = docWith(Array.from({ length: 6 }, block).join('\n\n'));
    for (let round = 0; round < 60; round++) {
      const blocks = md(h).trim().split('\n\n');
      const op = rand();
      const i = Math.floor(rand() * blocks.length);
      if (op < 0.4 && blocks[i] !== undefined) blocks[i] = blocks[i]!.replace(pick(words.slice(0, 5)), pick(words));
      else if (op < 0.6) blocks.splice(i, 0, block());
      else if (op < 0.75) blocks.splice(i, 1);
      else if (blocks[i] !== undefined) blocks[i] = `${blocks[i]} ${pick(words)}`;
      const target = blocks.join('\n\n');
      patch(h, target);
      const expected = docWith(target);
      expect(md(h)).toBe(md(expected));
      expected.dispose();
    }
    h.dispose();
  });
});

describe('replaceWithSerialized (restore)', () => {
  it('restores formatting and keeps the characters of the longest run whose text is the same', () => {
    const h = docWith('Keep this word and that one.');
    const keep = idsOf(h.doc, 0, ' and that one.');
    const target = docWith('Keep this word and that one.');
    target.update(() => {
      const text = $getRoot().getFirstDescendant();
      if (!$isTextNode(text)) throw new Error('no text');
      const [, word] = text.splitText(10, 14);
      word!.setFormat(8); // underline
    });
    const blocks = (target.toJSON() as SerializedEditorState).root.children as SerializedLexicalNode[];
    target.dispose();
    expect(replaceWithSerialized(h, blocks)).toBe(true);
    const underlined = h.read(() => {
      const p = $getRoot().getFirstChild();
      if (!$isElementNode(p)) return [];
      return p.getChildren().filter($isTextNode).map((t) => [t.getTextContent(), t.getFormat()]);
    });
    expect(underlined).toEqual([
      ['Keep this ', 0],
      ['word', 8],
      [' and that one.', 0],
    ]);
    expect(idsOf(h.doc, 0, ' and that one.')).toEqual(keep);
    expect(replaceWithSerialized(h, blocks)).toBe(false);
    h.dispose();
  });
});

describe('textHunks', () => {
  const apply = (from: string, to: string) => {
    let text = from;
    for (const h of [...textHunks(from, to)].reverse()) text = text.slice(0, h.at) + h.insert + text.slice(h.at + h.remove);
    return text;
  };

  it('produces runs that turn one text into the other', () => {
    const pairs: Array<[string, string]> = [
      ['', 'abc'],
      ['abc', ''],
      ['abc', 'abc'],
      ['the cat sat', 'the cut sat'],
      ['We ship on Friday at noon.', 'They ship on Thursday at 3 pm.'],
      ['aaaa', 'aa'],
      ['x'.repeat(5000), 'y'.repeat(5000)],
    ];
    for (const [a, b] of pairs) expect(apply(a, b)).toBe(b);
  });

  it('keeps separate runs for separate changes and folds stray letters of reworded text', () => {
    expect(textHunks('one two three four five', 'one 2 three four 5')).toEqual([
      { at: 4, remove: 3, insert: '2' },
      { at: 19, remove: 4, insert: '5' },
    ]);
    // "quick brown" and "lazy dog" share letters, but nothing worth keeping.
    expect(textHunks('a quick brown fox', 'a lazy dog fox')).toEqual([{ at: 2, remove: 11, insert: 'lazy dog' }]);
  });
});
