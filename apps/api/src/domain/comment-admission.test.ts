import { describe, expect, it } from 'vitest';
import { admitCommentWrite, CommentAdmission } from './comment-admission.ts';

const ok = async () => 'stored';

describe('CommentAdmission', () => {
  it('lets a person write a burst of `perUserPerMinute`, then one each 60/n seconds, with 429 and Retry-After between', async () => {
    const admission = new CommentAdmission({ perUserPerMinute: 3, queuePerUser: 8, queueTotal: 64 });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) await expect(admission.run('ada', t0, ok)).resolves.toBe('stored');
    await expect(admission.run('ada', t0 + 1_000, ok)).rejects.toMatchObject({ kind: 'rate_limited', code: 'rate_limited', retryAfterSeconds: 19 });
    // Someone else is not held back by her.
    await expect(admission.run('bob', t0 + 1_000, ok)).resolves.toBe('stored');
    // One comment refills each 20 s (a refused attempt does not push that back).
    await expect(admission.run('ada', t0 + 20_000, ok)).resolves.toBe('stored');
    await expect(admission.run('ada', t0 + 21_000, ok)).rejects.toMatchObject({ kind: 'rate_limited' });
    // A quiet minute gives the whole burst back, never more.
    for (let i = 0; i < 3; i++) await expect(admission.run('ada', t0 + 10 * 60_000, ok)).resolves.toBe('stored');
    await expect(admission.run('ada', t0 + 10 * 60_000, ok)).rejects.toMatchObject({ kind: 'rate_limited' });
  });

  it('bounds the writes waiting per person (429) and in all (503)', async () => {
    const admission = new CommentAdmission({ perUserPerMinute: 1_000, queuePerUser: 1, queueTotal: 2 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = () => held.then(() => 'stored');
    // Four run at once; then one waits per person and two in all.
    const running = Array.from({ length: 4 }, () => admission.run('ada', 0, slow));
    const waiting = [admission.run('ada', 0, slow), admission.run('bob', 0, slow)];
    await expect(admission.run('ada', 0, slow)).rejects.toMatchObject({ kind: 'rate_limited' });
    await expect(admission.run('cy', 0, slow)).rejects.toMatchObject({ kind: 'unavailable' });
    release();
    await expect(Promise.all([...running, ...waiting])).resolves.toEqual(Array(6).fill('stored'));
  });

  it('keeps one admission per app (its database handle), with the configured limits', async () => {
    const clock = { now: () => 5_000 };
    const appA = { db: {}, clock, config: { limits: { commentWrites: { perUserPerMinute: 1, queuePerUser: 8, queueTotal: 64 } } } };
    const appB = { ...appA, db: {} };
    await expect(admitCommentWrite(appA, 'ada', ok)).resolves.toBe('stored');
    await expect(admitCommentWrite(appA, 'ada', ok)).rejects.toMatchObject({ kind: 'rate_limited' });
    await expect(admitCommentWrite(appB, 'ada', ok)).resolves.toBe('stored');
  });
});
