import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, createServerApp, loadConfig, ManualClock, type TestApp } from '@handoff/api/testing';
import { startHttpServer, type RunningServer } from '@handoff/api/server';
import { startSmtpCapture, type SmtpCapture } from '@handoff/api/delivery-testing';
import type { Person } from '../api/client.ts';
import { HttpClient, MAIL_FROM, MINUTE, startPersonalReceiver, type PersonalReceiver } from './harness.ts';

/*
 * Restart safety (issue 11): "kill the server between built and sent". A real Handoff server runs
 * as a child process (crash-child.ts) on the test's database file, builds the 08:00 briefs of three
 * readers in Berlin (both channels on), and is killed with SIGKILL:
 *
 * 1. Tuesday: right after the briefs and their pending deliveries are stored, before any send. A
 *    fresh server on the same file then delivers each brief exactly once per channel.
 * 2. Wednesday: while it is sending. Every e-mail meets a temporary SMTP error (451), so none is
 *    accepted before the crash; Ana's webhook reached her receiver and was processed, but the answer never
 *    came back (a proxy in front of the receiver holds it); Ben's and Chloé's receivers hold the
 *    requests without processing them. The rows are left `sending`, leased for two minutes. A
 *    fresh server sends nothing while the lease holds, then sends each again with the same
 *    Idempotency-Key: Ana's receiver recognises the repeat (duplicate, not processed twice), Ben
 *    and Chloé get theirs once, and each reader gets one e-mail for the day.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const TUESDAY_0800 = '2026-03-10T07:00:00.000Z'; // 08:00 in Berlin
const WEDNESDAY_0800 = '2026-03-11T07:00:00.000Z';

/** A proxy in front of a receiver: passes requests on, and in `hold` mode keeps the receiver's answer from the sender. */
class AnswerHoldingProxy {
  hold = false;
  forwarded = 0;
  url = '';
  private readonly server: Server;

  private constructor(target: URL) {
    this.server = createServer((req, res) => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          this.forwarded++;
          if (this.hold) return; // the receiver processed it; the sender never hears back
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
        });
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
  }

  static async start(target: string): Promise<AnswerHoldingProxy> {
    const proxy = new AnswerHoldingProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}/hook`;
    return proxy;
  }

  stop() {
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

interface Reader {
  handle: string;
  person: Person;
  receiver: PersonalReceiver;
}

let dir: string;
let dbPath: string;
let smtp: SmtpCapture;
let db: Client;
let proxy: AnswerHoldingProxy;
const readers: Reader[] = [];
const children: ChildProcess[] = [];

const env = () => ({
  HANDOFF_LOG_LEVEL: 'silent',
  DATABASE_URL: `file:${dbPath}`,
  SMTP_URL: smtp.url,
  HANDOFF_MAIL_FROM: MAIL_FROM,
  HANDOFF_WEBHOOK_ALLOW_PRIVATE: '1',
  HANDOFF_WEBHOOK_TIMEOUT_MS: '60000',
  HANDOFF_SIGNUP: 'open',
  HANDOFF_PUBLIC_URL: 'http://handoff.test',
});

/** A Handoff server in this process on the database file, with a ManualClock at `at`. */
async function openServer(at: string): Promise<{ api: HttpClient; clock: ManualClock; deps: TestApp['deps']; server: RunningServer; close(): Promise<void> }> {
  const clock = new ManualClock(Date.parse(at));
  const deps = await createDeps(loadConfig(env()), { clock });
  const app = createServerApp(deps);
  const server = await startHttpServer(deps, app, { port: 0, host: '127.0.0.1' });
  const api = new HttpClient({ app, deps } as unknown as TestApp, `http://127.0.0.1:${server.port}`);
  return {
    api,
    clock,
    deps,
    server,
    async close() {
      await server.close();
      deps.database.close();
    },
  };
}

/** Starts crash-child.ts on the database file at `at`; resolves once it has built the briefs. */
async function startChild(at: string, deliver: boolean): Promise<{ child: ChildProcess; built: number; delivering: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'crash-child.ts')], {
    cwd: HERE,
    env: { ...process.env, ...env(), HANDOFF_CHILD_NOW: at, HANDOFF_CHILD_DELIVER: deliver ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  let markDelivering: () => void = () => {};
  const delivering = new Promise<void>((resolve) => (markDelivering = resolve));
  const built = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`crash-child exited (${code ?? signal}) before it was ready`)));
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { ready?: boolean; built?: number; delivering?: boolean };
      if (message.ready) resolve(message.built!);
      if (message.delivering) markDelivering();
    });
  });
  return { child, built, delivering };
}

async function kill9(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function until(what: string, check: () => Promise<boolean> | boolean, state: () => Promise<unknown>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await state())}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const rows = async (localDate: string) =>
  (
    await db.execute({
      sql: `SELECT u.handle, d.channel, d.status, d.attempts, d.id FROM deliveries d JOIN users u ON u.id = d.user_id WHERE d.local_date = ? ORDER BY u.handle, d.channel`,
      args: [localDate],
    })
  ).rows.map((r) => ({ handle: String(r.handle), channel: String(r.channel), status: String(r.status), attempts: Number(r.attempts), id: String(r.id) }));

const mailsTo = async (address: string) =>
  (await smtp.messages()).filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === address)));

const firstWebhook = (r: Reader) => r.receiver.deliveries()[0];

let tuesdayBuilt = 0;
let tuesdayBeforeRestart: Array<{ handle: string; channel: string; status: string }> = [];
let tuesdayAfter: Awaited<ReturnType<typeof rows>> = [];
let wednesdayBuilt = 0;
let wednesdayAtKill: Awaited<ReturnType<typeof rows>> = [];
let anaAtKill: boolean[] = [];
let wednesdayMailsAtKill = -1;
let sentWhileLeased = -1;
let wednesdayAfter: Awaited<ReturnType<typeof rows>> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-restart-'));
  dbPath = join(dir, 'handoff.db');
  smtp = await startSmtpCapture(join(dir, 'mail'));
  db = createClient({ url: `file:${dbPath}` });

  // Monday evening: the people and their settings, through a server that is then shut down.
  const setup = await openServer('2026-03-09T18:00:00Z');
  await setup.api.signup('ops', { timezone: 'Pacific/Kiritimati' });
  for (const handle of ['ana', 'ben', 'chloe']) {
    const person = await setup.api.signup(handle, { timezone: 'Europe/Berlin' });
    const receiver = await startPersonalReceiver();
    let url = receiver.url;
    if (handle === 'ana') {
      proxy = await AnswerHoldingProxy.start(receiver.url);
      url = proxy.url;
    }
    const res = await setup.api.patch('/api/me', { workStart: '08:00', workEnd: '17:00', briefHour: 8, delivery: { email: true, webhookUrl: url } }, person.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    receiver.secret.value = (await setup.api.get('/api/me/delivery', person.token)).body.webhookSecret;
    readers.push({ handle, person, receiver });
  }
  const space = await setup.api.space(readers[0]!.person, 'Team');
  await setup.api.doc(readers[0]!.person, space, 'Plan', 'Something new for everyone.');
  await setup.close();

  // 1. Tuesday 08:00: built, then killed before any send.
  const first = await startChild(TUESDAY_0800, false);
  tuesdayBuilt = first.built;
  tuesdayBeforeRestart = (await rows('2026-03-10')).filter((r) => r.handle !== 'ops');
  await kill9(first.child);
  const afterFirst = await openServer(TUESDAY_0800);
  for (let i = 0; i < 10; i++) {
    await afterFirst.deps.briefScheduler.runDue();
    await afterFirst.deps.briefDelivery.runDue();
    await afterFirst.clock.advance(MINUTE);
  }
  tuesdayAfter = await rows('2026-03-10');
  await afterFirst.close();

  // 2. Wednesday 08:00: killed while sending.
  await smtp.setMode({ rcpt: Object.fromEntries(readers.map((r) => [r.person.email, 451])) });
  proxy.hold = true;
  proxy.forwarded = 0;
  await readers[1]!.receiver.failNext('timeout');
  await readers[2]!.receiver.failNext('timeout');
  const second = await startChild(WEDNESDAY_0800, true);
  wednesdayBuilt = second.built;
  await second.delivering;
  await until('the webhooks to be in flight', async () => {
    const now = await rows('2026-03-11');
    return (
      proxy.forwarded === 1 &&
      readers[1]!.receiver.attempts() === 2 &&
      readers[2]!.receiver.attempts() === 2 &&
      now.length === 6 &&
      now.every((r) => r.attempts === 1 && (r.channel === 'email' ? r.status !== 'sent' : r.status === 'sending'))
    );
  }, async () => ({ rows: await rows('2026-03-11'), forwarded: proxy.forwarded, attempts: readers.map((r) => r.receiver.attempts()) }));
  wednesdayAtKill = await rows('2026-03-11');
  anaAtKill = readers[0]!.receiver.deliveries().map((d) => d.duplicate);
  wednesdayMailsAtKill = (await smtp.messages()).length - 3;
  await kill9(second.child);
  proxy.hold = false;
  await smtp.setMode({});

  const afterSecond = await openServer(WEDNESDAY_0800);
  // Within the two-minute lease: the webhooks are not sent again yet.
  await afterSecond.clock.advance(MINUTE);
  await afterSecond.deps.briefScheduler.runDue();
  const webhooksSeen = () => readers.reduce((n, r) => n + r.receiver.deliveries().length, 0);
  const seenBefore = webhooksSeen();
  await afterSecond.deps.briefDelivery.runDue();
  sentWhileLeased = webhooksSeen() - seenBefore;
  for (let i = 0; i < 10; i++) {
    await afterSecond.clock.advance(MINUTE);
    await afterSecond.deps.briefScheduler.runDue();
    await afterSecond.deps.briefDelivery.runDue();
  }
  wednesdayAfter = await rows('2026-03-11');
  await afterSecond.close();
}, 180_000);

afterAll(async () => {
  for (const child of children) await kill9(child);
  for (const r of readers) await r.receiver.stop();
  await proxy?.stop();
  db?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('killed between "built" and "sent", before any send', () => {
  it('had stored the briefs and their pending deliveries when it was killed', () => {
    expect(tuesdayBuilt).toBeGreaterThanOrEqual(3);
    expect(tuesdayBeforeRestart.map((r) => `${r.handle} ${r.channel} ${r.status}`)).toEqual([
      'ana email pending',
      'ana webhook pending',
      'ben email pending',
      'ben webhook pending',
      'chloe email pending',
      'chloe webhook pending',
    ]);
  });

  it('a fresh server delivers each brief exactly once per channel', async () => {
    expect(tuesdayAfter.filter((r) => r.handle !== 'ops').map((r) => `${r.handle} ${r.channel} ${r.status} ${r.attempts}`)).toEqual([
      'ana email sent 1',
      'ana webhook sent 1',
      'ben email sent 1',
      'ben webhook sent 1',
      'chloe email sent 1',
      'chloe webhook sent 1',
    ]);
    for (const r of readers) {
      const hook = firstWebhook(r)!;
      expect(hook.idempotencyKey).toBe(tuesdayAfter.find((x) => x.handle === r.handle && x.channel === 'webhook')!.id);
      expect(hook.signatureValid).toBe(true);
      expect(hook.duplicate).toBe(false);
    }
  });
});

describe('killed while sending', () => {
  it('had left the webhooks `sending` (Ana\'s processed by her receiver, unanswered) and no e-mail accepted', async () => {
    expect(wednesdayBuilt).toBeGreaterThanOrEqual(3);
    const byKey = Object.fromEntries(wednesdayAtKill.map((r) => [`${r.handle} ${r.channel}`, `${r.status} ${r.attempts}`]));
    // An e-mail refused with 451 is either put back (`pending`) or, when the job records a batch's
    // outcomes together and the batch never finished, still `sending`: unsent either way.
    const unsent = expect.stringMatching(/^(pending|sending) 1$/);
    expect(byKey).toEqual({
      'ana email': unsent,
      'ana webhook': 'sending 1',
      'ben email': unsent,
      'ben webhook': 'sending 1',
      'chloe email': unsent,
      'chloe webhook': 'sending 1',
    });
    expect(wednesdayMailsAtKill).toBe(0);
    expect(anaAtKill).toEqual([false, false]); // Tuesday's, and Wednesday's first attempt, both processed
  });

  it('sends nothing again while the lease of the dead server holds', () => {
    expect(sentWhileLeased).toBe(0);
  });

  it('after the lease: each webhook processed once (the repeat to Ana flagged duplicate), one e-mail per reader per day', async () => {
    expect(wednesdayAfter.filter((r) => r.handle !== 'ops').map((r) => `${r.handle} ${r.channel} ${r.status} ${r.attempts}`)).toEqual([
      'ana email sent 2',
      'ana webhook sent 2',
      'ben email sent 2',
      'ben webhook sent 2',
      'chloe email sent 2',
      'chloe webhook sent 2',
    ]);
    const wednesdayKey = (handle: string) => wednesdayAfter.find((x) => x.handle === handle && x.channel === 'webhook')!.id;
    const ana = readers[0]!.receiver.deliveries().filter((d) => d.idempotencyKey === wednesdayKey('ana'));
    expect(ana.map((d) => d.duplicate)).toEqual([false, true]);
    for (const r of readers.slice(1)) {
      const wednesday = r.receiver.deliveries().filter((d) => d.idempotencyKey === wednesdayKey(r.handle));
      expect(wednesday.map((d) => d.duplicate)).toEqual([false]);
      expect(wednesday[0]!.signatureValid).toBe(true);
    }
    for (const r of readers) {
      const processed = r.receiver.deliveries().filter((d) => !d.duplicate);
      expect(new Set(processed.map((d) => d.idempotencyKey)).size).toBe(processed.length);
      expect(processed).toHaveLength(2); // Tuesday and Wednesday, once each
      const mails = await mailsTo(r.person.email);
      expect(mails.map((m) => m.messageId)).toHaveLength(2);
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);
    }
  });
});
