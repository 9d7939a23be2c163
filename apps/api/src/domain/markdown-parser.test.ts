import { afterAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '@handoff/shared/markdown';
import { MarkdownParser } from './markdown-parser.ts';

const parser = new MarkdownParser({ inlineBelow: 1024, timeoutMs: 1500 });
afterAll(() => parser.close());

/** Quadratic for micromark: runs into any short time limit. */
const hostile = '*a'.repeat(100_000);
const page = Array.from({ length: 300 }, (_, i) => `Paragraph ${i} with **bold** and a [link](/docs/x${i}).`).join('\n\n');

describe('MarkdownParser', () => {
  it('parses small input inline and large input in a worker, with the same tree', async () => {
    const small = '# Hi\n\nSome *text*.';
    expect(await parser.parse(small)).toEqual(parseMarkdown(small));
    expect(await parser.parse(page)).toEqual(parseMarkdown(page));
  });

  it('answers hostile input that would take too long with a 422 and keeps the event loop free', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    await expect(parser.parse(hostile)).rejects.toMatchObject({ kind: 'unprocessable' });
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(ticks).toBeGreaterThan(50);
    // The next parse gets a fresh worker.
    expect((await parser.parse('x'.repeat(2000))).type).toBe('root');
  });

  it('keeps one person’s hostile input from delaying another’s parse (one running per person, round-robin)', async () => {
    const pool = new MarkdownParser({ inlineBelow: 1024, timeoutMs: 3000, workers: 2, queuePerUser: 8 });
    try {
      const attack = Array.from({ length: 3 }, () => pool.parse(hostile, 'mallory').catch((e: unknown) => e));
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.load.running).toBe(1); // mallory holds one worker, not both
      const started = Date.now();
      expect((await pool.parse(page, 'ada')).type).toBe('root');
      expect(Date.now() - started).toBeLessThan(3000); // not behind even one of mallory's parses (each ≥ 3 s)
      const outcomes = await Promise.all(attack);
      for (const o of outcomes) expect(o).toMatchObject({ kind: 'unprocessable' });
    } finally {
      await pool.close();
    }
  }, 40_000);

  it('counts each parse’s budget while it runs, not while it waits', async () => {
    const pool = new MarkdownParser({ inlineBelow: 1024, timeoutMs: 1500, workers: 1 });
    try {
      const first = pool.parse(hostile, 'mallory').catch((e: unknown) => e);
      // Waits ~1.5 s for the only worker, then has its own full budget.
      const second = pool.parse(page, 'ada');
      expect(await first).toMatchObject({ kind: 'unprocessable' });
      expect((await second).type).toBe('root');
    } finally {
      await pool.close();
    }
  });

  it('bounds the queues: 429 past a person’s share, 503 past the total', async () => {
    const pool = new MarkdownParser({ inlineBelow: 1024, timeoutMs: 1500, workers: 1, queuePerUser: 2, queueTotal: 3 });
    try {
      const settled = [0, 1, 2].map(() => pool.parse(hostile, 'mallory').catch((e: unknown) => e)); // 1 running + 2 waiting
      await expect(pool.parse(hostile, 'mallory')).rejects.toMatchObject({ kind: 'rate_limited', code: 'rate_limited', retryAfterSeconds: 5 });
      const other = pool.parse(page, 'ada').catch((e: unknown) => e); // the third waiting: the total is full
      await expect(pool.parse(page, 'bob')).rejects.toMatchObject({ kind: 'unavailable', code: 'unavailable' });
      await pool.close();
      await Promise.all([...settled, other]);
    } finally {
      await pool.close();
    }
  });
});
