// A `read`-scoped API token must not write through the collaboration socket (it gets a read-only
// connection whatever the person's role), and a socket opened with an expiring token is closed
// when the token expires (not only at the next periodic re-check).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, docUpdates, eq } from '@handoff/db';
import { ManualClock } from '@handoff/api/testing';
import { startCollabApp, storedMarkdown, waitFor, type CollabApp } from '../collab/helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let eve: Person; // editor of the space
// Expiry is a matter of the clock: the test moves it instead of waiting for a token to run out.
const clock = new ManualClock();

beforeAll(async () => {
  // (With minutes passing in an instant, the keep-alive sweep would drop every socket: set far off.)
  app = await startCollabApp({ timeoutMs: 24 * 60 * 60_000 }, { clock });
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

  it('closes a socket when its token expires, and not before', async () => {
    const space = await app.api.space(eve, 'Expiring', true);
    const doc = await app.api.doc(eve, space, 'Soon', 'Text.');
    // Sooner than the periodic re-check (60 s), so its own timer closes it.
    const expiresAt = new Date(clock.now() + 30_000).toISOString();
    const c = app.join(doc.id, { token: await token({ expiresAt }) });
    await c.synced();
    expect(c.provider.authorizedScope).toBe('read-write');

    // A second before expiry the socket still takes edits (their acknowledgement is the event).
    await clock.advance(29_000);
    await app.running.collab.accessRechecked();
    c.type(0, ' just in time');
    await c.acked();
    expect(c.closed.code).toBeUndefined();
    expect(await storedMarkdown(app, doc.id)).toBe('Text. just in time\n');

    await clock.advance(1_000 + 10);
    await waitFor(() => c.closed.code !== undefined, 5000, 'the socket of the expired token to close');
    expect(c.closed.code).toBe(4401);
  });
});
