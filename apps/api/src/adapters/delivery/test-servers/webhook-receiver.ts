/**
 * A real webhook receiver for tests (issue 11): a `node:http` server on 127.0.0.1 that behaves like
 * a careful production receiver, so that the sender and the delivery job are tested against HTTP,
 * not against a mock.
 *
 * - Verifies `X-Handoff-Signature` over the raw body with `verifyWebhookSignature`; a bad signature
 *   is recorded (`signatureValid: false`) and answered 401.
 * - Records every delivery it processes. A repeated `Idempotency-Key` is recorded with
 *   `duplicate: true` and answered 200 without being processed again, as an idempotent receiver
 *   does; attempts it failed on purpose (below) are not processed, so their retry is not a duplicate.
 * - Fails on demand: `failNext('500', n)` answers 500 to the next n requests, `failNext('timeout', n)`
 *   never answers them (the socket is held until `stop()`), `failNext('refuse')` closes the
 *   listening socket so that connections are refused until `resume()` listens again on the same
 *   port. (A refused connection never reaches this process, so refusals cannot be counted: the
 *   test decides when to resume.)
 * - Reads at most 1 MiB of a body (413 beyond).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../webhook-sender.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  idempotencyKey: string | undefined;
  signatureValid: boolean;
  duplicate: boolean;
  receivedAt: Date;
}

export type WebhookFailureMode = '500' | 'timeout' | 'refuse';

export interface WebhookReceiver {
  url: string;
  port: number;
  /** The deliveries processed so far (including duplicates and bad signatures), oldest first. */
  deliveries(): ReceivedWebhook[];
  /** Every request that reached the server, including the ones failed on purpose. */
  attempts(): number;
  /** Makes the next `times` requests fail ('500', 'timeout'), or stops listening ('refuse'). */
  failNext(mode: WebhookFailureMode, times?: number): Promise<void>;
  /** Listens again on the same port after `failNext('refuse')`. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `secret`: the HMAC key the receiver verifies with; a function is asked at each request (a
 * person's secret exists only once her webhook is set).
 */
export async function startWebhookReceiver(options: { secret: string | (() => string) }): Promise<WebhookReceiver> {
  const { secret } = options;
  const secretNow = typeof secret === 'function' ? secret : () => secret;
  const received: ReceivedWebhook[] = [];
  const seenKeys = new Set<string>();
  const pendingFailures: Array<'500' | 'timeout'> = [];
  let attemptCount = 0;

  const server = createServer((request, response) => {
    attemptCount += 1;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) {
        response.writeHead(413).end();
        return;
      }
      const failure = pendingFailures.shift();
      if (failure === 'timeout') return; // hold the socket: the sender's deadline must fire
      if (failure === '500') {
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end('failing on purpose');
        return;
      }

      const rawBody = Buffer.concat(chunks).toString('utf8');
      const signatureValid = verifyWebhookSignature(secretNow(), request.headers, rawBody);
      const keyHeader = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
      const duplicate = signatureValid && idempotencyKey !== undefined && seenKeys.has(idempotencyKey);
      received.push({
        headers: request.headers,
        body: parseJson(rawBody),
        idempotencyKey,
        signatureValid,
        duplicate,
        receivedAt: new Date(),
      });
      if (!signatureValid) {
        response.writeHead(401, { 'Content-Type': 'text/plain' }).end('bad signature');
        return;
      }
      if (idempotencyKey !== undefined) seenKeys.add(idempotencyKey);
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end(duplicate ? 'already received' : 'ok');
    });
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    deliveries: () => [...received],
    attempts: () => attemptCount,
    async failNext(mode, times = 1) {
      if (mode === 'refuse') {
        await close();
        return;
      }
      for (let i = 0; i < times; i += 1) pendingFailures.push(mode);
    },
    async resume() {
      if (!server.listening) await listen(port);
    },
    stop: close,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
