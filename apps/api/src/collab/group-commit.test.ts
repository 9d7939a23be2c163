import { describe, expect, it } from 'vitest';
import { createGroupCommit, type LogEntry } from './group-commit.ts';

const entry = (n: number): LogEntry => ({ docId: `d${n % 3}`, update: new Uint8Array([n]), userId: null });

describe('group commit', () => {
  it('writes what arrives while a write is in flight as one batch, in order, and resolves each only after its write', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((r) => (release = r));
    const commits = createGroupCommit(async (entries) => {
      batches.push(entries.map((e) => e.update[0]!));
      if (batches.length === 1) await firstWrite;
    });
    const done: number[] = [];
    const first = commits.append(entry(0)).then(() => done.push(0));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const rest = Array.from({ length: 50 }, (_, i) => commits.append(entry(i + 1)).then(() => done.push(i + 1)));
    expect(done).toEqual([]);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[0], Array.from({ length: 50 }, (_, i) => i + 1)]);
    expect(done).toEqual(Array.from({ length: 51 }, (_, i) => i));
  });

  it('rejects every entry of a failed batch and keeps going', async () => {
    let fail = true;
    const commits = createGroupCommit(async () => {
      if (fail) throw new Error('disk full');
    });
    await expect(commits.append(entry(1))).rejects.toThrow('disk full');
    fail = false;
    await expect(commits.append(entry(2))).resolves.toBeUndefined();
    await expect(commits.barrier()).resolves.toBeUndefined();
  });
});
