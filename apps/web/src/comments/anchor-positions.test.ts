import { createHandoffHeadlessEditor } from '@handoff/shared/lexical';
import { $setRootFromMarkdown } from '@handoff/shared/markdown';
import { createYjsBinding, syncLexicalUpdateToYjs, type Provider } from '@lexical/yjs';
import { $createRangeSelection, $getRoot, $isTextNode, SKIP_COLLAB_TAG, type LexicalEditor, type TextNode } from 'lexical';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { $blockText, $selectionAnchor, createSpanResolver, encodeSpan, type BlockSpan } from './anchor-positions.ts';

const noAwareness = {
  awareness: { getLocalState: () => null, getStates: () => new Map(), setLocalState: () => {}, setLocalStateField: () => {}, on: () => {}, off: () => {} },
  connect: () => {},
  disconnect: () => {},
  on: () => {},
  off: () => {},
} as unknown as Provider;

/** A headless editor bound to a Y.Doc the way the web editor is (V1 binding, shared type `root`). */
function boundEditor(markdown: string, { gc = true }: { gc?: boolean } = {}): { editor: LexicalEditor; doc: Y.Doc } {
  const editor = createHandoffHeadlessEditor();
  const doc = new Y.Doc({ gc });
  const binding = createYjsBinding({ editor, id: 'doc', doc, docMap: new Map([['doc', doc]]) });
  editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
    if (!tags.has(SKIP_COLLAB_TAG)) {
      syncLexicalUpdateToYjs(binding, noAwareness, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
    }
  });
  editor.update(() => $setRootFromMarkdown(markdown), { discrete: true });
  return { editor, doc };
}

/** The text node holding `text` and the offset of `text` in it. */
function $find(text: string): { node: TextNode; offset: number } {
  for (const node of $getRoot().getAllTextNodes()) {
    const offset = node.getTextContent().indexOf(text);
    if ($isTextNode(node) && offset >= 0) return { node, offset };
  }
  throw new Error(`no text node holds ${JSON.stringify(text)}`);
}

/** What a selection from the start of `from` to the end of `to` anchors. */
function anchorOf(editor: LexicalEditor, from: string, to: string, backward = false) {
  return editor.getEditorState().read(() => {
    const a = $find(from);
    const b = $find(to);
    const selection = $createRangeSelection();
    const start = [a.node.getKey(), a.offset] as const;
    const end = [b.node.getKey(), b.offset + to.length] as const;
    selection.anchor.set(...(backward ? end : start), 'text');
    selection.focus.set(...(backward ? start : end), 'text');
    return $selectionAnchor(selection);
  });
}

/** A replica of `doc` (another client, or the server). */
function replicaOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function resolve(doc: Y.Doc, start: string, end: string): (BlockSpan & { text: string }) | null {
  const span = createSpanResolver(doc)(start, end);
  return span && { block: span.block, from: span.from, to: span.to, text: span.blockText.slice(span.from, span.to) };
}

describe('comment anchors between the editor and the Y.Doc', () => {
  test('a selection across formatted text, a link and a mention round-trips through relative positions', () => {
    const { editor, doc } = boundEditor('# Plan\n\nWe ship **on the 14th** after [the review](https://example.com) with @bruno.\n');
    const anchor = anchorOf(editor, 'ship', 'the rev', true);
    expect(anchor).toEqual({ span: { block: 1, from: 3, to: 33 }, quote: 'ship on the 14th after the rev', trimmed: false });
    const encoded = encodeSpan(doc, anchor!.span)!;
    expect(encoded.quote).toBe('ship on the 14th after the rev');
    // Another replica resolves it to the same place.
    expect(resolve(replicaOf(doc), encoded.start, encoded.end)).toEqual({ block: 1, from: 3, to: 33, text: 'ship on the 14th after the rev' });
    const mention = anchorOf(editor, '@bruno', '@bruno')!;
    expect(mention.quote).toBe('@bruno');
    expect(editor.getEditorState().read(() => $blockText(1))).toBe('We ship on the 14th after the review with @bruno.');
  });

  test('a selection across blocks anchors in the first block that has selected text, and says so', () => {
    const { editor } = boundEditor('First paragraph here.\n\nSecond one.\n');
    expect(anchorOf(editor, 'paragraph', 'Second')).toEqual({ span: { block: 0, from: 6, to: 21 }, quote: 'paragraph here.', trimmed: true });
    // Starting at the very end of a block: the next block's part is the one anchored.
    const fromEnd = editor.getEditorState().read(() => {
      const first = $find('First paragraph here.');
      const second = $find('Second');
      const selection = $createRangeSelection();
      selection.anchor.set(first.node.getKey(), first.node.getTextContentSize(), 'text');
      selection.focus.set(second.node.getKey(), 6, 'text');
      return $selectionAnchor(selection);
    });
    expect(fromEnd).toEqual({ span: { block: 1, from: 0, to: 6 }, quote: 'Second', trimmed: false });
  });

  test('blocks are counted as the editor counts them: lists, quotes, code and dividers', () => {
    const { editor, doc } = boundEditor('Intro\n\n- one\n- two items\n\n---\n\n> quoted words\n\n```\nlet x = 1;\nlet y = 2;\n```\n');
    const item = anchorOf(editor, 'two', 'items')!;
    expect(item.span.block).toBe(1);
    expect(resolve(doc, encodeSpan(doc, item.span)!.start, encodeSpan(doc, item.span)!.end)?.text).toBe('two items');
    const quoted = anchorOf(editor, 'quoted', 'words')!;
    expect(quoted.span.block).toBe(3); // after the divider (a decorator: a block without text)
    const code = anchorOf(editor, 'x = 1', 'let y')!;
    expect(code.quote).toBe('x = 1;\nlet y');
    const encoded = encodeSpan(doc, code.span)!;
    expect(resolve(replicaOf(doc), encoded.start, encoded.end)).toMatchObject({ block: 4, text: 'x = 1;\nlet y' });
  });

  test('list items are lines of their list: a range across them reads so, and never starts or ends on the line break between them', () => {
    // Without garbage collection, as on the client that deletes (its undo manager keeps what it deleted).
    const { editor, doc } = boundEditor('- one\n- two\n- three\n', { gc: false });
    expect(editor.getEditorState().read(() => $blockText(0))).toBe('one\ntwo\nthree');
    const across = anchorOf(editor, 'ne', 'tw')!;
    expect(across).toEqual({ span: { block: 0, from: 1, to: 6 }, quote: 'ne\ntw', trimmed: false });
    const encoded = encodeSpan(doc, across.span)!;
    expect(encoded.quote).toBe('ne\ntw');
    expect(resolve(replicaOf(doc), encoded.start, encoded.end)).toEqual({ block: 0, from: 1, to: 6, text: 'ne\ntw' });
    // A span that ends on the separator is bound to the character before it.
    expect(encodeSpan(doc, { block: 0, from: 0, to: 4 })?.quote).toBe('one');
    expect(encodeSpan(doc, { block: 0, from: 3, to: 4 })).toBeNull();

    // The first item deleted: the range keeps what is left of it (as the server says) while the
    // deleted item is not collected; once it is, the thread has lost its start.
    const collected = replicaOf(doc);
    editor.update(() => $find('one').node.getParentOrThrow().remove(), { discrete: true });
    expect(resolve(doc, encoded.start, encoded.end)).toEqual({ block: 0, from: 0, to: 2, text: 'tw' });
    Y.applyUpdate(collected, Y.encodeStateAsUpdate(doc));
    expect(resolve(collected, encoded.start, encoded.end)).toBeNull();
  });

  test('the range follows its text through edits elsewhere and is gone when its text is', () => {
    const { editor, doc } = boundEditor('Alpha beta gamma.\n\nDelta.\n');
    const anchor = anchorOf(editor, 'beta', 'beta')!;
    const { start, end } = encodeSpan(doc, anchor.span)!;

    // Text typed before and right after the range stays outside it.
    editor.update(
      () => {
        const { node } = $find('Alpha');
        node.setTextContent('Well, Alpha betax gamma.');
      },
      { discrete: true },
    );
    // setTextContent replaces the characters: the bound ones are gone, so the anchor is too.
    expect(resolve(doc, start, end)).toBeNull();

    const fresh = boundEditor('Alpha beta gamma.\n\nDelta.\n');
    const again = encodeSpan(fresh.doc, anchorOf(fresh.editor, 'beta', 'beta')!.span)!;
    // (One update per keystroke, as typing makes them: one update's text is synced as one diff.)
    fresh.editor.update(() => void $find('Alpha').node.spliceText(0, 0, 'Well, '), { discrete: true });
    fresh.editor.update(() => void $find('Alpha').node.spliceText('Well, Alpha beta'.length, 0, 'x'), { discrete: true });
    expect(resolve(fresh.doc, again.start, again.end)).toEqual({ block: 0, from: 12, to: 16, text: 'beta' });

    // Deleting the block orphans it.
    fresh.editor.update(() => $getRoot().getFirstChildOrThrow().remove(), { discrete: true });
    expect(resolve(fresh.doc, again.start, again.end)).toBeNull();
  });

  test('garbage and positions from another document do not resolve', () => {
    const { doc } = boundEditor('Some text.\n');
    expect(resolve(doc, 'not base64!', 'AAAA')).toBeNull();
    const other = boundEditor('Some text.\n');
    const foreign = encodeSpan(other.doc, { block: 0, from: 0, to: 4 })!;
    expect(resolve(doc, foreign.start, foreign.end)).toBeNull();
    expect(encodeSpan(doc, { block: 0, from: 0, to: 99 })).toBeNull();
    expect(encodeSpan(doc, { block: 5, from: 0, to: 1 })).toBeNull();
  });
});
