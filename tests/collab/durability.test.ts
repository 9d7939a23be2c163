import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docUpdates, eq } from '@handoff/db';
import { connect, http, sleep, spawnServer, startCollabApp, waitFor, type ChildServer, type Collaborator } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'handoff-collab-kill-'));
const dbPath = join(dir, 'handoff.db');
const servers: ChildServer[] = [];
const clients: Collaborator[] = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged update through a kill -9 of the server', async () => {
    const first = await spawnServer(dbPath);
    servers.push(first);
    const signup = await http(first.url, 'POST', '/api/auth/signup', { email: 'ada@example.com', name: 'Ada', handle: 'ada', password: 'correct horse battery', timezone: 'UTC' });
    const token = (await http(first.url, 'POST', '/api/tokens', { name: 'kill test' }, signup.body.token)).body.token as string;
    const space = (await http(first.url, 'POST', '/api/spaces', { name: 'Durable' }, token)).body.space.id as string;
    const doc = (await http(first.url, 'POST', '/api/docs', { spaceId: space, title: 'Survivor', markdown: 'First block.\n\nSecond block.' }, token)).body.doc;

    const a = connect(first.wsUrl, doc.id, token);
    const b = connect(first.wsUrl, doc.id, token);
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    for (let i = 0; i < 40; i++) {
      a.type(0, ` a${i}`);
      b.type(1, ` b${i}`);
    }
    await Promise.all([a.acked(), b.acked()]);
    await waitFor(() => a.markdown() === b.markdown(), 5000, 'the clients to converge');
    const acknowledged = a.markdown();
    expect(acknowledged).toContain(' a39');
    expect(acknowledged).toContain(' b39');

    // No graceful shutdown: no revision, no flush, nothing after the acknowledgements.
    await first.kill('SIGKILL');
    a.destroy();
    b.destroy();

    const second = await spawnServer(dbPath);
    servers.push(second);
    const fresh = connect(second.wsUrl, doc.id, token);
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.markdown()).toBe(acknowledged);

    // The start-up recovery turned the edits that no revision included into one.
    const revised = await waitFor(async () => {
      const got = await http(second.url, 'GET', `/api/docs/${doc.id}?peek=1`, undefined, token);
      return got.body.doc.revision >= 2 ? got.body.doc : null;
    }, 10_000, 'the recovered revision');
    expect(revised.markdown).toBe(acknowledged);
    fresh.destroy();
  });
});

describe('durability of group commit', () => {
  it('keeps every acknowledged update of batched appends (many sockets typing while REST writers hold the write gate) through a kill -9', async () => {
    const dbPath2 = join(dir, 'group.db');
    const first = await spawnServer(dbPath2);
    servers.push(first);
    const signup = await http(first.url, 'POST', '/api/auth/signup', { email: 'ada@example.com', name: 'Ada', handle: 'ada', password: 'correct horse battery', timezone: 'UTC' });
    const token = (await http(first.url, 'POST', '/api/tokens', { name: 'kill test' }, signup.body.token)).body.token as string;
    const space = (await http(first.url, 'POST', '/api/spaces', { name: 'Batched' }, token)).body.space.id as string;
    const blocks = Array.from({ length: 6 }, (_, i) => `Block ${i}.`);
    const doc = (await http(first.url, 'POST', '/api/docs', { spaceId: space, title: 'Batched', markdown: blocks.join('\n\n') }, token)).body.doc;
    const busy = (await http(first.url, 'POST', '/api/docs', { spaceId: space, title: 'Busy', markdown: 'REST.' }, token)).body.doc;

    const typists = blocks.map(() => connect(first.wsUrl, doc.id, token));
    clients.push(...typists);
    await Promise.all(typists.map((t) => t.synced()));
    // REST writers keep the write gate busy, so live updates queue up and are written in batches.
    let writing = true;
    const writers = [0, 1].map(async (w) => {
      for (let i = 0; writing; i++) await http(first.url, 'PATCH', `/api/docs/${busy.id}`, { markdown: `REST ${w} pass ${i}.` }, token);
    });
    for (let i = 0; i < 25; i++) {
      typists.forEach((t, k) => t.type(k, ` ${k}:${i}`));
      await sleep(5);
    }
    await Promise.all(typists.map((t) => t.acked(20_000)));
    writing = false;
    await Promise.all(writers);
    await waitFor(() => typists.every((t) => t.markdown() === typists[0]!.markdown()), 10_000, 'the typists to converge');
    const acknowledged = typists[0]!.markdown();
    for (let k = 0; k < blocks.length; k++) expect(acknowledged).toContain(` ${k}:24`);

    await first.kill('SIGKILL');
    for (const t of typists) t.destroy();

    const second = await spawnServer(dbPath2);
    servers.push(second);
    const fresh = connect(second.wsUrl, doc.id, token);
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.markdown()).toBe(acknowledged);
    fresh.destroy();
  });
});

describe('durability before acknowledgement (in process, with a slow or failing store)', () => {
  it('acknowledges and broadcasts an update only after it is in doc_updates', async () => {
    const app = await startCollabApp();
    try {
      const ada = await app.api.signup('ada');
      const space = await app.api.space(ada, 'Slow');
      const doc = await app.api.doc(ada, space, 'Slow store', 'Text.');
      const docs = app.api.t.deps.docs;
      const append = docs.appendUpdates;
      const stored: number[] = [];
      // The store holds each write until the test lets it go (a slow disk, without a wall-clock wait).
      let reached: () => void = () => undefined;
      let release: () => void = () => undefined;
      docs.appendUpdates = async (...args) => {
        const held = new Promise<void>((resolve) => (release = resolve));
        reached();
        await held;
        const ids = await append(...args);
        stored.push(performance.now());
        return ids;
      };
      const writer = connect(app.url, doc.id, ada.token);
      const reader = connect(app.url, doc.id, ada.token);
      await Promise.all([writer.synced(), reader.synced()]);
      await writer.acked(); // the initial sync's own acknowledgement
      let ackedAt = 0;
      let seenAt = 0;
      writer.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
        if (number === 0 && !ackedAt) ackedAt = performance.now();
      });
      reader.doc.on('update', () => (seenAt ||= performance.now()));
      const inStore = new Promise<void>((resolve) => (reached = resolve));
      writer.type(0, ' slow');
      expect(writer.provider.unsyncedChanges).toBe(1);
      await inStore; // the update is at the store, which holds it
      release();
      await writer.acked();
      await waitFor(() => seenAt, 2000, 'the broadcast');
      expect(stored).toHaveLength(1);
      expect(ackedAt).toBeGreaterThanOrEqual(stored[0]!);
      expect(seenAt).toBeGreaterThanOrEqual(stored[0]!);
      docs.appendUpdates = append;
      writer.destroy();
      reader.destroy();
    } finally {
      await app.close();
    }
  });

  it('never acknowledges or broadcasts an update it could not store; the client resends it after reconnecting', async () => {
    const app = await startCollabApp();
    try {
      const ada = await app.api.signup('ada');
      const space = await app.api.space(ada, 'Failing');
      const doc = await app.api.doc(ada, space, 'Failing store', 'Text.');
      const docs = app.api.t.deps.docs;
      const append = docs.appendUpdates;
      let failing = true;
      docs.appendUpdates = async (...args) => {
        if (failing) throw new Error('disk full');
        return append(...args);
      };
      const writer = connect(app.url, doc.id, ada.token);
      const reader = connect(app.url, doc.id, ada.token);
      await Promise.all([writer.synced(), reader.synced()]);
      writer.type(0, ' unsaved');
      await waitFor(() => writer.closed.code !== undefined, 2000, 'the writer’s socket to close');
      expect(writer.closed.code).toBe(1011);
      expect(writer.provider.unsyncedChanges).toBeGreaterThan(0);
      expect(reader.markdown()).toBe('Text.\n');
      const rows = await app.api.t.deps.db.select().from(docUpdates).where(eq(docUpdates.docId, doc.id)).all();
      expect(rows).toHaveLength(1); // only the creation
      failing = false;
      await waitFor(() => writer.provider.synced && writer.provider.unsyncedChanges === 0, 5000, 'the resend after reconnecting');
      await waitFor(() => reader.markdown() === 'Text. unsaved\n', 2000, 'the resent update to reach the reader');
      docs.appendUpdates = append;
      writer.destroy();
      reader.destroy();
    } finally {
      await app.close();
    }
  });
});
