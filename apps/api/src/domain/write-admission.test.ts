import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { WriteAdmission } from './write-admission.ts';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

describe('WriteAdmission', () => {
  it('runs one write at a time, serves people round-robin, and refuses past the queues with 429 / 503', async () => {
    const admission = new WriteAdmission({ concurrency: 1, queuePerUser: 2, queueTotal: 3 });
    const order: string[] = [];
    const first = gate();
    const running = admission.run('a', async () => {
      order.push('a0');
      await first.opened;
    });
    const queued = [
      admission.run('a', async () => void order.push('a1')),
      admission.run('a', async () => void order.push('a2')),
      admission.run('b', async () => void order.push('b1')),
    ];
    await expect(admission.run('a', async () => undefined)).rejects.toMatchObject({ kind: 'rate_limited', code: 'rate_limited' });
    const full = await admission.run('c', async () => undefined).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(DomainError);
    expect(full).toMatchObject({ kind: 'unavailable', code: 'unavailable', retryAfterSeconds: 2 });
    expect(admission.load).toEqual({ running: 1, waiting: 3 });
    first.open();
    await Promise.all([running, ...queued]);
    expect(order).toEqual(['a0', 'a1', 'b1', 'a2']);
    expect(admission.load).toEqual({ running: 0, waiting: 0 });
  });

  it('passes a failure through and goes on with the next write', async () => {
    const admission = new WriteAdmission();
    const failing = admission.run('a', async () => {
      throw new Error('boom');
    });
    const next = admission.run('a', async () => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
  });
});
