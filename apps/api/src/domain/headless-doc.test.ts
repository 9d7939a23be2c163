import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
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
