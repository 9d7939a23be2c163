import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { docLinks, documents, eq, sql } from '@handoff/db';
import { createDoc } from '../commands/create-doc.ts';
import { createSpace } from '../commands/create-space.ts';
import { trashDoc } from '../commands/trash-doc.ts';
import { updateDoc } from '../commands/update-doc.ts';
import { commandTestApp, type CommandTestApp } from '../commands/testing/command-test-app.ts';
import { docIdOfUrl, docLinksIn, refillDocLinksBatch } from './doc-links.ts';

describe('docIdOfUrl', () => {
  it('reads /docs/<id>, relative or absolute on any host, with or without a query or hash', () => {
    expect(docIdOfUrl('/docs/abc_D-9')).toBe('abc_D-9');
    expect(docIdOfUrl('/docs/abc/')).toBe('abc');
    expect(docIdOfUrl('/docs/abc?diff=1..2')).toBe('abc');
    expect(docIdOfUrl('/docs/abc#section')).toBe('abc');
    expect(docIdOfUrl('https://wiki.example.com/docs/abc')).toBe('abc');
    expect(docIdOfUrl('http://localhost:5173/docs/abc?thread=t1#x')).toBe('abc');
    expect(docIdOfUrl('//wiki.example.com/docs/abc')).toBe('abc');
  });

  it('ignores every other URL', () => {
    for (const url of ['/docs/', '/docs', '/docs/abc/edit', '/spaces/abc', 'https://x.example/wiki/docs/abc', 'docs/abc', 'mailto:a@b.c', 'https://x.example', '/docs/a b', `/docs/${'a'.repeat(65)}`]) {
      expect(docIdOfUrl(url), url).toBeNull();
    }
  });
});

describe('docLinksIn', () => {
  const body = (children: unknown[]) => JSON.stringify({ root: { type: 'root', children: [{ type: 'paragraph', children }] } });
  it('finds doc links, links and autolinks in document order, once each, never the document itself', () => {
    const content = body([
      { type: 'doc-link', docId: 'first', url: '/docs/first', children: [] },
      { type: 'link', url: 'https://wiki.example/docs/second#top', children: [{ type: 'text', text: 'x' }] },
      { type: 'autolink', url: 'https://wiki.example/docs/third', children: [] },
      { type: 'link', url: '/docs/first', children: [] },
      { type: 'link', url: '/docs/self', children: [] },
      { type: 'link', url: 'https://elsewhere.example/page', children: [] },
      { type: 'text', text: '/docs/not-a-link', url: '/docs/nope' },
    ]);
    expect(docLinksIn(content, 'self')).toEqual(['first', 'second', 'third']);
  });
  it('finds nothing in a body that is not JSON', () => {
    expect(docLinksIn('not json')).toEqual([]);
  });
});

describe('doc_links rows', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const rowOf = async (id: string) => (await app.deps.db.select().from(documents).where(eq(documents.id, id)).get())!;
  const linksOf = async (docId: string) =>
    (await app.deps.db.select({ targetId: docLinks.targetId }).from(docLinks).where(eq(docLinks.docId, docId)).all()).map((r) => r.targetId).sort();

  it('follow each revision: written with revision 1, rewritten by later ones; unknown ids and self-links kept out', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const spec = (await createDoc(app.deps, ada, { spaceId: space.id, title: 'Spec' })).doc;
    const api = (await createDoc(app.deps, ada, { spaceId: space.id, title: 'API' })).doc;
    const plan = (
      await createDoc(app.deps, ada, {
        spaceId: space.id,
        title: 'Plan',
        markdown: `See [the spec](/docs/${spec.id}) and [nothing](/docs/doesNotExist).`,
      })
    ).doc;
    expect(await linksOf(plan.id)).toEqual([spec.id]);

    await updateDoc(app.deps, ada, await rowOf(plan.id), { markdown: `See [the API](https://wiki.example.com/docs/${api.id}?x=1#y) and [me](/docs/${plan.id}).` });
    expect(await linksOf(plan.id)).toEqual([api.id]);

    // A target in the trash keeps its row (it may come back); the brief leaves trashed documents out.
    await trashDoc(app.deps, ada, await rowOf(api.id));
    expect(await linksOf(plan.id)).toEqual([api.id]);
  });

  it('are refilled from the current bodies (reindex and the start-up backfill)', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const spec = (await createDoc(app.deps, ada, { spaceId: space.id, title: 'Spec' })).doc;
    const plan = (await createDoc(app.deps, ada, { spaceId: space.id, title: 'Plan', markdown: `[spec](/docs/${spec.id})` })).doc;
    await app.deps.db.run(sql`DELETE FROM doc_links`);
    let after = '';
    let total = 0;
    for (;;) {
      const { lastId, done } = await refillDocLinksBatch(app.deps.db, after, 1, 0);
      if (!lastId) break;
      after = lastId;
      total += done;
    }
    expect(total).toBe(2);
    expect(await linksOf(plan.id)).toEqual([spec.id]);
  });
});
