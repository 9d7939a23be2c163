import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { loadConfig } from '@handoff/api/testing';
import { eq, users } from '@handoff/db';
import { exportSpace } from '../../apps/api/src/commands/export-space.ts';
import { importFiles } from '../../apps/api/src/commands/import-docs.ts';
import { ApiClient, type Call, type Person } from './client.ts';

let api: ApiClient;
let ada: Person;
let bob: Person;
let space: string;
let other: string;

beforeAll(async () => {
  api = await ApiClient.start();
  ada = await api.signup('ada');
  bob = await api.signup('bob');
  space = await api.space(ada, 'Handbook');
  other = await api.space(ada, 'Other');
});
afterAll(() => api.close());

type Summary = { id: string; title: string; parentId: string | null; spaceId: string; revision: number };

const docCount = async (client = api) => Number((await client.t.deps.database.client.execute('SELECT count(*) AS n FROM documents')).rows[0]!.n);

function importCall(client: ApiClient, token: string, query: string, body: BodyInit, contentType: string): Promise<Call> {
  return client.call('POST', `/api/import/markdown?${query}`, { token, body, headers: { 'content-type': contentType } });
}
const importMd = (query: string, markdown: string, token = ada.token) => importCall(api, token, query, markdown, 'text/markdown');
const importZip = (query: string, zip: Uint8Array, token = ada.token, client = api) => importCall(client, token, query, new Uint8Array(zip), 'application/zip');

const md = (s: string) => strToU8(s);
/** An export without its `created:` / `updated:` front matter lines. */
const withoutTimes = (body: string) => body.split('\n').filter((l) => !l.startsWith('created: ') && !l.startsWith('updated: ')).join('\n');

async function full(id: string, token = ada.token) {
  const res = await api.get(`/api/docs/${id}?peek=1`, token);
  expect(res.status).toBe(200);
  return res.body.doc as Summary & { markdown: string };
}

function expectErrorShape(res: Call, status: number, code?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  if (code) expect(res.body.error.code).toBe(code);
}

/** Sets the "uncompressed size" of every entry, in local headers and the central directory, to `size` (a lying archive). */
function forgeUncompressedSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt32LE(size, i + 22); // local file header
    else if (sig === 0x02014b50) out.writeUInt32LE(size, i + 24); // central directory header
  }
  return out;
}

describe('POST /api/import/markdown with a single Markdown file', () => {
  it('takes the title from a leading # heading and keeps the rest as the body', async () => {
    const res = await importMd(`spaceId=${space}`, '# Onboarding *guide*\n\nWelcome to **Handoff**.\n\n- step one\n- step two\n');
    expect(res.status).toBe(201);
    expect(res.body.docs).toHaveLength(1);
    const [doc] = res.body.docs as Summary[];
    expect(doc).toMatchObject({ title: 'Onboarding *guide*', spaceId: space, parentId: null, revision: 1 });
    expect(doc).not.toHaveProperty('markdown');
    expect((await full(doc!.id)).markdown).toBe('Welcome to **Handoff**.\n\n- step one\n- step two\n');
  });

  it('takes the title from ?filename= when there is no heading, and falls back to "Imported"', async () => {
    const named = await importMd(`spaceId=${space}&filename=release-notes_v2.md`, 'Just a body.\n');
    expect(named.status).toBe(201);
    expect(named.body.docs[0].title).toBe('release notes v2');
    expect((await full(named.body.docs[0].id)).markdown).toBe('Just a body.\n');
    const folder = await importMd(`spaceId=${space}&filename=${encodeURIComponent('../../etc/passwd.md')}`, 'x');
    expect(folder.status).toBe(201);
    expect(folder.body.docs[0].title).not.toContain('/');
    const unnamed = await importMd(`spaceId=${space}`, 'No heading here.\n## Only a second-level one\n');
    expect(unnamed.status).toBe(201);
    expect(unnamed.body.docs[0].title).toBe('Imported');
    const heading = await importMd(`spaceId=${space}&filename=ignored.md`, '\uFEFF# Heading wins\r\n\r\nCRLF body\r\n');
    expect(heading.body.docs[0].title).toBe('Heading wins');
    expect((await full(heading.body.docs[0].id)).markdown).toBe('CRLF body\n');
  });

  it('imports under a parent in the same space', async () => {
    const parent = await api.doc(ada, space, 'Parent page');
    const res = await importMd(`spaceId=${space}&parentId=${parent.id}`, '# Child\n\nUnder the parent.');
    expect(res.status).toBe(201);
    expect(res.body.docs[0]).toMatchObject({ parentId: parent.id, title: 'Child' });
  });

  it('accepts text/plain and text/x-markdown, and refuses other types with 415', async () => {
    for (const type of ['text/plain', 'text/x-markdown', 'text/markdown; charset=utf-8']) {
      const res = await importCall(api, ada.token, `spaceId=${space}`, `# As ${type}\n`, type);
      expect(res.status, type).toBe(201);
      expect(res.body.docs[0].title).toBe(`As ${type}`);
    }
    const before = await docCount();
    for (const type of ['application/json', 'text/html', 'application/octet-stream']) {
      expectErrorShape(await importCall(api, ada.token, `spaceId=${space}`, '# Nope\n', type), 415, 'unsupported_media_type');
    }
    expect(await docCount()).toBe(before);
  });
});

describe('POST /api/import/markdown with a zip', () => {
  let imported: Summary[];

  it('turns folders into nested documents; index.md / README.md become the folder body', async () => {
    const zip = zipSync({
      'Welcome.md': md('# Welcome\n\nStart here.\n'),
      Engineering: {
        'index.md': md('# Engineering handbook\n\nHow we build things.\n'),
        'deploys.md': md('# Deploys\n\nWe deploy on **Tuesdays**.\n'),
        Runbooks: {
          'README.md': md('# Runbooks\n\nWhen things break.\n'),
          'db-failover.md': md('Promote the replica.\n'),
        },
      },
      Design: {
        'colors.markdown': md('# Colors\n\n- red\n- blue\n'),
      },
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
      'notes.txt': md('not markdown'),
      'data.json': md('{"a": 1}'),
      '.hidden.md': md('# Hidden\n'),
      '__MACOSX': { '._Welcome.md': md('resource fork') },
    });
    const res = await importZip(`spaceId=${space}`, zip);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    imported = res.body.docs;
    const byTitle = new Map(imported.map((d) => [d.title, d]));
    expect([...byTitle.keys()].sort()).toEqual(['Colors', 'Deploys', 'Design', 'Engineering handbook', 'Runbooks', 'Welcome', 'db failover'].sort());
    const eng = byTitle.get('Engineering handbook')!;
    const runbooks = byTitle.get('Runbooks')!;
    const design = byTitle.get('Design')!;
    expect(eng.parentId).toBeNull();
    expect(byTitle.get('Welcome')!.parentId).toBeNull();
    expect(design.parentId).toBeNull();
    expect(byTitle.get('Deploys')!.parentId).toBe(eng.id);
    expect(runbooks.parentId).toBe(eng.id);
    expect(byTitle.get('db failover')!.parentId).toBe(runbooks.id);
    expect(byTitle.get('Colors')!.parentId).toBe(design.id);
    // Parents come before their children in the answer.
    const position = new Map(imported.map((d, i) => [d.id, i]));
    for (const d of imported) if (d.parentId) expect(position.get(d.parentId)!).toBeLessThan(position.get(d.id)!);
    // The folder documents carry the body of their index.md / README.md; a folder without one is empty.
    expect((await full(eng.id)).markdown).toBe('How we build things.\n');
    expect((await full(runbooks.id)).markdown).toBe('When things break.\n');
    expect((await full(design.id)).markdown).toBe('');
    expect((await full(byTitle.get('Deploys')!.id)).markdown).toBe('We deploy on **Tuesdays**.\n');
    expect((await full(byTitle.get('Colors')!.id)).markdown).toBe('- red\n- blue\n');
    // Also visible through the list, nested.
    const children = await api.get(`/api/docs?spaceId=${space}&parentId=${eng.id}`, ada.token);
    expect(children.body.docs.map((d: Summary) => d.title).sort()).toEqual(['Deploys', 'Runbooks']);
  });

  it('ignores entries that climb out of the archive (../evil.md)', async () => {
    const before = await docCount();
    const zip = zipSync({
      '../evil.md': md('# Evil\n'),
      '..\\evil-windows.md': md('# Evil windows\n'),
      'safe/../../evil-nested.md': md('# Evil nested\n'),
      'good.md': md('# Good\n'),
    });
    const res = await importZip(`spaceId=${space}`, zip);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.docs.map((d: Summary) => d.title)).toEqual(['Good']);
    expect(await docCount()).toBe(before + 1);
  });

  it('decodes UTF-8 entry names (title from the file name when there is no heading)', async () => {
    const res = await importZip(`spaceId=${space}`, zipSync({ 'Über uns': { 'Straße_und-Café.md': md('Körper.\n') } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.docs.map((d: Summary) => d.title)).toEqual(['Über uns', 'Straße und Café']);
    expect((await full(res.body.docs[1].id)).markdown).toBe('Körper.\n');
  });

  it('answers 422 to an archive with no Markdown in it, creating nothing', async () => {
    const before = await docCount();
    const res = await importZip(`spaceId=${space}`, zipSync({ 'a.txt': md('x'), 'img/b.png': new Uint8Array([1, 2, 3]) }));
    expectErrorShape(res, 422);
    expect(await docCount()).toBe(before);
  });

  it('answers 422 to a corrupt or truncated zip, creating nothing', async () => {
    const before = await docCount();
    expectErrorShape(await importZip(`spaceId=${space}`, md('this is not a zip at all')), 422, 'unprocessable');
    const good = zipSync({ 'a.md': md('# A\n\n' + 'text '.repeat(2000)), 'b.md': md('# B\n') });
    expectErrorShape(await importZip(`spaceId=${space}`, good.slice(0, Math.floor(good.length / 2))), 422, 'unprocessable');
    const garbled = Buffer.from(good);
    garbled.fill(0x41, 40, 200); // inside the first entry's compressed data
    const res = await importZip(`spaceId=${space}`, garbled);
    expect([413, 422]).toContain(res.status);
    expectErrorShape(res, res.status);
    expect(await docCount()).toBe(before);
  });

  it('answers 413 to a zip bomb (50 MB of zeros in one entry) under the normal limits, creating nothing', async () => {
    const before = await docCount();
    const bomb = zipSync({ 'intro.md': md('# Fine\n'), 'bomb.md': [new Uint8Array(50 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const res = await importZip(`spaceId=${space}`, bomb);
    expectErrorShape(res, 413, 'payload_too_large');
    expect(await docCount()).toBe(before);
  });

  it('refuses a bomb that lies about its size in the headers, creating nothing', async () => {
    const before = await docCount();
    const bomb = forgeUncompressedSizes(zipSync({ 'bomb.md': [new Uint8Array(50 * 1024 * 1024), { level: 9 }] }), 1000);
    const started = Date.now();
    const res = await importZip(`spaceId=${space}`, bomb);
    expect([413, 422]).toContain(res.status);
    expectErrorShape(res, res.status);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await docCount()).toBe(before);
  });

  it('answers 413 when many honest entries together inflate past the total limit, creating nothing', async () => {
    const before = await docCount();
    const chunk = new Uint8Array(1900 * 1024).fill(0x61); // 1.9 MB of "a": under the per-file limit
    const files: Zippable = {};
    for (let i = 0; i < 56; i++) files[`part-${i}.md`] = [chunk, { level: 9 }];
    const res = await importZip(`spaceId=${space}`, zipSync(files));
    expectErrorShape(res, 413, 'payload_too_large');
    expect(await docCount()).toBe(before);
  });

  it('answers 403 to a viewer, 404 to an outsider of a private space and 422 for a parent in another space', async () => {
    const zip = zipSync({ 'a.md': md('# A\n') });
    expect((await api.put(`/api/spaces/${space}/members/${bob.id}`, { role: 'viewer' }, ada.token)).status).toBe(200);
    const before = await docCount();
    expectErrorShape(await importZip(`spaceId=${space}`, zip, bob.token), 403, 'forbidden');
    expectErrorShape(await importMd(`spaceId=${space}`, '# A\n', bob.token), 403, 'forbidden');
    const secret = await api.space(ada, 'Secret', true);
    expectErrorShape(await importZip(`spaceId=${secret}`, zip, bob.token), 404, 'not_found');
    const elsewhere = await api.doc(ada, other, 'In another space');
    const res = await importZip(`spaceId=${space}&parentId=${elsewhere.id}`, zip);
    expectErrorShape(res, 422, 'unprocessable');
    expect(await docCount()).toBe(before + 1); // only the "In another space" document
    expect((await api.del(`/api/spaces/${space}/members/${bob.id}`, ada.token)).status).toBe(204);
  });

  it('round-trips every imported document through GET /api/docs/:id/export.md', async () => {
    expect(imported.length).toBeGreaterThan(5);
    const target = await api.space(ada, 'Round trip');
    for (const doc of imported) {
      const original = await full(doc.id);
      const exported = await api.get(`/api/docs/${doc.id}/export.md`, ada.token);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toContain('text/markdown');
      expect(exported.body.startsWith(`---\ntitle: `)).toBe(true);
      const again = await importMd(`spaceId=${target}&filename=whatever.md`, exported.body);
      expect(again.status).toBe(201);
      const copy = await full(again.body.docs[0].id);
      expect(copy.title).toBe(original.title);
      expect(copy.markdown).toBe(original.markdown);
      // And exporting the copy gives the same file, but for the times (an import does not restore them).
      expect(withoutTimes((await api.get(`/api/docs/${copy.id}/export.md`, ada.token)).body)).toBe(withoutTimes(exported.body));
    }
  });

  it('round-trips titles with Markdown characters and bodies with rich content', async () => {
    const title = 'Q3 [draft] *plan* #2 <internal> under_score `code` back\\slash';
    const body = '## Goals\n\n1. Ship **4.2**\n2. Fix `bugs`\n\n> quoted\n\n```ts\nconst x = 1;\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[link](https://example.com) and @ada\n';
    const doc = await api.doc(ada, space, title, body);
    const exported = await api.get(`/api/docs/${doc.id}/export.md`, ada.token);
    const again = await importMd(`spaceId=${space}`, exported.body);
    expect(again.status).toBe(201);
    const copy = await full(again.body.docs[0].id);
    expect(copy.title).toBe(title);
    expect(copy.markdown).toBe(doc.markdown);
  });
});

describe('import limits from the configuration', () => {
  let small: ApiClient;
  let admin: Person;
  let s: string;

  beforeAll(async () => {
    const limits = { ...loadConfig({}).limits, importEntries: 10, importUncompressedBytes: 100_000 };
    small = await ApiClient.start({ config: { limits } });
    admin = await small.signup('root');
    s = await small.space(admin, 'Small');
  });
  afterAll(() => small.close());

  it('accepts an archive at the entry limit', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 10; i++) files[`doc-${i}.md`] = md(`# Doc ${i}\n`);
    const res = await importZip(`spaceId=${s}`, zipSync(files), admin.token, small);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.docs).toHaveLength(10);
  });

  it('answers 413 to more entries than the limit (folders count), creating nothing', async () => {
    const before = await docCount(small);
    const files: Zippable = {};
    for (let i = 0; i < 11; i++) files[`doc-${i}.md`] = md(`# Doc ${i}\n`);
    expectErrorShape(await importZip(`spaceId=${s}`, zipSync(files), admin.token, small), 413, 'payload_too_large');
    // 9 files in a folder: 10 entries plus the folder entry.
    const nested: Zippable = { folder: {} };
    for (let i = 0; i < 10; i++) (nested.folder as Zippable)[`doc-${i}.md`] = md(`# Doc ${i}\n`);
    expectErrorShape(await importZip(`spaceId=${s}`, zipSync(nested), admin.token, small), 413, 'payload_too_large');
    expect(await docCount(small)).toBe(before);
  });

  it('answers 413 when the files inflate past the total, counting while inflating', async () => {
    const before = await docCount(small);
    const files: Zippable = {};
    for (let i = 0; i < 3; i++) files[`big-${i}.md`] = md(`# Big ${i}\n\n${'word '.repeat(8000)}`); // 40 KB each, 120 KB in all
    expectErrorShape(await importZip(`spaceId=${s}`, zipSync(files), admin.token, small), 413, 'payload_too_large');
    // The same with lying headers: still refused, still nothing created.
    const forged = forgeUncompressedSizes(zipSync(files), 10);
    const res = await importZip(`spaceId=${s}`, forged, admin.token, small);
    expect([413, 422]).toContain(res.status);
    expectErrorShape(res, res.status);
    expect(await docCount(small)).toBe(before);
  });
});

describe('an import is all-or-nothing', () => {
  it('creates nothing when one document of an import fails half-way', async () => {
    const s = await api.space(ada, 'Atomic');
    const before = await docCount();
    const actor = (await api.t.deps.db.select().from(users).where(eq(users.id, ada.id)).get())!;
    const real = api.t.deps.docs;
    let calls = 0;
    const failing = {
      ...real,
      create: async (...args: Parameters<typeof real.create>) => {
        if (++calls === 4) throw new Error('disk full (simulated)');
        return real.create(...args);
      },
    };
    const files = [
      { path: ['A', 'index.md'], markdown: '# A\n\nfolder' },
      { path: ['A', 'one.md'], markdown: '# One\n' },
      { path: ['A', 'two.md'], markdown: '# Two\n' },
      { path: ['B', 'three.md'], markdown: '# Three\n' },
      { path: ['four.md'], markdown: '# Four\n' },
    ];
    await expect(importFiles({ ...api.t.deps, docs: failing }, actor, { spaceId: s, parentId: null }, files)).rejects.toThrow('disk full');
    expect(calls).toBe(4); // three documents were written (each in its own transaction) before the failure, then removed
    expect(await docCount()).toBe(before);
    const listed = await api.get(`/api/docs?spaceId=${s}`, ada.token);
    expect(listed.body.docs).toEqual([]);
    const revisions = await api.t.deps.database.client.execute({
      sql: 'SELECT count(*) AS n FROM revisions r JOIN documents d ON d.id = r.doc_id WHERE d.space_id = ?',
      args: [s],
    });
    expect(Number(revisions.rows[0]!.n)).toBe(0);
    // The same files import fine with the real engine.
    const ok = await importFiles(api.t.deps, actor, { spaceId: s, parentId: null }, files);
    expect(ok.map((d) => d.title)).toEqual(['A', 'One', 'Two', 'B', 'Three', 'Four']);
    expect(await docCount()).toBe(before + 6);
  });
});

describe('front matter through import and export', () => {
  const decisionFile = (owners: string) =>
    ['---', 'title: "Adopt: Postgres"', 'kind: decision', 'status: accepted', `owners: [${owners}]`, 'decidedAt: 2026-02-01T09:30:00Z', 'why: Load tests.', 'tags: [db]', '---', '', 'We need **one** database.', ''].join('\n');

  it('imports front matter as title and decision record, never as body text, and reports what it could not keep', async () => {
    const res = await importMd(`spaceId=${space}&filename=adr.md`, decisionFile('"@ada", bob@example.com, nobody'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [summary] = res.body.docs as Summary[];
    expect(summary).toMatchObject({ title: 'Adopt: Postgres', kind: 'decision' });
    const doc = (await api.get(`/api/docs/${summary!.id}?peek=1`, ada.token)).body.doc;
    expect(doc.markdown).toBe('We need **one** database.\n');
    expect(doc.decision).toEqual({ status: 'accepted', owners: [ada.id, bob.id].sort(), supersedes: null, decidedAt: '2026-02-01T09:30:00.000Z' });
    expect(res.body.warnings).toEqual([
      { file: 'adr.md', code: 'front_matter', message: expect.stringContaining('Tags (db)') },
      { file: 'adr.md', code: 'unknown_owners', message: expect.any(String), values: ['nobody'] },
    ]);

    const plain = await importMd(`spaceId=${space}&filename=p.md`, '---\ntitle: Front title\n---\n# A heading that stays\n\ntext\n');
    expect(plain.body).toMatchObject({ docs: [{ title: 'Front title', kind: 'page' }], warnings: [] });
    expect((await full(plain.body.docs[0].id)).markdown).toBe('# A heading that stays\n\ntext\n');
  });

  it('imports a file with invalid front matter without the block, with a warning (a zip as well)', async () => {
    const res = await importZip(`spaceId=${space}`, zipSync({ 'Notes/Grüße.md': md('---\ntitle: [oops\n: : :\n---\nHallo.\n'), 'Notes/ok.md': md('# OK\n') }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const byTitle = new Map((res.body.docs as Summary[]).map((d) => [d.title, d]));
    expect([...byTitle.keys()].sort()).toEqual(['Grüße', 'Notes', 'OK']);
    expect((await full(byTitle.get('Grüße')!.id)).markdown).toBe('Hallo.\n');
    expect(res.body.warnings).toEqual([{ file: 'Notes/Grüße.md', code: 'front_matter', message: expect.stringContaining('not valid YAML') }]);
  });

  it('exports front matter, keeps Unicode in the file name, and importing the export restores title, kind and decision', async () => {
    const created = await api.doc(ada, space, 'Grüße: Entscheidung', 'Body.\n', { kind: 'decision', decision: { status: 'proposed', owners: [bob.id] } });
    const patched = await api.call('PATCH', `/api/docs/${created.id}`, { token: ada.token, json: { decision: { status: 'rejected' }, message: 'Too costly.', baseRevision: created.revision } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const exported = await api.get(`/api/docs/${created.id}/export.md`, ada.token);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Grüße_ Entscheidung.md')}`);
    const front = exported.body.split('---\n')[1]!;
    expect(front).toContain('title: "Grüße: Entscheidung"\nkind: decision\nstatus: rejected\nowners:\n  - bob\n');
    expect(front).toMatch(/\ndecidedAt: \d{4}-\d\d-\d\dT/);
    expect(front).toContain('why: Too costly.\n');
    expect(front).toContain('authors:\n  - ada\n');
    expect(exported.body.endsWith('---\n\nBody.\n')).toBe(true);

    const target = await api.space(ada, 'Front matter round trip');
    const again = await importMd(`spaceId=${target}&filename=x.md`, exported.body);
    expect(again.status).toBe(201);
    expect(again.body.warnings).toEqual([]);
    const original = (await api.get(`/api/docs/${created.id}?peek=1`, ada.token)).body.doc;
    const copy = (await api.get(`/api/docs/${again.body.docs[0].id}?peek=1`, ada.token)).body.doc;
    expect(copy).toMatchObject({ title: original.title, kind: 'decision', markdown: original.markdown, decision: original.decision });
    const reexported = await api.get(`/api/docs/${copy.id}/export.md`, ada.token);
    expect(withoutTimes(reexported.body)).toBe(withoutTimes(exported.body));
  });

  it('exports a space with front matter and Unicode names (the CLI export)', async () => {
    const s = await api.space(ada, 'Unicode space');
    await api.doc(ada, s, 'Grüße');
    await api.doc(ada, s, 'CON');
    await api.doc(ada, s, 'a/b: c?');
    const files = await exportSpace(api.t.deps, s);
    expect(files.map((f) => f.path.join('/')).sort()).toEqual(['CON_.md', 'Grüße.md', 'a_b_ c_.md']);
    for (const f of files) expect(f.body).toMatch(/^---\ntitle: /);
    const back = await importZip(`spaceId=${other}`, zipSync(Object.fromEntries(files.map((f) => [f.path.join('/'), md(f.body)]))));
    expect((back.body.docs as Summary[]).map((d) => d.title).sort()).toEqual(['CON', 'Grüße', 'a/b: c?']);
  });
});
