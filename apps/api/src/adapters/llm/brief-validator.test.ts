import { describe, expect, it } from 'vitest';
import { inertMarkdown, inlineQuotations, isHandoffUrl, markdownLink, quoteFound, validateItemSummary, validateSentences } from './brief-validator.ts';
import { designDoc, launchPlan, releaseDecision } from './llm-fixtures.ts';

const given = new Map([
  ['i1', releaseDecision],
  ['i2', launchPlan],
  ['i3', designDoc],
]);

describe('validateSentences', () => {
  it('keeps sentences that cite given items, and drops those citing nothing or a foreign item', () => {
    const { kept, dropped } = validateSentences(
      [
        { text: 'The release moved.', cites: ['i1'] },
        { text: 'You were mentioned.', cites: ['i2', 'i2'] },
        { text: 'No cites.', cites: [] },
        { text: 'A foreign item.', cites: ['i1', 'i4'] },
        { text: '   ', cites: ['i1'] },
      ],
      given,
    );
    expect(kept).toEqual([
      { markdown: 'The release moved.', cites: ['i1'] },
      { markdown: 'You were mentioned.', cites: ['i2'] },
    ]);
    expect(dropped.map((d) => [d.reason, d.detail])).toEqual([
      ['no-cites', undefined],
      ['foreign-cite', 'i4'],
      ['empty', undefined],
    ]);
  });

  it('checks every quotation against the cited items, and cites the item a quotation comes from', () => {
    const { kept, dropped } = validateSentences(
      [
        { text: 'Inline “Conflicts are resolved per block”.', cites: ['i3'] },
        { text: 'Inline "Conflicts are resolved per block" but cites the wrong item.', cites: ['i1'] },
        { text: 'Structured.', cites: ['i1'], quotes: [{ itemId: 'i3', quote: 'last writer wins' }] },
        { text: 'Structured, foreign.', cites: ['i1'], quotes: [{ itemId: 'i7', quote: 'anything' }] },
        { text: 'Structured, invented.', cites: ['i1'], quotes: [{ itemId: 'i1', quote: 'Release 4.2 is cancelled' }] },
        { text: 'From a removed sentence: "ships on Friday".', cites: ['i1'] },
        { text: 'From a why message: „QA signed off“.', cites: ['i1'] },
      ],
      given,
    );
    expect(kept.map((k) => k.cites)).toEqual([['i3'], ['i1', 'i3'], ['i1'], ['i1']]);
    expect(dropped.map((d) => d.reason)).toEqual(['quote-not-found', 'foreign-cite', 'quote-not-found']);
  });

  it('makes each kept sentence inert', () => {
    const { kept } = validateSentences([{ text: 'Look ![x](http://evil/x.png) <b>now</b>', cites: ['i1'] }], given);
    expect(kept[0]!.markdown).toBe('Look x \\<b\\>now\\</b\\>');
  });
});

describe('validateItemSummary', () => {
  it('allows quotations from its own item only', () => {
    expect(validateItemSummary('i3', 'Now "last writer wins".', given)).toEqual({ markdown: 'Now "last writer wins".' });
    expect(validateItemSummary('i1', 'Now "last writer wins".', given)).toMatchObject({ reason: 'quote-not-found' });
    expect(validateItemSummary('i9', 'Anything.', given)).toMatchObject({ reason: 'foreign-cite' });
    expect(validateItemSummary('i1', '', given)).toMatchObject({ reason: 'empty' });
  });
});

describe('quoteFound', () => {
  const sources = ['Release 4.2 ships on Tuesday   after the\nfreeze. We roll out to 10% first.', 'It’s done'];

  it('compares with whitespace collapsed, typographic quotes plain and outer punctuation ignored', () => {
    expect(quoteFound('Release 4.2 ships on Tuesday after the freeze', sources)).toBe(true);
    expect(quoteFound('  after the freeze.  ', sources)).toBe(true);
    expect(quoteFound("It's done", sources)).toBe(true);
    expect(quoteFound('release 4.2 ships', sources)).toBe(false);
    expect(quoteFound('ships on Friday', sources)).toBe(false);
  });

  it('lets an ellipsis stand for left-out text, in order, within one source', () => {
    expect(quoteFound('Release 4.2 … We roll out', sources)).toBe(true);
    expect(quoteFound('Release 4.2 ... first', sources)).toBe(true);
    expect(quoteFound('We roll out … Release 4.2', sources)).toBe(false);
    expect(quoteFound('Release … done', sources)).toBe(false);
  });
});

describe('inlineQuotations', () => {
  it('finds straight, curly, low and guillemet quotations', () => {
    expect(inlineQuotations('A "one", “two”, „three“ and «four»; "" is none.')).toEqual(['one', 'two', 'three', 'four']);
  });
});

describe('isHandoffUrl', () => {
  const publicUrl = 'https://wiki.example.com';

  it.each([
    ['/docs/abc', undefined, true],
    ['/docs/abc?from=1&to=2#x', undefined, true],
    ['/spaces/eng/decisions', undefined, true],
    ['/search?q=x', undefined, true],
    ['/api/auth/logout', undefined, false],
    ['/docs/../api/auth/logout', undefined, false],
    ['/docs/%2e%2e/api/auth/logout', undefined, false],
    ['//evil.example/docs/x', undefined, false],
    ['/\\evil.example/docs/x', undefined, false],
    ['/docs/a b', undefined, false],
    ['https://wiki.example.com/docs/abc', publicUrl, true],
    ['https://wiki.example.com/docs/abc', undefined, false],
    ['https://wiki.example.com/api/me', publicUrl, false],
    ['http://wiki.example.com/docs/abc', publicUrl, false],
    ['https://wiki.example.com.evil.example/docs/abc', publicUrl, false],
    ['https://user@wiki.example.com/docs/abc', publicUrl, false],
    ['https://corp.example/handoff/docs/abc', 'https://corp.example/handoff/', true],
    ['https://corp.example/other/docs/abc', 'https://corp.example/handoff', false],
    ['javascript:alert(1)', publicUrl, false],
    ['docs/abc', publicUrl, false],
  ])('%s (public URL %s) → %s', (url, base, expected) => {
    expect(isHandoffUrl(url, base)).toBe(expected);
  });
});

describe('inertMarkdown', () => {
  const publicUrl = 'https://wiki.example.com';
  const inert = (text: string) => inertMarkdown(text, { publicUrl });

  it('leaves ordinary prose as it is', () => {
    expect(inert('Sam moved the release to Tuesday (QA needs the weekend); 10% first, snake_case stays.')).toBe(
      'Sam moved the release to Tuesday (QA needs the weekend); 10% first, snake_case stays.',
    );
  });

  it('turns images into their alt text, in every form', () => {
    expect(inert('a ![x](http://evil/x.png) b')).toBe('a x b');
    expect(inert('a ![x](</evil x.png> "t") b')).toBe('a x b');
    expect(inert('a ![x][ref] b')).toBe('a x b');
    expect(inert('[![badge](https://evil/b.svg)](https://evil.example)')).toBe('badge');
  });

  it('keeps links to Handoff and turns every other link into its text', () => {
    expect(inert('[click](https://evil.example)')).toBe('click');
    expect(inert('[click](https://evil.example "Title")!')).toBe('click!');
    expect(inert('[click][1]')).toBe('click');
    expect(inert('[x](javascript:alert(1))')).toBe('x');
    expect(inert('[x](//evil.example/docs/a)')).toBe('x');
    expect(inert('[the doc](/docs/abc)')).toBe('[the doc](/docs/abc)');
    expect(inert('[the doc](https://wiki.example.com/docs/abc)')).toBe('[the doc](https://wiki.example.com/docs/abc)');
    expect(inert('[a [nested] one](https://evil.example)')).toBe('a \\[nested\\] one');
  });

  it('makes autolinks and bare URLs or addresses code spans, so no renderer links them', () => {
    expect(inert('<https://evil.example/x>')).toBe('`https://evil.example/x`');
    expect(inert('<me@evil.example>')).toBe('`me@evil.example`');
    expect(inert('Go to https://evil.example/login.')).toBe('Go to `https://evil.example/login`.');
    expect(inert('Or www.evil.example, or mail me@evil.example')).toBe('Or `www.evil.example`, or mail `me@evil.example`');
    expect(inert('Open https://wiki.example.com/docs/abc now')).toBe('Open [https://wiki.example.com/docs/abc](https://wiki.example.com/docs/abc) now');
  });

  it('escapes raw HTML and markup characters', () => {
    expect(inert('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(inert('<!-- hidden --> <script>x</script>')).toBe('\\<!-- hidden --\\> \\<script\\>x\\</script\\>');
    expect(inert('a | b ~~c~~ [d] &amp; &copy; x < y')).toBe('a \\| b \\~\\~c\\~\\~ \\[d\\] \\&amp; \\&copy; x \\< y');
    expect(inert('an [unclosed link(https://evil.example)')).toBe('an \\[unclosed link(`https://evil.example`)');
  });

  it('keeps emphasis and code spans, with inert content', () => {
    expect(inert('The **release** moved to _Tuesday_ and *Wednesday*.')).toBe('The **release** moved to *Tuesday* and *Wednesday*.');
    expect(inert('**[bold link](https://evil.example)**')).toBe('**bold link**');
    expect(inert('Run `rm -rf <dir>` and ``a`b``')).toBe('Run `rm -rf <dir>` and ``a`b``');
    expect(inert('Code `![x](http://evil/x.png)`')).toBe('Code `![x](http://evil/x.png)`');
  });

  it('puts everything on one line that cannot start a block', () => {
    expect(inert('# Heading\n\n- item\n> quote')).toBe('\\# Heading - item \\> quote');
    expect(inert('1. first')).toBe('1\\. first');
    expect(inert('- a list')).toBe('\\- a list');
    expect(inert('---')).toBe('\\---');
    expect(inert('a\u0000b\u001bc')).toBe('abc');
  });
});

describe('markdownLink', () => {
  it('escapes the text and the destination', () => {
    expect(markdownLink('Plan [v2] <b>', '/docs/a(1)')).toBe('[Plan \\[v2\\] \\<b\\>](/docs/a\\(1\\))');
  });
});
