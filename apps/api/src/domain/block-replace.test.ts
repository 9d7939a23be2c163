import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { $getRoot } from 'lexical';
import { $rootToMarkdown, $setRootFromMarkdown } from '@handoff/shared/markdown';
import { openHeadlessDoc } from './headless-doc.ts';
import { $replaceChangedBlocks } from './block-replace.ts';

function docWith(markdown: string) {
  const h = openHeadlessDoc();
  h.update(() => $setRootFromMarkdown(markdown));
  return h;
}

describe('$replaceChangedBlocks', () => {
  it('replaces only the blocks that differ and keeps the identity of the others', () => {
    const h = docWith('One.\n\nTwo.\n\nThree.');
    const keysBefore = h.read(() => $getRoot().getChildrenKeys());
    let changed = false;
    h.update(() => {
      changed = $replaceChangedBlocks('One.\n\nTwo, edited.\n\nThree.\n\nFour.');
    });
    expect(changed).toBe(true);
    const keysAfter = h.read(() => $getRoot().getChildrenKeys());
    expect(keysAfter[0]).toBe(keysBefore[0]);
    expect(keysAfter[2]).toBe(keysBefore[2]);
    expect(keysAfter[1]).not.toBe(keysBefore[1]);
    expect(h.read(() => $rootToMarkdown())).toBe('One.\n\nTwo, edited.\n\nThree.\n\nFour.\n');
    h.dispose();
  });

  it('reports no change (and writes no Yjs update) for the same Markdown', () => {
    const h = docWith('# Title\n\n- a\n- b');
    const sv = Y.encodeStateVector(h.doc);
    let changed = true;
    h.update(() => {
      changed = $replaceChangedBlocks('# Title\n\n- a\n- b\n');
    });
    expect(changed).toBe(false);
    expect(Y.encodeStateVector(h.doc)).toEqual(sv);
    h.dispose();
  });

  it('handles inserting at the start, deleting everything and starting from empty', () => {
    const h = docWith('B.');
    h.update(() => void $replaceChangedBlocks('A.\n\nB.'));
    expect(h.read(() => $rootToMarkdown())).toBe('A.\n\nB.\n');
    h.update(() => void $replaceChangedBlocks(''));
    expect(h.read(() => $rootToMarkdown())).toBe('');
    h.update(() => void $replaceChangedBlocks('C.'));
    expect(h.read(() => $rootToMarkdown())).toBe('C.\n');
    h.dispose();
  });

  it('syncs the result into the Y.Doc so another replica sees the same document', () => {
    const h = docWith('Alpha.\n\nBeta.');
    h.update(() => void $replaceChangedBlocks('Alpha.\n\nBeta, changed.'));
    const replica = openHeadlessDoc(Y.encodeStateAsUpdate(h.doc));
    expect(replica.read(() => $rootToMarkdown())).toBe('Alpha.\n\nBeta, changed.\n');
    replica.dispose();
    h.dispose();
  });
});
