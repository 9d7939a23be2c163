// Issue 8, item 7: a log-in attempt is counted BEFORE its password is evaluated, so a burst of
// parallel guesses gets at most the limit evaluated; the limiter lives in the database, so a
// restart (or a second API node on the same database) does not forget it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, createServerApp, createTestApp, loadConfig, type TestApp } from '@handoff/api/testing';

const PASSWORD = 'correct horse battery';
const FROM = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

let t: TestApp;

async function post(app: TestApp['app'], path: string, json: unknown, ip = '203.0.113.7') {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }, FROM(ip));
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error?: { code: string } } };
}

beforeAll(async () => {
  t = await createTestApp();
  const first = await post(t.app, '/api/auth/signup', { email: 'ada@example.com', name: 'Ada', handle: 'ada', password: PASSWORD, timezone: 'UTC' });
  expect(first.status).toBe(201);
});
afterAll(() => t.close());

describe('log-in lockout', () => {
  it('evaluates at most the limit of 60 parallel wrong guesses and refuses a right guess among them', async () => {
    const attempts = Array.from({ length: 60 }, (_, i) =>
      post(t.app, '/api/auth/login', { email: 'ada@example.com', password: i === 25 ? PASSWORD : `wrong guess ${i}` }, '198.51.100.1'),
    );
    const results = await Promise.all(attempts);
    const evaluated = results.filter((r) => r.status !== 429);
    // Each attempt that was not refused up front had its password hashed: at most 5 of them.
    expect(evaluated.length).toBeLessThanOrEqual(5);
    expect(results[25]!.status).toBe(429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(0);
    const refused = results.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // While locked, the right password is refused as well.
    expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: PASSWORD }, '198.51.100.1')).status).toBe(429);
    // Someone else (another address) is not locked out by it.
    expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: PASSWORD }, '198.51.100.2')).status).toBe(200);
  });

  it('remembers the lockout across a restart (the state is in the database)', async () => {
    const ip = '198.51.100.9';
    for (let i = 0; i < 5; i++) expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: `nope ${i}` }, ip)).status).toBe(401);
    expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: PASSWORD }, ip)).status).toBe(429);
    // A second node (or the same one after a restart) on the same database file.
    const config = { ...loadConfig({ HANDOFF_LOG_LEVEL: 'silent', DATABASE_URL: `file:${t.dbPath}` }), demo: false };
    const deps = await createDeps(config);
    try {
      const restarted = createServerApp(deps);
      expect((await post(restarted, '/api/auth/login', { email: 'ada@example.com', password: PASSWORD }, ip)).status).toBe(429);
    } finally {
      deps.database.close();
    }
  });

  it('a successful log-in clears the failures of that account and address', async () => {
    const ip = '198.51.100.20';
    for (let i = 0; i < 4; i++) expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: `nope ${i}` }, ip)).status).toBe(401);
    expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: PASSWORD }, ip)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await post(t.app, '/api/auth/login', { email: 'ada@example.com', password: `nope ${i}` }, ip)).status).toBe(401);
  });
});
