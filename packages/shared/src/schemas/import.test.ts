import { describe, expect, it } from 'vitest';
import { HealthResponseSchema } from './health.ts';
import { ImportMarkdownQuerySchema, ImportResultSchema } from './import.ts';

describe('ImportMarkdownQuerySchema', () => {
  it('needs a space', () => {
    expect(ImportMarkdownQuerySchema.parse({ spaceId: 's1' })).toEqual({ spaceId: 's1' });
    expect(ImportMarkdownQuerySchema.safeParse({}).success).toBe(false);
    expect(ImportMarkdownQuerySchema.safeParse({ spaceId: 's1', parentId: '../x' }).success).toBe(false);
  });
  it('ImportResult lists summaries and warnings', () => {
    expect(ImportResultSchema.parse({ docs: [], warnings: [] })).toEqual({ docs: [], warnings: [] });
    const warning = { file: 'a/b.md', code: 'unknown_owners', message: 'Nobody.', values: ['ghost'] };
    expect(ImportResultSchema.parse({ docs: [], warnings: [warning] }).warnings).toEqual([warning]);
    expect(ImportResultSchema.safeParse({ docs: [], warnings: [{ ...warning, code: 'other' }] }).success).toBe(false);
  });
});

describe('HealthResponseSchema', () => {
  it('parses a health answer', () => {
    const health = { ok: true, db: 'ok', search: 'ok', llm: 'disabled', searchEngine: 'sqlite' };
    expect(HealthResponseSchema.parse(health)).toEqual(health);
    expect(HealthResponseSchema.safeParse({ ...health, db: 'fine' }).success).toBe(false);
  });
});
