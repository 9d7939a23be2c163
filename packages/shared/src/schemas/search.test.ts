import { describe, expect, it } from 'vitest';
import { SearchQuerySchema, SearchResponseSchema } from './search.ts';

describe('SearchQuerySchema', () => {
  it('parses a query string', () => {
    expect(SearchQuerySchema.parse({ q: ' release plan ', spaceId: 's1', kind: 'page', limit: '5' })).toEqual({
      q: 'release plan',
      spaceId: 's1',
      kind: 'page',
      limit: 5,
    });
    expect(SearchQuerySchema.parse({ q: 'a' }).limit).toBe(50);
  });
  it('keeps search syntax and markup as text (escaping is the engine’s job)', () => {
    expect(SearchQuerySchema.parse({ q: '"foo" OR bar* <mark>x</mark> NEAR(a b)' }).q).toBe('"foo" OR bar* <mark>x</mark> NEAR(a b)');
  });
  it.each([[{}], [{ q: '' }], [{ q: '   ' }], [{ q: 'x'.repeat(501) }], [{ q: 'a\u0000' }], [{ q: 'a', kind: 'all' }], [{ q: 'a', limit: '0' }], [{ q: ['a', 'b'] }]])(
    'rejects %j',
    (query) => {
      expect(SearchQuerySchema.safeParse(query).success).toBe(false);
    },
  );
});

describe('SearchResponseSchema', () => {
  it('describes hits', () => {
    const response = {
      hits: [{ docId: 'd1', title: 'T', snippet: 'a <mark>b</mark>', spaceId: 's1', kind: 'page', updatedAt: '2025-01-01T00:00:00.000Z' }],
      total: 1,
      engine: 'sqlite',
    };
    expect(SearchResponseSchema.parse(response)).toEqual(response);
    expect(SearchResponseSchema.safeParse({ ...response, engine: 'elastic' }).success).toBe(false);
  });
});
