import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from '../commands/create-doc.ts';
import { createSpace } from '../commands/create-space.ts';
import { getDoc } from '../commands/get-doc.ts';
import { searchDocs } from '../commands/search-docs.ts';
import { commandTestApp, type CommandTestApp } from '../commands/testing/command-test-app.ts';

describe('a document with images and files (shared ImageNode / FileNode)', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const markdown =
    'Our rollout ![zebrafish diagram](/api/attachments/img_1#w=320 "Rollout stages") is in ' +
    '[quokka-report.pdf](/api/attachments/file_1#size=2458624).\n\n![](https://cdn.example/logo.png)\n';

  it('is created from Markdown through the headless editor and read back with the same Markdown', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Rollout', markdown });
    expect(doc.markdown).toBe(markdown);
    const read = await getDoc(app.deps, ada, doc.id, { peek: true, serialize: (row) => JSON.stringify({ markdown: row.markdown }) });
    expect(JSON.parse(read.json)).toEqual({ markdown });
  });

  it('is found by its alt text and file name, not by the attachment URL', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await createDoc(app.deps, ada, { spaceId: space.id, title: 'Rollout', markdown });
    await app.deps.searchIndexer.drain();
    const titles = async (q: string) => (await searchDocs(app.deps, ada, { q, limit: 10 })).hits.map((hit) => hit.title);
    expect(await titles('zebrafish')).toEqual(['Rollout']);
    expect(await titles('quokka')).toEqual(['Rollout']);
    expect(await titles('img_1')).toEqual([]);
    expect(await titles('cdn')).toEqual([]);
  });
});
