import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BriefEmail } from '../../domain/delivery-ports.ts';
import { createSmtpMailer, type SmtpMailer } from './email-sender.ts';
import { startSmtpCapture, type SmtpCapture } from './testing.ts';

let dir: string;
let capture: SmtpCapture;
let mailer: SmtpMailer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-smtp-'));
  capture = await startSmtpCapture(dir);
  mailer = createSmtpMailer({ smtpUrl: capture.url, from: 'Handoff <brief@handoff.test>' });
}, 30_000);

afterAll(async () => {
  mailer?.close();
  await capture?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await capture.setMode({});
});

function message(overrides: Partial<BriefEmail> = {}): BriefEmail {
  return {
    to: 'ana@example.com',
    subject: 'Your morning brief: 3 changes — “Runbook” & more',
    text: 'Good morning Ana.\n\n1. Runbook v2 changed.\n',
    html: '<p>Good morning Ana.</p><ol><li><a href="https://handoff.test/d/1">Runbook v2</a> changed.</li></ol>',
    messageId: 'brief-2026-05-04-ana.1',
    listUnsubscribeUrl: `https://handoff.test/unsubscribe?token=${'t'.repeat(120)}&channel=email`,
    ...overrides,
  };
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createSmtpMailer', () => {
  it('sends a multipart text + HTML message with a stable Message-ID and one-click unsubscribe headers', async () => {
    const sent = message();
    expect(await mailer.send(sent)).toEqual({ ok: true });

    const received = (await capture.messages()).at(-1)!;
    expect(received.subject).toBe(sent.subject);
    expect(received.from?.value).toEqual([{ address: 'brief@handoff.test', name: 'Handoff' }]);
    expect(received.to && !Array.isArray(received.to) && received.to.value).toEqual([
      { address: 'ana@example.com', name: '' },
    ]);
    expect(received.text).toBe(sent.text);
    expect(received.html).toBe(sent.html);
    expect(received.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(received.messageId).toBe('<brief-2026-05-04-ana.1@handoff>');
    // mailparser reads List-* headers into objects; the raw lines are what clients act on.
    const rawHeaders = Object.fromEntries(received.headerLines.map(({ key, line }) => [key, line]));
    expect(unfold(rawHeaders['list-unsubscribe'])).toBe(`List-Unsubscribe: <${sent.listUnsubscribeUrl}>`);
    expect(rawHeaders['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(received.headers.get('list')).toMatchObject({ unsubscribe: { url: sent.listUnsubscribeUrl } });
  });

  it('keeps the Message-ID of a delivery across attempts', async () => {
    await mailer.send(message({ messageId: 'same-delivery' }));
    await mailer.send(message({ messageId: 'same-delivery' }));

    const ids = (await capture.messages()).slice(-2).map((received) => received.messageId);
    expect(ids).toEqual(['<same-delivery@handoff>', '<same-delivery@handoff>']);
  });

  it('reports a recipient refused with 550 as permanent', async () => {
    await capture.setMode({ rcpt: { 'gone@example.com': 550 } });

    const result = await mailer.send(message({ to: 'gone@example.com' }));

    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(!result.ok && result.error).toContain('550');
  });

  it('reports a recipient deferred with 451 as temporary', async () => {
    await capture.setMode({ rcpt: { 'busy@example.com': 451 } });

    const result = await mailer.send(message({ to: 'busy@example.com' }));

    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(!result.ok && result.error).toContain('451');
  });

  it('reports a server that refuses connections as temporary', async () => {
    const offline = createSmtpMailer({
      smtpUrl: `smtp://127.0.0.1:${await closedPort()}`,
      from: 'brief@handoff.test',
      connectionTimeoutMs: 2000,
    });
    try {
      const result = await offline.send(message());
      expect(result).toMatchObject({ ok: false, permanent: false });
      expect(!result.ok && result.error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    } finally {
      offline.close();
    }
  });

  it('reports a server that never greets as temporary, within the greeting timeout', async () => {
    const silent = createServer(() => {
      /* accept and say nothing */
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const mute = createSmtpMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'brief@handoff.test', greetingTimeoutMs: 300 });
    try {
      const result = await mute.send(message());
      expect(result).toMatchObject({ ok: false, permanent: false });
    } finally {
      mute.close();
      silent.close();
      silent.unref();
    }
  });

  it('refuses a messageId that would break the header', async () => {
    const result = await mailer.send(message({ messageId: 'a>b@c' }));
    expect(result).toMatchObject({ ok: false, permanent: true });
  });

  it('refuses an unsubscribe URL that is not a web URL', async () => {
    const result = await mailer.send(message({ listUnsubscribeUrl: 'javascript:alert(1)' }));
    expect(result).toMatchObject({ ok: false, permanent: true });
  });
});

/** Undoes header folding (CRLF followed by white space), which a long URL may get. */
function unfold(line: string | undefined): string | undefined {
  return line?.replace(/\r?\n[ \t]+/g, ' ');
}
