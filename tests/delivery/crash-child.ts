/**
 * A Handoff server process for the restart-safety test (tests/delivery/restart-safety.test.ts),
 * killed with SIGKILL by the test between "built" and "sent".
 *
 * It builds the real dependencies from the environment (DATABASE_URL of the test's database file,
 * SMTP_URL, HANDOFF_WEBHOOK_ALLOW_PRIVATE=1, …) with a ManualClock standing at HANDOFF_CHILD_NOW,
 * listens on a loopback port, runs the brief scheduler once (briefs and their pending deliveries
 * are stored), prints `{"ready":true,"built":N,"port":P}`, and then either waits (the crash comes
 * before any send) or, with HANDOFF_CHILD_DELIVER=1, starts the delivery job and prints
 * `{"delivering":true}` (the test kills it while sends are in flight). It never exits by itself.
 */
import { createDeps, createServerApp, loadConfig, ManualClock } from '@handoff/api/testing';
import { startHttpServer } from '@handoff/api/server';

const now = Date.parse(process.env.HANDOFF_CHILD_NOW ?? '');
if (Number.isNaN(now)) throw new Error('HANDOFF_CHILD_NOW must be an ISO time');
const clock = new ManualClock(now);
const deps = await createDeps(loadConfig(process.env), { clock });
const server = await startHttpServer(deps, createServerApp(deps), { port: 0, host: '127.0.0.1' });
const built = await deps.briefScheduler.runDue();
process.stdout.write(`${JSON.stringify({ ready: true, built, port: server.port })}\n`);
if (process.env.HANDOFF_CHILD_DELIVER === '1') {
  void deps.briefDelivery.runDue();
  process.stdout.write(`${JSON.stringify({ delivering: true })}\n`);
}
setInterval(() => {}, 60_000);
