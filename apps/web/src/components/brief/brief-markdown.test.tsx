import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { parseBlocks, parseInline, safeDocHref } from './brief-markdown.ts';
import { BriefMarkdown } from './BriefMarkdown.tsx';
import { diffPath, itemPair, parseDiffParam } from './diff-link.ts';

const html = (markdown: string) => renderToStaticMarkup(<BriefMarkdown markdown={markdown} />);

describe('the brief Markdown subset', () => {
  test('headings, paragraphs, lists and emphasis', () => {
    const out = html(
      [
        '# Your brief',
        '',
        'The **release** moved to *Monday*,',
        'after `QA` found a bug.',
        '',
        '## Decisions',
        '- ADR-002: proposed → accepted → superseded',
        '- ADR-003: **accepted**',
        '',
        '1. first',
        '2. second',
      ].join('\n'),
    );
    expect(out).toBe(
      '<div class="brief-markdown">' +
        '<h2>Your brief</h2>' +
        '<p>The <strong>release</strong> moved to <em>Monday</em>, after <code>QA</code> found a bug.</p>' +
        '<h3>Decisions</h3>' +
        '<ul><li>ADR-002: proposed → accepted → superseded</li><li>ADR-003: <strong>accepted</strong></li></ul>' +
        '<ol><li>first</li><li>second</li></ol>' +
        '</div>',
    );
  });

  test('links only to Handoff documents; other links keep their label, images their alt text', () => {
    const out = html(
      'See [ADR-003](/docs/abc?diff=1..3), [evil](javascript:alert(1)), [far](https://example.com/x), ' +
        '[proto](//example.com/docs/x) and ![tracker](https://example.com/pixel.png).',
    );
    expect(out).toContain('<a href="/docs/abc?diff=1..3">ADR-003</a>');
    expect(out).not.toContain('javascript');
    expect(out).not.toContain('example.com');
    expect(out).toContain('evil, far, proto and tracker.');
    expect(out).not.toContain('<img');
  });

  test('raw HTML stays text', () => {
    const out = html('<img src=x onerror=alert(1)> <script>alert(1)</script>\n\n<b>bold</b>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  test('snake_case and lone stars stay text', () => {
    expect(parseInline('a snake_case_name and 2 * 3 * 4')).toEqual([{ type: 'text', text: 'a snake_case_name and 2 * 3 * 4' }]);
    expect(parseInline('\\*not em\\*')).toEqual([{ type: 'text', text: '*not em*' }]);
  });

  test('quotes and code fences', () => {
    expect(parseBlocks('> “Thursday is off”\n> said Marcus\n\n```\n<b>x</b>\n```')).toEqual([
      { type: 'quote', children: [{ type: 'text', text: '“Thursday is off” said Marcus' }] },
      { type: 'code', text: '<b>x</b>' },
    ]);
  });

  test('hostile input stays fast', () => {
    const start = performance.now();
    html('*'.repeat(50_000) + '\n' + '['.repeat(50_000) + '\n' + '_a '.repeat(20_000) + '**a '.repeat(20_000));
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  test('safeDocHref', () => {
    expect(safeDocHref('/docs/x', null)).toBe('/docs/x');
    expect(safeDocHref('/docs/', null)).toBeNull();
    expect(safeDocHref('/settings', null)).toBeNull();
    expect(safeDocHref('/docs/x y', null)).toBeNull();
    expect(safeDocHref('http://wiki.test/docs/x?diff=1..2', 'http://wiki.test')).toBe('/docs/x?diff=1..2');
    expect(safeDocHref('http://other.test/docs/x', 'http://wiki.test')).toBeNull();
    expect(safeDocHref('JAVASCRIPT:alert(1)', 'http://wiki.test')).toBeNull();
  });
});

describe('diff links', () => {
  test('an item links to the diff of exactly its revisions (from 1 when the document is new)', () => {
    expect(diffPath('d 1', itemPair({ fromRevision: 2, toRevision: 5 }))).toBe('/docs/d%201?diff=2..5');
    expect(diffPath('d', itemPair({ fromRevision: 0, toRevision: 3 }))).toBe('/docs/d?diff=1..3');
    expect(diffPath('d', itemPair({ fromRevision: 0, toRevision: 1 }))).toBe('/docs/d');
  });

  test('parseDiffParam', () => {
    expect(parseDiffParam('?diff=2..5')).toEqual({ from: 2, to: 5 });
    expect(parseDiffParam('?x=1&diff=5..2')).toEqual({ from: 5, to: 2 });
    for (const bad of ['', '?diff=', '?diff=2..2', '?diff=0..3', '?diff=a..b', '?diff=1...3', '?diff=-1..3']) {
      expect(parseDiffParam(bad)).toBeNull();
    }
  });
});
