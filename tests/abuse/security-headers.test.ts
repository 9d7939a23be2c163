// Issue 8, item 14: every response says how a browser may use it. The web app runs under a
// Content-Security-Policy that allows scripts from its own origin only; nothing may be framed by
// another site; nothing is MIME-sniffed; URLs do not leak to other sites; cookies are `Secure` as soon
// as the client came over HTTPS — which a trusted proxy (and only a trusted proxy) may tell us.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loadConfig, type TestApp } from '@handoff/api/testing';
import { webDist } from '@handoff/api/server';

let t: TestApp;
let proxied: TestApp;
let token: string;
const FROM = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

beforeAll(async () => {
  t = await createTestApp({ startIndexer: false });
  proxied = await createTestApp({ startIndexer: false, config: { trustedProxy: ['loopback'] } });
  const res = await t.app.request('/api/auth/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', handle: 'ada', password: 'correct horse battery', timezone: 'UTC' }),
  });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { token: string }).token;
});
afterAll(async () => {
  await t?.close();
  await proxied?.close();
});

function directives(csp: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function expectBaseline(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toMatch(/^(no-referrer|same-origin|strict-origin(-when-cross-origin)?)$/);
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  const csp = directives(res.headers.get('content-security-policy'));
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(res.headers.get('x-powered-by'), what).toBeNull();
}

describe('security headers', () => {
  it('are on API answers: health, a read, a 404, a 401 and a validation error', async () => {
    const answers = {
      health: await t.app.request('/api/health'),
      read: await t.app.request('/api/spaces', { headers: { authorization: `Bearer ${token}` } }),
      notFound: await t.app.request('/api/nope', { headers: { authorization: `Bearer ${token}` } }),
      unauthorized: await t.app.request('/api/spaces'),
      invalid: await t.app.request('/api/spaces', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"name": ',
      }),
    };
    expect(answers.health.status).toBe(200);
    expect(answers.read.status).toBe(200);
    expect(answers.notFound.status).toBe(404);
    expect(answers.unauthorized.status).toBe(401);
    expect(answers.invalid.status).toBe(400);
    for (const [what, res] of Object.entries(answers)) {
      expectBaseline(res, what);
      // JSON is never a document: it may load nothing at all.
      expect(directives(res.headers.get('content-security-policy')).get('default-src'), what).toEqual(["'none'"]);
    }
  });

  it('put the web app under a CSP with scripts from its own origin only', async () => {
    const res = await t.app.request('/docs/some-client-side-route', { headers: { host: 'wiki.example.com' } });
    expectBaseline(res, 'app');
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    // Live collaboration connects to /api/collab over ws(s) on the same host.
    expect(csp.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'wss://wiki.example.com']));
    if (existsSync(webDist)) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      // No inline script the policy would block.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      const asset = readdirSync(join(webDist, 'assets')).find((f) => f.endsWith('.js'));
      if (asset) {
        const js = await t.app.request(`/assets/${asset}`);
        expect(js.status).toBe(200);
        expectBaseline(js, 'asset');
      }
    }
  });

  it('make cookies Secure only when a trusted proxy says the client came over HTTPS', async () => {
    const login = (app: TestApp['app'], ip: string, proto?: string) =>
      app.request(
        '/api/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(proto ? { 'x-forwarded-proto': proto } : {}) },
          body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
        },
        FROM(ip),
      );
    // The proxied app needs its own user.
    const signup = await proxied.app.request('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', handle: 'ada', password: 'correct horse battery', timezone: 'UTC' }),
    });
    expect(signup.status).toBe(201);
    const cookies = (res: Response) => res.headers.getSetCookie();

    const viaProxy = await login(proxied.app, '127.0.0.1', 'https');
    expect(viaProxy.status).toBe(200);
    expect(cookies(viaProxy).length).toBeGreaterThan(0);
    for (const cookie of cookies(viaProxy)) expect(cookie).toMatch(/;\s*Secure/i);
    expect(viaProxy.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);

    // The same header from anyone else is ignored.
    for (const res of [await login(t.app, '127.0.0.1', 'https'), await login(proxied.app, '203.0.113.5', 'https'), await login(proxied.app, '127.0.0.1')]) {
      expect(res.status).toBe(200);
      for (const cookie of cookies(res)) expect(cookie).not.toMatch(/;\s*Secure/i);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('let a configured list of sites frame the app', async () => {
    const config = loadConfig({ HANDOFF_FRAME_ANCESTORS: 'https://intranet.example.com' });
    const framed = await createTestApp({ startIndexer: false, config: { frameAncestors: config.frameAncestors } });
    try {
      const res = await framed.app.request('/api/health');
      expect(directives(res.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(['https://intranet.example.com']);
      // X-Frame-Options cannot name another site; browsers that know CSP follow frame-ancestors.
      expect(res.headers.get('x-frame-options')).toBeNull();
    } finally {
      await framed.close();
    }
  });
});
