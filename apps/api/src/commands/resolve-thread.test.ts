import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createThread } from './create-thread.ts';
import { listThreads } from './list-threads.ts';
import { listWaiting } from './list-waiting.ts';
import { setThreadResolution } from './resolve-thread.ts';
import { ManualClock } from '../domain/clock.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('setThreadResolution', () => {
  let app: CommandTestApp;
  let clock: ManualClock;
  beforeEach(async () => void (app = await commandTestApp({ clock: (clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'))) })));
  afterEach(() => app.close());

  it('resolves (who and when), which clears "waiting on you", and reopens', async () => {
    const { ada, lena, space, doc } = await threadSetting(app);
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Ready?', ask: [lena.id] });
    await clock.advance(5_000);
    const resolved = await setThreadResolution(app.deps, ada, doc, thread, 'resolved');
    expect(resolved.thread).toMatchObject({ status: 'resolved', resolvedBy: ada.id, resolvedAt: clock.now() });
    expect((await listWaiting(app.deps, lena, [space.id])).threads).toEqual([]);
    expect(await listThreads(app.deps, doc, 'open')).toEqual([]);
    expect((await listThreads(app.deps, doc, 'resolved')).map((t) => t.thread.id)).toEqual([thread.id]);

    const reopened = await setThreadResolution(app.deps, lena, doc, resolved.thread, 'open');
    expect(reopened.thread).toMatchObject({ status: 'open', resolvedBy: null, resolvedAt: null });
    expect((await listWaiting(app.deps, lena, [space.id])).threads.map((t) => t.thread.id)).toEqual([thread.id]);
    expect((await app.outboxOf('thread.changed')).map((e) => e.change)).toEqual(['created', 'resolved', 'reopened']);
  });

  it('resolving a resolved thread changes nothing and emits nothing', async () => {
    const { ada, doc } = await threadSetting(app);
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Done?' });
    const once = await setThreadResolution(app.deps, ada, doc, thread, 'resolved');
    await clock.advance(1_000);
    const twice = await setThreadResolution(app.deps, ada, doc, once.thread, 'resolved');
    expect(twice.thread.resolvedAt).toBe(once.thread.resolvedAt);
    expect((await app.outboxOf('thread.changed')).map((e) => e.change)).toEqual(['created', 'resolved']);
  });
});
