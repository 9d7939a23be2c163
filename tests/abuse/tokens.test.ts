// Issue 8, item 8: API tokens have scopes (a `read` token cannot change anything) and an optional
// expiry; tokens are minted only from a log-in session; a password change is rate limited and
// ends every other session (API tokens, separate credentials, stay).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from '../api/client.ts';
import { systemClock } from '@handoff/api/testing';

let now = Date.now();
let api: ApiClient;
let ada: Person;
let space: string;

beforeAll(async () => {
  api = await ApiClient.start({ clock: { ...systemClock, now: () => now } });
  ada = await api.signup('ada');
  space = await api.space(ada, 'Notes');
});
afterAll(() => api.close());

describe('API tokens', () => {
  it('a read token reads but gets 403 on every write', async () => {
    const created = await api.post('/api/tokens', { name: 'dashboard', scopes: ['read'] }, ada.token);
    expect(created.status).toBe(201);
    expect(created.body.apiToken.scopes).toEqual(['read']);
    const read = created.body.token as string;
    const doc = await api.doc(ada, space, 'Plan', 'Hello.');
    expect((await api.get(`/api/docs/${doc.id}`, read)).status).toBe(200);
    expect((await api.get('/api/me', read)).status).toBe(200);
    for (const res of [
      await api.post('/api/docs', { spaceId: space, title: 'Sneaky' }, read),
      await api.patch(`/api/docs/${doc.id}`, { markdown: 'Changed.' }, read),
      await api.del(`/api/docs/${doc.id}`, read),
      await api.patch('/api/me', { name: 'Mallory' }, read),
      await api.put(`/api/spaces/${space}/watch`, {}, read),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    }
    expect((await api.get(`/api/docs/${doc.id}`, ada.token)).body.doc.markdown).toContain('Hello.');
  });

  it('a token without scopes given may read and write (the default)', async () => {
    const created = await api.post('/api/tokens', { name: 'ci' }, ada.token);
    expect(created.body.apiToken.scopes).toEqual(['read', 'write']);
    expect((await api.post('/api/docs', { spaceId: space, title: 'From CI' }, created.body.token)).status).toBe(201);
  });

  it('an expired token answers 401', async () => {
    const expiresAt = new Date(now + 60 * 60_000).toISOString();
    const created = await api.post('/api/tokens', { name: 'short', expiresAt }, ada.token);
    expect(created.status).toBe(201);
    expect(created.body.apiToken.expiresAt).toBe(expiresAt);
    expect((await api.get('/api/me', created.body.token)).status).toBe(200);
    now += 61 * 60_000;
    expect((await api.get('/api/me', created.body.token)).status).toBe(401);
    expect((await api.post('/api/tokens', { name: 'past', expiresAt: new Date(now - 1000).toISOString() }, ada.token)).status).toBe(400);
  });

  it('tokens are created only with a log-in session, never with another token', async () => {
    const write = (await api.post('/api/tokens', { name: 'parent' }, ada.token)).body.token as string;
    const res = await api.post('/api/tokens', { name: 'child' }, write);
    expect(res.status).toBe(403);
  });
});

describe('password change', () => {
  it('ends every other session, keeps API tokens, and is rate limited before the password is checked', async () => {
    const bob = await (async () => {
      const invite = await api.post('/api/invites', { role: 'member' }, ada.token);
      const code = invite.status === 201 ? new URL(invite.body.invite.url, 'http://x').searchParams.get('invite') : undefined;
      const res = await api.post('/api/auth/signup', {
        email: 'bob@example.com', name: 'Bob', handle: 'bob', password: 'correct horse battery', timezone: 'UTC', ...(code ? { invite: code } : {}),
      });
      expect(res.status).toBe(201);
      return res.body.token as string;
    })();
    const other = (await api.post('/api/auth/login', { email: 'bob@example.com', password: 'correct horse battery' })).body.token as string;
    const apiToken = (await api.post('/api/tokens', { name: 'script' }, bob)).body.token as string;
    const ok = await api.post('/api/me/password', { currentPassword: 'correct horse battery', newPassword: 'a brand new password' }, bob);
    expect(ok.status).toBe(204);
    expect((await api.get('/api/me', bob)).status).toBe(200);
    expect((await api.get('/api/me', other)).status).toBe(401);
    expect((await api.get('/api/me', apiToken)).status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await api.post('/api/me/password', { currentPassword: `guess number ${i}`, newPassword: 'whatever password 1' }, bob)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right current password waits now.
    expect((await api.post('/api/me/password', { currentPassword: 'a brand new password', newPassword: 'another new password' }, bob)).status).toBe(429);
  });
});
