import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from './client.ts';
import { systemClock } from '@handoff/api/testing';

let api: ApiClient;
let admin: Person;

beforeAll(async () => {
  api = await ApiClient.start();
  admin = await api.signup('ada');
});
afterAll(() => api.close());

const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

describe('sign-up and log-in', () => {
  it('makes the first user the workspace admin and later ones members', async () => {
    expect((await api.get('/api/me', admin.token)).body.user).toMatchObject({ handle: 'ada', role: 'admin', briefHour: 8, timezone: 'Europe/Berlin' });
    const bob = await api.signup('bob');
    expect((await api.get('/api/me', bob.token)).body.user.role).toBe('member');
  });

  it('refuses a taken email like any other refusal (403), a taken handle with 409, and bad input with 400 naming the fields', async () => {
    const again = await api.post('/api/auth/signup', { email: 'ada@example.com', name: 'X', handle: 'other', password: 'long enough pw', timezone: 'UTC' });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: { code: 'signup_refused' } });
    const handle = await api.post('/api/auth/signup', { email: 'new@example.com', name: 'X', handle: 'ada', password: 'long enough pw', timezone: 'UTC' });
    expect(handle.status).toBe(409);
    expect(handle.body).toMatchObject(errorShape);
    const bad = await api.post('/api/auth/signup', { email: 'nope', name: '', handle: 'A B', password: 'short', timezone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.fields.map((f: { path: string }) => f.path);
    expect(fields).toEqual(expect.arrayContaining(['email', 'name', 'handle', 'password', 'timezone']));
  });

  it('logs in with a session cookie and a CSRF cookie, and the token works as Bearer', async () => {
    const res = await api.post('/api/auth/login', { email: 'ada@example.com', password: 'correct horse battery' });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie().join('\n');
    expect(cookies).toMatch(/handoff_session=hs_[^;]+;.*HttpOnly/);
    expect(cookies).toMatch(/SameSite=Lax/);
    expect(cookies).toMatch(/handoff_csrf=/);
    expect((await api.get('/api/me', res.body.token)).status).toBe(200);
  });

  it('answers a wrong password with 401 and never says which part was wrong', async () => {
    const wrong = await api.post('/api/auth/login', { email: 'ada@example.com', password: 'wrong password!' });
    const unknown = await api.post('/api/auth/login', { email: 'ghost@example.com', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('rate-limits repeated failed log-ins with 429 and Retry-After', async () => {
    await api.signup('carol');
    const attempt = () => api.post('/api/auth/login', { email: 'carol@example.com', password: 'not the password' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password waits until the window passes.
    expect((await api.post('/api/auth/login', { email: 'carol@example.com', password: 'correct horse battery' })).status).toBe(429);
  });

  it('requires the CSRF header on cookie-authenticated writes but not on reads or Bearer writes', async () => {
    const login = await api.post('/api/auth/login', { email: 'ada@example.com', password: 'correct horse battery' });
    const set = login.headers.getSetCookie();
    const session = /handoff_session=([^;]+)/.exec(set.join(';'))![1]!;
    const csrf = /handoff_csrf=([^;]+)/.exec(set.join(';'))![1]!;
    const cookie = `handoff_session=${session}; handoff_csrf=${csrf}`;
    expect((await api.call('GET', '/api/me', { headers: { cookie } })).status).toBe(200);
    const noHeader = await api.call('PATCH', '/api/me', { headers: { cookie }, json: { name: 'Ada L' } });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe('csrf_failed');
    const wrongHeader = await api.call('PATCH', '/api/me', { headers: { cookie, 'x-csrf-token': 'csrf_forged' }, json: { name: 'Ada L' } });
    expect(wrongHeader.status).toBe(403);
    const ok = await api.call('PATCH', '/api/me', { headers: { cookie, 'x-csrf-token': csrf }, json: { name: 'Ada L' } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.name).toBe('Ada L');
  });

  it('ends the session on log-out', async () => {
    const login = await api.post('/api/auth/login', { email: 'ada@example.com', password: 'correct horse battery' });
    expect((await api.post('/api/auth/logout', {}, login.body.token)).status).toBe(204);
    expect((await api.get('/api/me', login.body.token)).status).toBe(401);
  });

  it('ends every other session on a password change, keeping the one that made it', async () => {
    const dan = await api.signup('dan');
    const other = (await api.post('/api/auth/login', { email: 'dan@example.com', password: 'correct horse battery' })).body.token;
    const wrong = await api.post('/api/me/password', { currentPassword: 'nope nope nope', newPassword: 'a new long password' }, dan.token);
    expect(wrong.status).toBe(403);
    const ok = await api.post('/api/me/password', { currentPassword: 'correct horse battery', newPassword: 'a new long password' }, dan.token);
    expect(ok.status).toBe(204);
    expect((await api.get('/api/me', dan.token)).status).toBe(200);
    expect((await api.get('/api/me', other)).status).toBe(401);
    expect((await api.post('/api/auth/login', { email: 'dan@example.com', password: 'a new long password' })).status).toBe(200);
  });

  it('expires sessions after the idle limit and at the absolute limit', async () => {
    let now = Date.now();
    const clockApi = await ApiClient.start({ clock: { ...systemClock, now: () => now } });
    try {
      const p = await clockApi.signup('eve');
      now += 6 * 24 * 3600_000; // used within the idle window: still fine, and touched
      expect((await clockApi.get('/api/me', p.token)).status).toBe(200);
      now += 6 * 24 * 3600_000;
      expect((await clockApi.get('/api/me', p.token)).status).toBe(200);
      now += 8 * 24 * 3600_000; // idle for 8 days
      expect((await clockApi.get('/api/me', p.token)).status).toBe(401);
      const q = await clockApi.signup('fay');
      for (let day = 0; day < 30; day += 5) {
        now += 5 * 24 * 3600_000;
        if (day < 25) expect((await clockApi.get('/api/me', q.token)).status).toBe(200);
      }
      expect((await clockApi.get('/api/me', q.token)).status).toBe(401);
    } finally {
      clockApi.close();
    }
  });

  it('issues, lists and revokes API tokens', async () => {
    const created = await api.post('/api/tokens', { name: 'CI script' }, admin.token);
    expect(created.status).toBe(201);
    const secret = created.body.token as string;
    expect(secret.startsWith('ht_')).toBe(true);
    expect((await api.get('/api/me', secret)).body.user.handle).toBe('ada');
    const listed = await api.get('/api/tokens', admin.token);
    expect(listed.body.tokens.map((t: { name: string }) => t.name)).toContain('CI script');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect((await api.del(`/api/tokens/${created.body.apiToken.id}`, admin.token)).status).toBe(204);
    expect((await api.get('/api/me', secret)).status).toBe(401);
  });

  it('rejects malformed Authorization headers and unknown tokens with 401', async () => {
    expect((await api.call('GET', '/api/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await api.get('/api/me', 'hs_made_up')).status).toBe(401);
    expect((await api.get('/api/me')).status).toBe(401);
  });

  it('updates the profile and validates time zone and brief hour', async () => {
    const ok = await api.patch('/api/me', { timezone: 'Asia/Kolkata', briefHour: 7 }, admin.token);
    expect(ok.body.user).toMatchObject({ timezone: 'Asia/Kolkata', briefHour: 7 });
    expect((await api.patch('/api/me', { timezone: 'Europe/Atlantis' }, admin.token)).status).toBe(400);
    expect((await api.patch('/api/me', { briefHour: 24 }, admin.token)).status).toBe(400);
    expect((await api.patch('/api/me', { role: 'admin' }, admin.token)).status).toBe(400);
  });

  it('lists the people of the workspace without their emails', async () => {
    const res = await api.get('/api/users', admin.token);
    expect(res.status).toBe(200);
    expect(res.body.users.length).toBeGreaterThanOrEqual(3);
    expect(res.body.users[0]).not.toHaveProperty('email');
  });
});

describe('request ids', () => {
  it('answers every request, success or error, with an x-request-id (echoing a sane incoming one)', async () => {
    const ok = await api.call('GET', '/api/me', { token: admin.token, headers: { 'x-request-id': 'trace-123' } });
    expect(ok.headers.get('x-request-id')).toBe('trace-123');
    const missing = await api.get('/api/docs/nope', admin.token);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await api.call('POST', '/api/spaces', { token: admin.token, body: '{', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('invites (sign-up is invite-only after the first user by default)', () => {
  let now = Date.now();
  let inv: ApiClient;
  let root: Person;
  const person = (h: string, extra: Record<string, unknown> = {}) => ({ email: `${h}@example.com`, name: h, handle: h, password: 'correct horse battery', timezone: 'UTC', ...extra });
  const codeOf = (url: string) => new URL(url).searchParams.get('invite')!;

  beforeAll(async () => {
    inv = await ApiClient.start({ clock: { ...systemClock, now: () => now }, config: { signup: 'invite', publicUrl: 'https://wiki.example.com' } });
    const first = await inv.post('/api/auth/signup', person('root'));
    expect(first.status).toBe(201);
    expect(first.body.user.role).toBe('admin');
    root = { id: first.body.user.id, email: 'root@example.com', handle: 'root', token: first.body.token };
  });
  afterAll(() => inv.close());

  it('refuses sign-up without an invite after the first user', async () => {
    const res = await inv.post('/api/auth/signup', person('nobody'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('signup_refused');
  });

  it('an invite is a single-use URL on the public URL, valid 7 days, listed until used', async () => {
    const created = await inv.post('/api/invites', { role: 'member' }, root.token);
    expect(created.status).toBe(201);
    expect(created.body.invite.url).toMatch(/^https:\/\/wiki\.example\.com\/signup\?invite=hi_/);
    expect(Date.parse(created.body.invite.expiresAt) - now).toBe(7 * 24 * 3600_000);
    const listed = await inv.get('/api/invites', root.token);
    expect(listed.body.invites.map((i: { id: string }) => i.id)).toContain(created.body.invite.id);
    expect(JSON.stringify(listed.body)).not.toContain(codeOf(created.body.invite.url));
    const bea = await inv.post('/api/auth/signup', person('bea', { invite: codeOf(created.body.invite.url) }));
    expect(bea.status).toBe(201);
    expect(bea.body.user.role).toBe('member');
    expect((await inv.get('/api/invites', root.token)).body.invites.map((i: { id: string }) => i.id)).not.toContain(created.body.invite.id);
    expect((await inv.del(`/api/invites/${created.body.invite.id}`, root.token)).status).toBe(404);
    // Members may not invite.
    expect((await inv.post('/api/invites', { role: 'member' }, bea.body.token)).status).toBe(403);
  });

  it('an invite for one e-mail admits only that e-mail, with the invite’s role', async () => {
    const created = await inv.post('/api/invites', { role: 'admin', email: 'Cleo@Example.com' }, root.token);
    const code = codeOf(created.body.invite.url);
    const wrong = await inv.post('/api/auth/signup', person('mallory', { invite: code }));
    expect(wrong.status).toBe(403);
    const cleo = await inv.post('/api/auth/signup', person('cleo', { invite: code }));
    expect(cleo.status).toBe(201);
    expect(cleo.body.user.role).toBe('admin');
  });

  it('a revoked or expired invite is refused like any other', async () => {
    const revoked = await inv.post('/api/invites', { role: 'member' }, root.token);
    expect((await inv.del(`/api/invites/${revoked.body.invite.id}`, root.token)).status).toBe(204);
    const r = await inv.post('/api/auth/signup', person('dora', { invite: codeOf(revoked.body.invite.url) }));
    expect(r.status).toBe(403);
    const expiring = await inv.post('/api/invites', { role: 'member' }, root.token);
    now += 7 * 24 * 3600_000 + 1;
    const e = await inv.post('/api/auth/signup', person('dora', { invite: codeOf(expiring.body.invite.url) }));
    expect(e.status).toBe(403);
    expect(e.body).toEqual(r.body);
  });

  it('closed sign-up takes no invites: people are added with the CLI', async () => {
    const closed = await ApiClient.start({ config: { signup: 'closed' } });
    try {
      const admin = await closed.signup('solo');
      expect((await closed.post('/api/invites', { role: 'member' }, admin.token)).status).toBe(403);
      expect((await closed.post('/api/auth/signup', person('second'))).status).toBe(403);
    } finally {
      await closed.close();
    }
  });
});
