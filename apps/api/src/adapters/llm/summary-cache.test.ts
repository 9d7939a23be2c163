import { describe, expect, it } from 'vitest';
import { MemorySummaryCache, summaryCacheKey } from './summary-cache.ts';

describe('MemorySummaryCache', () => {
  const entry = (summary: string) => ({ summary, sources: ['doc-a'] });

  it('keys by writer version, document and both revisions', () => {
    const keys = new Set([
      summaryCacheKey('m+p1', 'doc-a', 1, 2),
      summaryCacheKey('m+p2', 'doc-a', 1, 2),
      summaryCacheKey('m+p1', 'doc-b', 1, 2),
      summaryCacheKey('m+p1', 'doc-a', 0, 2),
      summaryCacheKey('m+p1', 'doc-a', 1, 3),
      summaryCacheKey('m+p1', 'doc-a1', 2, 3),
    ]);
    expect(keys.size).toBe(6);
  });

  it('evicts the least recently used entry beyond its capacity', async () => {
    const cache = new MemorySummaryCache(2);
    await cache.set('a', entry('A'));
    await cache.set('b', entry('B'));
    expect(await cache.get('a')).toEqual(entry('A'));
    await cache.set('c', entry('C'));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toEqual(entry('A'));
    expect(await cache.get('c')).toEqual(entry('C'));
    expect(cache.size).toBe(2);
    await cache.set('c', entry('C2'));
    expect(await cache.get('c')).toEqual(entry('C2'));
    expect(cache.size).toBe(2);
  });
});
