// Issue 11: handoff notes are a new input path. Their recipients are bounded (50; the 51st is a
// 400), a note of 10,000 "Blocked on @x" items keeps at most 200 asks of 500 characters each, and
// listing it in the log and in "Waiting on you" does not stall the server (health probe); the new
// endpoints answer malformed input with the contract's 4xx shape, never a 500.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startAbuseServer, startHealthProbe, type RunningServer, type Session } from './harness.ts';

/** Generous for a 2-core CI box shared with other work; a stalled event loop shows up as seconds. */
const PROBE_LIMIT_MS = 1_500;

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; the tests read the fields they expect
}

async function call(server: RunningServer, session: Session | null, method: string, path: string, json?: unknown): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: session ? session.headers : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

const expectError = (res: Answer, status: number) => {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
  expect(typeof res.body.error?.code).toBe('string');
  expect(typeof res.body.error?.message).toBe('string');
};

describe('handoff input bounds', () => {
  let server: RunningServer;
  let priya: Session;
  let lena: Session;
  let spaceId: string;

  beforeAll(async () => {
    server = await startAbuseServer({ env: { HANDOFF_LOG_LEVEL: 'warn' } });
    priya = await login(server.url, 'priya@handoff.demo');
    lena = await login(server.url, 'lena@handoff.demo');
    const spaces = (await call(server, priya, 'GET', '/api/spaces')).body.spaces as Array<{ id: string; role: string | null }>;
    spaceId = spaces.find((s) => s.role === 'editor' || s.role === 'admin')!.id;
  });
  afterAll(() => server?.stop());

  it('takes at most 50 recipients: the 51st is a 400, 50 unknown ones a 422 naming them', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `nobody${i}`);
    expectError(await call(server, priya, 'POST', '/api/docs', { spaceId, title: 'H', kind: 'handoff', handoff: { to: ids } }), 400);
    const fifty = await call(server, priya, 'POST', '/api/docs', { spaceId, title: 'H', kind: 'handoff', handoff: { to: ids.slice(0, 50) } });
    expectError(fifty, 422);
    expect(fifty.body.error.details.unknown).toHaveLength(50);
    const note = await call(server, priya, 'POST', '/api/docs', { spaceId, title: 'H', kind: 'handoff', handoff: { to: [lena.userId] } });
    expect(note.status).toBe(201);
    expectError(await call(server, priya, 'PATCH', `/api/docs/${note.body.doc.id}`, { handoff: { to: ids } }), 400);
    expectError(await call(server, priya, 'PATCH', `/api/docs/${note.body.doc.id}`, { handoff: { to: ['space:'] } }), 400);
    expectError(await call(server, priya, 'PATCH', `/api/docs/${note.body.doc.id}`, { handoff: { to: [`space:${'x'.repeat(200)}`] } }), 400);
    expectError(await call(server, priya, 'PATCH', `/api/docs/${note.body.doc.id}`, { handoff: { to: 'lena' } }), 400);
  });

  it('bounds a note of 10,000 "Blocked on @x" items (200 asks, 500 characters each); reading it in the log and Waiting on you does not stall', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `- item ${i} is blocked on @lena`).join('\n');
    const strangers = Array.from({ length: 500 }, (_, i) => `- @stranger${i} and @lena ${i}`).join('\n');
    const long = `- @lena ${'waiting '.repeat(5_000)}`;
    // Written and revised before the probe starts: turning 10,000 blocks of Markdown into the
    // document's body is the document engine's synchronous work for any document of that size,
    // not the handoff reading measured here.
    const res = await call(server, priya, 'POST', '/api/docs', {
      spaceId,
      title: 'Ten thousand asks',
      kind: 'handoff',
      markdown: `## Blocked on\n\n${long}\n${items}\n\n## Decisions needed\n\n${strangers}\n`,
      handoff: { to: [lena.userId] },
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    const docId = res.body.doc.id as string;
    expect((await call(server, priya, 'PATCH', `/api/docs/${docId}`, { title: 'Ten thousand asks, again' })).status).toBe(200);

    const probe = startHealthProbe(server.url);
    await probe.answered;
    const logs = await Promise.all(Array.from({ length: 10 }, () => call(server, lena, 'GET', `/api/handoffs?spaceId=${spaceId}&limit=1`)));
    const waiting = await call(server, lena, 'GET', '/api/me/waiting');
    const mine = (waiting.body.handoffAsks as Array<{ docId: string; section: string; text: string }>).filter((a) => a.docId === docId);
    const done = await call(server, lena, 'POST', `/api/docs/${docId}/handoff-asks/done`, { section: mine[0]!.section, text: mine[0]!.text });
    const thread = await call(server, lena, 'POST', `/api/docs/${docId}/threads`, { markdown: 'On it.' });
    const after = await call(server, lena, 'GET', '/api/me/waiting');
    const result = await probe.stop();

    for (const log of logs) {
      expect(log.status).toBe(200);
      expect(log.body.days[0].handoffs[0]).toMatchObject({ doc: { id: docId }, counts: { blocked: 10_001, decisions: 500 } });
    }
    expect(waiting.status).toBe(200);
    expect(mine).toHaveLength(200);
    expect(Math.max(...mine.map((a) => a.text.length))).toBe(500);
    expect(done.status).toBe(204);
    expect(thread.status).toBe(201);
    expect((after.body.handoffAsks as Array<{ docId: string }>).filter((a) => a.docId === docId)).toEqual([]);
    expect(result.failures).toBe(0);
    expect(result.maxMs).toBeLessThan(PROBE_LIMIT_MS);
  }, 180_000);

  it('answers malformed input to the new endpoints with 4xx in the contract shape', async () => {
    const note = await call(server, priya, 'POST', '/api/docs', { spaceId, title: 'H', kind: 'handoff', markdown: '## Blocked on\n\n- @lena a\n' });
    const done = `/api/docs/${note.body.doc.id}/handoff-asks/done`;
    expectError(await call(server, null, 'POST', done, { section: 'nope' }), 401);
    expectError(await call(server, lena, 'POST', done, { section: 'nope', text: 'a' }), 400);
    expectError(await call(server, lena, 'POST', done, { section: 'blocked', text: '' }), 400);
    expectError(await call(server, lena, 'POST', done, { section: 'blocked', text: 'x'.repeat(501) }), 400);
    expectError(await call(server, lena, 'POST', done, { section: 'blocked', text: 'a\u0000' }), 400);
    expectError(await call(server, lena, 'POST', done, { section: 'blocked', text: 'a', extra: 1 }), 400);
    expectError(await call(server, lena, 'POST', done, { section: 'blocked', text: 'not asked' }), 404);
    expect((await call(server, lena, 'POST', done, { section: 'blocked', text: '@lena a' })).status).toBe(204);
    for (const query of ['from=2026-02-30', 'to=yesterday', 'limit=0', 'limit=201', 'cursor=%%%', `cursor=${Buffer.from('x:y').toString('base64url')}`, 'spaceId=../etc']) {
      expectError(await call(server, lena, 'GET', `/api/handoffs?${query}`), 400);
    }
    expectError(await call(server, lena, 'GET', '/api/handoffs?spaceId=nosuchspace'), 404);
    expectError(await call(server, null, 'GET', '/api/me/handoff-draft'), 401);
  });
});
