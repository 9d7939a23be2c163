import { describe, expect, it } from 'vitest';
import { $getRoot, $isElementNode, type LexicalNode } from 'lexical';
import * as Y from 'yjs';
import { $isImageNode, type ImageNode } from '@handoff/shared/lexical';
import { $rootToMarkdown } from '@handoff/shared/markdown';
import { $setRootFromMarkdown } from '@handoff/shared/markdown';
import { openHeadlessDoc } from './headless-doc.ts';

function poisoned(poison: (root: Y.XmlText) => void): Uint8Array {
  const h = openHeadlessDoc();
  h.update(() => $setRootFromMarkdown('First.\n\nSecond.'));
  const state = Y.encodeStateAsUpdate(h.doc);
  h.dispose();
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  poison(d.get('root', Y.XmlText));
  return Y.encodeStateAsUpdate(d);
}

describe('opening a stored body the node set cannot fully load', () => {
  const cases: Array<[string, (root: Y.XmlText) => void]> = [
    ['an unregistered element', (root) => {
      const el = new Y.XmlText();
      root.insertEmbed(1, el);
      el.setAttribute('__type', 'bogus');
      el.insert(0, 'boom');
    }],
    ['an unregistered decorator', (root) => {
      const el = new Y.XmlElement();
      root.insertEmbed(root.length, el);
      el.setAttribute('__type', 'evil');
    }],
    ['an unregistered text node', (root) => {
      const para = new Y.XmlText();
      root.insertEmbed(root.length, para);
      para.setAttribute('__type', 'paragraph');
      const t = new Y.Map();
      para.insertEmbed(0, t);
      t.set('__type', 'nope');
      para.insert(1, 'hidden');
    }],
    ['a paragraph stored as a decorator', (root) => {
      const el = new Y.XmlElement();
      root.insertEmbed(root.length, el);
      el.setAttribute('__type', 'paragraph');
    }],
  ];
  for (const [name, poison] of cases) {
    it(`skips ${name} and opens the rest`, () => {
      const h = openHeadlessDoc(poisoned(poison));
      try {
        expect(h.skipped.length).toBeGreaterThan(0);
        expect(h.read(() => $rootToMarkdown())).toMatch(/^First\.\n\nSecond\.\n(\n)?$/);
      } finally {
        h.dispose();
      }
    });
  }
});

describe('images and files through the Y.Doc', () => {
  const markdown =
    '# Launch\n\nThe plan ![flow chart](/api/attachments/img_1#w=320 "How a request flows") and ' +
    '[report.pdf](/api/attachments/file_1#size=2458624).\n\n![](https://cdn.example/logo.png)\n';

  it('a body with images and files reopens from its Y.Doc state with the same Markdown', () => {
    const first = openHeadlessDoc();
    first.update(() => $setRootFromMarkdown(markdown));
    const state = Y.encodeStateAsUpdate(first.doc);
    first.dispose();
    const second = openHeadlessDoc(state);
    try {
      expect(second.skipped).toEqual([]);
      expect(second.read(() => $rootToMarkdown())).toBe(markdown);
      expect(JSON.stringify(second.toJSON())).toContain('"type":"image"');
    } finally {
      second.dispose();
    }
  });

  it('a change to an image property made by one collaborator reaches the other', () => {
    const a = openHeadlessDoc();
    a.update(() => $setRootFromMarkdown(markdown));
    const b = openHeadlessDoc(Y.encodeStateAsUpdate(a.doc));
    try {
      const before = Y.encodeStateVector(a.doc);
      b.update(() => {
        for (const node of $imageNodes()) node.setWidth(640).setCaption('Now wider');
      });
      expect(b.read(() => $rootToMarkdown())).toContain('#w=640 "Now wider"');
      Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, before), 'remote');
      a.update(() => {}); // commit the pending sync from Yjs
      expect(a.read(() => $rootToMarkdown())).toContain('![flow chart](/api/attachments/img_1#w=640 "Now wider")');
      expect(a.read(() => $rootToMarkdown())).toContain('![](https://cdn.example/logo.png#w=640 "Now wider")');
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

function $imageNodes(): ImageNode[] {
  const out: ImageNode[] = [];
  const stack: LexicalNode[] = [$getRoot()];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if ($isImageNode(node)) out.push(node);
    if ($isElementNode(node)) stack.push(...node.getChildren());
  }
  return out;
}
