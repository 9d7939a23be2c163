import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, docSnapshots, docUpdates, eq, outbox, revisions } from '@handoff/db';
import { ManualClock } from '@handoff/api/testing';
import { sleep, startCollabApp, storedMarkdown, waitFor, type CollabApp } from './helpers.ts';
import type { Person } from '../api/client.ts';

let app: CollabApp;
let ada: Person;
let bob: Person;
let space: string;

// Live revisions wait on this clock: a test moves time instead of waiting for it. (A revision after
// 2 min without edits, at least every 10 min while editing: the defaults.)
const clock = new ManualClock();
const IDLE_MS = 2 * 60_000;
const MAX_MS = 10 * 60_000;
beforeAll(async () => {
  // Socket liveness is measured on the same clock: with minutes passing in an instant, the
  // keep-alive sweep would drop every editor (no pong can come that fast), so it is set far off.
  app = await startCollabApp({ timeoutMs: 24 * 60 * 60_000 }, { clock, revisions: { idleMs: IDLE_MS, maxMs: MAX_MS } });
  ada = await app.api.signup('ada');
  bob = await app.api.signup('bob');
  space = await app.api.space(ada, 'Live');
});
afterAll(async () => {
  await app.close();
});

const join: CollabApp['join'] = (docId, person, extra) => app.join(docId, person, extra);

const revisionsOf = async (docId: string) => (await app.api.get(`/api/docs/${docId}/revisions`, ada.token)).body.revisions as Array<{ revision: number; authors: string[] }>;

describe('REST changes and live editors', () => {
  it('a PATCH during live editing reaches the connected clients at once and loses no concurrent edit', async () => {
    const doc = await app.api.doc(ada, space, 'Both ways', 'One.\n\nTwo.\n\nThree.');
    const typist = join(doc.id, bob);
    const reader = join(doc.id, ada);
    await Promise.all([typist.synced(), reader.synced()]);

    // Bob keeps typing into the first block while the API rewrites the third.
    let typing = true;
    const typed: string[] = [];
    const loop = (async () => {
      for (let i = 0; typing || i < 10; i++) {
        typist.type(0, ` k${i}`);
        typed.push(` k${i}`);
        await sleep(3);
      }
    })();
    await sleep(20);
    const patched = await app.api.patch(`/api/docs/${doc.id}`, { markdown: 'One.\n\nTwo.\n\nThree, rewritten through the API.' }, ada.token);
    expect(patched.status).toBe(200);
    const at = Date.now();
    await waitFor(() => reader.markdown().includes('rewritten through the API') && typist.markdown().includes('rewritten through the API'), 2000, 'the PATCH to reach live editors');
    expect(Date.now() - at).toBeLessThan(500);
    typing = false;
    await loop;
    await typist.acked();
    await waitFor(() => reader.markdown() === typist.markdown(), 3000, 'convergence');

    const final = typist.markdown();
    expect(final).toContain('Three, rewritten through the API.');
    for (const t of typed) expect(final).toContain(t);
    expect(await storedMarkdown(app, doc.id)).toBe(final);
    // The REST update was logged once (by the API), not again by the live path.
    const rows = await app.api.t.deps.db.select().from(docUpdates).where(and(eq(docUpdates.docId, doc.id), eq(docUpdates.userId, ada.id))).all();
    expect(rows).toHaveLength(2); // creation + the PATCH
  });

  it('restoring a revision reaches live editors too', async () => {
    const doc = await app.api.doc(ada, space, 'Restore live', 'Version one.');
    await app.api.patch(`/api/docs/${doc.id}`, { markdown: 'Version two.' }, ada.token);
    const c = join(doc.id, bob);
    await c.synced();
    expect(c.markdown()).toBe('Version two.\n');
    expect((await app.api.post(`/api/docs/${doc.id}/revisions/1/restore`, {}, ada.token)).status).toBe(200);
    await waitFor(() => c.markdown() === 'Version one.\n', 2000, 'the restore to reach the editor');
    c.destroy();
  });
});

describe('revisions from live editing', () => {
  it('writes one revision when the last editor leaves, crediting every contributor, and tells search and readers', async () => {
    const doc = await app.api.doc(ada, space, 'Together', 'Start.');
    expect((await app.api.get(`/api/docs/${doc.id}`, ada.token)).body.doc.revision).toBe(1); // now cached
    const a = join(doc.id, ada);
    const b = join(doc.id, bob);
    await Promise.all([a.synced(), b.synced()]);
    a.type(0, ' ada was here');
    b.type(0, ' bob too');
    await Promise.all([a.acked(), b.acked()]);
    a.destroy();
    // Bob is still editing: ada leaving writes nothing (the server saw her go once bob is told).
    await waitFor(() => b.provider.awareness!.getStates().size === 1, 5000, 'ada to leave');
    await clock.advance(IDLE_MS - 1);
    expect(app.running.liveRevisions.pendingDocs()).toContain(doc.id);
    expect(await revisionsOf(doc.id)).toHaveLength(1);
    b.destroy();

    const revs = await waitFor(async () => {
      const r = await revisionsOf(doc.id);
      return r.length === 2 ? r : null;
    }, 3000, 'the revision after the last editor left');
    expect(revs[0]!.revision).toBe(2);
    expect(new Set(revs[0]!.authors)).toEqual(new Set([ada.id, bob.id]));
    const read = await app.api.get(`/api/docs/${doc.id}`, ada.token);
    expect(read.body.doc).toMatchObject({ revision: 2 });
    expect(read.body.doc.markdown).toContain('ada was here');
    expect(read.body.doc.markdown).toContain('bob too');
    const events = await app.api.t.deps.db.select().from(outbox).where(and(eq(outbox.docId, doc.id), eq(outbox.topic, 'doc.revised'))).all();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ revision: 2, source: 'live', bodyChanged: true });
  });

  it('writes a revision after the idle time while the editor stays connected, and at most every maxMs while typing', async () => {
    const doc = await app.api.doc(ada, space, 'Idle', 'Idle.');
    const c = join(doc.id, bob);
    await c.synced();
    c.type(0, ' one');
    await c.acked();
    // One millisecond short of the idle time: nothing yet.
    await clock.advance(IDLE_MS - 1);
    expect(app.running.liveRevisions.pendingDocs()).toContain(doc.id);
    expect(await revisionsOf(doc.id)).toHaveLength(1);
    await clock.advance(1);
    await waitFor(async () => (await revisionsOf(doc.id)).length === 2, 5000, 'the idle revision');
    expect((await revisionsOf(doc.id))[0]!.authors).toEqual([bob.id]);

    // An edit every minute never leaves two idle minutes: the ten-minute cap writes a revision anyway.
    let typed = 0;
    const typeAMinute = async () => {
      c.type(0, ` t${typed++}`);
      await c.acked();
      await clock.advance(60_000);
    };
    for (let minute = 0; minute < 9; minute++) await typeAMinute();
    expect(await revisionsOf(doc.id)).toHaveLength(2); // nine minutes of typing: not yet
    await typeAMinute(); // the tenth minute ends at the cap
    await waitFor(async () => (await revisionsOf(doc.id)).length === 3, 5000, 'the revision at the cap');
    c.destroy();
  });

  it('writes nothing when the live edits did not change the content', async () => {
    const doc = await app.api.doc(ada, space, 'Undo', 'Same.');
    const c = join(doc.id, bob);
    await c.synced();
    c.type(0, 'xyz');
    await c.acked();
    c.backspace(0, 3);
    await c.acked();
    expect(c.markdown()).toBe('Same.\n');
    // The editor leaving asks for its revision: one is attempted, and writes nothing.
    const docs = app.api.t.deps.docs;
    const snapshot = docs.snapshot;
    const attempted = new Promise<boolean>((resolve) => {
      docs.snapshot = async (docId) => {
        const result = await snapshot(docId);
        if (docId === doc.id) resolve(result.changed);
        return result;
      };
    });
    c.destroy();
    try {
      expect(await attempted, 'the revision attempted when the editor left changed something').toBe(false);
    } finally {
      docs.snapshot = snapshot;
    }
    expect(app.running.liveRevisions.pendingDocs()).not.toContain(doc.id);
    expect(await revisionsOf(doc.id)).toHaveLength(1);
    expect((await app.api.t.deps.docs.snapshot(doc.id)).changed).toBe(false);
  });

  it('compacts the log in the background, keeping every update after the latest revision', async () => {
    const doc = await app.api.doc(ada, space, 'Compact', 'Log.');
    const c = join(doc.id, bob);
    await c.synced();
    for (let i = 0; i < 70; i++) c.type(0, ` ${i}`);
    await c.acked();
    const before = await storedMarkdown(app, doc.id);
    await clock.advance(IDLE_MS);
    await waitFor(async () => (await revisionsOf(doc.id)).length === 2, 5000, 'the idle revision');
    const db = app.api.t.deps.db;
    const snap = await waitFor(() => db.select().from(docSnapshots).where(eq(docSnapshots.docId, doc.id)).get(), 3000, 'the compaction');
    const latest = await db.select().from(revisions).where(and(eq(revisions.docId, doc.id), eq(revisions.revision, 2))).get();
    expect(snap.throughUpdateId).toBe(latest!.throughUpdateId);
    // Edits after the revision stay in the log.
    c.type(0, ' after');
    await c.acked();
    const log = await db.select({ id: docUpdates.id }).from(docUpdates).where(eq(docUpdates.docId, doc.id)).orderBy(asc(docUpdates.id)).all();
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((r) => r.id > snap.throughUpdateId)).toBe(true);
    expect(await storedMarkdown(app, doc.id)).toBe(before.replace(/\n$/, ' after\n'));
    c.destroy();
  });
});
