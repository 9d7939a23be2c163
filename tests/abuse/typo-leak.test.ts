// Issue 8, item 10: typo correction must depend only on what the caller may read. A member plants
// a probe word in a space they edit; a word that differs from it by a few letters exists (or not)
// in a private space they cannot read. Their search results must be identical either way.

import { afterAll, describe, expect, it } from 'vitest';
import { login, startAbuseServer, type RunningServer, type Session } from './harness.ts';

/** The secret (in Leadership, private), the member's probe, and what the member types. */
const SECRET = 'quorvandel';
const PROBE = 'quorvendil'; // two edits from the secret
const QUERIES = [
  `${SECRET} `, // the secret itself: "known" or not?
  'quorvandal ', // one edit from the secret, two from the probe: which correction wins?
  'quorvendel ', // one edit from both
  'quorva', // the secret's beginning, as typed (not the probe's)
  'quorv', // the beginning of both
];
/** How many hits the member gets without the secret (the probe, as a correction or completion). */
const EXPECTED_TOTALS = [1, 1, 1, 0, 1];

let server: RunningServer | undefined;
afterAll(() => server?.stop());

async function search(session: Session, q: string) {
  const res = await fetch(`${server!.url}/api/search?q=${encodeURIComponent(q)}`, { headers: session.headers });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { hits: Array<{ docId: string; snippet: string }>; total: number };
  return { ids: body.hits.map((h) => h.docId), snippets: body.hits.map((h) => h.snippet), total: body.total };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function spaceId(session: Session, name: string): Promise<string> {
  const res = await fetch(`${server!.url}/api/spaces`, { headers: session.headers });
  const body = (await res.json()) as { spaces: Array<{ id: string; name: string }> };
  return body.spaces.find((s) => s.name === name)!.id;
}

async function createDoc(session: Session, space: string, title: string, markdown: string): Promise<string> {
  const res = await fetch(`${server!.url}/api/docs`, { method: 'POST', headers: session.headers, body: JSON.stringify({ spaceId: space, title, markdown }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { doc: { id: string } }).doc.id;
}

describe('abuse: typo correction does not leak words of private spaces', () => {
  it('gives a member the same results whether or not a space they cannot read holds the word', async () => {
    server = await startAbuseServer();
    const member = await login(server.url, 'priya@handoff.demo'); // Engineering editor, not in Leadership, not a workspace admin
    const marcus = await login(server.url, 'marcus@handoff.demo'); // Leadership admin
    const engineering = await spaceId(member, 'Engineering');
    const leadership = await spaceId(marcus, 'Leadership');

    await createDoc(member, engineering, 'Probe', `A note about ${PROBE} and nothing else.`);
    await until('the probe to be indexed', async () => (await search(member, `${PROBE} `)).total === 1);
    const without = [];
    for (const q of QUERIES) without.push(await search(member, q));
    // Without the secret, the probe answers every one of these (as a correction or completion).
    expect(without.map((r) => r.total)).toEqual(EXPECTED_TOTALS);

    const secretDoc = await createDoc(marcus, leadership, 'Acquisition', `Codename ${SECRET}. Do not share.`);
    expect((await fetch(`${server.url}/api/docs/${secretDoc}`, { headers: member.headers })).status).toBe(404); // member may not read it
    await until('the secret to be indexed', async () => (await search(marcus, `${SECRET} `)).ids.includes(secretDoc));
    const withSecret = [];
    for (const q of QUERIES) withSecret.push(await search(member, q));
    for (let i = 0; i < QUERIES.length; i++) expect(withSecret[i], `query ${JSON.stringify(QUERIES[i])}`).toEqual(without[i]);
  }, 60_000);
});
