import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from './testing.ts';
import type { WebhookPost } from '../../domain/delivery-ports.ts';
import { createWebhookSender, signWebhook, verifyWebhookSignature } from './webhook-sender.ts';

const SECRET = 'whsec_test_secret';
const now = () => Math.floor(Date.now() / 1000);

let receiver: WebhookReceiver | undefined;
const servers: Server[] = [];

afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A bare HTTP server for the answers the receiver does not give (404, 302, a huge body). */
async function startServer(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function delivery(url: string, overrides: Partial<WebhookPost> = {}): WebhookPost {
  return {
    url,
    secret: SECRET,
    body: { type: 'brief', headline: 'Three changes', items: [{ title: 'Runbook <v2> & notes' }] },
    idempotencyKey: 'delivery-42',
    timestamp: now(),
    ...overrides,
  };
}

describe('createWebhookSender', () => {
  it('POSTs the signed JSON body with the idempotency key, and the receiver verifies it', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const sender = createWebhookSender({ allowPrivate: true });
    const sent = delivery(receiver.url);

    expect(await sender.send(sent)).toEqual({ ok: true });

    const [received] = receiver.deliveries();
    expect(received).toMatchObject({
      body: sent.body,
      idempotencyKey: 'delivery-42',
      signatureValid: true,
      duplicate: false,
    });
    expect(received?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Handoff-Webhook/1',
      'idempotency-key': 'delivery-42',
      'x-handoff-timestamp': String(sent.timestamp),
      'x-handoff-signature': `v1=${signWebhook(SECRET, sent.timestamp, JSON.stringify(sent.body))}`,
    });
  });

  it('fails the signature check when signed with another secret (401, permanent)', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const sender = createWebhookSender({ allowPrivate: true });

    const result = await sender.send(delivery(receiver.url, { secret: 'not-the-secret' }));

    expect(result).toMatchObject({ ok: false, permanent: true, error: 'HTTP 401 Unauthorized' });
    expect(receiver.deliveries()[0]?.signatureValid).toBe(false);
  });

  it('reports a 500 as temporary; the retry with the same key is delivered once, and a repeat is a duplicate', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const sender = createWebhookSender({ allowPrivate: true });
    await receiver.failNext('500', 1);

    expect(await sender.send(delivery(receiver.url))).toMatchObject({ ok: false, permanent: false });
    expect(await sender.send(delivery(receiver.url))).toEqual({ ok: true });
    expect(await sender.send(delivery(receiver.url))).toEqual({ ok: true });

    expect(receiver.attempts()).toBe(3);
    expect(receiver.deliveries().map((received) => received.duplicate)).toEqual([false, true]);
  });

  it('reports a receiver that never answers as temporary, within the deadline', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const sender = createWebhookSender({ allowPrivate: true, timeoutMs: 200 });
    await receiver.failNext('timeout', 1);

    const started = Date.now();
    const result = await sender.send(delivery(receiver.url));

    expect(result).toEqual({ ok: false, permanent: false, error: 'no answer within 200 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a refused connection as temporary, and delivers once the receiver listens again', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const sender = createWebhookSender({ allowPrivate: true });
    await receiver.failNext('refuse');

    const refused = await sender.send(delivery(receiver.url));
    expect(refused).toMatchObject({ ok: false, permanent: false });
    expect(!refused.ok && refused.error).toContain('ECONNREFUSED');

    await receiver.resume();
    expect(await sender.send(delivery(receiver.url))).toEqual({ ok: true });
  });

  it('reports a 404 as permanent, and 408/429 as temporary', async () => {
    const base = await startServer((request, response) => {
      response.writeHead(Number(request.url?.slice(1))).end();
    });
    const sender = createWebhookSender({ allowPrivate: true });

    expect(await sender.send(delivery(`${base}/404`))).toEqual({ ok: false, permanent: true, error: 'HTTP 404 Not Found' });
    expect(await sender.send(delivery(`${base}/408`))).toMatchObject({ ok: false, permanent: false });
    expect(await sender.send(delivery(`${base}/429`))).toMatchObject({ ok: false, permanent: false });
    expect(await sender.send(delivery(`${base}/503`))).toMatchObject({ ok: false, permanent: false });
  });

  it('does not follow a redirect, and reports it as permanent', async () => {
    let targetHits = 0;
    const target = await startServer((_request, response) => {
      targetHits += 1;
      response.writeHead(200).end();
    });
    const redirecting = await startServer((_request, response) => {
      response.writeHead(307, { Location: `${target}/hook` }).end();
    });
    const sender = createWebhookSender({ allowPrivate: true });

    const result = await sender.send(delivery(`${redirecting}/hook`));

    expect(result).toEqual({
      ok: false,
      permanent: true,
      error: 'HTTP 307 Temporary Redirect: redirects are not followed',
    });
    expect(targetHits).toBe(0);
  });

  it('stops reading a huge answer after 64 KiB', async () => {
    const base = await startServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      // Endless: the sender must drop the connection, not wait for the end.
      const pump = () => {
        while (response.write(chunk)) {
          /* fill the socket */
        }
      };
      response.on('drain', pump);
      response.on('close', () => response.off('drain', pump));
      pump();
    });
    const sender = createWebhookSender({ allowPrivate: true, timeoutMs: 5000 });

    expect(await sender.send(delivery(`${base}/hook`))).toEqual({ ok: true });
  });

  it('refuses a private address before connecting when private addresses are not allowed', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const sender = createWebhookSender({ allowPrivate: false });

    const result = await sender.send(delivery(receiver.url));

    expect(result).toEqual({ ok: false, permanent: true, error: 'webhook URL refused: only https: URLs are accepted' });
    expect(receiver.attempts()).toBe(0);
  });

  it('connects to the checked address while keeping the original Host header', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    let lookups = 0;
    const sender = createWebhookSender({
      allowPrivate: true,
      // Resolved once, by the guard; a second resolution (a rebinding chance) would be counted.
      lookup: async () => {
        lookups += 1;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });

    const result = await sender.send(delivery(`http://hooks.handoff.test:${receiver.port}/hook`));

    expect(result).toEqual({ ok: true });
    expect(lookups).toBe(1);
    expect(receiver.deliveries()[0]?.headers.host).toBe(`hooks.handoff.test:${receiver.port}`);
  });
});

describe('verifyWebhookSignature', () => {
  const rawBody = '{"hello":"world"}';
  const timestamp = 1_760_000_000;
  const headers = {
    'x-handoff-timestamp': String(timestamp),
    'x-handoff-signature': `v1=${signWebhook(SECRET, timestamp, rawBody)}`,
  };

  it('accepts the signature within the tolerance, from plain headers or a Headers object', () => {
    expect(verifyWebhookSignature(SECRET, headers, rawBody, { nowSeconds: timestamp + 10 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, new Headers(headers), rawBody, { nowSeconds: timestamp })).toBe(true);
    const mixedCase = { 'X-Handoff-Timestamp': headers['x-handoff-timestamp'], 'X-Handoff-Signature': headers['x-handoff-signature'] };
    expect(verifyWebhookSignature(SECRET, mixedCase, rawBody, { nowSeconds: timestamp })).toBe(true);
  });

  it('refuses another secret, a changed body, a stale timestamp and a missing header', () => {
    expect(verifyWebhookSignature('other', headers, rawBody, { nowSeconds: timestamp })).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, '{"hello":"World"}', { nowSeconds: timestamp })).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, rawBody, { nowSeconds: timestamp + 301 })).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, headers, rawBody, { nowSeconds: timestamp + 3600, toleranceSeconds: 7200 }),
    ).toBe(true);
    expect(verifyWebhookSignature(SECRET, { 'x-handoff-timestamp': String(timestamp) }, rawBody)).toBe(false);
  });
});
