import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docUpdates, eq } from '@handoff/db';
import { sleep, startCollabApp, storedMarkdown, waitFor, type CollabApp } from './helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let ada: Person;
let bob: Person;
let cy: Person;
let space: string;

beforeAll(async () => {
  app = await startCollabApp();
  ada = await app.api.signup('ada');
  bob = await app.api.signup('bob');
  cy = await app.api.signup('cy');
  space = await app.api.space(ada, 'Engineering');
});
afterAll(async () => {
  await app.close();
});

const join: CollabApp['join'] = (docId, person, extra) => app.join(docId, person, extra);

const sameVectors = (docs: Y.Doc[]) => {
  const [first, ...rest] = docs.map((d) => Buffer.from(Y.encodeStateVector(d)).toString('hex'));
  return rest.every((v) => v === first);
};

describe('live collaboration through /api/collab', () => {
  it('serves the stored document to a stock provider (the server seeds it, the client does not)', async () => {
    const doc = await app.api.doc(ada, space, 'Seeded', '# Plan\n\nShip on **Monday**.');
    const c = join(doc.id, ada);
    await c.synced();
    expect(c.markdown()).toBe('# Plan\n\nShip on **Monday**.\n');
    expect(c.provider.authorizedScope).toBe('read-write');
    c.destroy();
  });

  it('three clients typing concurrently into one document converge to the same Lexical state', async () => {
    const doc = await app.api.doc(ada, space, 'Race', 'Alpha.\n\nBeta.\n\nGamma.');
    const clients = [join(doc.id, ada), join(doc.id, bob), join(doc.id, cy)];
    await Promise.all(clients.map((c) => c.synced()));

    // Everyone types into their own block and into the shared first block, interleaved, without
    // waiting for each other.
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = 0; i < 15; i++) {
          c.type(k, ` ${'abc'[k]}${i}`);
          if (i % 3 === 0) c.type(0, ` X${'abc'[k]}${i}X`);
          await sleep(Math.random() * 8);
        }
      }),
    );
    await Promise.all(clients.map((c) => c.acked()));
    await waitFor(() => sameVectors(clients.map((c) => c.doc)), 10_000, 'convergence');

    const [first, ...rest] = clients.map((c) => c.json());
    for (const json of rest) expect(json).toBe(first);
    const markdown = clients[0]!.markdown();
    for (const c of clients) expect(c.markdown()).toBe(markdown);
    for (let k = 0; k < 3; k++) for (let i = 0; i < 15; i++) expect(markdown).toContain(` ${'abc'[k]}${i}`);
    expect(markdown).toContain('Xa0X');
    expect(markdown).toContain('Xc12X');
    // …and the server's stored state is the same document.
    expect(await storedMarkdown(app, doc.id)).toBe(markdown);
    // Each update was stored with the user who made it.
    const rows = await app.api.t.deps.db.select({ userId: docUpdates.userId }).from(docUpdates).where(eq(docUpdates.docId, doc.id)).all();
    expect(new Set(rows.map((r) => r.userId))).toEqual(new Set([ada.id, bob.id, cy.id]));
    for (const c of clients) c.destroy();
  });

  it('a late joiner gets everything, and reconnecting clients resend nothing twice', async () => {
    const doc = await app.api.doc(ada, space, 'Late', 'One.');
    const a = join(doc.id, ada);
    await a.synced();
    a.type(0, ' two');
    await a.acked();
    const count = async () => (await app.api.t.deps.db.select().from(docUpdates).where(eq(docUpdates.docId, doc.id)).all()).length;
    const before = await count();
    const late = join(doc.id, bob);
    await late.synced();
    expect(late.markdown()).toBe('One. two\n');
    await late.acked();
    expect(await count()).toBe(before); // the late joiner's sync step 2 carried nothing new
    a.destroy();
    late.destroy();
  });
});
