import { $isCodeNode } from '@lexical/code';
import { $isHorizontalRuleNode } from '@lexical/extension';
import { $isAutoLinkNode, $isLinkNode } from '@lexical/link';
import { $isListItemNode, $isListNode } from '@lexical/list';
import { $isHeadingNode, $isQuoteNode } from '@lexical/rich-text';
import { $isTableCellNode, $isTableNode, $isTableRowNode, TableCellHeaderStates } from '@lexical/table';
import { $getRoot, $isElementNode, $isLineBreakNode, $isParagraphNode, $isTextNode, type LexicalNode } from 'lexical';
import { describe, expect, it } from 'vitest';
import { $isDocLinkNode } from '../lexical/DocLinkNode.ts';
import { $isFileNode } from '../lexical/FileNode.ts';
import { $isImageNode } from '../lexical/ImageNode.ts';
import { $isMentionNode } from '../lexical/MentionNode.ts';
import { createHandoffHeadlessEditor } from '../lexical/nodes.ts';
import { $markdownToNodes, $setRootFromMarkdown, type MarkdownImportOptions } from './markdown-import.ts';

/** A compact, readable picture of a Lexical subtree. */
function $shape(node: LexicalNode): unknown {
  if ($isMentionNode(node)) return { mention: node.getHandle(), ...(node.getFormat() ? { format: node.getFormat() } : {}) };
  if ($isTextNode(node)) return node.getFormat() ? { text: node.getTextContent(), format: node.getFormat() } : node.getTextContent();
  if ($isLineBreakNode(node)) return 'br';
  if ($isImageNode(node)) {
    const [width, caption] = [node.getWidth(), node.getCaption()];
    return { img: node.getSrc(), alt: node.getAltText(), ...(width !== null ? { width } : {}), ...(caption ? { caption } : {}) };
  }
  if ($isFileNode(node)) return { file: node.getSrc(), name: node.getName(), size: node.getSize() };
  if ($isHorizontalRuleNode(node)) return 'hr';
  if (!$isElementNode(node)) return node.getType();
  const children = node.getChildren().map($shape);
  if ($isDocLinkNode(node)) return { doc: node.getDocId(), children };
  if ($isAutoLinkNode(node)) return { autolink: node.getURL(), children };
  if ($isLinkNode(node)) return { link: node.getURL(), ...(node.getTitle() ? { title: node.getTitle() } : {}), children };
  if ($isHeadingNode(node)) return { [node.getTag()]: children };
  if ($isQuoteNode(node)) return { quote: children };
  if ($isCodeNode(node)) return { code: node.getTextContent(), language: node.getLanguage() ?? null };
  if ($isListNode(node)) return { list: node.getListType(), start: node.getStart(), items: children };
  if ($isListItemNode(node)) {
    const checked = node.getChecked();
    return checked === undefined ? children : { checked, children };
  }
  if ($isTableNode(node)) return { table: children };
  if ($isTableRowNode(node)) return children;
  if ($isTableCellNode(node)) {
    const header = node.hasHeaderState(TableCellHeaderStates.ROW);
    const paragraph = node.getFirstChild();
    const align = $isElementNode(paragraph) ? paragraph.getFormatType() : '';
    const content = $isElementNode(paragraph) ? paragraph.getChildren().map($shape) : [];
    return { [header ? 'th' : 'td']: content, ...(align ? { align } : {}) };
  }
  if ($isParagraphNode(node)) return { p: children };
  return { [node.getType()]: children };
}

/** Imports inside an update and returns the shape of the committed root (after Lexical's normalization). */
function importShape(markdown: string, options?: MarkdownImportOptions): unknown[] {
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $setRootFromMarkdown(markdown, options), { discrete: true });
  return editor.getEditorState().read(() => $getRoot().getChildren().map($shape));
}

const BOLD = 1;
const ITALIC = 2;
const STRIKE = 4;
const CODE = 16;

describe('$markdownToNodes: blocks', () => {
  it('headings 1–6 (ATX and setext)', () => {
    expect(importShape('# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six')).toEqual([
      { h1: ['One'] },
      { h2: ['Two'] },
      { h3: ['Three'] },
      { h4: ['Four'] },
      { h5: ['Five'] },
      { h6: ['Six'] },
    ]);
    expect(importShape('Title\n=====\n\nSub\n---')).toEqual([{ h1: ['Title'] }, { h2: ['Sub'] }]);
  });

  it('paragraphs, keeping soft line breaks as "\\n"', () => {
    expect(importShape('one\ntwo\n\nthree')).toEqual([{ p: ['one\ntwo'] }, { p: ['three'] }]);
  });

  it('returns detached nodes and an empty list for empty Markdown', () => {
    const editor = createHandoffHeadlessEditor();
    editor.update(
      () => {
        const nodes = $markdownToNodes('a\n\nb');
        expect(nodes).toHaveLength(2);
        expect(nodes.every((node) => node.getParent() === null)).toBe(true);
        expect($markdownToNodes('')).toEqual([]);
        expect($markdownToNodes('\n\n  \n')).toEqual([]);
      },
      { discrete: true },
    );
  });

  it('an empty document becomes one empty paragraph', () => {
    expect(importShape('')).toEqual([{ p: [] }]);
  });

  it('fenced code with its language, and indented code', () => {
    expect(importShape('```ts title="x"\nconst a = 1;\n\nreturn a;\n```')).toEqual([
      { code: 'const a = 1;\n\nreturn a;', language: 'ts' },
    ]);
    expect(importShape('    indented\n    code')).toEqual([{ code: 'indented\ncode', language: null }]);
    expect(importShape('~~~\n```\n~~~')).toEqual([{ code: '```', language: null }]);
  });

  it('thematic breaks', () => {
    expect(importShape('a\n\n---\n\n***\n\n___')).toEqual([{ p: ['a'] }, 'hr', 'hr', 'hr']);
  });

  it('block quotes hold inline content; paragraphs are joined by two line breaks', () => {
    expect(importShape('> one\n> two\n>\n> three')).toEqual([{ quote: ['one\ntwo', 'br', 'br', 'three'] }]);
  });

  it('block quotes flatten nested blocks (documented loss)', () => {
    expect(importShape('> # Title\n> - a\n> - b\n>\n> > nested\n>\n> ```\n> x\n> ```')).toEqual([
      {
        quote: ['Title', 'br', 'br', 'a', 'br', 'br', 'b', 'br', 'br', 'nested', 'br', 'br', { text: 'x', format: CODE }],
      },
    ]);
  });

  it('bullet, ordered (with start) and task lists', () => {
    expect(importShape('- a\n- b')).toEqual([{ list: 'bullet', start: 1, items: [['a'], ['b']] }]);
    expect(importShape('3. c\n4. d')).toEqual([{ list: 'number', start: 3, items: [['c'], ['d']] }]);
    expect(importShape('- [ ] todo\n- [x] done')).toEqual([
      {
        list: 'check',
        start: 1,
        items: [
          { checked: false, children: ['todo'] },
          { checked: true, children: ['done'] },
        ],
      },
    ]);
  });

  it('nested lists become list items holding a list', () => {
    expect(importShape('- a\n  1. b\n  2. c\n- d')).toEqual([
      {
        list: 'bullet',
        start: 1,
        items: [['a'], [{ list: 'number', start: 1, items: [['b'], ['c']] }], ['d']],
      },
    ]);
  });

  it('several paragraphs of one list item are joined by two line breaks', () => {
    expect(importShape('- a\n\n  more\n- b')).toEqual([
      { list: 'bullet', start: 1, items: [['a', 'br', 'br', 'more'], ['b']] },
    ]);
  });

  it('GFM tables with header cells and alignment', () => {
    expect(importShape('| a | *b* | c |\n|:--|:-:|--:|\n| 1 | 2 |\n')).toEqual([
      {
        table: [
          [
            { th: ['a'], align: 'left' },
            { th: [{ text: 'b', format: ITALIC }], align: 'center' },
            { th: ['c'], align: 'right' },
          ],
          [{ td: ['1'], align: 'left' }, { td: ['2'], align: 'center' }, { td: [], align: 'right' }],
        ],
      },
    ]);
  });

  it('HTML blocks stay literal text', () => {
    expect(importShape('<div onclick="x()">\n*hi*\n</div>')).toEqual([{ p: ['<div onclick="x()">\n*hi*\n</div>'] }]);
    expect(importShape('<script>alert(1)</script>')).toEqual([{ p: ['<script>alert(1)</script>'] }]);
  });

  it('footnotes stay literal text', () => {
    expect(importShape('a[^1]\n\n[^1]: note')).toEqual([{ p: ['a[^1]'] }, { p: ['[^1]: note'] }]);
  });
});

describe('$markdownToNodes: inline', () => {
  it('emphasis, strong, strikethrough and code become text formats', () => {
    expect(importShape('*i* **b** ~~s~~ `c` ***bi*** **`bc`**')).toEqual([
      {
        p: [
          { text: 'i', format: ITALIC },
          ' ',
          { text: 'b', format: BOLD },
          ' ',
          { text: 's', format: STRIKE },
          ' ',
          { text: 'c', format: CODE },
          ' ',
          { text: 'bi', format: BOLD | ITALIC },
          ' ',
          { text: 'bc', format: BOLD | CODE },
        ],
      },
    ]);
  });

  it('hard line breaks become LineBreakNodes', () => {
    expect(importShape('a\\\nb  \nc')).toEqual([{ p: ['a', 'br', 'b', 'br', 'c'] }]);
  });

  it('links keep URL, title and formatted text', () => {
    expect(importShape('[a **b**](https://x.com/p?q=1 "T")')).toEqual([
      { p: [{ link: 'https://x.com/p?q=1', title: 'T', children: ['a ', { text: 'b', format: BOLD }] }] },
    ]);
  });

  it('reference links are resolved', () => {
    expect(importShape('[a][ref] and [ref]\n\n[REF]: /u "t"')).toEqual([
      { p: [{ link: '/u', title: 't', children: ['a'] }, ' and ', { link: '/u', title: 't', children: ['ref'] }] },
    ]);
  });

  it('<url> autolinks are links; GFM literal autolinks are AutoLinkNodes', () => {
    expect(importShape('<https://a.com> www.b.com https://c.com/x c@d.com')).toEqual([
      {
        p: [
          { link: 'https://a.com', children: ['https://a.com'] },
          ' ',
          { autolink: 'http://www.b.com', children: ['www.b.com'] },
          ' ',
          { autolink: 'https://c.com/x', children: ['https://c.com/x'] },
          ' ',
          { autolink: 'mailto:c@d.com', children: ['c@d.com'] },
        ],
      },
    ]);
  });

  it('links to /docs/<id> become DocLinkNodes', () => {
    expect(importShape('see [Plan](/docs/abc123)')).toEqual([{ p: ['see ', { doc: 'abc123', children: ['Plan'] }] }]);
  });

  it('images with an http(s) or /-relative source become ImageNodes: title = caption, #w= = width', () => {
    expect(importShape('![A cat](https://x.com/cat.png "t") ![](/i.png) ![w](/api/attachments/a1#w=320)')).toEqual([
      {
        p: [
          { img: 'https://x.com/cat.png', alt: 'A cat', caption: 't' },
          ' ',
          { img: '/i.png', alt: '' },
          ' ',
          { img: '/api/attachments/a1', alt: 'w', width: 320 },
        ],
      },
    ]);
  });

  it('a #w= fragment that is no canonical width stays part of the source', () => {
    expect(importShape('![a](/a.png#w=0) ![b](/b.png#w=4097) ![c](/c.png#w=032) ![d](/d.png#x)')).toEqual([
      {
        p: [
          { img: '/a.png#w=0', alt: 'a' },
          ' ',
          { img: '/b.png#w=4097', alt: 'b' },
          ' ',
          { img: '/c.png#w=032', alt: 'c' },
          ' ',
          { img: '/d.png#x', alt: 'd' },
        ],
      },
    ]);
  });

  it('images with other safe sources stay links; unsafe ones and images inside links keep their alt text', () => {
    expect(importShape('![rel](cat.png) ![](//evil.example/x.png) ![js](javascript:alert(1)) ![d](data:image/png;base64,AAA) [![in](/i.png)](/x)')).toEqual([
      {
        p: [
          { link: 'cat.png', children: ['rel'] },
          ' ',
          { link: '//evil.example/x.png', children: ['//evil.example/x.png'] },
          ' js d ',
          { link: '/x', children: ['in'] },
        ],
      },
    ]);
  });

  it('links to an attachment with a file name become FileNodes; other links stay links', () => {
    expect(
      importShape(
        '[report.pdf](/api/attachments/abc#size=2458624) [a.zip](https://h.example/api/attachments/x_1) ' +
          '[the report](/api/attachments/abc) [b.pdf](/files/b.pdf) [c.pdf](/api/attachments/abc "t") [**d.pdf**](/api/attachments/d)',
      ),
    ).toEqual([
      {
        p: [
          { file: '/api/attachments/abc', name: 'report.pdf', size: 2458624 },
          ' ',
          { file: 'https://h.example/api/attachments/x_1', name: 'a.zip', size: null },
          ' ',
          { link: '/api/attachments/abc', children: ['the report'] },
          ' ',
          { link: '/files/b.pdf', children: ['b.pdf'] },
          ' ',
          { link: '/api/attachments/abc', title: 't', children: ['c.pdf'] },
          ' ',
          { link: '/api/attachments/d', children: [{ text: 'd.pdf', format: BOLD }] },
        ],
      },
    ]);
  });

  it('unsafe URLs never become links: the text stays', () => {
    const shapes = importShape(
      '[a](javascript:alert(1)) [b](JavaScript:alert(1)) [c](vbscript:x) [d](data:text/html,x) ' +
        '<javascript:alert(1)> ![e](data:image/png;base64,AAA) [f](&#106;avascript:x) [g](java&#x09;script:x) [h](file:///etc/passwd)',
    );
    expect(JSON.stringify(shapes)).not.toContain('"link"');
    expect(shapes).toEqual([
      { p: ['a b c d javascript:alert(1) e f g h'] },
    ]);
  });

  it('inline HTML stays literal text', () => {
    expect(importShape('a <img src=x onerror=alert(1)> <b>b</b>')).toEqual([
      { p: ['a <img src=x onerror=alert(1)> <b>b</b>'] },
    ]);
  });
});

describe('$markdownToNodes: mentions', () => {
  it('by default every @handle at a word start is a mention', () => {
    expect(importShape('hi @ada and @grace.h, @bob-c.')).toEqual([
      { p: ['hi ', { mention: 'ada' }, ' and ', { mention: 'grace.h' }, ', ', { mention: 'bob-c' }, '.'] },
    ]);
  });

  it('email addresses and mid-word @ are not mentions', () => {
    expect(importShape('mail a@b.co or x@y, not@me')).toEqual([
      { p: ['mail ', { autolink: 'mailto:a@b.co', children: ['a@b.co'] }, ' or x@y, not@me'] },
    ]);
  });

  it('only known handles become mentions when isKnownHandle is given', () => {
    const isKnownHandle = (handle: string) => handle === 'ada';
    expect(importShape('@ada @eve', { isKnownHandle })).toEqual([{ p: [{ mention: 'ada' }, ' @eve'] }]);
  });

  it('keeps the surrounding format, and is never made inside links or code', () => {
    expect(importShape('**@ada** [@ada](/x) `@ada`')).toEqual([
      {
        p: [
          { mention: 'ada', format: BOLD },
          ' ',
          { link: '/x', children: ['@ada'] },
          ' ',
          { text: '@ada', format: CODE },
        ],
      },
    ]);
  });

  it('handles must end in a letter, digit or underscore and not run into other letters', () => {
    expect(importShape('@a_ @Bob @bobX @x.y.')).toEqual([{ p: [{ mention: 'a_' }, ' @Bob @bobX ', { mention: 'x.y' }, '.'] }]);
  });
});
