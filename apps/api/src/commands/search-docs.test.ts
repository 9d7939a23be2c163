import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchIndex } from '../domain/ports.ts';
import { addComment } from './add-comment.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { editComment } from './edit-comment.ts';
import { putMember } from './put-member.ts';
import { setThreadResolution } from './resolve-thread.ts';
import { removeMember } from './remove-member.ts';
import { searchDocs } from './search-docs.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('searchDocs', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const titles = async (...args: Parameters<typeof searchDocs>) => (await searchDocs(...args)).hits.map((h) => h.title).sort();

  it('finds only what the caller may read now, a membership change applying to the next query', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const open = await createSpace(app.deps, ada, { name: 'Open' });
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    await app.deps.docs.create(ada, { spaceId: open.id, title: 'Zebra open', markdown: 'zebra crossing' });
    await app.deps.docs.create(ada, { spaceId: closed.id, title: 'Zebra closed', markdown: 'zebra stripes' });
    await app.deps.searchIndexer.drain();
    expect(await titles(app.deps, bob, { q: 'zebra', limit: 50 })).toEqual(['Zebra open']);
    await putMember(app.deps, closed.id, bob.id, 'viewer');
    expect(await titles(app.deps, bob, { q: 'zebra', limit: 50 })).toEqual(['Zebra closed', 'Zebra open']);
    await removeMember(app.deps, closed.id, bob.id);
    // The index still holds the document; access is decided from the database on every search.
    expect(await titles(app.deps, bob, { q: 'zebra', limit: 50 })).toEqual(['Zebra open']);
    await expect(searchDocs(app.deps, bob, { q: 'zebra', spaceId: closed.id, limit: 50 })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('drops hits the database no longer confirms (trashed after indexing), and lowers the total to match', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const doc = await app.deps.docs.create(ada, { spaceId: space.id, title: 'Quagga one', markdown: 'quagga' });
    await app.deps.docs.create(ada, { spaceId: space.id, title: 'Quagga two', markdown: 'quagga' });
    await app.deps.searchIndexer.drain();
    await trashDoc(app.deps, ada, doc);
    // Not drained: the index still answers with the trashed document.
    const result = await searchDocs(app.deps, ada, { q: 'quagga', limit: 50 });
    expect(result.hits.map((h) => h.title)).toEqual(['Quagga two']);
    expect(result.total).toBe(1);
    expect(result.engine).toBe(app.deps.search.engine);
  });

  it('finds comment text as a hit on the document, for readers only, following edits, deletes and the trash', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const open = await createSpace(app.deps, ada, { name: 'Open' });
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    const doc = await app.deps.docs.create(ada, { spaceId: open.id, title: 'Launch plan', markdown: 'We ship on Friday.' });
    const secret = await app.deps.docs.create(ada, { spaceId: closed.id, title: 'Board memo', markdown: 'Numbers.' });
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Is the **okapi** ready for [the demo](https://example.com/demo)?', anchor: { quote: 'Friday' } });
    const reply = await addComment(app.deps, bob, doc, thread, 'The okapi needs one more `rehearsal`.');
    await createThread(app.deps, ada, secret, { markdown: 'The okapi budget doubles.' });
    await app.deps.searchIndexer.drain();

    const found = await searchDocs(app.deps, bob, { q: 'okapi', limit: 50 });
    expect(found.hits.map((h) => h.docId)).toEqual([doc.id]);
    expect(found.total).toBe(1);
    // Plain text of the comment that holds the most of the query: no Markdown syntax, no URL.
    const both = await searchDocs(app.deps, bob, { q: 'okapi rehearsal', limit: 50 });
    expect(both.hits[0]!.snippet).toBe('The <mark>okapi</mark> needs one more <mark>rehearsal</mark>.');
    expect((await searchDocs(app.deps, bob, { q: 'demo', limit: 50 })).hits[0]!.snippet).toBe('Is the okapi ready for the <mark>demo</mark>?');
    expect((await searchDocs(app.deps, ada, { q: 'okapi budget', limit: 50 })).hits.map((h) => h.docId)).toEqual([secret.id]);
    expect(await titles(app.deps, bob, { q: 'okapi budget', limit: 50 })).toEqual([]);

    // A resolved thread's comments are still found; an edit replaces the text; a delete forgets it.
    await setThreadResolution(app.deps, ada, doc, thread, 'resolved');
    await editComment(app.deps, bob, doc, reply, 'The okapi needs one more run-through.');
    await app.deps.searchIndexer.drain();
    expect(await titles(app.deps, bob, { q: 'rehearsal', limit: 50 })).toEqual([]);
    expect(await titles(app.deps, bob, { q: 'okapi', limit: 50 })).toEqual(['Launch plan']);
    expect(await titles(app.deps, bob, { q: 'run through', limit: 50 })).toEqual(['Launch plan']);
    await deleteComment(app.deps, bob, doc, { ...reply, deletedAt: null });
    await app.deps.searchIndexer.drain();
    expect(await titles(app.deps, bob, { q: 'run through', limit: 50 })).toEqual([]);
    expect(await titles(app.deps, bob, { q: 'okapi demo', limit: 50 })).toEqual(['Launch plan']);

    // The trash hides the document's comments at once (the database decides), and the index forgets them.
    await trashDoc(app.deps, ada, doc);
    expect(await titles(app.deps, bob, { q: 'okapi', limit: 50 })).toEqual([]);
    await app.deps.searchIndexer.drain();
    expect(await app.deps.search.search({ q: 'okapi', spaceIds: [open.id], limit: 50 })).toEqual({ hits: [], total: 0 });
  });

  it('asks the engine only about the readable spaces (or the one asked for)', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const open = await createSpace(app.deps, ada, { name: 'Open' });
    await createSpace(app.deps, ada, { name: 'Closed', private: true });
    const asked: string[][] = [];
    const engine: SearchIndex = app.deps.search;
    const spy = { ...app.deps, search: { ...engine, engine: engine.engine, search: (r: Parameters<SearchIndex['search']>[0]) => (asked.push([...r.spaceIds]), engine.search(r)) } as SearchIndex };
    await searchDocs(spy, bob, { q: 'x', limit: 5 });
    await searchDocs(spy, bob, { q: 'x', spaceId: open.id, limit: 5 });
    expect(asked).toEqual([[open.id], [open.id]]);
  });
});
