import { describe, expect, test } from 'vitest';
import { isSafeUrl, isSameSitePath, normalizeUrl } from './safe-url.ts';

describe('isSafeUrl', () => {
  test.each(['https://example.com/a?b#c', 'http://x.test', 'mailto:a@b.c', 'tel:+4930123', '/docs/abc', '#top', '?q=1', './x'])(
    'accepts %s',
    (url) => expect(isSafeUrl(url)).toBe(true),
  );

  test.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\u0000script:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:https://x/y',
    'file:///etc/passwd',
    '',
    '   ',
  ])('rejects %j', (url) => expect(isSafeUrl(url)).toBe(false));
});

describe('normalizeUrl', () => {
  test('adds https:// to a bare host and mailto: to an address', () => {
    expect(normalizeUrl('example.com/x')).toBe('https://example.com/x');
    expect(normalizeUrl(' ada@example.com ')).toBe('mailto:ada@example.com');
    expect(normalizeUrl('/docs/abc')).toBe('/docs/abc');
  });

  test('refuses script and empty input', () => {
    expect(normalizeUrl('javascript:alert(1)')).toBeNull();
    expect(normalizeUrl('')).toBeNull();
  });
});

test('isSameSitePath: paths of this site, not protocol-relative URLs', () => {
  expect(isSameSitePath('/docs/x')).toBe(true);
  expect(isSameSitePath('//evil.test/x')).toBe(false);
  expect(isSameSitePath('/\\evil.test')).toBe(false);
  expect(isSameSitePath('https://x.test')).toBe(false);
});
