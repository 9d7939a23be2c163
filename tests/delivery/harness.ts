import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTestApp, loadConfig, ManualClock, type TestApp } from '@handoff/api/testing';
import { startHttpServer, type RunningServer } from '@handoff/api/server';
import { startSmtpCapture, startWebhookReceiver, type SmtpCapture, type WebhookReceiver } from '@handoff/api/delivery-testing';
import { ApiClient, type Call, type Person } from '../api/client.ts';
import { freePort } from '../e2e/server.ts';

/*
 * The delivery world of the end-to-end delivery tests (issue 11): a real Handoff server listening
 * on a loopback port (HANDOFF_PUBLIC_URL is its address, so the links of an e-mail lead back to
 * it), a real libSQL file, the SMTP capture server as its own process (SMTP_URL), and real webhook
 * receivers; time is a ManualClock that the test moves, running the brief scheduler and the
 * delivery job at each step as the server's timers would.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const MAIL_FROM = 'Handoff Briefs <briefs@handoff.test>';

/** The API client over real HTTP (fetch to the listening server) instead of `app.request`. */
export class HttpClient extends ApiClient {
  constructor(
    t: TestApp,
    readonly base: string,
  ) {
    super(t);
  }

  override async call(method: string, path: string, opts: { token?: string | null; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Call> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: BodyInit | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.json);
    }
    const url = /^https?:/.test(path) ? path : `${this.base}${path}`;
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

/** A webhook receiver whose secret is set once the person's webhook (and so her secret) exists. */
export interface PersonalReceiver extends WebhookReceiver {
  secret: { value: string };
}

export async function startPersonalReceiver(): Promise<PersonalReceiver> {
  const secret = { value: 'not set yet' };
  const receiver = await startWebhookReceiver({ secret: () => secret.value });
  return Object.assign(receiver, { secret });
}

export interface WorkingHours {
  timezone?: string;
  workDays?: number[];
  workStart?: string;
  workEnd?: string;
  briefHour?: number;
  awayUntil?: string | null;
}

export class DeliveryWorld {
  private constructor(
    readonly t: TestApp,
    readonly api: HttpClient,
    readonly clock: ManualClock,
    readonly smtp: SmtpCapture,
    readonly server: RunningServer,
    readonly base: string,
    readonly mailDir: string,
  ) {}

  static async start(startIso: string, options: { webhookAllowPrivate?: boolean; webhookTimeoutMs?: number } = {}): Promise<DeliveryWorld> {
    const clock = new ManualClock(Date.parse(startIso));
    const mailDir = mkdtempSync(join(tmpdir(), 'handoff-mail-'));
    const smtp = await startSmtpCapture(mailDir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const t = await createTestApp({
      clock,
      startIndexer: false,
      config: {
        signup: 'open',
        port,
        publicUrl: base,
        delivery: {
          ...loadConfig({}).delivery,
          smtpUrl: smtp.url,
          mailFrom: MAIL_FROM,
          webhookAllowPrivate: options.webhookAllowPrivate ?? true,
          ...(options.webhookTimeoutMs ? { webhookTimeoutMs: options.webhookTimeoutMs } : {}),
        },
      },
    });
    const server = await startHttpServer(t.deps, t.app, { port, host: '127.0.0.1' });
    return new DeliveryWorld(t, new HttpClient(t, base), clock, smtp, server, base, mailDir);
  }

  get scheduler() {
    return this.t.deps.briefScheduler;
  }

  get delivery() {
    return this.t.deps.briefDelivery;
  }

  /** Signs a person up and sets her working hours (PATCH /api/me). */
  async person(handle: string, hours: WorkingHours & { name?: string } = {}): Promise<Person> {
    const { name, timezone = 'Europe/Berlin', ...rest } = hours;
    const who = await this.api.signup(handle, { timezone, ...(name ? { name } : {}) });
    if (Object.keys(rest).length) await this.patchMe(who, rest);
    return who;
  }

  async patchMe(who: Person, body: Record<string, unknown>) {
    const res = await this.api.patch('/api/me', body, who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.user as { delivery: { email: boolean; webhookUrl: string | null } } & Record<string, unknown>;
  }

  /** Turns both channels on: e-mail, and a webhook to a receiver of her own that knows her secret. */
  async bothChannels(who: Person): Promise<PersonalReceiver> {
    const receiver = await startPersonalReceiver();
    await this.patchMe(who, { delivery: { email: true, webhookUrl: receiver.url } });
    receiver.secret.value = await this.webhookSecret(who);
    return receiver;
  }

  async webhookSecret(who: Person): Promise<string> {
    const res = await this.api.get('/api/me/delivery', who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(typeof res.body.webhookSecret).toBe('string');
    return res.body.webhookSecret as string;
  }

  /** Both jobs, as the server's timers run them at the clock's now. */
  async runJobs() {
    const built = await this.scheduler.runDue();
    const sent = await this.delivery.runDue();
    return { built, ...sent };
  }

  /** Moves the clock on by one minute (running its timers) and runs both jobs. */
  async minute() {
    await this.clock.advance(MINUTE);
    return this.runJobs();
  }

  /** How many messages the SMTP capture server has stored (cheap: a directory listing). */
  mailCount(): number {
    return readdirSync(this.mailDir).filter((n) => n.endsWith('.eml')).length;
  }

  async close() {
    await this.server.close();
    await this.smtp.stop();
    await this.t.close();
    rmSync(this.mailDir, { recursive: true, force: true });
  }
}

/** "HH:MM" and weekday of an instant in a zone. */
export function localTime(zone: string, ms: number): { hm: string; weekday: number; date: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { hm: `${parts.hour}:${parts.minute}`, weekday, date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Checks `X-Handoff-Signature: v1=<hex HMAC-SHA256(secret, "<X-Handoff-Timestamp>.<raw body>")>` (the documented scheme). */
export function signedWith(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string): boolean {
  const timestamp = headers['x-handoff-timestamp'];
  const signature = headers['x-handoff-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  return signature === `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}
