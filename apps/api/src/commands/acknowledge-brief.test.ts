import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { ownBrief } from '../domain/brief-store.ts';
import { acknowledgeBrief } from './acknowledge-brief.ts';
import { createBrief } from './create-brief.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('acknowledgeBrief', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('keeps the time of the first acknowledgement; someone else’s brief is a 404', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const row = (await createBrief(app.deps, ada))!;
    await clock.advance(1000);
    await acknowledgeBrief(app.deps, ada.id, row.id);
    const first = clock.now();
    await clock.advance(1000);
    await acknowledgeBrief(app.deps, ada.id, row.id);
    expect((await ownBrief(app.deps.db, ada.id, row.id))!.acknowledgedAt).toBe(first);
    await expect(acknowledgeBrief(app.deps, bob.id, row.id)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
