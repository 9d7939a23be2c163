import { describe, expect, test } from 'vitest';
import { searchQueryString } from './search-params.ts';
import { relativeTime, updatedSinceIso } from './search-format.tsx';
import { parseSnippet, unescapeHtml } from './snippet.tsx';

describe('parseSnippet', () => {
  test('splits on the mark tags', () => {
    expect(parseSnippet('…a <mark>checksum</mark> so a <mark>client</mark>')).toEqual([
      { text: '…a ', mark: false },
      { text: 'checksum', mark: true },
      { text: ' so a ', mark: false },
      { text: 'client', mark: true },
    ]);
  });

  test('un-escapes entities into plain text, which stays text', () => {
    expect(parseSnippet('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>a&amp;b</mark> &#39;q&#x27;')).toEqual([
      { text: '<script>alert("x")</script> ', mark: false },
      { text: 'a&b', mark: true },
      { text: " 'q'", mark: false },
    ]);
  });

  test('decodes in one pass: an escaped entity stays an entity', () => {
    expect(unescapeHtml('&amp;lt;mark&amp;gt;')).toBe('&lt;mark&gt;');
    expect(parseSnippet('&lt;mark&gt;not a mark&lt;/mark&gt;')).toEqual([{ text: '<mark>not a mark</mark>', mark: false }]);
  });

  test('leaves unknown and invalid entities as they are', () => {
    expect(unescapeHtml('&bogus; &#0; &#xD800; &#1114112; & alone')).toBe('&bogus; &#0; &#xD800; &#1114112; & alone');
    expect(unescapeHtml('&#128512;&#x1F600;')).toBe('😀😀');
  });

  test('tolerates unbalanced tags and empty input', () => {
    expect(parseSnippet('')).toEqual([]);
    expect(parseSnippet('a</mark>b')).toEqual([{ text: 'ab', mark: false }]);
    expect(parseSnippet('a<mark>b')).toEqual([
      { text: 'a', mark: false },
      { text: 'b', mark: true },
    ]);
    expect(parseSnippet('<mark></mark>')).toEqual([]);
  });

  test('any other tag-looking text is just text', () => {
    expect(parseSnippet('<b onclick="x">bold</b>')).toEqual([{ text: '<b onclick="x">bold</b>', mark: false }]);
  });
});

describe('search parameters', () => {
  test('leaves out empty filters and bounds the limit', () => {
    expect(searchQueryString({ q: '  sync  ', spaceId: '', kind: undefined, limit: 500 })).toBe('q=sync&limit=200');
    expect(searchQueryString({ q: 'a&b', kind: 'decision', author: 'u1', updatedSince: '2026-01-01T00:00:00.000Z' })).toBe(
      'q=a%26b&kind=decision&author=u1&updatedSince=2026-01-01T00%3A00%3A00.000Z',
    );
  });

  test('"updated since" is stable within a minute', () => {
    const now = Date.parse('2026-11-28T06:41:57.123Z');
    expect(updatedSinceIso('day', now)).toBe('2026-11-27T06:41:00.000Z');
    expect(updatedSinceIso('week', now + 2000)).toBe('2026-11-21T06:41:00.000Z');
    expect(updatedSinceIso(undefined, now)).toBeUndefined();
  });

  test('relative times', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(relativeTime('2026-11-28T11:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-11-25T12:00:00Z', now)).toMatch(/3 days ago/);
  });
});
