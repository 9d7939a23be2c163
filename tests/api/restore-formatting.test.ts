// Restoring a revision rebuilds its body from the stored Lexical JSON, node for node: a revision
// that differs from the current one only in formatting Markdown cannot carry (underline,
// highlight) is restored, through the API and into the Y.Doc of a connected editor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $getRoot, $isElementNode, $isTextNode } from 'lexical';
import { ManualClock } from '@handoff/api/testing';
import { startCollabApp, waitFor, type CollabApp, type Collaborator } from '../collab/helpers.ts';
import type { Person } from './client.ts';

// Lexical's text format bits.
const UNDERLINE = 8;
const HIGHLIGHT = 128;

let app: CollabApp;
let ada: Person;
let space: string;

// Live revisions wait on this clock, which the test never moves: revisions of live edits are
// written when the test asks (`snapshot`), not by a timer racing it.
const clock = new ManualClock();
beforeAll(async () => {
  app = await startCollabApp({ timeoutMs: 24 * 60 * 60_000 }, { clock });
  ada = await app.api.signup('ada');
  space = await app.api.space(ada, 'Formats');
});
afterAll(async () => {
  await app.close();
});

interface TextJson {
  type: string;
  text?: string;
  format?: number;
  children?: TextJson[];
}

/** The `format` bits of every text node of a Lexical state (JSON), in document order. */
function textFormats(state: { root: TextJson }): Array<{ text: string; format: number }> {
  const out: Array<{ text: string; format: number }> = [];
  const walk = (n: TextJson) => {
    if (n.type === 'text') out.push({ text: n.text ?? '', format: n.format ?? 0 });
    n.children?.forEach(walk);
  };
  walk(state.root);
  return out;
}

/** Sets the format bits of the text node holding `word` (split out of its paragraph's text first). */
function formatWord(c: Collaborator, word: string, format: number) {
  c.editor.update(() => {
    for (const block of $getRoot().getChildren()) {
      if (!$isElementNode(block)) continue;
      for (const node of block.getChildren()) {
        if (!$isTextNode(node)) continue;
        const at = node.getTextContent().indexOf(word);
        if (at < 0) continue;
        const parts = node.splitText(at, at + word.length);
        const target = parts.find((p) => p.getTextContent() === word) ?? node;
        target.setFormat(format);
        return;
      }
    }
    throw new Error(`no text node holds ${word}`);
  });
}

const docOf = async (id: string) => (await app.api.get(`/api/docs/${id}?peek=1`, ada.token)).body.doc as { revision: number; markdown: string; content: { root: TextJson } };

describe('restoring a revision restores formatting Markdown cannot carry', () => {
  it('brings back underline and highlight, in the stored revision and in a live editor', async () => {
    const doc = await app.api.doc(ada, space, 'Formatted', 'Keep this word and that one.');
    const editor = app.join(doc.id, ada);
    await editor.synced();

    // Revision 2: "word" underlined, "that" highlighted (live edits, made a revision on demand).
    formatWord(editor, 'word', UNDERLINE);
    formatWord(editor, 'that', HIGHLIGHT);
    await editor.acked();
    await app.api.t.deps.docs.snapshot(doc.id);
    const formatted = await docOf(doc.id);
    expect(formatted.revision).toBe(2);
    expect(textFormats(formatted.content)).toContainEqual({ text: 'word', format: UNDERLINE });
    expect(textFormats(formatted.content)).toContainEqual({ text: 'that', format: HIGHLIGHT });

    // Revision 3: the formatting taken off again; its Markdown is the same as revision 2's.
    formatWord(editor, 'word', 0);
    formatWord(editor, 'that', 0);
    await editor.acked();
    await app.api.t.deps.docs.snapshot(doc.id);
    const plain = await docOf(doc.id);
    expect(plain.revision).toBe(3);
    expect(plain.markdown).toBe(formatted.markdown);
    expect(textFormats(plain.content).every((t) => t.format === 0)).toBe(true);

    // Restoring revision 2 makes revision 4 with the formatting back.
    const restored = await app.api.post(`/api/docs/${doc.id}/revisions/2/restore`, {}, ada.token);
    expect(restored.status).toBe(200);
    expect(restored.body.doc.revision).toBe(4);
    expect(textFormats(restored.body.doc.content)).toEqual(textFormats(formatted.content));
    const stored = await app.api.get(`/api/docs/${doc.id}/revisions/4`, ada.token);
    expect(textFormats(stored.body.doc.content)).toEqual(textFormats(formatted.content));

    // The connected editor's Y.Doc receives the restore.
    await waitFor(() => {
      const live = textFormats(JSON.parse(editor.json()) as { root: TextJson });
      return live.some((t) => t.text === 'word' && t.format === UNDERLINE) && live.some((t) => t.text === 'that' && t.format === HIGHLIGHT);
    }, 5000, 'the restored formatting to reach the live editor');
    expect(textFormats(JSON.parse(editor.json()) as { root: TextJson })).toEqual(textFormats(formatted.content));

    // And back to plain: restoring revision 3 takes the formatting off everywhere.
    const back = await app.api.post(`/api/docs/${doc.id}/revisions/3/restore`, {}, ada.token);
    expect(back.body.doc.revision).toBe(5);
    expect(textFormats(back.body.doc.content).every((t) => t.format === 0)).toBe(true);
    await waitFor(() => textFormats(JSON.parse(editor.json()) as { root: TextJson }).every((t) => t.format === 0), 5000, 'plain text in the live editor');
  });

  it('restores a revision whose title and body both differ, and a restore of the current state writes nothing new', async () => {
    const doc = await app.api.doc(ada, space, 'First title', 'One.\n\nTwo.');
    await app.api.patch(`/api/docs/${doc.id}`, { title: 'Second title', markdown: 'One, changed.\n\nTwo.\n\nThree.' }, ada.token);
    const res = await app.api.post(`/api/docs/${doc.id}/revisions/1/restore`, {}, ada.token);
    expect(res.status).toBe(200);
    expect(res.body.doc).toMatchObject({ revision: 3, title: 'First title', markdown: 'One.\n\nTwo.\n' });
    const again = await app.api.post(`/api/docs/${doc.id}/revisions/3/restore`, {}, ada.token);
    expect(again.body.doc.revision).toBe(3);
  });
});
