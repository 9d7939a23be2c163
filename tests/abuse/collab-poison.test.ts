// Issue 8, item 4: one collaboration update must not poison a document. An update whose result the
// shared node set cannot load (an element, decorator or text node of a type nobody registered) is
// refused — not stored, not acknowledged, not broadcast — and a document that was poisoned before
// (its log already holds such an update) stays readable and editable through every reader.

import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { docUpdates, eq } from '@handoff/db';
import { connect, http, startCollabApp, storedMarkdown, waitFor, type CollabApp } from '../collab/helpers.ts';
import { login, startAbuseServer, type RunningServer, type Session } from './harness.ts';

type Poison = (root: Y.XmlText) => void;

/** Ways an editor could add a node the shared node set does not have. */
const poisons: Array<[string, Poison]> = [
  [
    'an element node of an unregistered type',
    (root) => {
      const el = new Y.XmlText();
      root.insertEmbed(root.length, el);
      el.setAttribute('__type', 'bogus-widget');
      el.insert(0, 'boom');
    },
  ],
  [
    'a decorator node of an unregistered type',
    (root) => {
      const el = new Y.XmlElement();
      root.insertEmbed(root.length, el);
      el.setAttribute('__type', 'evil-embed');
    },
  ],
  [
    'a text node of an unregistered type inside a paragraph',
    (root) => {
      const para = new Y.XmlText();
      root.insertEmbed(root.length, para);
      para.setAttribute('__type', 'paragraph');
      const text = new Y.Map();
      para.insertEmbed(0, text);
      text.set('__type', 'not-a-text-node');
      para.insert(1, 'hidden');
    },
  ],
];

/** The Yjs update that adds `poison` to a document whose state is `state`. */
function poisonUpdate(state: Uint8Array, poison: Poison): Uint8Array {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  const before = Y.encodeStateVector(d);
  poison(d.get('root', Y.XmlText));
  return Y.encodeStateAsUpdate(d, before);
}

describe('through the collaboration gate (real server in a child process)', () => {
  let server: RunningServer;
  let wsUrl: string;
  let lena: Session;
  let space: string;

  beforeAll(async () => {
    server = await startAbuseServer({ env: { HANDOFF_LOG_LEVEL: 'warn' } });
    wsUrl = `${server.url.replace('http:', 'ws:')}/api/collab`;
    lena = await login(server.url, 'lena@handoff.demo');
    const spaces = (await http(server.url, 'GET', '/api/spaces', undefined, lena.token)).body.spaces as Array<{ id: string; name: string }>;
    space = spaces.find((s) => s.name === 'Engineering')!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const [name, poison] of poisons) {
    it(`refuses ${name}: not acknowledged, not stored, the document stays editable`, async () => {
      const doc = (await http(server.url, 'POST', '/api/docs', { spaceId: space, title: `Target: ${name}`, markdown: 'Healthy text.' }, lena.token)).body.doc;
      const ydoc = new Y.Doc();
      const provider = new HocuspocusProvider({
        url: wsUrl,
        name: doc.id,
        token: lena.token,
        document: ydoc,
        WebSocketPolyfill: WebSocket,
        delay: 60_000,
        minDelay: 60_000,
      } as unknown as HocuspocusProviderConfiguration);
      let closeCode: number | undefined;
      let closeReason = '';
      // The Hocuspocus close message carries the reason; the WebSocket close, the code.
      provider.on('close', ({ event }: { event: { code: number; reason: string } }) => {
        closeReason ||= event.reason;
      });
      provider.on('disconnect', ({ event }: { event: { code: number } }) => {
        closeCode ??= event.code;
      });
      const watcher = connect(wsUrl, doc.id, lena.token);
      try {
        await waitFor(() => provider.synced, 10_000, 'sync');
        await watcher.synced();
        ydoc.transact(() => poison(ydoc.get('root', Y.XmlText)));
        // The refusal is the event to wait for: a server that acknowledged the change instead would never close.
        await waitFor(() => closeCode !== undefined, 5000, 'the poisoned change to be refused');
        expect(provider.unsyncedChanges, 'the poisoned change was acknowledged').toBeGreaterThan(0);
        expect(closeCode).toBe(4422);
        expect(closeReason).toMatch(/not valid/i);
        // Nobody else received it.
        expect(JSON.stringify(Y.encodeStateAsUpdate(watcher.doc))).not.toContain('bogus');
        expect(watcher.doc.get('root', Y.XmlText).toDelta().length).toBe(ydoc.get('root', Y.XmlText).toDelta().length - 1);
      } finally {
        provider.destroy();
      }
      // Every reader still works.
      const patched = await http(server.url, 'PATCH', `/api/docs/${doc.id}`, { markdown: 'Healthy text, edited.' }, lena.token);
      expect(patched.status).toBe(200);
      expect(patched.body.doc.markdown).toBe('Healthy text, edited.\n');
      const restored = await http(server.url, 'POST', `/api/docs/${doc.id}/revisions/1/restore`, {}, lena.token);
      expect(restored.status).toBe(200);
      watcher.type(0, ' live');
      await watcher.acked(5000);
      watcher.destroy();
      await waitFor(async () => (await http(server.url, 'GET', `/api/docs/${doc.id}?peek=1`, undefined, lena.token)).body.doc.revision >= 4, 10_000, 'the live revision');
      const got = await http(server.url, 'GET', `/api/docs/${doc.id}?peek=1`, undefined, lena.token);
      expect(got.status).toBe(200);
      expect(got.body.doc.markdown).toBe('Healthy text. live\n');
    });
  }
});

describe('a document poisoned before the fix (its log already holds the bad update)', () => {
  let app: CollabApp;
  let ada: Awaited<ReturnType<CollabApp['api']['signup']>>;
  let space: string;
  beforeAll(async () => {
    app = await startCollabApp();
    ada = await app.api.signup('ada');
    space = await app.api.space(ada, 'Poisoned');
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const [name, poison] of poisons) {
    it(`skips ${name} in every reader: REST edit, restore, live revision, live editors`, async () => {
      const doc = await app.api.doc(ada, space, 'Poisoned', 'First block.\n\nSecond block.');
      const { docs, db } = app.api.t.deps;
      // Straight into the log, as the old gate let it through.
      await docs.appendUpdate(doc.id, poisonUpdate(await docs.loadState(db, doc.id), poison), ada.id);

      const patched = await app.api.patch(`/api/docs/${doc.id}`, { markdown: 'First block, edited.\n\nSecond block.' }, ada.token);
      expect(patched.status).toBe(200);
      expect(patched.body.doc.markdown).toBe('First block, edited.\n\nSecond block.\n');

      const restored = await app.api.post(`/api/docs/${doc.id}/revisions/1/restore`, {}, ada.token);
      expect(restored.status).toBe(200);
      expect(restored.body.doc.markdown).toBe('First block.\n\nSecond block.\n');

      // A live editor can open, read and edit it; the revision of its edits is written.
      const c = connect(app.url, doc.id, ada.token);
      await c.synced();
      expect(c.markdown()).toBe('First block.\n\nSecond block.\n');
      c.type(1, ' typed');
      await c.acked();
      c.destroy();
      const snap = await docs.snapshot(doc.id);
      expect(snap.doc?.markdown ?? (await app.api.get(`/api/docs/${doc.id}?peek=1`, ada.token)).body.doc.markdown).toBe('First block.\n\nSecond block. typed\n');
      expect(await storedMarkdown(app, doc.id)).toBe('First block.\n\nSecond block. typed\n');
      const rows = await db.select().from(docUpdates).where(eq(docUpdates.docId, doc.id)).all();
      expect(rows.length).toBeGreaterThan(1);
    });
  }
});
