import { $createLinkNode } from '@lexical/link';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $isLineBreakNode,
  $isTextNode,
  type ElementNode,
  IS_BOLD,
  IS_CODE,
  IS_ITALIC,
  IS_STRIKETHROUGH,
  type LexicalEditor,
  type LexicalNode,
} from 'lexical';
import { HtmlRenderer, Parser } from 'commonmark';
import { describe, expect, it } from 'vitest';
import { $createMentionNode } from '../lexical/MentionNode.ts';
import { createHandoffHeadlessEditor } from '../lexical/nodes.ts';
import { $collectDocLinks, $collectMentions } from './collect.ts';
import { editorStateToMarkdown, editorStateToPlainText, markdownToEditorState } from './editor-state.ts';
import { $rootToMarkdown } from './markdown-export.ts';
import { $setRootFromMarkdown } from './markdown-import.ts';
import { $rootToPlainText } from './plain-text.ts';

function editorFrom(markdown: string): LexicalEditor {
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $setRootFromMarkdown(markdown), { discrete: true });
  return editor;
}

const toMarkdown = (markdown: string) => editorFrom(markdown).getEditorState().read($rootToMarkdown);

/** md -> nodes -> md -> nodes -> md: the second and third Markdown must be the same. */
function expectStable(markdown: string): void {
  const once = toMarkdown(markdown);
  const twice = toMarkdown(once);
  expect(twice).toBe(once);
}

const SAMPLES = [
  '# Title\n\nText with **bold**, *italic*, ~~strike~~, `code` and a [link](https://x.com).',
  '- a\n- b\n  - c\n    1. d\n    2. e\n- [ ] f',
  '> quote\n> # heading in quote\n> - list in quote\n>\n> > nested quote\n>\n> ```\n> code\n> ```',
  '* loose\n\n* list\n\n+ other bullet',
  '1) paren\n2) list\n\n7. starts\n8. at seven',
  '| a | b |\n|---|:-:|\n| `x|y` | [l](/u) |\n| only one |',
  'Line one  \nline two\\\nline three\nline four',
  '<div>\n<b>html</b>\n</div>\n\n<span>inline</span> and <!-- comment -->',
  '[ref link][r] and ![img][r]\n\n[r]: https://x.com/img.png "Title"',
  'Setext\n======\n\nSub\n---\n\n***\n\n    indented code\n\n~~~\nfenced ```\n~~~',
  'Mentions @ada, emails ada@x.com, www.x.com and https://y.com/path_(x).',
  '&copy; &#169; &#xA9; \\* \\_ \\` \\# \\[ \\] \\< \\> \\! \\| \\~',
  '***strong emph*** ***strong** in emph* ***emph* in strong** *in emph **strong***',
  '`` code with ` backtick `` and ` `` ` and `  `',
  'a\tb\n\n\tcode with tab\n\n- \tlist with tab',
];

describe('idempotence: md -> nodes -> md is stable after one pass', () => {
  SAMPLES.forEach((sample, index) => {
    it(`sample ${index + 1}`, () => expectStable(sample));
  });
});

describe('hostile input', () => {
  const cases: Record<string, string> = {
    'script tag': '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>',
    'javascript links': '[a](javascript:alert(1)) <javascript:alert(1)> [b](  JAVASCRIPT:alert(1) )',
    '100 KB line': 'word '.repeat(20_000),
    '100 KB line of markup': '*a* _b_ `c` [d](e) <f> '.repeat(5_000),
    '100 KB of one character': '*'.repeat(100_000),
    '100 KB of backticks': '`'.repeat(100_000),
    '100 KB of @': '@a'.repeat(50_000),
    'quotes nested 200 deep': `${'> '.repeat(200)}deep`,
    'quotes nested 2000 deep': `${'>'.repeat(2_000)}deep`,
    'lists nested 200 deep': Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 2)}- item ${i}`).join('\n'),
    'list markers 200 deep on one line': `${'- '.repeat(200)}x`,
    'ordered lists nested 200 deep': Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 3)}1. item ${i}`).join('\n'),
    'quotes and lists alternating 200 deep': Array.from(
      { length: 200 },
      (_, i) => `${' '.repeat(i * 2)}${i % 2 ? '> ' : '- '}x`,
    ).join('\n'),
    'wide table': `|${' a |'.repeat(1_000)}\n|${' - |'.repeat(1_000)}\n|${' b |'.repeat(1_000)}`,
    'unbalanced brackets': `${'['.repeat(2_000)}x${'](y'.repeat(2_000)}`,
    'control characters': 'a\u0000b\u0001c\u001fd\u007fe\r\nf\rg',
  };
  for (const [name, markdown] of Object.entries(cases)) {
    it(`${name}: no exception, stable, no unsafe link`, () => {
      const state = markdownToEditorState(markdown);
      const once = editorStateToMarkdown(state);
      expect(typeof editorStateToPlainText(state)).toBe('string');
      expect(toMarkdown(once)).toBe(once);
      expect(JSON.stringify(state)).not.toMatch(/"url":"\s*javascript:/i);
      const html = new HtmlRenderer().render(new Parser().parse(once));
      expect(html).not.toMatch(/<script|<img|href="\s*javascript:/i);
    }, 60_000);
  }
});

describe('fuzz: random paragraphs survive export and import', () => {
  /** A small deterministic PRNG (mulberry32). */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const ALPHABET = '*_`[]()<>!#&;\\-+=.1 \n~|:/aZ\t"\'';
  const WORDS = ['foo', '&amp;', '1.', '- ', '# ', '> ', '```', '~~~', '---', '===', '<div>', '[a]: /u', '    ', '![x](y)', '[^1]', '&#10;', '\u00a0', ':--', 'é'];

  /** Every non-blank character with its Markdown formats, links and mentions: what must survive. */
  function $signature(node: LexicalNode, context = ''): string {
    if ($isTextNode(node)) {
      const format = node.getFormat() & (IS_BOLD | IS_ITALIC | IS_STRIKETHROUGH | IS_CODE);
      const kind = node.getType() === 'mention' ? 'm' : '';
      return [...node.getTextContent()]
        .filter((char) => !/\s/u.test(char))
        .map((char) => `${char}${format}${kind}${context}`)
        .join('');
    }
    if ($isLineBreakNode(node)) return '';
    if (!$isElementNode(node)) return node.getTextContent();
    const inner = node.getType() === 'link' ? `${context}L` : context;
    const own = ['paragraph', 'heading', 'quote', 'list', 'listitem'].includes(node.getType()) ? `<${node.getType()}>` : '';
    return own + node.getChildren().map((child) => $signature(child, inner)).join('');
  }

  function $randomInline(next: () => number, parent: ElementNode): void {
    const count = 1 + Math.floor(next() * 5);
    for (let i = 0; i < count; i++) {
      const roll = next();
      if (roll < 0.08 && i > 0) {
        parent.append($createLineBreakNode());
        continue;
      }
      if (roll < 0.12) {
        // (A mention right after a letter reads back as text: `x@ada` is no mention.)
        parent.append($createTextNode(' '), $createMentionNode('ada'), $createTextNode(' '));
        continue;
      }
      let value = '';
      const length = 1 + Math.floor(next() * 10);
      for (let j = 0; j < length; j++) {
        value += next() < 0.3 ? WORDS[Math.floor(next() * WORDS.length)]! : ALPHABET[Math.floor(next() * ALPHABET.length)]!;
      }
      const textNode = $createTextNode(value);
      let format = 0;
      if (next() < 0.3) format |= IS_BOLD;
      if (next() < 0.3) format |= IS_ITALIC;
      if (next() < 0.15) format |= IS_STRIKETHROUGH;
      if (next() < 0.1) format |= IS_CODE;
      textNode.setFormat(format);
      if (roll < 0.2) parent.append($createLinkNode(`/p/${i}`).append(textNode));
      else parent.append(textNode);
    }
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}`, () => {
      const next = random(seed);
      const failures: string[] = [];
      for (let round = 0; round < 300; round++) {
        const editor = createHandoffHeadlessEditor();
        editor.update(
          () => {
            const kind = Math.floor(next() * 4);
            const block =
              kind === 0
                ? $createParagraphNode()
                : kind === 1
                  ? $createHeadingNode('h2')
                  : kind === 2
                    ? $createQuoteNode()
                    : $createListItemNode();
            $randomInline(next, block);
            $getRoot()
              .clear()
              .append(kind === 3 ? $createListNode('bullet').append(block) : block);
          },
          { discrete: true },
        );
        const markdown = editor.getEditorState().read($rootToMarkdown);
        const before = editor.getEditorState().read(() => $signature($getRoot()));
        const after = editorFrom(markdown)
          .getEditorState()
          .read(() => $signature($getRoot()));
        // A heading loses nothing but its soft line breaks; whitespace is not compared.
        if (after !== before) failures.push(JSON.stringify(markdown));
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('plain text, mentions and doc links', () => {
  const markdown = [
    '# Title',
    'Hello @ada and @bob, see [plan](/docs/p1) and [again](/docs/p1) and [x](/docs/p2).',
    '- one\n- two\n  - three',
    '| a | b |\n| - | - |\n| 1 | 2 |',
    '---',
    '```\ncode\n```',
    '> @ada quoted',
  ].join('\n\n');

  it('$rootToPlainText: blocks separated by blank lines, no Markdown syntax', () => {
    const editor = editorFrom(markdown);
    expect(editor.getEditorState().read($rootToPlainText)).toBe(
      'Title\n\nHello @ada and @bob, see plan and again and x.\n\none\ntwo\nthree\n\na\tb\n1\t2\n\ncode\n\n@ada quoted',
    );
    expect(editorStateToPlainText(editor.getEditorState().toJSON())).toBe(editor.getEditorState().read($rootToPlainText));
  });

  it('$collectMentions and $collectDocLinks give distinct values in document order', () => {
    const editor = editorFrom(markdown);
    expect(editor.getEditorState().read($collectMentions)).toEqual(['ada', 'bob']);
    expect(editor.getEditorState().read($collectDocLinks)).toEqual(['p1', 'p2']);
  });

  it('editor state helpers round-trip through JSON', () => {
    const state = markdownToEditorState('Hi @ada, read [this](/docs/x).', { isKnownHandle: (h) => h === 'ada' });
    const json = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(editorStateToMarkdown(json)).toBe('Hi @ada, read [this](/docs/x).\n');
    expect(JSON.stringify(json)).toContain('"type":"mention"');
    expect(JSON.stringify(json)).toContain('"type":"doc-link"');
  });

  it('finds mentions created in the editor too', () => {
    const editor = createHandoffHeadlessEditor();
    editor.update(
      () => {
        $getRoot().append($createParagraphNode().append($createMentionNode('zoe'), $createTextNode(' hi')));
      },
      { discrete: true },
    );
    expect(editor.getEditorState().read($collectMentions)).toEqual(['zoe']);
    expect(editor.getEditorState().read($rootToMarkdown)).toBe('@zoe hi\n');
  });
});
