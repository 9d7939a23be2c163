import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documents, eq, revisions } from '@handoff/db';
import type { ImportWarning } from '@handoff/shared/schemas';
import { decisionOf } from '../domain/decisions.ts';
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
    const { docs: [doc, ...rest], warnings } = await importDocs(app.deps, ada, { spaceId: space.id, parentId: null }, { contentType: 'text/markdown', fileName: 'notes.md', body: Buffer.from('# Notes\n\nBody.'), limits });
    expect(rest).toEqual([]);
    expect(warnings).toEqual([]);
    expect(doc).toMatchObject({ title: 'Notes', markdown: 'Body.\n' });
    expect(await app.outboxOf('doc.created')).toMatchObject([{ docId: doc!.id }]);
  });

  it('imports folders as parents (with the body of their index.md); zips are read in tests/api/import-export', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const files = [
      { path: ['Guides', 'index.md'], markdown: '# Guides\n\nAll guides.' },
      { path: ['Guides', 'setup.md'], markdown: '# Setup\n' },
      { path: ['Notes', 'README.md'], markdown: 'No heading in the readme.' },
      { path: ['top.md'], markdown: 'Top.' },
    ];
    const docs = await importFiles(app.deps, ada, { spaceId: space.id, parentId: null }, files);
    expect(docs.map((d) => d.title)).toEqual(['Guides', 'Setup', 'Notes', 'top']);
    expect(docs[2]!.markdown).toBe('No heading in the readme.\n');
    expect(docs[1]!.parentId).toBe(docs[0]!.id);
  });

  it('keeps front matter as metadata: title, a decision with owners by handle or e-mail, decidedAt and the why; unknown owners and tags reported', async () => {
    const ada = await app.person('ada');
    const lena = await app.person('lena');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const markdown = [
      '---',
      'title: Use Postgres',
      'kind: decision',
      'status: accepted',
      `owners: ['@ada', ${lena.email.toUpperCase()}, nobody, ghost@example.com]`,
      'decidedAt: 2026-03-01T10:00:00Z',
      'why: Benchmarks convinced us.',
      'tags: [db, infra]',
      'created: 2025-01-01',
      '---',
      '# Context',
      '',
      'We need a database.',
      '',
    ].join('\n');
    const report = await importDocs(app.deps, ada, { spaceId: space.id, parentId: null }, { contentType: 'text/markdown', fileName: 'adr-1.md', body: Buffer.from(markdown), limits });
    const [doc] = report.docs;
    expect(doc).toMatchObject({ title: 'Use Postgres', kind: 'decision', markdown: '# Context\n\nWe need a database.\n' });
    expect(await decisionOf(app.deps.db, doc!.id)).toEqual({ status: 'accepted', owners: [ada.id, lena.id].sort(), supersedes: null, decidedAt: Date.parse('2026-03-01T10:00:00Z') });
    const revision = await app.deps.db.select({ message: revisions.message }).from(revisions).where(eq(revisions.docId, doc!.id)).get();
    expect(revision?.message).toBe('Benchmarks convinced us.');
    expect(report.warnings).toEqual([
      expect.objectContaining({ file: 'adr-1.md', code: 'front_matter', message: expect.stringContaining('db, infra') }),
      expect.objectContaining({ file: 'adr-1.md', code: 'unknown_owners', values: ['nobody', 'ghost@example.com'] }),
    ]);
  });

  it('imports a file whose front matter is not YAML without it, with a warning; status alone makes a decision record', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const files = [
      { path: ['bad.md'], markdown: '---\ntitle: [unclosed\n---\n# Real title\n\nBody.\n' },
      { path: ['d.md'], markdown: '---\nstatus: rejected\n---\nNo heading.\n' },
    ];
    const warnings: ImportWarning[] = [];
    const docs = await importFiles(app.deps, ada, { spaceId: space.id, parentId: null }, files, undefined, warnings);
    expect(docs[0]).toMatchObject({ title: 'Real title', kind: 'page', markdown: 'Body.\n' });
    expect(docs[1]).toMatchObject({ title: 'd', kind: 'decision', markdown: 'No heading.\n' });
    expect((await decisionOf(app.deps.db, docs[1]!.id))?.status).toBe('rejected');
    expect(warnings).toEqual([expect.objectContaining({ file: 'bad.md', code: 'front_matter', message: expect.stringContaining('not valid YAML') })]);
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
