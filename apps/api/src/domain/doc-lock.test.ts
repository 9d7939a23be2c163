import { describe, expect, it } from 'vitest';
import { KeyedLock } from './doc-lock.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedLock', () => {
  it('runs work on one key one at a time, in order, and keys in parallel', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const job = (key: string, n: number) =>
      lock.run(key, async () => {
        log.push(`start ${key}${n}`);
        await tick();
        log.push(`end ${key}${n}`);
      });
    await Promise.all([job('a', 1), job('a', 2), job('b', 1)]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('keeps going after a failure', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('k', async () => 42)).resolves.toBe(42);
  });
});
