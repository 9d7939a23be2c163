import { describe, expect, it } from 'vitest';
import { BriefSchema, CreateBriefRequestSchema, ReasonSchema } from './briefs.ts';

describe('CreateBriefRequestSchema', () => {
  it('accepts an empty body or a since', () => {
    expect(CreateBriefRequestSchema.parse({})).toEqual({});
    expect(CreateBriefRequestSchema.parse({ since: '2025-01-01T09:00:00+09:00' })).toEqual({ since: '2025-01-01T00:00:00.000Z' });
  });
  it.each([[{ since: 'last week' }], [{ since: 1735689600000 }], [{ since: '2025-01-01' }], [null]])('rejects %j', (body) => {
    expect(CreateBriefRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('BriefSchema', () => {
  const brief = {
    id: 'b1',
    userId: 'u1',
    since: '2025-01-01T00:00:00.000Z',
    until: '2025-01-02T00:00:00.000Z',
    writer: 'extractive',
    readingSeconds: 40,
    markdown: '- **ADR 1** accepted',
    items: [
      { docId: 'd1', title: 'ADR 1', spaceId: 's1', reasons: ['decision', 'watch'], fromRevision: 0, toRevision: 2, authors: ['u2'], summary: 'Accepted.' },
    ],
    omitted: 0,
  };
  it('parses a brief', () => {
    expect(BriefSchema.parse(brief)).toEqual(brief);
  });
  it('rejects unknown reasons and empty reason lists', () => {
    expect(ReasonSchema.safeParse('spam').success).toBe(false);
    expect(BriefSchema.safeParse({ ...brief, items: [{ ...brief.items[0], reasons: [] }] }).success).toBe(false);
    expect(BriefSchema.safeParse({ ...brief, writer: 'gpt' }).success).toBe(false);
  });
});
