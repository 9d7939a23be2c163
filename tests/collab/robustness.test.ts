import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docUpdates, eq } from '@handoff/db';
import { connect, rawSocket, raw, startCollabApp, storedMarkdown, waitFor, type CollabApp, type Collaborator } from './helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let ada: Person;
let space: string;
let bystanderDoc: string;
let bystander: Collaborator;
let watcher: Collaborator;
let round = 0;

beforeAll(async () => {
  app = await startCollabApp({ maxDocumentBytes: 64 * 1024 });
  ada = await app.api.signup('ada');
  space = await app.api.space(ada, 'Robust');
  bystanderDoc = (await app.api.doc(ada, space, 'Bystander', 'Still fine.')).id;
  bystander = connect(app.url, bystanderDoc, ada.token);
  watcher = connect(app.url, bystanderDoc, ada.token);
  await Promise.all([bystander.synced(), watcher.synced()]);
});
afterAll(async () => {
  bystander.destroy();
  watcher.destroy();
  await app.close();
});

/** A client on another document still completes a round trip: its edit is acknowledged and seen. */
async function bystanderStillWorks() {
  const mark = ` r${++round}`;
  bystander.type(0, mark);
  await bystander.acked(3000);
  await waitFor(() => watcher.markdown().includes(mark), 3000, 'the bystander’s edit to reach the watcher');
  expect(bystander.closed.code).toBeUndefined();
}

const docUpdateCount = async (docId: string) => (await app.api.t.deps.db.select().from(docUpdates).where(eq(docUpdates.docId, docId)).all()).length;

describe('bad input on the collaboration socket', () => {
  const yUpdate = () => {
    const d = new Y.Doc();
    d.get('root', Y.XmlText).insert(0, 'hello');
    return Y.encodeStateAsUpdate(d);
  };

  const cases: Array<[string, (docId: string) => Uint8Array, number]> = [
    ['garbage bytes', () => Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]), 4400],
    ['a document name longer than the message', () => Uint8Array.from([0x40, 0x61, 0x62]), 4400],
    ['an unknown message type', (doc) => Uint8Array.from([...raw.auth(doc, '').slice(0, doc.length + 1), 42]), 4400],
    ['a truncated update', (doc) => raw.update(doc, yUpdate()).slice(0, -3), 4400],
    ['a well-framed update that is not Yjs', (doc) => raw.update(doc, Uint8Array.from([9, 9, 9, 9, 9, 9])), 4400],
    ['trailing bytes after a message', (doc) => Uint8Array.from([...raw.step1(doc, new Uint8Array([0])), 7, 7]), 4400],
    ['a message over 2 MB', (doc) => raw.update(doc, new Uint8Array(2 * 1024 * 1024 + 10)), 1009],
  ];

  for (const [name, make, code] of cases) {
    it(`closes only the sender's connection at once (not after a timeout), for ${name}`, async () => {
      const doc = (await app.api.doc(ada, space, `Target ${name}`, 'Target.')).id;
      const before = await docUpdateCount(doc);
      const sock = await rawSocket(app.url);
      await sock.send(raw.auth(doc, ada.token));
      await waitFor(() => sock.messages.length > 0, 3000, 'the auth answer');
      const sentAt = await sock.send(make(doc));
      const closed = await sock.closed;
      expect(closed.code).toBe(code);
      // At once, not after some timeout: typically well under 100 ms here, but on a loaded
      // 2-core CI machine moving 2 MB through loopback alone can take longer, so the bound is loose
      // (the shortest server timeout is seconds).
      expect(closed.at - sentAt).toBeLessThan(1_000);
      expect(await docUpdateCount(doc)).toBe(before);
      await bystanderStillWorks();
    });
  }

  it('closes an unauthenticated socket that floods messages before its auth', async () => {
    const sock = await rawSocket(app.url);
    const step1 = raw.step1('whatever', new Uint8Array([0]));
    for (let i = 0; i < 300; i++) sock.ws.send(step1);
    const closed = await sock.closed;
    expect(closed.code).toBe(4429);
    await bystanderStillWorks();
  });

  it('closes the connection of an update that would grow a document past the size limit, storing nothing', async () => {
    const doc = (await app.api.doc(ada, space, 'Huge', 'Small.')).id;
    const c = connect(app.url, doc, ada.token);
    await c.synced();
    const before = await docUpdateCount(doc);
    c.type(0, 'x'.repeat(100 * 1024));
    await waitFor(() => c.closed.code !== undefined, 3000, 'the socket to close');
    expect(c.closed.code).toBe(4413);
    expect(c.closed.reason).toMatch(/too large/);
    expect(await docUpdateCount(doc)).toBe(before);
    expect(await storedMarkdown(app, doc)).toBe('Small.\n');
    c.destroy();
    await bystanderStillWorks();
  });

  it('refuses the connection when a document fails to load, and never writes anything for it', async () => {
    const doc = (await app.api.doc(ada, space, 'Unloadable', 'Precious content.')).id;
    const docs = app.api.t.deps.docs;
    const original = docs.loadState;
    docs.loadState = async () => {
      throw new Error('disk on fire');
    };
    const before = await docUpdateCount(doc);
    const c = connect(app.url, doc, ada.token);
    try {
      await waitFor(() => c.failed, 3000, 'the refusal');
      expect(c.failed).toBe('load-failed');
      expect(c.provider.synced).toBe(false);
    } finally {
      docs.loadState = original;
      c.destroy();
    }
    expect(await docUpdateCount(doc)).toBe(before);
    expect(await storedMarkdown(app, doc)).toBe('Precious content.\n');
    // Once the store answers again, the document loads as it was.
    const again = connect(app.url, doc, ada.token);
    await again.synced();
    expect(again.markdown()).toBe('Precious content.\n');
    again.destroy();
  });
});
