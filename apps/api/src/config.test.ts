import { describe, expect, it } from 'vitest';
import { loadConfig, repoRoot, resolveDatabaseUrl } from './config.ts';

describe('configuration', () => {
  it('defaults to ./data/handoff.db at the repository root and port 3000', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe(`file:${repoRoot}/data/handoff.db`);
    expect(config.port).toBe(3000);
    expect(config.signup).toBe('invite');
  });

  it('reads the sign-up mode (invite-only after the first user by default) and rejects unknown ones', () => {
    expect(loadConfig({ HANDOFF_SIGNUP: 'open' }).signup).toBe('open');
    expect(loadConfig({ HANDOFF_SIGNUP: 'closed' }).signup).toBe('closed');
    expect(() => loadConfig({ HANDOFF_SIGNUP: 'yes' })).toThrow(/HANDOFF_SIGNUP/);
  });

  it('resolves relative file URLs against the directory the command was typed in', () => {
    expect(resolveDatabaseUrl('file:./x.db', '/home/me')).toBe('file:/home/me/x.db');
    expect(resolveDatabaseUrl('file:/abs/x.db', '/home/me')).toBe('file:/abs/x.db');
    expect(resolveDatabaseUrl('libsql://db.example.com', '/home/me')).toBe('libsql://db.example.com');
  });

  it('makes cookies secure behind an https public URL', () => {
    expect(loadConfig({ HANDOFF_PUBLIC_URL: 'https://wiki.example.com' }).secureCookies).toBe(true);
    expect(loadConfig({}).secureCookies).toBe(false);
  });

  it('reads the delivery settings: e-mail off without SMTP_URL, a default sender, private webhooks only when allowed', () => {
    expect(loadConfig({}).delivery).toEqual({ smtpUrl: null, mailFrom: 'Handoff <handoff@localhost>', webhookAllowPrivate: false, webhookTimeoutMs: 10_000 });
    const set = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.com:587', HANDOFF_MAIL_FROM: 'Brief <brief@example.com>', HANDOFF_WEBHOOK_ALLOW_PRIVATE: '1', HANDOFF_WEBHOOK_TIMEOUT_MS: '500' });
    expect(set.delivery).toEqual({ smtpUrl: 'smtp://u:p@mail.example.com:587', mailFrom: 'Brief <brief@example.com>', webhookAllowPrivate: true, webhookTimeoutMs: 500 });
    expect(loadConfig({ HANDOFF_WEBHOOK_ALLOW_PRIVATE: 'yes' }).delivery.webhookAllowPrivate).toBe(false);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: 'not a url' })).toThrow(/SMTP_URL/);
  });
});
