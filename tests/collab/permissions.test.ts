import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, docUpdates, eq } from '@handoff/db';
import { rawSocket, raw, startCollabApp, storedMarkdown, waitFor, type CollabApp } from './helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let ada: Person; // admin of the private space
let vic: Person; // viewer
let eve: Person; // editor
let nia: Person; // no access
let space: string;

beforeAll(async () => {
  app = await startCollabApp();
  ada = await app.api.signup('ada');
  vic = await app.api.signup('vic');
  eve = await app.api.signup('eve');
  nia = await app.api.signup('nia');
  space = await app.api.space(ada, 'Private', true);
  expect((await app.api.put(`/api/spaces/${space}/members/${vic.id}`, { role: 'viewer' }, ada.token)).status).toBe(200);
  expect((await app.api.put(`/api/spaces/${space}/members/${eve.id}`, { role: 'editor' }, ada.token)).status).toBe(200);
});
afterAll(async () => {
  await app.close();
});

const join: CollabApp['join'] = (docId, person, extra) => app.join(docId, person, extra);

const updatesBy = async (docId: string, userId: string) =>
  (await app.api.t.deps.db.select().from(docUpdates).where(and(eq(docUpdates.docId, docId), eq(docUpdates.userId, userId))).all()).length;

describe('who may collaborate', () => {
  it('gives a viewer a read-only connection: their writes are never stored, and their connection is closed', async () => {
    const doc = await app.api.doc(ada, space, 'Read me', 'Original text.');
    const viewer = join(doc.id, vic);
    await viewer.synced();
    expect(viewer.provider.authorizedScope).toBe('readonly');
    expect(viewer.markdown()).toBe('Original text.\n');

    viewer.type(0, ' Vandalism!');
    await waitFor(() => viewer.closed.code !== undefined, 5000, 'the viewer’s socket to close');
    expect(viewer.closed.reason).toMatch(/read-only/);
    expect(viewer.closed.code).toBe(4403);
    expect(await updatesBy(doc.id, vic.id)).toBe(0);
    expect(await storedMarkdown(app, doc.id)).toBe('Original text.\n');

    // An editor on the same document never sees the refused change.
    const editor = join(doc.id, eve);
    await editor.synced();
    expect(editor.markdown()).toBe('Original text.\n');
    viewer.destroy();
    editor.destroy();
  });

  it('refuses a non-reader and an unknown document with the same answer, and a bad token as unauthorized', async () => {
    const doc = await app.api.doc(ada, space, 'Secret', 'Top secret.');
    const outsider = join(doc.id, nia);
    const nowhere = join('no-such-document', nia);
    const anonymous = join(doc.id, null);
    const forged = join(doc.id, { token: 'hs_forged' });
    await waitFor(() => outsider.failed && nowhere.failed && anonymous.failed && forged.failed, 5000, 'refusals');
    expect(outsider.failed).toBe('not-found');
    expect(nowhere.failed).toBe('not-found');
    expect(anonymous.failed).toBe('unauthorized');
    expect(forged.failed).toBe('unauthorized');
    expect(outsider.doc.store.clients.size).toBe(0); // nothing leaked
    expect(outsider.markdown()).toBe('');
    for (const c of [outsider, nowhere, anonymous, forged]) c.destroy();
  });

  it('closes an open socket when its member is removed from the space, and refuses them after', async () => {
    const doc = await app.api.doc(ada, space, 'Membership', 'Shared.');
    const editor = join(doc.id, eve);
    await editor.synced();
    editor.type(0, ' by eve');
    await editor.acked();

    expect((await app.api.del(`/api/spaces/${space}/members/${eve.id}`, ada.token)).status).toBe(204);
    await waitFor(() => editor.closed.code !== undefined, 3000, 'the removed member’s socket to close');
    expect(editor.closed.code).toBe(4403);
    expect(editor.closed.reason).toMatch(/access revoked/);
    // The provider reconnects by itself and is refused now.
    await waitFor(() => editor.failed, 5000, 'the reconnect to be refused');
    expect(editor.failed).toBe('not-found');
    editor.destroy();
    expect((await app.api.put(`/api/spaces/${space}/members/${eve.id}`, { role: 'editor' }, ada.token)).status).toBe(200);
  });

  it('makes an editor who became a viewer read-only on the open socket', async () => {
    const doc = await app.api.doc(ada, space, 'Demotion', 'Before.');
    const editor = join(doc.id, eve);
    await editor.synced();
    editor.type(0, ' allowed');
    await editor.acked();
    expect((await app.api.put(`/api/spaces/${space}/members/${eve.id}`, { role: 'viewer' }, ada.token)).status).toBe(200);
    // The role change was published as a domain event before the answer; its re-check of the open socket ends here.
    await app.running.collab.accessRechecked();
    editor.type(0, ' refused');
    await waitFor(() => editor.closed.code !== undefined, 3000, 'the demoted editor’s socket to close');
    expect(editor.closed.reason).toMatch(/read-only/);
    expect(await storedMarkdown(app, doc.id)).toBe('Before. allowed\n');
    editor.destroy();
    expect((await app.api.put(`/api/spaces/${space}/members/${eve.id}`, { role: 'editor' }, ada.token)).status).toBe(200);
  });

  it('closes live connections when the document is trashed, and when the session ends', async () => {
    const doc = await app.api.doc(ada, space, 'Trash me', 'Soon gone.');
    const editor = join(doc.id, eve);
    await editor.synced();
    expect((await app.api.del(`/api/docs/${doc.id}`, ada.token)).status).toBe(204);
    await waitFor(() => editor.closed.code !== undefined, 3000, 'the socket of a trashed document to close');
    expect(editor.closed.code).toBe(4403);
    editor.destroy();

    const other = await app.api.doc(ada, space, 'Logout', 'Still here.');
    const session = await app.api.post('/api/auth/login', { email: 'eve@example.com', password: 'correct horse battery' });
    const live = join(other.id, { ...eve, token: session.body.token });
    await live.synced();
    expect((await app.api.post('/api/auth/logout', {}, session.body.token)).status).toBe(204);
    await waitFor(() => live.closed.code !== undefined, 3000, 'the socket of an ended session to close');
    expect(live.closed.code).toBe(4401);
    live.destroy();
  });

  it('accepts the session cookie from our own origin only', async () => {
    const doc = await app.api.doc(ada, space, 'Cookies', 'Crumbs.');
    const host = `127.0.0.1:${app.running.port}`;
    for (const [origin, expected] of [
      [`http://${host}`, 'authenticated'],
      ['https://evil.example', 'unauthorized'],
    ] as const) {
      const sock = await rawSocket(app.url, { cookie: `handoff_session=${ada.token}`, origin });
      await sock.send(raw.auth(doc.id, ''));
      // Auth answer: docName, type 2 (auth), subtype 2 = authenticated / 1 = permission denied.
      const answer = await waitFor(() => sock.messages.find((m) => m.includes(2)), 3000, 'the auth answer');
      const text = Buffer.from(answer).toString('latin1');
      if (expected === 'authenticated') expect(text).toContain('read-write');
      else expect(text).toContain('unauthorized');
      sock.ws.close();
    }
  });
});
