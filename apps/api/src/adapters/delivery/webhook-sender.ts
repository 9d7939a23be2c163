/**
 * Delivers a morning brief to a webhook (issue 11): one signed JSON POST per attempt.
 *
 * - The URL goes through the SSRF guard on every attempt, and the request connects to the address
 *   the guard checked (a `lookup` that answers with that address), so a DNS answer that changes
 *   between the check and the connection cannot reach a private address. The Host header and the
 *   TLS server name stay the URL's own host, so certificates and virtual hosts work as usual.
 * - Redirects are never followed (a 3xx is a permanent failure): following one would let a public
 *   URL send us to a private one, and a receiver that moved should have its URL updated.
 * - At most 64 KiB of the answer is read, then the connection is dropped: the body is not used,
 *   and a receiver must not be able to make us buffer without bound.
 * - One deadline covers the whole attempt (connect, TLS, answer, body).
 *
 * Signature: `X-Handoff-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with the
 * timestamp in `X-Handoff-Timestamp` (unix seconds), as Stripe and Slack sign theirs: the receiver
 * recomputes it over the raw bytes and refuses stale timestamps, which stops replays.
 * `verifyWebhookSignature` is that receiver side, shared with the test receiver and documentation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { SendResult, WebhookPoster } from '../../domain/delivery-ports.ts';
import { failure } from './send-result.ts';
import { checkWebhookUrl, type HostLookup } from './ssrf-guard.ts';

export interface WebhookSenderOptions {
  /** HANDOFF_WEBHOOK_ALLOW_PRIVATE: accept http: and private addresses (tests, private chat servers). */
  allowPrivate: boolean;
  /** The deadline of one attempt, 10 s by default. */
  timeoutMs?: number;
  /** Replaces DNS resolution, for tests (see ssrf-guard.ts). */
  lookup?: HostLookup;
}


const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const SIGNATURE_VERSION = 'v1';
/** The hex HMAC-SHA256 that `X-Handoff-Signature` carries (after `v1=`). */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

/** Request headers as node's `IncomingMessage.headers` or a fetch `Headers` object hold them. */
type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  // node lower-cases header names; a hand-built object may not.
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a received webhook the way a receiver should: the signature over the RAW body (not a
 * re-serialized one) compared in constant time, and a timestamp no further than
 * `toleranceSeconds` (300 by default) from now in either direction.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: HeaderSource,
  rawBody: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const timestampText = headerValue(headers, 'x-handoff-timestamp');
  const signatureText = headerValue(headers, 'x-handoff-signature');
  if (timestampText === undefined || signatureText === undefined || !/^\d{1,12}$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;

  const expected = Buffer.from(`${SIGNATURE_VERSION}=${signWebhook(secret, timestamp, rawBody)}`);
  const received = Buffer.from(signatureText);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookPoster {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async send(delivery) {
      const check = await checkWebhookUrl(delivery.url, { allowPrivate: options.allowPrivate, lookup: options.lookup });
      if (!check.ok) return failure(!check.temporary, `webhook URL refused: ${check.reason}`);

      const rawBody = JSON.stringify(delivery.body);
      const headers = {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(rawBody)),
        'User-Agent': 'Handoff-Webhook/1',
        'Idempotency-Key': delivery.idempotencyKey,
        'X-Handoff-Timestamp': String(delivery.timestamp),
        'X-Handoff-Signature': `${SIGNATURE_VERSION}=${signWebhook(delivery.secret, delivery.timestamp, rawBody)}`,
      };
      return post(check.url, check.address, check.family, headers, rawBody, timeoutMs);
    },
  };
}

/** A `lookup` for `http.request` that answers every name with the address the guard checked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    // Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily), one otherwise.
    if (lookupOptions.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function post(
  url: URL,
  address: string,
  family: 4 | 6,
  headers: Record<string, string>,
  rawBody: string,
  timeoutMs: number,
): Promise<SendResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      resolve(result);
    };

    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request({
      method: 'POST',
      protocol: url.protocol,
      // The URL's own host (without IPv6 brackets): it becomes the Host header and the TLS server name.
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      lookup: pinnedLookup(address, family),
      // No connection pool: a pooled socket could outlive the address check it was opened under.
      agent: false,
    });

    const deadline = setTimeout(() => {
      settle(failure(false, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);

    request.on('error', (error: NodeJS.ErrnoException) => {
      // Every network failure is worth another attempt: refused or reset connections, unreachable
      // networks, and also certificate problems, which a receiver can fix between attempts (the
      // job gives up after its last attempt anyway).
      settle(failure(false, `${error.code ?? 'network error'}: ${error.message}`));
    });

    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const result = classifyStatus(status, response.statusMessage ?? '');
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) settle(result);
      });
      response.on('end', () => settle(result));
      // The status is known: a body cut short does not change what the receiver told us.
      response.on('error', () => settle(result));
    });

    request.end(rawBody);
  });
}

function classifyStatus(status: number, statusMessage: string): SendResult {
  const label = `HTTP ${status}${statusMessage ? ` ${statusMessage}` : ''}`;
  if (status >= 200 && status < 300) return { ok: true };
  if (status >= 300 && status < 400) return failure(true, `${label}: redirects are not followed`);
  if (status === 408 || status === 429 || status >= 500) return failure(false, label);
  return failure(true, label);
}
