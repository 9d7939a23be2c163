import { describe, expect, it } from 'vitest';
import { HealthResponseSchema } from './health.ts';
import { ImportMarkdownQuerySchema, ImportResultSchema } from './import.ts';

describe('ImportMarkdownQuerySchema', () => {
  it('needs a space', () => {
    expect(ImportMarkdownQuerySchema.parse({ spaceId: 's1' })).toEqual({ spaceId: 's1' });
    expect(ImportMarkdownQuerySchema.safeParse({}).success).toBe(false);
    expect(ImportMarkdownQuerySchema.safeParse({ spaceId: 's1', parentId: '../x' }).success).toBe(false);
  });
  it('ImportResult lists summaries', () => {
    expect(ImportResultSchema.parse({ docs: [] })).toEqual({ docs: [] });
  });
});

describe('HealthResponseSchema', () => {
  it('parses a health answer', () => {
    const health = { ok: true, db: 'ok', search: 'ok', llm: 'disabled', searchEngine: 'sqlite' };
    expect(HealthResponseSchema.parse(health)).toEqual(health);
    expect(HealthResponseSchema.safeParse({ ...health, db: 'fine' }).success).toBe(false);
  });
});
