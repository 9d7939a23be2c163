import { $createCodeNode } from '@lexical/code';
import { $createHorizontalRuleNode } from '@lexical/extension';
import { $createAutoLinkNode, $createLinkNode } from '@lexical/link';
import { $createListItemNode, $createListNode, type ListItemNode, type ListNode } from '@lexical/list';
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
  type ElementNode,
  IS_BOLD,
  IS_CODE,
  IS_ITALIC,
  IS_STRIKETHROUGH,
  type LexicalNode,
} from 'lexical';
import type {
  Definition,
  List,
  ListItem,
  Nodes,
  PhrasingContent,
  Root,
  RootContent,
  Table,
} from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { $createDocLinkNode, docIdFromUrl } from '../lexical/DocLinkNode.ts';
import {
  attachmentIdFromUrl,
  isSafeImageSrc,
  looksLikeFileName,
  splitFileSize,
  splitImageWidth,
} from '../lexical/attachment-url.ts';
import { $createFileNode } from '../lexical/FileNode.ts';
import { $createImageNode } from '../lexical/ImageNode.ts';
import { $createMentionNode } from '../lexical/MentionNode.ts';
import { isSafeLinkUrl } from './safe-url.ts';

export interface MarkdownImportOptions {
  /**
   * Whether `@handle` names a workspace member. Only then does it become a MentionNode.
   * Default: every `@handle` (`@[a-z0-9_.-]+` at a word start, not inside an email address).
   */
  isKnownHandle?: (handle: string) => boolean;
  /**
   * The mdast tree of this very Markdown, parsed beforehand (e.g. in a worker thread with a time
   * limit, as the API does for large input); parsed here when absent.
   */
  tree?: Root;
}

interface ImportContext {
  source: string;
  isKnownHandle: (handle: string) => boolean;
  definitions: Map<string, Definition>;
}

/** The mdast tree of `markdown`: CommonMark plus GFM (tables, strikethrough, task lists, autolinks, footnotes). */
export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/**
 * Converts Markdown to top-level Lexical block nodes (not attached). Must run inside
 * `editor.update()` of an editor that registers `handoffNodes`.
 *
 * Lexical cannot hold everything Markdown can; what is lost:
 * - Block quotes hold inline content only: paragraphs inside a quote are joined by two line
 *   breaks (exported again as separate paragraphs of one quote); headings, list items, code
 *   blocks (as inline code lines) and table rows inside a quote are flattened into such
 *   paragraphs; nested quotes are flattened into the outer one.
 * - List items hold inline content and nested lists: several paragraphs of one item are joined by
 *   two line breaks like in quotes; other blocks in an item are flattened the same way. Loose and
 *   tight lists are not told apart (export writes tight lists). Two adjacent lists of the same
 *   kind merge into one. A list with any task item becomes a check list.
 * - Images (`![alt](src "caption")`) whose source is http(s) or a `/`-relative path become
 *   ImageNodes: the title is the caption and a `#w=<1..4096>` fragment is the width (see
 *   lexical/attachment-url.ts). Other safe sources (relative paths like `a.png`, `mailto:`…) become
 *   a link with the alt text (or the URL) as its text; `data:`, `javascript:` and other unsafe
 *   sources keep only their alt text. Images inside a link and reference-style images with an
 *   image source keep their alt text / become ImageNodes the same way (references lose their label).
 * - A link `[name](/api/attachments/<id>)` (relative or on an http(s) host, optional
 *   `#size=<bytes>`) with no title whose text is one plain, unformatted file-looking name
 *   (`report.pdf`) becomes a FileNode; any other link stays a link. A format around it is dropped.
 * - HTML blocks and inline HTML are kept as literal text, never as HTML.
 * - Link reference definitions are resolved into the links that use them; footnotes are kept as
 *   literal text (`[^1]`, `[^1]: …`).
 * - Soft line breaks stay as "\n" inside the text (the editor shows them as line breaks); hard
 *   line breaks become LineBreakNodes.
 */
export function $markdownToNodes(markdown: string, options: MarkdownImportOptions = {}): LexicalNode[] {
  const tree = options.tree ?? parseMarkdown(markdown);
  const context: ImportContext = {
    source: markdown,
    isKnownHandle: options.isKnownHandle ?? (() => true),
    definitions: new Map(),
  };
  collectDefinitions(tree, context.definitions);
  return $convertBlocks(tree.children, context);
}

/** Replaces the content of the root with the given Markdown. Must run inside `editor.update()`. */
export function $setRootFromMarkdown(markdown: string, options?: MarkdownImportOptions): void {
  const root = $getRoot();
  root.clear();
  const nodes = $markdownToNodes(markdown, options);
  if (nodes.length === 0) nodes.push($createParagraphNode());
  root.append(...nodes);
}

function collectDefinitions(tree: Root, definitions: Map<string, Definition>): void {
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'definition') {
      // The first definition of a label wins (CommonMark).
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
    } else if ('children' in node) {
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i];
        if (child) stack.push(child);
      }
    }
  }
}

function $convertBlocks(blocks: RootContent[], context: ImportContext): LexicalNode[] {
  const out: LexicalNode[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph': {
        out.push($createParagraphNode().append(...$convertInlines(block.children, 0, context, false)));
        break;
      }
      case 'heading': {
        const tag = `h${block.depth}` as const;
        out.push($createHeadingNode(tag).append(...$convertInlines(block.children, 0, context, false)));
        break;
      }
      case 'thematicBreak':
        out.push($createHorizontalRuleNode());
        break;
      case 'blockquote':
        out.push($createQuoteNode().append(...$joinParagraphs($flattenBlocks(block.children, context))));
        break;
      case 'list':
        out.push($convertList(block, context));
        break;
      case 'code':
        out.push($convertCode(block.value, block.lang ?? undefined));
        break;
      case 'table':
        out.push($convertTable(block, context));
        break;
      case 'html':
        out.push($createParagraphNode().append(...$textNodes(block.value, 0, context, false)));
        break;
      case 'definition':
        break;
      default:
        for (const inlines of $flattenBlocks([block], context)) {
          out.push($createParagraphNode().append(...inlines));
        }
    }
  }
  return out;
}

function $convertCode(value: string, language: string | undefined): LexicalNode {
  const code = $createCodeNode(language);
  value.split('\n').forEach((line, index) => {
    if (index > 0) code.append($createLineBreakNode());
    line.split('\t').forEach((part, tabIndex) => {
      if (tabIndex > 0) code.append($createTabNode());
      if (part !== '') code.append($createTextNode(part));
    });
  });
  return code;
}

function $convertList(list: List, context: ImportContext): ListNode {
  const isCheck = list.children.some((item) => typeof item.checked === 'boolean');
  const listType = isCheck ? 'check' : list.ordered ? 'number' : 'bullet';
  const node = $createListNode(listType, list.start ?? 1);
  for (const item of list.children) node.append(...$convertListItem(item, isCheck, context));
  return node;
}

/**
 * A Markdown list item becomes one ListItemNode with its inline content, followed by one
 * ListItemNode per nested list (Lexical's nesting: an item whose only child is a ListNode).
 */
function $convertListItem(item: ListItem, isCheck: boolean, context: ImportContext): ListItemNode[] {
  const out: ListItemNode[] = [];
  let current: ListItemNode | null = $createListItemNode(isCheck ? item.checked === true : undefined);
  let pending: RootContent[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    current ??= $createListItemNode(isCheck ? false : undefined);
    current.append(...$joinParagraphs($flattenBlocks(pending, context)));
    pending = [];
  };
  for (const child of item.children) {
    if (child.type === 'list') {
      flush();
      if (current) out.push(current);
      current = null;
      out.push($createListItemNode().append($convertList(child, context)));
    } else {
      pending.push(child);
    }
  }
  flush();
  if (current) out.push(current);
  return out;
}

function $convertTable(table: Table, context: ImportContext): LexicalNode {
  const node = $createTableNode();
  const columns = Math.max(1, ...table.children.map((row) => row.children.length));
  table.children.forEach((row, rowIndex) => {
    const rowNode = $createTableRowNode();
    for (let column = 0; column < columns; column++) {
      const cell = row.children[column];
      const header = rowIndex === 0 ? TableCellHeaderStates.ROW : TableCellHeaderStates.NO_STATUS;
      const paragraph = $createParagraphNode();
      if (cell) paragraph.append(...$convertInlines(cell.children, 0, context, false));
      const align = table.align?.[column];
      if (align) paragraph.setFormat(align satisfies ElementFormatType);
      rowNode.append($createTableCellNode(header).append(paragraph));
    }
    node.append(rowNode);
  });
  return node;
}

const PARAGRAPH_BREAK = 2;

/** Joins groups of inline nodes with two LineBreakNodes: a "paragraph" inside a quote or list item. */
function $joinParagraphs(groups: LexicalNode[][]): LexicalNode[] {
  const out: LexicalNode[] = [];
  groups.forEach((group, index) => {
    if (index > 0) for (let i = 0; i < PARAGRAPH_BREAK; i++) out.push($createLineBreakNode());
    out.push(...group);
  });
  return out;
}

/** Flattens blocks into groups of inline nodes, one group per paragraph-like unit. */
function $flattenBlocks(blocks: RootContent[], context: ImportContext): LexicalNode[][] {
  const groups: LexicalNode[][] = [];
  // Explicit stack, so that deeply nested quotes and lists cannot overflow the call stack.
  const stack: RootContent[] = [...blocks].reverse();
  for (let block = stack.pop(); block !== undefined; block = stack.pop()) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        groups.push($convertInlines(block.children, 0, context, false));
        break;
      case 'code': {
        const lines: LexicalNode[] = [];
        block.value.split('\n').forEach((line, index) => {
          if (index > 0) lines.push($createLineBreakNode());
          if (line !== '') lines.push($createTextNode(line).setFormat(IS_CODE));
        });
        groups.push(lines);
        break;
      }
      case 'html':
        groups.push($textNodes(block.value, 0, context, false));
        break;
      case 'table':
        for (const row of block.children) {
          const cells: LexicalNode[] = [];
          row.children.forEach((cell, index) => {
            if (index > 0) cells.push($createTextNode(' | '));
            cells.push(...$convertInlines(cell.children, 0, context, false));
          });
          groups.push(cells);
        }
        break;
      case 'footnoteDefinition': {
        const [first, ...rest] = block.children;
        const label = $createTextNode(`[^${block.label ?? block.identifier}]: `);
        if (first?.type === 'paragraph') {
          groups.push([label, ...$convertInlines(first.children, 0, context, false)]);
        } else {
          groups.push([label]);
          if (first) rest.unshift(first);
        }
        for (let i = rest.length - 1; i >= 0; i--) stack.push(rest[i]!);
        break;
      }
      case 'blockquote':
      case 'list':
      case 'listItem':
      case 'tableRow':
      case 'tableCell':
        for (let i = block.children.length - 1; i >= 0; i--) stack.push(block.children[i]!);
        break;
      case 'definition':
      case 'thematicBreak':
      case 'yaml':
        break;
      default:
        // Phrasing content in a block position (only hand-built trees have it).
        groups.push($convertInlines([block as PhrasingContent], 0, context, false));
    }
  }
  return groups.filter((group) => group.length > 0);
}

function $convertInlines(
  children: PhrasingContent[],
  format: number,
  context: ImportContext,
  inLink: boolean,
): LexicalNode[] {
  const out: LexicalNode[] = [];
  for (const child of children) {
    switch (child.type) {
      case 'text':
        out.push(...$textNodes(child.value, format, context, inLink));
        break;
      case 'emphasis':
        out.push(...$convertInlines(child.children, format | IS_ITALIC, context, inLink));
        break;
      case 'strong':
        out.push(...$convertInlines(child.children, format | IS_BOLD, context, inLink));
        break;
      case 'delete':
        out.push(...$convertInlines(child.children, format | IS_STRIKETHROUGH, context, inLink));
        break;
      case 'inlineCode':
        if (child.value !== '') out.push($createTextNode(child.value).setFormat(format | IS_CODE));
        break;
      case 'break':
        out.push($createLineBreakNode());
        break;
      case 'html':
        out.push(...$textNodes(child.value, format, context, inLink));
        break;
      case 'link': {
        const kind = linkKind(child, context.source);
        out.push(...$link(child.url, child.title, kind, child.children, format, context, inLink));
        break;
      }
      case 'linkReference': {
        const definition = context.definitions.get(child.identifier);
        if (definition) {
          out.push(...$link(definition.url, definition.title, 'link', child.children, format, context, inLink));
        } else {
          out.push(...$convertInlines(child.children, format, context, inLink));
        }
        break;
      }
      case 'image':
        out.push(...$image(child.url, child.title, child.alt, format, context, inLink));
        break;
      case 'imageReference': {
        const definition = context.definitions.get(child.identifier);
        if (definition) {
          out.push(...$image(definition.url, definition.title, child.alt, format, context, inLink));
        } else if (child.alt) {
          out.push(...$textNodes(child.alt, format, context, inLink));
        }
        break;
      }
      case 'footnoteReference':
        out.push($createTextNode(`[^${child.label ?? child.identifier}]`).setFormat(format));
        break;
      default:
        break;
    }
  }
  return out;
}

type LinkKind = 'link' | 'autolink';

/**
 * GFM literal autolinks (`www.x.com`, bare URLs and emails in text) become AutoLinkNodes, as if the
 * editor had detected them; `[text](url)` links and `<url>` autolinks become LinkNodes.
 */
function linkKind(link: { position?: { start: { offset?: number } } }, source: string): LinkKind {
  const offset = link.position?.start.offset;
  // The GFM literal-autolink transform makes its links without a position.
  if (offset === undefined) return 'autolink';
  const first = source[offset];
  return first === '[' || first === '<' ? 'link' : 'autolink';
}

function $link(
  url: string,
  title: string | null | undefined,
  kind: LinkKind,
  children: PhrasingContent[],
  format: number,
  context: ImportContext,
  inLink: boolean,
): LexicalNode[] {
  if (!inLink && kind === 'link' && !title) {
    const file = $fileNode(url, children);
    if (file) return [file];
  }
  const content = $convertInlines(children, format, context, true);
  if (inLink || !isSafeLinkUrl(url)) return content;
  const docId = docIdFromUrl(url);
  let link: ElementNode;
  if (docId !== null) link = $createDocLinkNode(docId);
  else if (kind === 'autolink') link = $createAutoLinkNode(url);
  else link = $createLinkNode(url, { title: title ?? null });
  return [link.append(...content)];
}

/** A FileNode for `[report.pdf](/api/attachments/<id>#size=…)`, or null when the link is no such thing. */
function $fileNode(url: string, children: PhrasingContent[]): LexicalNode | null {
  const only = children.length === 1 ? children[0] : undefined;
  if (only?.type !== 'text' || !looksLikeFileName(only.value)) return null;
  const { src, size } = splitFileSize(url);
  if (attachmentIdFromUrl(src) === null || !isSafeImageSrc(src)) return null;
  return $createFileNode({ src, name: only.value, size });
}

function $image(
  url: string,
  title: string | null | undefined,
  alt: string | null | undefined,
  format: number,
  context: ImportContext,
  inLink: boolean,
): LexicalNode[] {
  if (!inLink) {
    const { src, width } = splitImageWidth(url);
    if (isSafeImageSrc(src)) return [$createImageNode({ src, altText: alt ?? '', width, caption: title ?? '' })];
  }
  const safe = isSafeLinkUrl(url);
  const text = alt || (safe ? url : '');
  if (text === '') return [];
  const content = $textNodes(text, format, context, true);
  if (inLink || !safe) return content;
  return [$createLinkNode(url, { title: title ?? null }).append(...content)];
}

/**
 * A mention starts at a word start (not after a letter, digit, `_`, `.`, `+`, `-`, `@` — so not
 * inside an email address or another mention) and runs over `[a-z0-9_.-]`; trailing dots and
 * dashes are punctuation, not part of the handle.
 */
const MENTION = /(?<![\p{L}\p{N}_.+@-])@([a-z0-9_.-]*[a-z0-9_])(?![\p{L}\p{N}_@]|[.-][\p{L}\p{N}_])/gu;

/**
 * The `@handle`s written in plain text (a comment), by the same rule as the editor's mentions, in
 * order of first appearance. Code spans are not looked into by the caller's choice: pass the text.
 */
export function mentionedHandles(text: string): string[] {
  if (!text.includes('@')) return [];
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION)) seen.add(match[1]!);
  return [...seen];
}

function $textNodes(text: string, format: number, context: ImportContext, inLink: boolean): LexicalNode[] {
  if (text === '') return [];
  const out: LexicalNode[] = [];
  let last = 0;
  if (!inLink && text.includes('@')) {
    for (const match of text.matchAll(MENTION)) {
      const handle = match[1]!;
      if (!context.isKnownHandle(handle)) continue;
      if (match.index > last) out.push($createTextNode(text.slice(last, match.index)).setFormat(format));
      out.push($createMentionNode(handle).setFormat(format));
      last = match.index + match[0].length;
    }
  }
  if (last < text.length) out.push($createTextNode(text.slice(last)).setFormat(format));
  return out;
}

