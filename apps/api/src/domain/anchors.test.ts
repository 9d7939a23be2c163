import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  $createRangeSelection,
  $getRoot,
  $isElementNode,
  $isLineBreakNode,
  $isRangeSelection,
  $isTextNode,
  $setSelection,
  type ElementNode,
  type TextNode,
} from 'lexical';
import { $setRootFromMarkdown } from '@handoff/shared/markdown';
import { anchorOnQuote, anchorOnRange, createAnchorResolver, docFromState, type EncodedAnchor } from './anchors.ts';
import { replaceChangedBlocks } from './block-replace.ts';
import { openHeadlessDoc, type HeadlessDoc } from './headless-doc.ts';

function docWith(markdown: string, doc?: Y.Doc): HeadlessDoc {
  const h = openHeadlessDoc(null, doc ? { doc } : {});
  h.update(() => $setRootFromMarkdown(markdown));
  return h;
}

function quoteAnchor(h: HeadlessDoc, quote: string): EncodedAnchor {
  const anchor = anchorOnQuote(h.doc, quote);
  if (!anchor) throw new Error(`"${quote}" not found`);
  return anchor;
}

/** What `anchor` covers in `h`'s Y.Doc now (as the server resolves it, on a decoded copy too). */
function resolved(h: HeadlessDoc, anchor: EncodedAnchor): string | null {
  const here = createAnchorResolver(h.doc)(anchor.start, anchor.end);
  const copy = docFromState(Y.encodeStateAsUpdate(h.doc));
  const there = createAnchorResolver(copy)(anchor.start, anchor.end);
  copy.destroy();
  expect(there).toEqual(here);
  return here.orphaned ? null : here.text;
}

/** The text point at `offset` of top-level block `block` (text nodes and line breaks, in order). */
function $point(block: number, offset: number): { key: string; offset: number } {
  const el = $getRoot().getChildAtIndex(block);
  if (!$isElementNode(el)) throw new Error(`no block ${block}`);
  let left = offset;
  let last: TextNode | null = null;
  const walk = (node: ElementNode): { key: string; offset: number } | null => {
    for (const child of node.getChildren()) {
      if ($isTextNode(child)) {
        last = child;
        if (left <= child.getTextContentSize()) return { key: child.getKey(), offset: left };
        left -= child.getTextContentSize();
      } else if ($isLineBreakNode(child)) left -= 1;
      else if ($isElementNode(child)) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  const found = walk(el);
  if (found) return found;
  if (!last) throw new Error(`no text in block ${block}`);
  return { key: (last as TextNode).getKey(), offset: (last as TextNode).getTextContentSize() };
}

/** Selects `[from, to)` of block `block` and types `text` over it, as a keyboard would. */
function typeOver(h: HeadlessDoc, block: number, from: number, to: number, text: string) {
  h.update(() => {
    const a = $point(block, from);
    const b = $point(block, to);
    const selection = $createRangeSelection();
    selection.anchor.set(a.key, a.offset, 'text');
    selection.focus.set(b.key, b.offset, 'text');
    $setSelection(selection);
    if (text) selection.insertText(text);
    else selection.removeText();
  });
}

const insertAt = (h: HeadlessDoc, block: number, at: number, text: string) => typeOver(h, block, at, at, text);
const textOf = (h: HeadlessDoc, block: number) => h.read(() => $getRoot().getChildAtIndex(block)?.getTextContent() ?? '');

describe('anchorOnQuote', () => {
  it('finds a quote across bold, italic and link boundaries, in the first block that holds it', () => {
    const h = docWith('Intro about Friday.\n\nWe ship on **Friday** at [noon](https://example.com/noon) *sharp*, as agreed.');
    const anchor = quoteAnchor(h, 'on Friday at noon sharp');
    expect(anchor.quote).toBe('on Friday at noon sharp');
    expect(resolved(h, anchor)).toBe('on Friday at noon sharp');
    expect(resolved(h, quoteAnchor(h, 'Friday'))).toBe('Friday');
    // The first occurrence is in the first paragraph: text typed into it shows which one was taken.
    const first = quoteAnchor(h, 'Friday');
    insertAt(h, 0, 'Intro about Fri'.length, '-');
    expect(resolved(h, first)).toBe('Fri-day');
    h.dispose();
  });

  it('matches across a line break inside a paragraph, never across two paragraphs', () => {
    const h = docWith('first line\\\nsecond line\n\nnext paragraph');
    expect(resolved(h, quoteAnchor(h, 'line\nsecond'))).toBe('line\nsecond');
    expect(anchorOnQuote(h.doc, 'line\nnext')).toBeNull();
    expect(anchorOnQuote(h.doc, 'second line\nnext')).toBeNull();
    expect(anchorOnQuote(h.doc, 'absent')).toBeNull();
    expect(anchorOnQuote(h.doc, '')).toBeNull();
    h.dispose();
  });

  it('reads list items and nested lists as lines of their block', () => {
    const h = docWith('- apples\n- pears\n  - green pears\n- plums');
    expect(resolved(h, quoteAnchor(h, 'apples\npears'))).toBe('apples\npears');
    expect(resolved(h, quoteAnchor(h, 'pears\ngreen'))).toBe('pears\ngreen');
    expect(anchorOnQuote(h.doc, 'applespears')).toBeNull();
    // A range does not end on the line break a nested block starts with.
    expect(quoteAnchor(h, 'plums').quote).toBe('plums');
    expect(quoteAnchor(h, 'pears\n').quote).toBe('pears');
    h.dispose();
  });
});

describe('an anchored range under edits', () => {
  const setup = () => {
    const h = docWith('Before it. We ship the release on Friday at noon, after review. After it.\n\nAnother paragraph entirely.');
    const anchor = quoteAnchor(h, 'the release on Friday at noon');
    const start = textOf(h, 0).indexOf('the release');
    const end = start + 'the release on Friday at noon'.length;
    return { h, anchor, start, end };
  };

  it('keeps text typed just before or just after it outside', () => {
    const { h, anchor, start, end } = setup();
    insertAt(h, 0, end, ' sharp');
    insertAt(h, 0, start, 'surely ');
    expect(textOf(h, 0)).toContain('surely the release on Friday at noon sharp');
    expect(resolved(h, anchor)).toBe('the release on Friday at noon');
    h.dispose();
  });

  it('takes in text typed inside it, and a bold run made inside it', () => {
    const { h, anchor, start } = setup();
    insertAt(h, 0, start + 'the release on'.length, ' this coming');
    expect(resolved(h, anchor)).toBe('the release on this coming Friday at noon');
    insertAt(h, 0, start + 1, 'X');
    expect(resolved(h, anchor)).toBe('tXhe release on this coming Friday at noon');
    h.dispose();
  });

  it('shrinks when its ends are deleted, and takes text typed over its deleted last word', () => {
    const { h, anchor, start } = setup();
    typeOver(h, 0, start, start + 'the '.length, '');
    expect(resolved(h, anchor)).toBe('release on Friday at noon');
    const noon = textOf(h, 0).indexOf(' at noon');
    typeOver(h, 0, noon, noon + ' at noon'.length, '');
    expect(resolved(h, anchor)).toBe('release on Friday');
    // Selecting the last word and typing over it: the new word stands where the old one ended.
    const at = textOf(h, 0).indexOf('Friday');
    typeOver(h, 0, at, at + 'Friday'.length, 'Monday');
    expect(resolved(h, anchor)).toBe('release on Monday');
    h.dispose();
  });

  it('is orphaned when all its text is deleted, even if the same words are typed again', () => {
    const { h, anchor, start, end } = setup();
    typeOver(h, 0, start, end, '');
    insertAt(h, 0, start, 'the release on Friday at noon');
    expect(textOf(h, 0)).toContain('the release on Friday at noon');
    expect(resolved(h, anchor)).toBeNull();
    h.dispose();
  });

  it('is orphaned when its block is deleted, and never moves into the next paragraph', () => {
    const { h, anchor } = setup();
    const tail = quoteAnchor(h, 'After it.');
    h.update(() => $getRoot().getFirstChild()!.remove());
    expect(resolved(h, anchor)).toBeNull();
    expect(resolved(h, tail)).toBeNull();
    expect(textOf(h, 0)).toBe('Another paragraph entirely.');
    h.dispose();
  });

  it('stays in its paragraph when the paragraph is split inside it, and is orphaned when merged into the previous one', () => {
    const { h, anchor, start } = setup();
    const second = quoteAnchor(h, 'Another paragraph');
    h.update(() => {
      const p = $point(0, start + 'the release on '.length);
      const selection = $createRangeSelection();
      selection.anchor.set(p.key, p.offset, 'text');
      selection.focus.set(p.key, p.offset, 'text');
      $setSelection(selection);
      selection.insertParagraph();
    });
    expect(textOf(h, 1)).toBe('Friday at noon, after review. After it.');
    // The part of the range that moved to the new paragraph is new text there: the range keeps
    // the part that stayed.
    expect(resolved(h, anchor)).toBe('the release on ');
    // Joining "Another paragraph entirely." onto the paragraph before it moves its text.
    h.update(() => {
      const p = $point(2, 0);
      const selection = $createRangeSelection();
      selection.anchor.set(p.key, 0, 'text');
      selection.focus.set(p.key, 0, 'text');
      $setSelection(selection);
      const s = selection;
      if ($isRangeSelection(s)) s.deleteCharacter(true);
    });
    expect(textOf(h, 1)).toBe('Friday at noon, after review. After it.Another paragraph entirely.');
    expect(resolved(h, second)).toBeNull();
    h.dispose();
  });

  it('is orphaned when its range is empty, and anchorOnRange refuses ranges across blocks or empty ones', () => {
    const h = docWith('One two three.\n\nFour five.');
    const root = h.doc.get('root', Y.XmlText);
    const blocks = (root.toDelta() as Array<{ insert: unknown }>).map((op) => op.insert as Y.XmlText);
    // Positions an editor would send: (type, index) in the block's XmlText (index 0 is the text node's map).
    const pos = (block: number, index: number, assoc = 0) => Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(blocks[block]!, index, assoc));
    expect(anchorOnRange(h.doc, pos(0, 5), pos(0, 5))).toBeNull();
    expect(anchorOnRange(h.doc, pos(0, 5), pos(1, 3))).toBeNull();
    expect(anchorOnRange(h.doc, pos(0, 9), pos(0, 5))).toBeNull();
    expect(anchorOnRange(h.doc, Uint8Array.from([1, 2, 3]), pos(0, 3))).toBeNull();
    const range = anchorOnRange(h.doc, pos(0, 5, -1), pos(0, 8, 0));
    expect(range?.quote).toBe('two');
    expect(resolved(h, range!)).toBe('two');
    // Re-bound to its first and last characters, whatever association the editor sent.
    insertAt(h, 0, 'One '.length, '>');
    insertAt(h, 0, 'One >two'.length, '<');
    expect(resolved(h, range!)).toBe('two');
    const bogus = { start: Uint8Array.from([9, 9, 9]), end: Uint8Array.from([9]), quote: 'x' };
    expect(resolved(h, bogus)).toBeNull();
    h.dispose();
  });
});

describe('anchors through REST PATCHes and concurrent edits', () => {
  it('survive a PATCH that rewords other parts of the same paragraph', () => {
    const h = docWith('We ship the release on Friday at noon, after the review.\n\nOther.');
    const anchor = quoteAnchor(h, 'on Friday at noon');
    const whole = quoteAnchor(h, 'We ship the release on Friday at noon, after the review.');
    replaceChangedBlocks(h, 'They ship a release on Friday at noon, right after the final review.\n\nOther, edited.');
    expect(resolved(h, anchor)).toBe('on Friday at noon');
    expect(resolved(h, whole)).toBe('They ship a release on Friday at noon, right after the final review.');
    replaceChangedBlocks(h, 'Other, edited.');
    expect(resolved(h, anchor)).toBeNull();
    h.dispose();
  });

  it('follow their text through edits merged from another replica', () => {
    const a = docWith('Alpha beta gamma delta.\n\nEpsilon zeta.');
    const b = openHeadlessDoc(Y.encodeStateAsUpdate(a.doc));
    const anchor = quoteAnchor(a, 'beta gamma');
    const svA = Y.encodeStateVector(a.doc);
    const svB = Y.encodeStateVector(b.doc);
    insertAt(a, 0, 'Alpha beta'.length, ' big');
    insertAt(b, 0, 0, 'So: ');
    typeOver(b, 0, 'So: Alpha beta gamma'.length, 'So: Alpha beta gamma delta'.length, ' omega');
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, svB));
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, svA));
    expect(resolved(a, anchor)).toBe('beta big gamma');
    expect(resolved(b, anchor)).toBe('beta big gamma');
    a.dispose();
    b.dispose();
  });

  it('a PATCH that unlinks a link keeps the longest of the merged texts; a bound character inside a removed link is gone', () => {
    const gc = docWith('Meet at [the north gate](https://example.com) tomorrow morning.');
    const inLink = quoteAnchor(gc, 'north gate tomorrow');
    const after = quoteAnchor(gc, 'tomorrow morning');
    replaceChangedBlocks(gc, 'Meet at the north gate tomorrow morning.');
    // The three text runs became one text node: the longest (" tomorrow morning.") kept its characters.
    expect(resolved(gc, after)).toBe('tomorrow morning');
    // The link's characters went with it, and Yjs collected them: the range cannot be placed.
    expect(resolved(gc, inLink)).toBeNull();
    gc.dispose();
  });

  it('a bound character inside a removed link that Yjs did not collect stands where the link was', () => {
    // ("tomorrow" bold, so that Lexical does not merge the texts around the removed link.)
    const markdown = 'Meet at [the north gate](https://example.com) **tomorrow** morning.';
    const removeLink = (h: HeadlessDoc) =>
      h.update(() => {
        const p = $getRoot().getFirstChild();
        if (!$isElementNode(p)) throw new Error('no paragraph');
        p.getChildren().find((c) => c.getType() === 'link')!.remove();
      });
    const kept = docWith(markdown, new Y.Doc({ gc: false }));
    const anchor = quoteAnchor(kept, 'north gate tomorrow');
    removeLink(kept);
    expect(createAnchorResolver(kept.doc)(anchor.start, anchor.end)).toEqual({ orphaned: false, text: 'tomorrow' });
    kept.dispose();
    const collected = docWith(markdown);
    const gone = quoteAnchor(collected, 'north gate tomorrow');
    removeLink(collected);
    expect(resolved(collected, gone)).toBeNull();
    collected.dispose();
  });
});
