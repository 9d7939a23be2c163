// Issue 8, item 15: a 500 must say what is true. The handler cannot know whether a failed write was
// saved (the database may have committed before the error), so a failed write must not promise that
// "nothing you sent was lost"; every 500 names its request id so a report can be matched to the log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@handoff/api/testing';

let t: TestApp;
let token: string;

async function call(method: string, path: string, json?: unknown) {
  const res = await t.app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': `abuse-${method.toLowerCase()}-1` },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as { error: { code: string; message: string; details?: { requestId?: string } } } };
}

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.app.request('/api/auth/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', handle: 'ada', password: 'correct horse battery', timezone: 'UTC' }),
  });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { token: string }).token;
  // Every request from here on fails inside the server: the database is gone.
  t.deps.database.close();
});
afterAll(async () => {
  await t.close().catch(() => undefined);
});

describe('500 answers', () => {
  it('never claim a failed write was not lost, and name the request id', async () => {
    const res = await call('POST', '/api/spaces', { name: 'Ops', private: false });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(res.body.error.message).not.toMatch(/lost/i);
    expect(res.body.error.message).toMatch(/may not have been saved/i);
    expect(res.body.error.message).toContain('abuse-post-1');
    expect(res.requestId).toBe('abuse-post-1');
    expect(res.body.error.details?.requestId).toBe('abuse-post-1');
  });

  it('answer a failed read plainly, with the request id', async () => {
    const res = await call('GET', '/api/spaces');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(res.body.error.message).not.toMatch(/lost|saved/i);
    expect(res.body.error.message).toContain('abuse-get-1');
    expect(res.body.error.details?.requestId).toBe('abuse-get-1');
  });
});
