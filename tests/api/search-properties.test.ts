import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndexer } from '@handoff/api/testing';
import { ApiClient, type Person } from './client.ts';

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

describe('search permission property', () => {
  let api: ApiClient;
  const people: Person[] = [];
  const spaces: Array<{ id: string; private: boolean }> = [];

  beforeAll(async () => {
    api = await ApiClient.start();
    const rand = rng(20261128);
    for (let i = 0; i < 5; i++) people.push(await api.signup(`p${i}`));
    for (let i = 0; i < 6; i++) {
      const owner = people[Math.floor(rand() * people.length)]!;
      const isPrivate = rand() < 0.6;
      const id = await api.space(owner, `Space ${i}`, isPrivate);
      spaces.push({ id, private: isPrivate });
      for (const p of people) if (p !== owner && rand() < 0.4) await api.put(`/api/spaces/${id}/members/${p.id}`, { role: rand() < 0.5 ? 'viewer' : 'editor' }, owner.token);
    }
    const { db } = api.t.deps;
    const { memberships } = await import('@handoff/db');
    const members = await db.select().from(memberships).all();
    for (let i = 0; i < 60; i++) {
      const space = spaces[Math.floor(rand() * spaces.length)]!;
      const writer = members.find((m) => m.spaceId === space.id && m.role !== 'viewer')!;
      const author = people.find((p) => p.id === writer.userId)!;
      const words = Array.from({ length: 6 }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
      await api.doc(author, space.id, `Doc ${i} ${WORDS[i % WORDS.length]}`, words, rand() < 0.2 ? { kind: 'decision' } : {});
    }
    await api.t.deps.searchIndexer.drain();
  });
  afterAll(() => api.close());

  /** The straightforward SQL reference: documents containing the word that the person may read. */
  async function reference(person: Person, word: string) {
    const { client } = api.t.deps.database;
    const admin = person === people[0];
    const rows = await client.execute({
      sql: `SELECT d.id FROM documents d JOIN spaces s ON s.id = d.space_id
            LEFT JOIN memberships m ON m.space_id = s.id AND m.user_id = ?
            WHERE d.trashed_at IS NULL AND (? OR m.role IS NOT NULL OR s.private = 0)
              AND (lower(d.title) LIKE ? OR lower(d.text) LIKE ?)`,
      args: [person.id, admin ? 1 : 0, `%${word}%`, `%${word}%`],
    });
    return rows.rows.map((r) => String(r[0])).sort();
  }

  it('every search returns exactly what the SQL reference says the caller may read', async () => {
    for (const person of people) {
      for (const word of WORDS) {
        const res = await api.get(`/api/search?q=${word}&limit=200`, person.token);
        expect(res.status).toBe(200);
        const expected = await reference(person, word);
        expect(res.body.total, `${person.handle} ${word}`).toBe(expected.length);
        expect(res.body.hits.map((h: { docId: string }) => h.docId).sort(), `${person.handle} ${word}`).toEqual(expected);
      }
    }
  });
});

describe('search outage', () => {
  it('keeps edits working while the engine is down and indexes all of them when it returns', async () => {
    const api = await ApiClient.start({ startIndexer: false });
    try {
      const ada = await api.signup('ada');
      const space = await api.space(ada, 'Ops');
      const real = api.t.deps.search;
      let down = true;
      const flaky = new Proxy(real, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function' || !['upsert', 'remove', 'setup'].includes(String(prop))) return value;
          return (...args: unknown[]) => (down ? Promise.reject(new Error('engine unavailable')) : (value as (...a: unknown[]) => unknown).apply(target, args));
        },
      });
      const indexer = createSearchIndexer({ db: api.t.deps.db, index: flaky, log: api.t.deps.log, clock: api.t.deps.clock, pollMs: 20 });
      indexer.start();
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) {
        const doc = await api.doc(ada, space, `Outage ${i}`, `incident marker${i} text`);
        ids.push(doc.id);
      }
      expect(await indexer.backlog()).toBeGreaterThanOrEqual(500);
      down = false;
      const deadline = Date.now() + 30_000;
      while ((await indexer.backlog()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await indexer.stop();
      expect(await indexer.backlog()).toBe(0);
      const all = await api.get('/api/search?q=incident&limit=200', ada.token);
      expect(all.body.total).toBe(500);
      for (const i of [0, 137, 499]) {
        const one = await api.get(`/api/search?q=marker${i}`, ada.token);
        expect(one.body.hits.map((h: { docId: string }) => h.docId)).toEqual([ids[i]]);
      }
    } finally {
      await api.close();
    }
  });
});
