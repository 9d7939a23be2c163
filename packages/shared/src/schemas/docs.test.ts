import { describe, expect, it } from 'vitest';
import {
  CreateDocRequestSchema,
  DiffQuerySchema,
  DiffResponseSchema,
  DocSchema,
  DocSummarySchema,
  GetDocQuerySchema,
  ListDocsQuerySchema,
  PatchDocRequestSchema,
  RevisionParamsSchema,
  RevisionSchema,
} from './docs.ts';

describe('CreateDocRequestSchema', () => {
  it('accepts a minimal page and fills defaults', () => {
    expect(CreateDocRequestSchema.parse({ spaceId: 's1', title: ' Onboarding ' })).toEqual({
      spaceId: 's1',
      title: 'Onboarding',
      kind: 'page',
    });
  });

  it('accepts a decision with defaults inside decision', () => {
    expect(
      CreateDocRequestSchema.parse({ spaceId: 's1', title: 'Use SQLite', kind: 'decision', decision: {}, parentId: null }),
    ).toEqual({
      spaceId: 's1',
      title: 'Use SQLite',
      kind: 'decision',
      parentId: null,
      decision: { status: 'proposed', owners: [] },
    });
  });

  it('dedupes owners and normalizes decidedAt to UTC', () => {
    const body = CreateDocRequestSchema.parse({
      spaceId: 's1',
      title: 'ADR 1',
      kind: 'decision',
      decision: { status: 'accepted', owners: ['u1', 'u2', 'u1'], decidedAt: '2025-03-01T12:00:00+02:00', supersedes: 'd0' },
    });
    expect(body.decision).toEqual({
      status: 'accepted',
      owners: ['u1', 'u2'],
      decidedAt: '2025-03-01T10:00:00.000Z',
      supersedes: 'd0',
    });
  });

  it('keeps Markdown as written, including hostile-looking HTML', () => {
    const markdown = '# Hi\n\n<script>alert(1)</script>\n\n@ada\r\n\ttab';
    expect(CreateDocRequestSchema.parse({ spaceId: 's1', title: 'x', markdown }).markdown).toBe(markdown);
  });

  it.each([
    ['missing title', { spaceId: 's1' }],
    ['empty title', { spaceId: 's1', title: '  ' }],
    ['long title', { spaceId: 's1', title: 'x'.repeat(301) }],
    ['NUL in title', { spaceId: 's1', title: 'a\u0000' }],
    ['newline in title', { spaceId: 's1', title: 'a\nb' }],
    ['NUL in markdown', { spaceId: 's1', title: 't', markdown: 'a\u0000b' }],
    ['lone surrogate in markdown', { spaceId: 's1', title: 't', markdown: 'a\uD800b' }],
    ['markdown too long', { spaceId: 's1', title: 't', markdown: 'x'.repeat(1_000_001) }],
    ['markdown not a string', { spaceId: 's1', title: 't', markdown: { root: {} } }],
    ['bad spaceId', { spaceId: '../etc', title: 't' }],
    ['missing spaceId', { title: 't' }],
    ['bad kind', { spaceId: 's1', title: 't', kind: 'folder' }],
    ['decision on a page', { spaceId: 's1', title: 't', decision: { status: 'accepted' } }],
    ['bad decision status', { spaceId: 's1', title: 't', kind: 'decision', decision: { status: 'done' } }],
    ['bad owner id', { spaceId: 's1', title: 't', kind: 'decision', decision: { owners: ['a b'] } }],
    ['too many owners', { spaceId: 's1', title: 't', kind: 'decision', decision: { owners: Array.from({ length: 51 }, (_, i) => `u${i}`) } }],
    ['bad decidedAt', { spaceId: 's1', title: 't', kind: 'decision', decision: { decidedAt: 'last week' } }],
    ['parentId wrong type', { spaceId: 's1', title: 't', parentId: 5 }],
  ])('rejects %s', (_, body) => {
    expect(CreateDocRequestSchema.safeParse(body).success).toBe(false);
  });

  it('accepts Markdown of exactly 1,000,000 characters', () => {
    expect(CreateDocRequestSchema.safeParse({ spaceId: 's1', title: 't', markdown: 'x'.repeat(1_000_000) }).success).toBe(true);
  });
});

describe('PatchDocRequestSchema', () => {
  it.each([
    [{ title: 'New' }],
    [{ markdown: '' }],
    [{ markdown: 'body', baseRevision: 3, message: 'Why: clarity' }],
    [{ decision: { status: 'superseded', supersedes: null } }],
    [{ decision: { decidedAt: null } }],
    [{ parentId: null }],
    [{ parentId: 'd2', message: 'move' }],
  ])('accepts %j', (body) => {
    expect(PatchDocRequestSchema.safeParse(body).success).toBe(true);
  });

  it('does not invent decision fields that were not sent', () => {
    expect(PatchDocRequestSchema.parse({ decision: { owners: ['u1'] } })).toEqual({ decision: { owners: ['u1'] } });
  });

  it.each([
    ['empty', {}],
    ['message only', { message: 'why' }],
    ['baseRevision only', { baseRevision: 2 }],
    ['unknown key', { title: 'x', content: {} }],
    ['unknown key in decision', { decision: { status: 'accepted', owner: 'u1' } }],
    ['revision 0', { markdown: 'x', baseRevision: 0 }],
    ['fractional revision', { markdown: 'x', baseRevision: 1.5 }],
    ['string revision', { markdown: 'x', baseRevision: '2' }],
    ['message too long', { title: 'x', message: 'm'.repeat(1001) }],
    ['NUL in message', { title: 'x', message: 'a\u0000' }],
    ['null title', { title: null }],
    ['kind change', { kind: 'decision' }],
    ['array body', [{ title: 'x' }]],
  ])('rejects %s', (_, body) => {
    expect(PatchDocRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('ListDocsQuerySchema', () => {
  it('parses query strings', () => {
    expect(
      ListDocsQuerySchema.parse({
        spaceId: 's1',
        kind: 'decision',
        updatedSince: '2025-01-01T00:00:00Z',
        trashed: '1',
        limit: '10',
        cursor: 'c',
      }),
    ).toEqual({
      spaceId: 's1',
      kind: 'decision',
      updatedSince: '2025-01-01T00:00:00.000Z',
      trashed: true,
      limit: 10,
      cursor: 'c',
    });
    expect(ListDocsQuerySchema.parse({})).toEqual({ limit: 50, trashed: false });
    expect(ListDocsQuerySchema.parse({ trashed: 'false' }).trashed).toBe(false);
  });
  it.each([[{ kind: 'x' }], [{ updatedSince: 'yesterday' }], [{ trashed: 'maybe' }], [{ limit: '500' }], [{ spaceId: '' }]])(
    'rejects %j',
    (query) => {
      expect(ListDocsQuerySchema.safeParse(query).success).toBe(false);
    },
  );
});

describe('GetDocQuerySchema', () => {
  it('reads peek', () => {
    expect(GetDocQuerySchema.parse({ peek: '1' })).toEqual({ peek: true });
    expect(GetDocQuerySchema.parse({})).toEqual({ peek: false });
  });
});

describe('revisions and diff', () => {
  it('DiffQuerySchema coerces positive integers', () => {
    expect(DiffQuerySchema.parse({ from: '1', to: '3' })).toEqual({ from: 1, to: 3 });
    for (const query of [{ from: '0', to: '1' }, { from: '1' }, { from: 'a', to: '2' }, { from: '1.5', to: '2' }, { from: '-1', to: '2' }]) {
      expect(DiffQuerySchema.safeParse(query).success, JSON.stringify(query)).toBe(false);
    }
  });

  it('RevisionParamsSchema coerces the revision', () => {
    expect(RevisionParamsSchema.parse({ id: 'd1', revision: '7' })).toEqual({ id: 'd1', revision: 7 });
    expect(RevisionParamsSchema.safeParse({ id: 'd1', revision: 'latest' }).success).toBe(false);
  });

  it('DiffResponseSchema checks each op carries its fields', () => {
    const ok = {
      from: 1,
      to: 2,
      blocks: [
        { op: 'same', before: 'a', after: 'a' },
        { op: 'added', after: 'b' },
        { op: 'removed', before: 'c' },
        { op: 'changed', before: 'd e', after: 'd f', words: [{ op: 'same', text: 'd ' }, { op: 'removed', text: 'e' }, { op: 'added', text: 'f' }] },
      ],
    };
    expect(DiffResponseSchema.parse(ok)).toEqual(ok);
    expect(DiffResponseSchema.safeParse({ ...ok, blocks: [{ op: 'changed', before: 'a', after: 'b' }] }).success).toBe(false);
    expect(DiffResponseSchema.safeParse({ ...ok, blocks: [{ op: 'moved', before: 'a' }] }).success).toBe(false);
  });

  it('RevisionSchema allows a null message', () => {
    const revision = { revision: 1, authors: ['u1'], createdAt: '2025-01-01T00:00:00.000Z', message: null, title: 'T' };
    expect(RevisionSchema.parse(revision)).toEqual(revision);
  });
});

describe('DocSchema / DocSummarySchema', () => {
  const doc = {
    id: 'd1',
    spaceId: 's1',
    parentId: null,
    title: 'T',
    kind: 'decision',
    markdown: '# T',
    content: { root: { type: 'root', children: [] } },
    revision: 1,
    createdBy: 'u1',
    updatedBy: 'u1',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    decision: { status: 'proposed', owners: ['u1'] },
  };
  it('parses a document and its summary drops the body', () => {
    expect(DocSchema.parse(doc)).toEqual(doc);
    const { markdown: _markdown, content: _content, ...summary } = doc;
    expect(DocSummarySchema.parse(doc)).toEqual(summary);
    expect(DocSchema.safeParse({ ...doc, content: 'not json' }).success).toBe(false);
  });
});
