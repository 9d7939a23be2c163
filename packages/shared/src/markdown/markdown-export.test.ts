import { $createCodeNode } from '@lexical/code';
import { $createHorizontalRuleNode } from '@lexical/extension';
import { $createAutoLinkNode, $createLinkNode } from '@lexical/link';
import { $createListItemNode, $createListNode, type ListType } from '@lexical/list';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import {
  $createTableCellNode,
  $createTableNode,
  $createTableRowNode,
  TableCellHeaderStates,
} from '@lexical/table';
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTabNode,
  $createTextNode,
  $getRoot,
  type ElementFormatType,
  type LexicalNode,
  type TextFormatType,
} from 'lexical';
import { describe, expect, it } from 'vitest';
import { $createDocLinkNode } from '../lexical/DocLinkNode.ts';
import { $createMentionNode } from '../lexical/MentionNode.ts';
import { createHandoffHeadlessEditor } from '../lexical/nodes.ts';
import { $blockMarkdowns, $nodesToMarkdown, $rootToMarkdown } from './markdown-export.ts';
import { $setRootFromMarkdown } from './markdown-import.ts';
import { $rootToPlainText } from './plain-text.ts';

/** Builds a document from `make` (run inside an update) and exports it as Markdown. */
function exportOf(make: () => LexicalNode[]): string {
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $getRoot().clear().append(...make()), { discrete: true });
  return editor.getEditorState().read($rootToMarkdown);
}

/** Markdown -> Lexical -> Markdown. */
function roundTrip(markdown: string): string {
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $setRootFromMarkdown(markdown), { discrete: true });
  return editor.getEditorState().read($rootToMarkdown);
}

/** Plain text of a paragraph after Markdown export and import: the escaping must be invisible. */
function textAfterRoundTrip(text: string): string {
  const markdown = exportOf(() => [$createParagraphNode().append($createTextNode(text))]);
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $setRootFromMarkdown(markdown, { isKnownHandle: () => false }), { discrete: true });
  return editor.getEditorState().read($rootToPlainText);
}

const text = (value: string, ...formats: TextFormatType[]) => {
  const node = $createTextNode(value);
  for (const format of formats) node.toggleFormat(format);
  return node;
};
const paragraph = (...children: LexicalNode[]) => $createParagraphNode().append(...children);
const list = (type: ListType, ...items: LexicalNode[]) => $createListNode(type).append(...items);
const item = (...children: LexicalNode[]) => $createListItemNode().append(...children);

describe('$rootToMarkdown: blocks', () => {
  it('an empty document is ""; blocks are separated by one blank line and end with one newline', () => {
    expect(exportOf(() => [])).toBe('');
    expect(exportOf(() => [paragraph()])).toBe('');
    expect(exportOf(() => [paragraph(text('a')), paragraph(), paragraph(text('b'))])).toBe('a\n\nb\n');
  });

  it('headings 1–6', () => {
    expect(
      exportOf(() => (['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((tag) => $createHeadingNode(tag).append(text(tag)))),
    ).toBe('# h1\n\n## h2\n\n### h3\n\n#### h4\n\n##### h5\n\n###### h6\n');
  });

  it('headings: trailing # escaped, multi-line h1/h2 as setext, h3+ on one line', () => {
    expect(exportOf(() => [$createHeadingNode('h2').append(text('C #'))])).toBe('## C \\#\n');
    expect(exportOf(() => [$createHeadingNode('h1').append(text('a'), $createLineBreakNode(), text('b'))])).toBe(
      'a\\\nb\n===\n',
    );
    expect(exportOf(() => [$createHeadingNode('h3').append(text('a\nb'))])).toBe('### a b\n');
    expect(exportOf(() => [$createHeadingNode('h1')])).toBe('#\n');
  });

  it('quotes: line breaks are hard breaks, two in a row separate paragraphs', () => {
    expect(
      exportOf(() => [
        $createQuoteNode().append(
          text('a'),
          $createLineBreakNode(),
          text('b'),
          $createLineBreakNode(),
          $createLineBreakNode(),
          text('c'),
        ),
      ]),
    ).toBe('> a\\\n> b\n>\n> c\n');
  });

  it('bullet, numbered (with start) and check lists', () => {
    expect(exportOf(() => [list('bullet', item(text('a')), item(text('b')))])).toBe('- a\n- b\n');
    expect(
      exportOf(() => [$createListNode('number', 9).append(item(text('nine')), item(text('ten')))]),
    ).toBe('9. nine\n10. ten\n');
    expect(
      exportOf(() => [list('check', $createListItemNode(false).append(text('todo')), $createListItemNode(true).append(text('done')))]),
    ).toBe('- [ ] todo\n- [x] done\n');
  });

  it('nested lists are indented under the item before them', () => {
    expect(
      exportOf(() => [
        list(
          'number',
          item(text('a')),
          item(list('bullet', item(text('b')), item(list('check', $createListItemNode(true).append(text('c')))))),
          item(text('d')),
        ),
      ]),
    ).toBe('1. a\n   - b\n     - [x] c\n2. d\n');
  });

  it('a nested list with no item before it gets an empty item', () => {
    expect(exportOf(() => [list('bullet', item(list('bullet', item(text('x')))))])).toBe('-\n  - x\n');
  });

  it('list items with several paragraphs indent their continuation', () => {
    expect(
      exportOf(() => [list('bullet', item(text('a'), $createLineBreakNode(), $createLineBreakNode(), text('b')))]),
    ).toBe('- a\n\n  b\n');
  });

  it('adjacent lists of one kind alternate their markers so they stay apart', () => {
    const editor = createHandoffHeadlessEditor();
    let markdown = '';
    editor.update(
      () => {
        markdown = $nodesToMarkdown([
          list('bullet', item(text('a'))),
          list('bullet', item(text('b'))),
          list('number', item(text('c'))),
          list('number', item(text('d'))),
        ]);
      },
      { discrete: true },
    );
    expect(markdown).toBe('- a\n\n* b\n\n1. c\n\n1) d\n');
  });

  it('code blocks get a fence longer than any backtick run, and a tilde fence for odd languages', () => {
    expect(
      exportOf(() => [$createCodeNode('ts').append(text('const a = 1;'), $createLineBreakNode(), $createTabNode(), text('b'))]),
    ).toBe('```ts\nconst a = 1;\n\tb\n```\n');
    expect(exportOf(() => [$createCodeNode().append(text('````'))])).toBe('`````\n````\n`````\n');
    expect(exportOf(() => [$createCodeNode('a`b').append(text('x'))])).toBe('~~~a`b\nx\n~~~\n');
    expect(exportOf(() => [$createCodeNode('js')])).toBe('```js\n```\n');
  });

  it('horizontal rules', () => {
    expect(exportOf(() => [paragraph(text('a')), $createHorizontalRuleNode(), paragraph(text('b'))])).toBe(
      'a\n\n---\n\nb\n',
    );
  });

  it('tables as GFM pipe tables, the first row as header, with alignment and escaped pipes', () => {
    const cell = (content: string, header: boolean, align?: ElementFormatType) => {
      const p = paragraph(...(content ? [text(content)] : []));
      if (align) p.setFormat(align);
      return $createTableCellNode(header ? TableCellHeaderStates.ROW : TableCellHeaderStates.NO_STATUS).append(p);
    };
    expect(
      exportOf(() => [
        $createTableNode().append(
          $createTableRowNode().append(cell('a', true, 'left'), cell('b|c', true, 'center'), cell('', true, 'right')),
          $createTableRowNode().append(
            cell('1', false),
            $createTableCellNode().append(paragraph(text('x|y', 'code'))),
            cell('3', false),
          ),
        ),
      ]),
    ).toBe('| a | b\\|c | |\n| :--- | :---: | ---: |\n| 1 | `x\\|y` | 3 |\n');
  });
});

describe('$rootToMarkdown: inline', () => {
  it('text formats', () => {
    expect(
      exportOf(() => [
        paragraph(
          text('b', 'bold'),
          text(' '),
          text('i', 'italic'),
          text(' '),
          text('s', 'strikethrough'),
          text(' '),
          text('c', 'code'),
          text(' '),
          text('bi', 'bold', 'italic'),
          text(' '),
          text('u', 'underline'),
        ),
      ]),
    ).toBe('**b** *i* ~~s~~ `c` ***bi*** u\n');
  });

  it('nests overlapping formats and keeps whitespace outside the markers', () => {
    expect(exportOf(() => [paragraph(text('a ', 'bold'), text('b', 'bold', 'italic'), text(' c', 'bold'))])).toBe(
      '**a *b* c**\n',
    );
    expect(exportOf(() => [paragraph(text('x'), text(' y ', 'bold'), text('z'))])).toBe('x **y** z\n');
    expect(exportOf(() => [paragraph(text('   ', 'bold'), text('a'))])).toBe('a\n');
  });

  it('uses character references where emphasis would not open or close (flanking)', () => {
    const markdown = exportOf(() => [paragraph(text('a'), text('"b"', 'bold'), text('c'))]);
    expect(markdown).toBe('&#97;**"b"**&#99;\n');
    expect(textAfterRoundTrip('a"b"c')).toBe('a"b"c');
  });

  it('code spans get enough backticks', () => {
    expect(exportOf(() => [paragraph(text('a`b', 'code'))])).toBe('``a`b``\n');
    expect(exportOf(() => [paragraph(text('`a', 'code'))])).toBe('`` `a ``\n');
    expect(exportOf(() => [paragraph(text('a', 'code'), text('b', 'code', 'bold'))])).toBe('`a`**`b`**\n');
    expect(exportOf(() => [paragraph(text('a', 'code'), text('b', 'code', 'underline'))])).toBe('`ab`\n');
  });

  it('hard line breaks; none at the end of a block', () => {
    expect(exportOf(() => [paragraph(text('a'), $createLineBreakNode(), text('b'), $createLineBreakNode())])).toBe(
      'a\\\nb\n',
    );
  });

  it('links, titles, autolinks, doc links and mentions', () => {
    expect(
      exportOf(() => [
        paragraph(
          $createLinkNode('https://x.com/a(b)', { title: 'say "hi"' }).append(text('x')),
          text(' '),
          $createLinkNode('/with space').append(text('y')),
          text(' '),
          $createLinkNode('https://z.com').append(text('https://z.com')),
          text(' '),
          $createAutoLinkNode('http://www.w.com').append(text('www.w.com')),
          text(' '),
          $createDocLinkNode('d1').append(text('Doc')),
          text(' '),
          $createMentionNode('ada'),
        ),
      ]),
    ).toBe('[x](https://x.com/a\\(b\\) "say \\"hi\\"") [y](</with space>) <https://z.com> www.w.com [Doc](/docs/d1) @ada\n');
  });

  it('formats shared by all of a link\'s text go around the link', () => {
    expect(exportOf(() => [paragraph($createLinkNode('/u').append(text('a', 'bold')))])).toBe('**[a](/u)**\n');
  });

  it('never writes unsafe links, even if the editor state holds one', () => {
    expect(exportOf(() => [paragraph($createLinkNode('javascript:alert(1)').append(text('x')))])).toBe('x\n');
  });
});

describe('escaping', () => {
  const tricky = [
    '*not emphasis*',
    '_not emphasis_',
    '**not strong**',
    '~~not deleted~~',
    '# not a heading',
    '## not a heading either ##',
    '> not a quote',
    '- not a list',
    '+ not a list',
    '* not a list',
    '1. not a list',
    '2) not a list',
    '---',
    '===',
    ':---',
    '| a | b |',
    '[not a link](http://x.com)',
    '![not an image](x.png)',
    '[ref]: /not-a-definition',
    '`not code`',
    '```',
    '~~~',
    '<div>not html</div>',
    '<https://not-an-autolink.com>',
    '&amp; &#65; &copy;',
    'back\\slash \\* \\\\',
    'snake_case_word and 2*3*4',
    '    four spaces',
    '\tleading tab',
    'trailing backslash\\',
    'a  \nb',
    '\u00a0nbsp',
  ];
  for (const value of tricky) {
    it(`keeps ${JSON.stringify(value)} as text`, () => {
      const expected = value === 'a  \nb' ? 'a\nb' : value.replace(/^ +/, '');
      expect(textAfterRoundTrip(value)).toBe(expected);
    });
  }

  it('leaves ordinary prose alone', () => {
    expect(exportOf(() => [paragraph(text('Hello, world. It costs 5 < 6 & a_b (really)!'))])).toBe(
      'Hello, world. It costs 5 < 6 & a_b (really)!\n',
    );
  });
});

describe('$blockMarkdowns', () => {
  it('gives one string per top-level block', () => {
    const editor = createHandoffHeadlessEditor();
    editor.update(() => $setRootFromMarkdown('# T\n\npara\n\n- a\n- b\n\n---'), { discrete: true });
    expect(editor.getEditorState().read($blockMarkdowns)).toEqual(['# T', 'para', '- a\n- b', '---']);
  });
});

describe('round trip', () => {
  it('keeps a representative document exactly', () => {
    const markdown = [
      '# Handoff *notes*',
      'Some **bold**, *italic*, ~~gone~~ and `code`; a [link](https://x.com "t") and @ada.\nSoft break\\\nhard break.',
      '> Quoted\n>\n> twice',
      '1. one\n2. two\n   - nested\n     - [ ] deeper',
      '- [ ] open\n- [x] closed',
      '```sh\nnpm test\n```',
      '---',
      '| a | b |\n| --- | ---: |\n| 1 | 2 |',
      'See [the plan](/docs/plan-1).',
    ].join('\n\n');
    expect(roundTrip(`${markdown}\n`)).toBe(`${markdown}\n`);
  });
});
