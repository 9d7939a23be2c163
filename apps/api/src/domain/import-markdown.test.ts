import { describe, expect, it } from 'vitest';
import { ImportBudget, readImportFile, titleAndBody } from './import-markdown.ts';

describe('titleAndBody', () => {
  it('takes a leading # heading (closing #s removed only after a blank) and keeps the rest as the body', () => {
    expect(titleAndBody('x.md', '\n\n  # Onboarding  ##\n\nBody')).toEqual({ title: 'Onboarding', markdown: 'Body' });
    expect(titleAndBody('x.md', '# C#\n')).toEqual({ title: 'C#', markdown: '' });
    expect(titleAndBody('x.md', '# Q3 \\#2 \\*plan\\*\r\n\r\ntext')).toEqual({ title: 'Q3 #2 *plan*', markdown: 'text' });
    expect(titleAndBody('release-notes_v2.md', '## Not a title\n')).toEqual({ title: 'release notes v2', markdown: '## Not a title\n' });
    expect(titleAndBody('a.md', '# ##\nbody').title).toBe('a');
  });

  it('runs in linear time on headings built to backtrack', () => {
    const started = performance.now();
    for (const n of [10_000, 100_000]) {
      expect(titleAndBody('x.md', `# a${' '.repeat(n)}\u2028x\n\nBody`).title).toBe('a x');
      expect(titleAndBody('x.md', `# a${' #'.repeat(n)}`).title.startsWith('a')).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('ImportBudget', () => {
  it('counts one person’s imports together and frees them on release', () => {
    const budget = new ImportBudget();
    const a = budget.lease('ada', 100);
    a.take(60);
    const b = budget.lease('ada', 100);
    expect(() => b.take(50)).toThrow(expect.objectContaining({ kind: 'rate_limited' }));
    const other = budget.lease('bob', 100);
    other.take(90);
    a.release();
    b.take(50);
    expect(budget.heldBy('ada')).toBe(50);
    expect(() => budget.lease('cy', 10).take(11)).toThrow(expect.objectContaining({ kind: 'too_large' }));
  });
});

describe('readImportFile', () => {
  it('takes the title from front matter, then the first # heading, then the file name; front matter never stays in the body', () => {
    expect(readImportFile('x.md', '---\ntitle: From front\n---\n# Heading stays\n\nBody')).toMatchObject({ title: 'From front', markdown: '# Heading stays\n\nBody' });
    expect(readImportFile('x.md', '\uFEFF---\r\ntags: [a]\r\n---\r\n\r\n# Heading\r\n\r\nBody')).toMatchObject({ title: 'Heading', markdown: 'Body' });
    expect(readImportFile('Grüße.md', '---\ntitle: [broken\n---\nBody')).toMatchObject({ title: 'Grüße', markdown: 'Body', front: { warnings: [expect.stringContaining('not valid YAML')] } });
    expect(readImportFile('x.md', '---\ntitle: "  "\n---\nBody').title).toBe('x');
    expect(readImportFile('x.md', '---\ntitle: "a\\u0000b\\u202Ec"\n---\n').title).toBe('a b c');
  });
});
