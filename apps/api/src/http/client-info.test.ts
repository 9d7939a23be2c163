import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { loadConfig } from '../config.ts';
import { clientIp, isHttps, secureCookies } from './client-info.ts';

function probe(env: Record<string, string>) {
  const config = loadConfig(env);
  const app = new Hono<{ Variables: { deps: { config: typeof config } } }>();
  app.use('*', async (c, next) => {
    c.set('deps', { config });
    await next();
  });
  app.get('/', (c) => c.json({ ip: clientIp(c), https: isHttps(c), secure: secureCookies(c) }));
  return (remoteAddress: string | undefined, headers: Record<string, string> = {}) =>
    Promise.resolve(app.request('http://localhost/', { headers }, remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined)).then(
      (r) => r.json() as Promise<{ ip: string; https: boolean; secure: boolean }>,
    );
}

describe('client info', () => {
  it('ignores forwarded headers without a trusted proxy', async () => {
    const req = probe({});
    expect(await req('203.0.113.9', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' })).toEqual({
      ip: '203.0.113.9',
      https: false,
      secure: false,
    });
    expect((await req(undefined)).ip).toBe('unknown');
  });

  it('believes a trusted proxy, reading X-Forwarded-For from the right', async () => {
    const req = probe({ HANDOFF_TRUSTED_PROXY: 'loopback, 10.0.0.0/8' });
    const headers = { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.1.2.3', 'x-forwarded-proto': 'https' };
    expect(await req('::ffff:127.0.0.1', headers)).toEqual({ ip: '198.51.100.7', https: true, secure: true });
    expect(await req('127.0.0.1', { 'x-forwarded-for': 'not-an-ip, 10.9.9.9' })).toMatchObject({ ip: '10.9.9.9', https: false });
    // The same headers from an untrusted peer are ignored.
    expect(await req('198.51.100.1', headers)).toEqual({ ip: '198.51.100.1', https: false, secure: false });
  });

  it('keeps configured secure cookies', async () => {
    expect((await probe({ HANDOFF_SECURE_COOKIES: '1' })('127.0.0.1')).secure).toBe(true);
  });

  it('rejects a trusted proxy or frame ancestor it cannot parse', () => {
    expect(() => loadConfig({ HANDOFF_TRUSTED_PROXY: '10.0.0.0/33' })).toThrow(/HANDOFF_TRUSTED_PROXY/);
    expect(() => loadConfig({ HANDOFF_TRUSTED_PROXY: 'proxy.local' })).toThrow(/HANDOFF_TRUSTED_PROXY/);
    expect(() => loadConfig({ HANDOFF_FRAME_ANCESTORS: "https://a.example; script-src *" })).toThrow(/FRAME_ANCESTORS/);
    expect(loadConfig({}).frameAncestors).toEqual(["'none'"]);
    expect(loadConfig({ HANDOFF_FRAME_ANCESTORS: 'self https://intranet.example.com' }).frameAncestors).toEqual([
      "'self'",
      'https://intranet.example.com',
    ]);
  });
});
