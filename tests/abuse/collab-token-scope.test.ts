// A `read`-scoped API token must not write through the collaboration socket (it gets a read-only
// connection whatever the person's role), and a socket opened with an expiring token is closed
// when the token expires (not only at the next periodic re-check).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, docUpdates, eq } from '@handoff/db';
import { startCollabApp, storedMarkdown, waitFor, type CollabApp } from '../collab/helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let eve: Person; // editor of the space

beforeAll(async () => {
  app = await startCollabApp();
  eve = await app.api.signup('eve');
});
afterAll(async () => {
  await app.close();
});

async function token(body: Record<string, unknown>): Promise<string> {
  const res = await app.api.post('/api/tokens', { name: 'script', ...body }, eve.token);
  expect(res.status).toBe(201);
  return (res.body as { token: string }).token;
}

const updatesBy = async (docId: string, userId: string) =>
  (await app.api.t.deps.db.select().from(docUpdates).where(and(eq(docUpdates.docId, docId), eq(docUpdates.userId, userId))).all()).length;

describe('API token scopes and expiry on the collaboration socket', () => {
  it('gives a read-scoped token a read-only connection: its writes are never stored', async () => {
    const space = await app.api.space(eve, 'Team', true);
    const doc = await app.api.doc(eve, space, 'Plan', 'Original text.');
    const before = await updatesBy(doc.id, eve.id);
    const reader = app.join(doc.id, { token: await token({ scopes: ['read'] }) });
    await reader.synced();
    expect(reader.provider.authorizedScope).toBe('readonly');
    reader.type(0, ' Written with a read token!');
    await waitFor(() => reader.closed.code !== undefined, 5000, 'the read-only socket to close');
    expect(reader.closed.code).toBe(4403);
    expect(await updatesBy(doc.id, eve.id)).toBe(before);
    expect(await storedMarkdown(app, doc.id)).toBe('Original text.\n');

    // The same person with a read-write token may write.
    const writer = app.join(doc.id, { token: await token({ scopes: ['read', 'write'] }) });
    await writer.synced();
    expect(writer.provider.authorizedScope).toBe('read-write');
  });

  it('closes a socket when its token expires', async () => {
    const space = await app.api.space(eve, 'Expiring', true);
    const doc = await app.api.doc(eve, space, 'Soon', 'Text.');
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    const c = app.join(doc.id, { token: await token({ expiresAt }) });
    await c.synced();
    expect(c.provider.authorizedScope).toBe('read-write');
    await waitFor(() => c.closed.code !== undefined, 15_000, 'the socket of the expired token to close');
    expect(c.closed.code).toBe(4401);
  });
});
