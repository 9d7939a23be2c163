import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FRONT_MATTER_MAX_BYTES, importFrontMatter, splitFrontMatter, writeFrontMatter } from './front-matter.ts';

describe('splitFrontMatter', () => {
  it('takes the block between a leading --- line and a closing --- or ... line', () => {
    expect(splitFrontMatter('---\ntitle: A\n---\n\nBody')).toEqual({ yaml: 'title: A\n', body: 'Body' });
    expect(splitFrontMatter('---\ntitle: A\n...\nBody')).toEqual({ yaml: 'title: A\n', body: 'Body' });
    expect(splitFrontMatter('---\n---\nBody')).toEqual({ yaml: '', body: 'Body' });
    expect(splitFrontMatter('---\ntitle: A\n---')).toEqual({ yaml: 'title: A\n', body: '' });
  });

  it('leaves a file without a closed block (a thematic break) alone', () => {
    expect(splitFrontMatter('---\n\nJust a rule and text.\n')).toEqual({ yaml: null, body: '---\n\nJust a rule and text.\n' });
    expect(splitFrontMatter('Text\n---\nmore\n---\n').yaml).toBeNull();
    expect(splitFrontMatter('---').yaml).toBeNull();
  });
});

describe('importFrontMatter', () => {
  it('reads title, tags, and decision fields; a page has no decision', () => {
    const { front, body } = importFrontMatter('---\ntitle: Plan\ntags: [a, b]\ncreated: 2025-01-01\n---\nBody');
    expect(body).toBe('Body');
    expect(front).toMatchObject({ title: 'Plan', tags: ['a', 'b'], kind: 'page', decision: null, why: null });
    expect(front.warnings).toEqual([expect.stringContaining('Tags (a, b) were not kept')]);
    const decision = importFrontMatter('---\nstatus: Accepted\nowners: "@ada, lena@example.com"\ndecided_at: 2026-03-01\nwhy: Because.\n---\n').front;
    expect(decision).toMatchObject({ kind: 'decision', decision: { status: 'accepted', owners: ['ada', 'lena@example.com'], decidedAt: '2026-03-01T00:00:00.000Z' }, why: 'Because.', warnings: [] });
    const odd = importFrontMatter('---\nkind: decision\nstatus: maybe\ndecidedAt: soon\n---\n').front;
    expect(odd.decision).toEqual({ status: 'proposed', owners: [], decidedAt: undefined });
    expect(odd.warnings).toHaveLength(2);
  });

  it('removes a block it cannot read, with a warning: invalid YAML, not a mapping, too large, alias bombs', () => {
    for (const yaml of ['title: [unclosed', '- a list', 'just text', 'a: 1\na: 2']) {
      const { front, body } = importFrontMatter(`---\n${yaml}\n---\nBody`);
      expect(body).toBe('Body');
      expect(front.title).toBeNull();
      expect(front.warnings).toHaveLength(1);
    }
    const big = importFrontMatter(`---\nx: "${'a'.repeat(FRONT_MATTER_MAX_BYTES)}"\n---\nBody`);
    expect(big).toMatchObject({ body: 'Body', front: { title: null, warnings: [expect.stringContaining('larger than 64 KiB')] } });

    const started = performance.now();
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const laughs = importFrontMatter(`---\n${lines.join('\n')}\ntitle: Bomb\n---\nBody`);
    expect(laughs).toMatchObject({ body: 'Body', front: { title: null, warnings: [expect.stringContaining('could not be read')] } });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('writeFrontMatter', () => {
  it('writes YAML that reads back to the same fields (quoting what needs it)', () => {
    const text = writeFrontMatter({
      title: 'Use: "Postgres" # really',
      kind: 'decision',
      decision: { status: 'accepted', owners: ['ada'], decidedAt: Date.UTC(2026, 2, 1), why: 'Line one\nline two' },
      createdAt: 0,
      updatedAt: 1,
      authors: ['ada', 'lena'],
    });
    expect(text.startsWith('---\n') && text.endsWith('\n---\n')).toBe(true);
    const { front } = importFrontMatter(`${text}\nBody`);
    expect(front).toMatchObject({ title: 'Use: "Postgres" # really', kind: 'decision', decision: { status: 'accepted', owners: ['ada'], decidedAt: '2026-03-01T00:00:00.000Z' }, why: 'Line one\nline two' });
    expect(parse(text.slice(4, -4))).toMatchObject({ created: '1970-01-01T00:00:00.000Z', authors: ['ada', 'lena'] });
  });
});
