// Issue 12, item 3: imports read YAML front matter. A hostile block must stay bounded: a block over
// 64 KiB is removed unread, aliases are capped (a "billion laughs" or 10,000 aliases fail fast), and
// the file is still imported — without the block and with a warning — never a 500 or a stalled server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Call, type Person } from '../api/client.ts';

let api: ApiClient;
let ada: Person;
let space: string;

beforeAll(async () => {
  api = await ApiClient.start();
  ada = await api.signup('ada');
  space = await api.space(ada, 'Imports');
});
afterAll(() => api.close());

const importMd = (markdown: string): Promise<Call> =>
  api.call('POST', `/api/import/markdown?spaceId=${space}&filename=hostile.md`, { token: ada.token, body: markdown, headers: { 'content-type': 'text/markdown' } });

/** Imports `markdown` while another request runs; both must answer quickly. */
async function importWhileServing(markdown: string): Promise<Call> {
  const started = performance.now();
  const [res, other] = await Promise.all([importMd(markdown), api.get('/api/spaces', ada.token)]);
  expect(other.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(5_000);
  return res;
}

async function body(id: string): Promise<string> {
  return (await api.get(`/api/docs/${id}?peek=1`, ada.token)).body.doc.markdown as string;
}

describe('hostile front matter on import', () => {
  it('10,000 aliases of one anchor: the block is refused fast, the file imported without it', async () => {
    const yaml = `title: Many aliases\nanchor: &a x\nlist: [${Array(10_000).fill('*a').join(', ')}]\n`;
    expect(Buffer.byteLength(yaml)).toBeLessThan(64 * 1024);
    const res = await importWhileServing(`---\n${yaml}---\nBody survives.\n`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.docs[0].title).toBe('hostile');
    expect(await body(res.body.docs[0].id)).toBe('Body survives.\n');
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'front_matter', message: expect.stringContaining('could not be read') })]);
  });

  it('a billion laughs (nested aliases, 10^9 nodes when expanded) is refused the same way', async () => {
    const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const res = await importWhileServing(`---\n${lines.join('\n')}\ntitle: Laughs\n---\nStill here.\n`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.docs[0].title).toBe('hostile');
    expect(await body(res.body.docs[0].id)).toBe('Still here.\n');
    expect(res.body.warnings).toHaveLength(1);
  });

  it('a 1 MB block is removed unread with a warning; the body is imported', async () => {
    const yaml = `title: Huge\n${Array.from({ length: 20_000 }, (_, i) => `key${i}: ${'v'.repeat(40)}`).join('\n')}\n`;
    expect(Buffer.byteLength(yaml)).toBeGreaterThan(1024 * 1024 - 200_000);
    const res = await importWhileServing(`---\n${yaml}---\n# Heading title\n\nSmall body.\n`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.docs[0].title).toBe('Heading title');
    expect(await body(res.body.docs[0].id)).toBe('Small body.\n');
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'front_matter', message: expect.stringContaining('larger than 64 KiB') })]);
  });

  it('a block that never closes (100 KB, past the cap) is ordinary Markdown (a thematic break), read in bounded time', async () => {
    const res = await importWhileServing(`---\na: ${'b'.repeat(100_000)}\n`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.warnings).toEqual([]);
    expect(await body(res.body.docs[0].id)).toContain('a: bbb');
  });
});
