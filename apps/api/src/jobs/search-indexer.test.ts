import { describe, expect, it } from 'vitest';
import { commentPlainText } from './search-indexer.ts';

describe('commentPlainText', () => {
  it('keeps the words of the Markdown subset and drops its syntax', () => {
    expect(commentPlainText('Is **Friday** _firm_? ~~Maybe~~ see `deploy.sh` and [the runbook](https://example.com/run?a=1).')).toBe(
      'Is Friday firm? Maybe see deploy.sh and the runbook.',
    );
    expect(commentPlainText('![diagram](https://example.com/d.png) @lena')).toBe('diagram @lena');
  });

  it('leaves marks inside words and what only looks like a link alone', () => {
    expect(commentPlainText('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
    expect(commentPlainText('[not a link] (really) [x](unclosed')).toBe('[not a link] (really) [x](unclosed');
  });

  it('takes linear time on hostile input', () => {
    for (const hostile of ['['.repeat(40_000) + '](' + ')'.repeat(10), '[a]('.repeat(10_000), '*_'.repeat(20_000), '@a'.repeat(20_000), '@' + 'a.'.repeat(20_000)]) {
      const started = performance.now();
      commentPlainText(hostile);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
