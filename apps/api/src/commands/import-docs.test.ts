import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documents, eq } from '@handoff/db';
import { loadConfig } from '../config.ts';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { importDocs, importFiles } from './import-docs.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

const limits = loadConfig({}).limits;

describe('importDocs', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('imports one Markdown file, its heading as the title, emitting doc.created', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const [doc, ...rest] = await importDocs(app.deps, ada, { spaceId: space.id, parentId: null }, { contentType: 'text/markdown', fileName: 'notes.md', body: Buffer.from('# Notes\n\nBody.'), limits });
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({ title: 'Notes', markdown: 'Body.\n' });
    expect(await app.outboxOf('doc.created')).toMatchObject([{ docId: doc!.id }]);
  });

  it('imports folders as parents (with the body of their index.md); zips are read in tests/api/import-export', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const files = [
      { path: ['Guides', 'index.md'], markdown: '# Guides\n\nAll guides.' },
      { path: ['Guides', 'setup.md'], markdown: '# Setup\n' },
      { path: ['top.md'], markdown: 'Top.' },
    ];
    const docs = await importFiles(app.deps, ada, { spaceId: space.id, parentId: null }, files);
    expect(docs.map((d) => d.title)).toEqual(['Guides', 'Setup', 'top']);
    expect(docs[1]!.parentId).toBe(docs[0]!.id);
  });

  it('refuses other media types and a parent from another space', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const other = await createSpace(app.deps, ada, { name: 'Other' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: other.id, title: 'Elsewhere' });
    const upload = { contentType: 'image/png', fileName: 'x', body: Buffer.from('x'), limits };
    await expect(importDocs(app.deps, ada, { spaceId: space.id, parentId: null }, upload)).rejects.toMatchObject({ kind: 'unsupported' });
    await expect(importDocs(app.deps, ada, { spaceId: space.id, parentId: doc.id }, { ...upload, contentType: 'text/markdown' })).rejects.toMatchObject({ kind: 'unprocessable' });
  });

  it('is all or nothing: a failure part-way deletes what it made, with doc.deleted for each', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    let calls = 0;
    const failing = {
      ...app.deps,
      docs: {
        create: async (...args: Parameters<typeof app.deps.docs.create>) => {
          if (++calls === 3) throw new Error('disk full (simulated)');
          return app.deps.docs.create(...args);
        },
      },
    };
    const files = [{ path: ['a.md'], markdown: 'A' }, { path: ['b.md'], markdown: 'B' }, { path: ['c.md'], markdown: 'C' }];
    await expect(importFiles(failing, ada, { spaceId: space.id, parentId: null }, files)).rejects.toThrow('disk full');
    expect(await app.deps.db.select().from(documents).where(eq(documents.spaceId, space.id)).all()).toEqual([]);
    const deleted = await app.outboxOf('doc.deleted');
    expect(deleted).toHaveLength(2);
    expect(deleted[0]).toMatchObject({ spaceId: space.id, actor: ada.id, reason: 'import-failed' });
    expect(app.published.filter((e) => e.topic === 'doc.deleted')).toHaveLength(2);
  });
});
