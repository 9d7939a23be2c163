import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { $getRoot, $isElementNode, $isTextNode } from 'lexical';
import { startCollabApp, waitFor, type CollabApp, type Collaborator } from './helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let ada: Person;
let lena: Person; // viewer: reads and comments, cannot edit
let space: string;

beforeAll(async () => {
  app = await startCollabApp();
  ada = await app.api.signup('ada');
  lena = await app.api.signup('lena');
  space = await app.api.space(ada, 'Launch', true);
  expect((await app.api.put(`/api/spaces/${space}/members/${lena.id}`, { role: 'viewer' }, ada.token)).status).toBe(200);
});
afterAll(() => app.close());

/** Every stateless message a collaborator hears, parsed. */
function listen(c: Collaborator): Array<Record<string, unknown>> {
  const heard: Array<Record<string, unknown>> = [];
  c.provider.on('stateless', ({ payload }: { payload: string }) => heard.push(JSON.parse(payload) as Record<string, unknown>));
  return heard;
}

/** Base64 relative positions around `text` in block `index` of a collaborator's Y.Doc. */
function rangeOf(doc: Y.Doc, index: number, text: string) {
  const root = doc.get('root', Y.XmlText);
  const block = (root.toDelta() as Array<{ insert: unknown }>)[index]!.insert as Y.XmlText;
  let at = 0;
  for (const op of block.toDelta() as Array<{ insert: unknown }>) {
    if (typeof op.insert === 'string') {
      const found = op.insert.indexOf(text);
      if (found >= 0) {
        const b64 = (pos: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(pos)).toString('base64');
        return {
          start: b64(Y.createRelativePositionFromTypeIndex(block, at + found)),
          end: b64(Y.createRelativePositionFromTypeIndex(block, at + found + text.length)),
        };
      }
      at += op.insert.length;
    } else at += 1;
  }
  throw new Error(`no ${text} in block ${index}`);
}

describe('comments, live', () => {
  it('anchors on an editor range, reaches open readers at once, and follows live edits', async () => {
    const doc = await app.api.doc(ada, space, 'Plan', 'We ship on Friday at noon.\n\nRollback is manual.');
    const writer = app.join(doc.id, ada);
    const reader = app.join(doc.id, lena);
    await Promise.all([writer.synced(), reader.synced()]);
    const heard = listen(reader);

    writer.type(0, ' Really.');
    await writer.acked();
    const created = await app.api.post(`/api/docs/${doc.id}/threads`, { markdown: 'Which Friday?', anchor: { relative: rangeOf(writer.doc, 0, 'Friday at noon') } }, ada.token);
    expect(created.status).toBe(201);
    expect(created.body.thread.anchor).toMatchObject({ quote: 'Friday at noon', orphaned: false, current: 'Friday at noon' });
    const threadId = created.body.thread.id as string;
    await waitFor(() => heard.some((m) => m.type === 'threads' && m.threadId === threadId && m.change === 'created'), 5_000, 'thread message');

    // A viewer comments (space default "readers") and the writer hears it.
    const writerHeard = listen(writer);
    expect((await app.api.post(`/api/threads/${threadId}/comments`, { markdown: 'The 12th.' }, lena.token)).status).toBe(201);
    await waitFor(() => writerHeard.some((m) => m.change === 'replied'), 5_000, 'reply message');
    // Nothing of the text travels on the socket: only that something changed.
    expect(JSON.stringify(writerHeard)).not.toContain('12th');

    // Typing before and right after the range (one edit per update, as keystrokes come) moves it
    // along; the range still covers its text and nothing typed outside it.
    const splice = (at: (text: string) => number, insert: string) =>
      writer.editor.update(() => {
        const first = $getRoot().getFirstChild();
        const text = $isElementNode(first) ? first.getFirstDescendant() : null;
        if (!$isTextNode(text)) throw new Error('no text');
        text.spliceText(at(text.getTextContent()), 0, insert, false);
      });
    splice(() => 0, 'Plan: ');
    await writer.acked();
    splice((t) => t.indexOf('Friday at noon') + 'Friday at noon'.length, ' sharp');
    await writer.acked();
    const list = async () => (await app.api.get(`/api/docs/${doc.id}/threads`, lena.token)).body.threads[0];
    expect(writer.markdown()).toContain('Plan: We ship on Friday at noon sharp. Really.');
    expect((await list()).anchor).toMatchObject({ orphaned: false, current: 'Friday at noon' });

    // Deleting the anchored paragraph orphans the thread; it keeps its quote and comments.
    const patched = await app.api.patch(`/api/docs/${doc.id}`, { markdown: 'Rollback is manual.' }, ada.token);
    expect(patched.status).toBe(200);
    await waitFor(async () => (await list()).anchor.orphaned, 5_000, 'orphaned');
    const orphan = await list();
    expect(orphan.anchor).toMatchObject({ quote: 'Friday at noon', orphaned: true, current: null });
    expect(orphan.comments.map((c: { markdown: string }) => c.markdown)).toEqual(['Which Friday?', 'The 12th.']);
    // The body never held a comment, and comments made no revision.
    expect((await app.api.get(`/api/docs/${doc.id}/revisions`, ada.token)).body.revisions).toHaveLength(2);
  });

  it('answers 422 for a range the server cannot resolve (not synced, or not a position)', async () => {
    const doc = await app.api.doc(ada, space, 'Other', 'Some text here.');
    const stranger = new Y.Doc();
    const t = stranger.get('root', Y.XmlText);
    t.insert(0, 'unsynced text');
    const b64 = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, i))).toString('base64');
    const res = await app.api.post(`/api/docs/${doc.id}/threads`, { markdown: 'x', anchor: { relative: { start: b64(0), end: b64(4) } } }, ada.token);
    expect(res.status).toBe(422);
    const junk = await app.api.post(`/api/docs/${doc.id}/threads`, { markdown: 'x', anchor: { relative: { start: 'AAAAAAAA', end: 'AAAAAAAA' } } }, ada.token);
    expect(junk.status).toBe(422);
  });
});
