// Issue 8, item 11: sign-up. The "first user" rule holds under concurrent requests; after the
// first person the default is invite-only; sign-up is rate limited per client address; and a
// duplicate e-mail answers exactly like any other refusal (same status and body, and the password
// is hashed on both paths so the time taken does not tell them apart either).

import { afterEach, describe, expect, it } from 'vitest';
import { count, users } from '@handoff/db';
import { createTestApp, type TestApp } from '@handoff/api/testing';

const FROM = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
const person = (h: string, extra: Record<string, unknown> = {}) => ({
  email: `${h}@example.com`,
  name: h,
  handle: h,
  password: 'correct horse battery',
  timezone: 'UTC',
  ...extra,
});

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function post(path: string, json: unknown, opts: { ip?: string; token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await t!.app.request(path, { method: 'POST', headers, body: JSON.stringify(json) }, FROM(opts.ip ?? '192.0.2.1'));
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- the tests read whichever fields each endpoint returns
}

async function userCount() {
  return (await t!.deps.db.select({ n: count() }).from(users).get())?.n ?? 0;
}

describe('sign-up', () => {
  it('20 concurrent first sign-ups on a fresh workspace make exactly one account, its admin (default mode)', async () => {
    t = await createTestApp();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post('/api/auth/signup', person(`racer${i}`), { ip: `192.0.2.${i + 1}` })));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(created[0]!.body.user.role).toBe('admin');
    expect(await userCount()).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.status).toBe(403);
  });

  it('in closed mode, concurrent sign-ups also make only the first account', async () => {
    t = await createTestApp({ config: { signup: 'closed' } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post('/api/auth/signup', person(`closed${i}`), { ip: `192.0.2.${i + 1}` })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await userCount()).toBe(1);
  });

  it('is invite-only after the first user by default; an invite admits one person with its role', async () => {
    t = await createTestApp();
    const admin = await post('/api/auth/signup', person('ada'));
    expect(admin.status).toBe(201);
    expect((await post('/api/auth/signup', person('bob'))).status).toBe(403);
    const invite = await post('/api/invites', { role: 'member' }, { token: admin.body.token });
    expect(invite.status).toBe(201);
    const code = new URL(invite.body.invite.url, 'http://x').searchParams.get('invite');
    const bob = await post('/api/auth/signup', person('bob', { invite: code }));
    expect(bob.status).toBe(201);
    expect(bob.body.user.role).toBe('member');
    // Single use.
    expect((await post('/api/auth/signup', person('cy', { invite: code }))).status).toBe(403);
  });

  it('rate-limits sign-up attempts per client address (counted before the password is hashed)', async () => {
    t = await createTestApp({ config: { signup: 'open' } });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await post('/api/auth/signup', person(`flood${i}`), { ip: '192.0.2.77' })).status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(20);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    expect((await post('/api/auth/signup', person('elsewhere'), { ip: '192.0.2.78' })).status).toBe(201);
  });

  it('a duplicate e-mail answers exactly like an invalid invite, and the password is hashed on both paths', async () => {
    t = await createTestApp();
    let hashes = 0;
    // A counting hasher: the route must hash the password before it decides anything.
    (t.deps as { passwords?: unknown }).passwords = {
      hash: async (p: string) => {
        hashes++;
        return `counted$${p}`;
      },
      verify: async (stored: string, p: string) => stored === `counted$${p}`,
    };
    const admin = await post('/api/auth/signup', person('ada'));
    expect(admin.status).toBe(201);
    const invite = await post('/api/invites', { role: 'member' }, { token: admin.body.token });
    const code = new URL(invite.body.invite.url, 'http://x').searchParams.get('invite');

    hashes = 0;
    const duplicate = await post('/api/auth/signup', person('other', { email: 'ada@example.com', invite: code }));
    const duplicateHashes = hashes;
    hashes = 0;
    const badInvite = await post('/api/auth/signup', person('other', { email: 'new@example.com', invite: 'hi_not-a-real-invite' }));
    const badInviteHashes = hashes;
    hashes = 0;
    const noInvite = await post('/api/auth/signup', person('other', { email: 'new@example.com' }));

    expect(duplicate.status).toBe(badInvite.status);
    expect(duplicate.body).toEqual(badInvite.body);
    expect(noInvite.body).toEqual(badInvite.body);
    expect(duplicateHashes).toBe(1);
    expect(badInviteHashes).toBe(1);
    // The invite was not used up by the refused attempt.
    expect((await post('/api/auth/signup', person('bob', { invite: code }))).status).toBe(201);
  });

  it('in open mode, a duplicate e-mail is refused with the same answer as every other refusal', async () => {
    t = await createTestApp({ config: { signup: 'open' } });
    expect((await post('/api/auth/signup', person('ada'))).status).toBe(201);
    const duplicate = await post('/api/auth/signup', person('other', { email: 'ada@example.com' }));
    const badInvite = await post('/api/auth/signup', person('other2', { invite: 'hi_not-a-real-invite' }));
    expect(duplicate.status).toBe(403);
    expect(duplicate.body).toEqual(badInvite.body);
  });
});
