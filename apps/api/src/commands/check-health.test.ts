import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { checkHealth } from './check-health.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('checkHealth', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('is ok when the database and the search engine answer', async () => {
    expect(await checkHealth(app.deps)).toEqual({ ok: true, db: 'ok', search: 'ok', searchEngine: app.deps.search.engine, llm: 'disabled' });
  });

  it('reports a search engine that does not answer in 2 s as down, and stays ok (only the database decides)', async () => {
    let asked!: () => void;
    const probed = new Promise<void>((resolve) => (asked = resolve));
    // The probe's timer is set before the engine is asked: once asked, time may move.
    const hanging = { engine: 'meilisearch' as const, health: () => (asked(), new Promise<boolean>(() => undefined)) };
    let settled = false;
    const pending = checkHealth({ ...app.deps, search: hanging }).finally(() => (settled = true));
    await probed;
    await clock.advance(1999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await pending).toMatchObject({ ok: true, db: 'ok', search: 'error', searchEngine: 'meilisearch' });
  });

  it('is not ok when the database fails', async () => {
    const broken = { client: { execute: () => Promise.reject(new Error('disk gone')) } } as unknown as typeof app.deps.database;
    expect(await checkHealth({ ...app.deps, database: broken })).toMatchObject({ ok: false, db: 'error' });
  });
});
