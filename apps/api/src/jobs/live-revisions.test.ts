import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { createLogger } from '../logger.ts';
import { createLiveRevisions } from './live-revisions.ts';

const MINUTE = 60_000;

/** Live revisions over a fake snapshot that records when (on the clock) each document's revision was asked for. */
function setup() {
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  const written: Array<[string, number]> = [];
  const live = createLiveRevisions({
    clock,
    log: createLogger('silent'),
    timings: { idleMs: 2 * MINUTE, maxMs: 10 * MINUTE },
    snapshot: async (docId) => {
      written.push([docId, clock.now() - Date.parse('2026-12-01T09:00:00Z')]);
      return { changed: true };
    },
  });
  return { clock, live, written };
}

describe('live revisions', () => {
  it('writes a revision after two idle minutes, counted from the latest edit', async () => {
    const { clock, live, written } = setup();
    live.edited('a');
    await clock.advance(MINUTE);
    live.edited('a'); // the idle time starts again
    await clock.advance(2 * MINUTE - 1);
    expect(written).toEqual([]);
    expect(live.pendingDocs()).toEqual(['a']);
    await clock.advance(1);
    expect(written).toEqual([['a', 3 * MINUTE]]);
    expect(live.pendingDocs()).toEqual([]);
  });

  it('writes one at least every ten minutes while edits keep coming, then starts over', async () => {
    const { clock, live, written } = setup();
    for (let minute = 0; minute < 12; minute++) {
      live.edited('a');
      await clock.advance(MINUTE);
    }
    // The cap at 10 min; the edits at 10 and 11 min wait for their own idle time (until 13 min).
    expect(written).toEqual([['a', 10 * MINUTE]]);
    await clock.advance(2 * MINUTE);
    expect(written).toEqual([
      ['a', 10 * MINUTE],
      ['a', 13 * MINUTE],
    ]);
  });

  it('writes at once when the last editor leaves, and nothing for a document without pending edits', async () => {
    const { clock, live, written } = setup();
    live.edited('a');
    live.edited('b');
    live.editorsLeft('a');
    live.editorsLeft('c');
    // Without the clock moving: the snapshot starts in an event-loop turn of its own.
    await vi.waitFor(() => expect(written).toEqual([['a', 0]]));
    expect(live.pendingDocs()).toEqual(['b']);
    await clock.advance(10 * MINUTE);
    expect(written).toEqual([
      ['a', 0],
      ['b', 2 * MINUTE],
    ]);
  });

  it('writes every pending revision when stopped, and takes no edits after', async () => {
    const { clock, live, written } = setup();
    live.edited('a');
    live.edited('b');
    await live.stop();
    expect(written.map(([doc]) => doc).sort()).toEqual(['a', 'b']);
    live.edited('c');
    expect(live.pendingDocs()).toEqual([]);
    expect(clock.pending).toBe(0); // no timer left behind
  });
});
