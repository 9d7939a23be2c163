import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import type { PublicUser } from '../api/model.ts';
import { commentPreview, mentionQueryAt, parseComment, safeCommentHref } from './comment-markdown.ts';
import { CommentMarkdown } from './CommentMarkdown.tsx';

const bruno: PublicUser = { id: 'u2', name: 'Bruno Berg', handle: 'bruno', timezone: 'UTC' };
const users = new Map([['bruno', bruno]]);
const html = (markdown: string) => renderToStaticMarkup(<CommentMarkdown markdown={markdown} usersByHandle={users} />);

describe('the comment Markdown subset', () => {
  test('emphasis, strong, inline code, paragraphs and line breaks', () => {
    expect(html('Ship **on Monday**, *not* `Friday`.\nThanks!\n\nSecond thought')).toBe(
      '<div class="comment-markdown"><p>Ship <strong>on Monday</strong>, <em>not</em> <code>Friday</code>.<br/>Thanks!</p><p>Second thought</p></div>',
    );
  });

  test('links only to http, https and mailto; others keep their label', () => {
    const out = html(
      '[spec](https://example.com/spec?a=1&b=2) [mail](mailto:ada@example.com) [bad](javascript:alert(1)) [data](data:text/html,x) [rel](/docs/x) [proto](//evil.test)',
    );
    expect(out).toContain('<a href="https://example.com/spec?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">spec</a>');
    expect(out).toContain('<a href="mailto:ada@example.com" target="_blank" rel="noopener noreferrer nofollow">mail</a>');
    expect(out).not.toContain('javascript');
    expect(out).not.toContain('data:');
    expect(out).not.toContain('evil.test');
    expect(out).toContain('bad data rel proto');
    expect(safeCommentHref(' https://example.com ')).toBe('https://example.com/');
    expect(safeCommentHref('java\nscript:alert(1)')).toBeNull();
    expect(safeCommentHref('HTTPS://EXAMPLE.COM/x')).toBe('https://example.com/x');
  });

  test('mentions of workspace members are mentions; other @words and addresses stay text', () => {
    const out = html('@bruno can you check? cc @nobody, mail ada@bruno.test');
    expect(out).toContain('<span class="mention" data-mention="bruno" title="Bruno Berg">@bruno</span> can you check?');
    expect(out).toContain('cc @nobody, mail ada@bruno.test');
    expect(out.match(/class="mention"/g)).toHaveLength(1);
    expect(parseComment('**@bruno**')).toEqual([[{ type: 'strong', children: [{ type: 'mention', handle: 'bruno' }] }]]);
  });

  test('raw HTML is shown as text', () => {
    const out = html('<img src=x onerror=alert(1)> <script>alert(1)</script> <b>bold</b>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('a preview is one line of text', () => {
    expect(commentPreview('**Yes** — see [the spec](https://x.test)\n\nand `code` @bruno')).toBe('Yes — see the spec and code @bruno');
    expect(commentPreview('a'.repeat(300), 20)).toHaveLength(20);
  });

  test('the mention being typed before the caret', () => {
    expect(mentionQueryAt('Ask @bru', 8)).toEqual({ at: 4, query: 'bru' });
    expect(mentionQueryAt('@', 1)).toEqual({ at: 0, query: '' });
    expect(mentionQueryAt('mail ada@bru', 12)).toBeNull();
    expect(mentionQueryAt('Ask @bru now', 12)).toBeNull();
  });

  test('hostile input stays fast', () => {
    const start = performance.now();
    html('@'.repeat(5_000) + 'a'.repeat(5_000) + '*'.repeat(2_000));
    html(('@' + 'a.'.repeat(60)).repeat(150));
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
