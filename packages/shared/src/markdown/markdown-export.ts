import { $isCodeNode, type CodeNode } from '@lexical/code';
import { $isHorizontalRuleNode } from '@lexical/extension';
import { $isAutoLinkNode, $isLinkNode, type LinkNode } from '@lexical/link';
import { $isListItemNode, $isListNode, type ListItemNode, type ListNode } from '@lexical/list';
import { $isHeadingNode, $isQuoteNode, type HeadingNode } from '@lexical/rich-text';
import { $isTableCellNode, $isTableNode, $isTableRowNode, type TableNode } from '@lexical/table';
import {
  $getRoot,
  $isDecoratorNode,
  $isElementNode,
  $isLineBreakNode,
  $isTextNode,
  type ElementNode,
  IS_BOLD,
  IS_CODE,
  IS_ITALIC,
  IS_STRIKETHROUGH,
  type LexicalNode,
} from 'lexical';
import { isSafeImageSrc, joinFileSize, joinImageWidth } from '../lexical/attachment-url.ts';
import { $isFileNode, type FileNode } from '../lexical/FileNode.ts';
import { $isImageNode, type ImageNode } from '../lexical/ImageNode.ts';
import { autolink, codeSpan, escapeDestination, escapeText, escapeTitle, literalAutolink } from './escape.ts';
import { isSafeLinkUrl } from './safe-url.ts';

/**
 * Lexical -> CommonMark/GFM.
 *
 * - Text formats: bold `**`, italic `*`, strikethrough `~~`, code as a code span; underline,
 *   highlight, sub- and superscript have no Markdown and are dropped.
 * - Soft line breaks ("\n" in text) stay soft; LineBreakNodes are hard breaks (`\` + newline),
 *   except at the end of a block where Markdown cannot express them. Inside quotes and list
 *   items two LineBreakNodes in a row separate paragraphs (see the importer).
 * - Empty paragraphs are left out. Headings 1–2 with line breaks use the setext form; in headings
 *   3–6 line breaks become spaces. Tables are GFM pipe tables whose first row is the header.
 * - ImageNodes are `![alt](src#w=<width> "caption")`, FileNodes `[name](src#size=<bytes>)` (see
 *   lexical/attachment-url.ts and the importer); line breaks in alt text become spaces. One whose
 *   src is not a safe image/attachment source is written as its alt text or name.
 */

const FORMAT_BITS = [IS_STRIKETHROUGH, IS_BOLD, IS_ITALIC] as const;
const MARKDOWN_FORMATS = IS_STRIKETHROUGH | IS_BOLD | IS_ITALIC;
const MARKERS: Record<number, string> = { [IS_STRIKETHROUGH]: '~~', [IS_BOLD]: '**', [IS_ITALIC]: '*' };

/** Where inline content goes: that decides what a line break can be. */
type InlineMode =
  | 'block' // paragraph or setext heading: hard breaks allowed
  | 'container' // quote or list item: two breaks in a row separate paragraphs
  | 'line' // ATX heading: one line, breaks become spaces
  | 'cell'; // table cell: one line, `|` escaped everywhere

type Item =
  | { kind: 'text'; text: string; format: number }
  | { kind: 'code'; text: string; format: number }
  | { kind: 'break' }
  | { kind: 'paragraph' }
  | { kind: 'link'; node: LinkNode; format: number }
  | { kind: 'embed'; markdown: string };

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'raw'; text: string }
  | { kind: 'open' | 'close'; bit: number }
  | { kind: 'break' }
  | { kind: 'paragraph' };

/** Placeholder line for a paragraph break inside a quote or list item (survives blank-line removal). */
const PARAGRAPH_MARK = '\u0000';

// ---------------------------------------------------------------------------------------------
// Inline content

function $collectItems(nodes: LexicalNode[], mode: InlineMode, mask: number, out: Item[]): Item[] {
  for (const node of nodes) {
    if ($isLineBreakNode(node)) {
      out.push(mode === 'line' || mode === 'cell' ? { kind: 'text', text: ' ', format: 0 } : { kind: 'break' });
    } else if ($isTextNode(node)) {
      const raw = node.getFormat();
      const format = raw & MARKDOWN_FORMATS & mask;
      let text = node.getTextContent();
      if (mode === 'line' || mode === 'cell') text = text.replace(/\r?\n|\r/g, ' ');
      if (text === '') continue;
      const kind = raw & IS_CODE ? 'code' : 'text';
      const last = out.at(-1);
      // Neighbours that differ only in formats Markdown lacks (underline…) are one run here;
      // two code spans side by side would even run into each other's backticks.
      if (last?.kind === kind && last.format === format) last.text += text;
      else out.push({ kind, text, format });
    } else if ($isLinkNode(node)) {
      if (!isSafeLinkUrl(node.getURL())) {
        $collectItems(node.getChildren(), mode, mask, out);
      } else {
        out.push({ kind: 'link', node, format: $commonFormat(node) & mask });
      }
    } else if ($isImageNode(node) || $isFileNode(node)) {
      if (isSafeImageSrc(node.getSrc())) {
        out.push({ kind: 'embed', markdown: $isImageNode(node) ? $imageMarkdown(node) : $fileMarkdown(node) });
      } else {
        const text = node.getTextContent();
        if (text !== '') out.push({ kind: 'text', text, format: 0 });
      }
    } else if ($isElementNode(node)) {
      if (!node.isInline() && out.length > 0) {
        out.push(mode === 'container' ? { kind: 'paragraph' } : { kind: 'text', text: ' ', format: 0 });
      }
      $collectItems(node.getChildren(), mode, mask, out);
    } else {
      const text = node.getTextContent();
      if (text !== '') out.push({ kind: 'text', text, format: 0 });
    }
  }
  return out;
}

/** The Markdown formats every text inside a link shares: written around the link, not inside it. */
function $commonFormat(link: ElementNode): number {
  let common = MARKDOWN_FORMATS;
  let sawText = false;
  const stack: LexicalNode[] = [...link.getChildren()];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if ($isTextNode(node)) {
      sawText = true;
      common &= node.getFormat();
    } else if ($isElementNode(node)) {
      stack.push(...node.getChildren());
    }
  }
  return sawText ? common : 0;
}

/** Two breaks in a row inside a quote or list item are a paragraph break; breaks at either end go. */
function normalizeBreaks(items: Item[], mode: InlineMode): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (mode === 'container' && item.kind === 'break' && items[i + 1]?.kind === 'break') {
      let run = 0;
      while (items[i + run]?.kind === 'break') run++;
      out.push({ kind: 'paragraph' });
      if (run % 2 === 1) out.push({ kind: 'break' });
      i += run - 1;
      continue;
    }
    out.push(item);
  }
  // A hard break or paragraph break at the end of a block cannot be written; one at the start of a
  // paragraph can only be a hard break.
  const isTrailingBlank = (item: Item) =>
    item.kind === 'break' || item.kind === 'paragraph' || (item.kind === 'text' && /^[ \t\n]*$/.test(item.text));
  while (out.length > 0 && isTrailingBlank(out.at(-1)!)) out.pop();
  while (out.length > 0 && out[0]!.kind === 'paragraph') out.shift();
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.kind === 'break' && out[i + 1]?.kind === 'paragraph') out.splice(i, 1);
  }
  return out;
}

function formatOf(item: Item | undefined): number {
  return item && (item.kind === 'text' || item.kind === 'code' || item.kind === 'link') ? item.format : 0;
}

/** Turns items into tokens, opening and closing emphasis markers as formats start and end. */
function toTokens(items: Item[], mode: InlineMode): Token[] {
  const tokens: Token[] = [];
  const stack: number[] = [];
  const targetOf = (index: number): number => {
    const item = items[index]!;
    if (item.kind === 'paragraph') return 0;
    // Keep formats that continue across a hard break open; close the others before it.
    // Hard breaks and images/files: keep formats that continue across them open.
    if (item.kind === 'break' || item.kind === 'embed') return formatOf(items[index - 1]) & formatOf(items[index + 1]);
    return item.format;
  };
  const runLength = (index: number, bit: number): number => {
    let length = 0;
    while (index + length < items.length && targetOf(index + length) & bit) length++;
    return length;
  };
  items.forEach((item, index) => {
    const target = targetOf(index);
    let keep = 0;
    while (keep < stack.length && target & stack[keep]!) keep++;
    while (stack.length > keep) tokens.push({ kind: 'close', bit: stack.pop()! });
    const open = FORMAT_BITS.filter((bit) => target & bit && !stack.includes(bit)).sort(
      (a, b) => runLength(index, b) - runLength(index, a),
    );
    for (const bit of open) {
      tokens.push({ kind: 'open', bit });
      stack.push(bit);
    }
    switch (item.kind) {
      case 'text':
        tokens.push({ kind: 'text', text: item.text });
        break;
      case 'code':
        tokens.push({ kind: 'code', text: item.text });
        break;
      case 'break':
      case 'paragraph':
        tokens.push({ kind: item.kind });
        break;
      case 'link':
        tokens.push({ kind: 'raw', text: $linkMarkdown(item.node, item.format, mode) });
        break;
      case 'embed':
        tokens.push({ kind: 'raw', text: mode === 'cell' ? item.markdown.replace(/\|/g, '\\|') : item.markdown });
        break;
    }
  });
  while (stack.length > 0) tokens.push({ kind: 'close', bit: stack.pop()! });
  return moveWhitespaceOutOfMarkers(tokens);
}

const LEADING_SPACE = /^\s+/;
const TRAILING_SPACE = /(?<!\s)\s+$/;

/**
 * Emphasis cannot start before or end after whitespace (`** a **` is not bold), so whitespace at
 * the edges of a formatted run moves outside the markers, and markers left around nothing go.
 * Repeated until nothing changes: dropping empty markers can bring new whitespace to an edge.
 */
function moveWhitespaceOutOfMarkers(input: Token[]): Token[] {
  let tokens = input;
  for (let round = 0; round <= input.length; round++) {
    const { tokens: next, changed } = normalizeTokensOnce(tokens);
    tokens = next;
    if (!changed) break;
  }
  return tokens;
}

function normalizeTokensOnce(input: Token[]): { tokens: Token[]; changed: boolean } {
  let changed = false;
  // Merge neighbouring texts, drop empty ones and markers that enclose nothing.
  const out: Token[] = [];
  for (const token of input) {
    const last = out.at(-1);
    if (token.kind === 'text') {
      if (token.text === '') {
        changed = true;
        continue;
      }
      if (last?.kind === 'text') {
        out[out.length - 1] = { kind: 'text', text: last.text + token.text };
        continue;
      }
    }
    if (token.kind === 'close' && last?.kind === 'open' && last.bit === token.bit) {
      out.pop();
      changed = true;
      continue;
    }
    out.push(token);
  }
  for (let i = 0; i < out.length; i++) {
    const token = out[i]!;
    if (token.kind === 'open' && out[i - 1]?.kind !== 'open') {
      let j = i;
      while (out[j]?.kind === 'open') j++;
      const next = out[j];
      const space = next?.kind === 'text' ? LEADING_SPACE.exec(next.text)?.[0] : undefined;
      if (next?.kind === 'break') {
        out.splice(j, 1);
        out.splice(i, 0, next);
        changed = true;
        i = j;
      } else if (next?.kind === 'text' && space) {
        out[j] = { kind: 'text', text: next.text.slice(space.length) };
        out.splice(i, 0, { kind: 'text', text: space });
        changed = true;
        i = j;
      }
    } else if (token.kind === 'close' && out[i - 1]?.kind === 'break') {
      // A run cannot close at the start of a line: close before the hard break instead.
      let j = i;
      while (out[j]?.kind === 'close') j++;
      const [lineBreak] = out.splice(i - 1, 1);
      out.splice(j - 1, 0, lineBreak!);
      changed = true;
      i = j - 1;
    } else if (token.kind === 'close' && out[i - 1]?.kind === 'text') {
      const previous = out[i - 1] as { kind: 'text'; text: string };
      const space = TRAILING_SPACE.exec(previous.text)?.[0];
      if (space) {
        let j = i;
        while (out[j]?.kind === 'close') j++;
        out[i - 1] = { kind: 'text', text: previous.text.slice(0, -space.length) };
        out.splice(j, 0, { kind: 'text', text: space });
        changed = true;
        i = j;
      }
    }
  }
  return { tokens: out, changed };
}

function firstChar(token: Token | undefined): string {
  if (!token) return '';
  switch (token.kind) {
    case 'text':
    case 'raw':
      return token.text[0] ?? '';
    case 'code':
      return '`';
    case 'open':
    case 'close':
      return MARKERS[token.bit]![0]!;
    case 'break':
      return '\\';
    case 'paragraph':
      return '\n';
  }
}

const PUNCTUATION = /^[\p{P}\p{S}]$/u;
const WHITESPACE = /^\s$/u;

/** How a character counts for emphasis flanking: 'space' (also the block edge), 'punct' or 'other'. */
function flankClass(char: string): 'space' | 'punct' | 'other' {
  if (char === '' || WHITESPACE.test(char)) return 'space';
  return PUNCTUATION.test(char) ? 'punct' : 'other';
}

function lastCodePoint(text: string): string {
  const last = text.codePointAt(text.length - 1);
  if (last === undefined) return '';
  // A low surrogate: take the whole pair.
  return last >= 0xdc00 && last <= 0xdfff && text.length > 1 ? text.slice(-2) : text.slice(-1);
}

function characterReference(char: string): string {
  return `&#${char.codePointAt(0)};`;
}

/**
 * Makes a run of emphasis markers between two characters able to do what it must. CommonMark
 * decides whether `*`, `**` or `~~` may open or close by the characters around each delimiter run
 * ("flanking"): `a**"b"**` cannot open and `"a"**b` cannot close. Writing the letter on the bad side
 * as a character reference (`&#97;`) puts punctuation there and fixes it. Returns which neighbour
 * to encode.
 */
function flankingFixes(
  markers: Array<{ text: string; opens: boolean }>,
  before: string,
  after: string,
): { encodeBefore: boolean; encodeAfter: boolean } {
  // Group the markers into delimiter runs: adjacent markers of the same character.
  const groups: Array<{ opens: boolean; closes: boolean }> = [];
  let lastChar = '';
  for (const marker of markers) {
    const char = marker.text[0]!;
    if (char !== lastChar || groups.length === 0) groups.push({ opens: false, closes: false });
    const group = groups.at(-1)!;
    if (marker.opens) group.opens = true;
    else group.closes = true;
    lastChar = char;
  }
  let encodeBefore = false;
  let encodeAfter = false;
  groups.forEach((group, index) => {
    const first = index === 0;
    const last = index === groups.length - 1;
    const previous = first ? flankClass(before) : 'punct';
    const next = last ? flankClass(after) : 'punct';
    // Left-flanking (may open): not before space, and not before punctuation unless after space or punctuation.
    if (group.opens && next === 'punct' && previous === 'other' && first) encodeBefore = true;
    // Right-flanking (may close): not after space, and not after punctuation unless before space or punctuation.
    if (group.closes && previous === 'punct' && next === 'other' && last) encodeAfter = true;
  });
  return { encodeBefore, encodeAfter };
}

function renderTokens(tokens: Token[], mode: InlineMode, before: string): string {
  let out = '';
  let encodeNext = false;
  // Marker runs written so far, by position in `out`, to re-check when a neighbour gets encoded.
  const runs: Array<{ start: number; end: number; markers: Array<{ text: string; opens: boolean }>; before: string }> = [];

  /** Writes the character that ends at `end` as a character reference, fixing runs it touches. */
  const encodeCharEndingAt = (end: number): void => {
    const char = lastCodePoint(out.slice(0, end));
    if (flankClass(char) !== 'other') return;
    const start = end - char.length;
    // An unescaped backslash before it would now escape the `&`.
    let slashes = 0;
    while (start - slashes > 0 && out[start - slashes - 1] === '\\') slashes++;
    const reference = (slashes % 2 === 1 ? '\\' : '') + characterReference(char);
    out = out.slice(0, start) + reference + out.slice(end);
    const shift = reference.length - char.length;
    for (const run of runs) {
      if (run.start >= end) {
        run.start += shift;
        run.end += shift;
      }
    }
    // A run that opens just before this character now has punctuation after it.
    const touched = runs.find((run) => run.end === start);
    if (touched && flankingFixes(touched.markers, touched.before, '&').encodeBefore && touched.start > 0) {
      touched.before = ';';
      encodeCharEndingAt(touched.start);
    }
  };

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    switch (token.kind) {
      case 'open':
      case 'close': {
        const markers: Array<{ text: string; opens: boolean }> = [];
        let j = index;
        for (let marker = tokens[j]; marker?.kind === 'open' || marker?.kind === 'close'; marker = tokens[++j]) {
          markers.push({ text: MARKERS[marker.bit]!, opens: marker.kind === 'open' });
        }
        const next = tokens[j];
        const previous = lastCodePoint(out) || before;
        const fixes = flankingFixes(markers, previous, firstChar(next));
        let runBefore = previous;
        if (fixes.encodeBefore && out !== '') {
          encodeCharEndingAt(out.length);
          runBefore = ';';
        }
        encodeNext = fixes.encodeAfter && next?.kind === 'text';
        const text = markers.map((marker) => marker.text).join('');
        runs.push({ start: out.length, end: out.length + text.length, markers, before: runBefore });
        out += text;
        index = j - 1;
        break;
      }
      case 'text': {
        let text = token.text;
        let prefix = '';
        if (encodeNext) {
          const first = String.fromCodePoint(text.codePointAt(0)!);
          prefix = characterReference(first);
          text = text.slice(first.length);
          encodeNext = false;
        }
        out +=
          prefix +
          escapeText(text, {
            atLineStart: prefix === '' && (before === '' ? out === '' || out.endsWith('\n') : out.endsWith('\n')),
            before: prefix === '' ? (out.at(-1) ?? before) : ';',
            after: firstChar(tokens[index + 1]),
          });
        break;
      }
      case 'code': {
        let trailing = 0;
        while (out[out.length - 1 - trailing] === '`') trailing++;
        let span = codeSpan(token.text, trailing);
        if (mode === 'cell') span = span.replace(/\|/g, '\\|');
        out += span;
        break;
      }
      case 'raw':
        out += token.text;
        break;
      case 'break':
        out += '\\\n';
        break;
      case 'paragraph':
        out += `\n${PARAGRAPH_MARK}\n`;
        break;
    }
  }
  return out;
}

function $linkMarkdown(link: LinkNode, hoisted: number, mode: InlineMode): string {
  const items = $collectItems(link.getChildren(), mode === 'container' ? 'block' : mode, ~hoisted, []);
  const url = link.getURL();
  const title = link.getTitle();
  const only = items.length === 1 ? items[0] : undefined;
  if (!title && only?.kind === 'text' && only.format === 0) {
    const auto = ($isAutoLinkNode(link) ? literalAutolink(only.text, url) : null) ?? autolink(only.text, url);
    if (auto !== null) return mode === 'cell' ? auto.replace(/\|/g, '\\|') : auto;
  }
  const text = renderTokens(toTokens(normalizeBreaks(items, 'block'), mode), mode, '[');
  let destination = escapeDestination(url);
  let titlePart = title ? ` ${escapeTitle(title)}` : '';
  if (mode === 'cell') {
    destination = destination.replace(/\|/g, '\\|');
    titlePart = titlePart.replace(/\|/g, '\\|');
  }
  return `[${text}](${destination}${titlePart})`;
}

function labelMarkdown(text: string): string {
  return escapeText(text.replace(/\r?\n|\r/g, ' '), { atLineStart: false, before: '[', after: ']' });
}

function $imageMarkdown(image: ImageNode): string {
  const caption = image.getCaption();
  const destination = escapeDestination(joinImageWidth(image.getSrc(), image.getWidth()));
  return `![${labelMarkdown(image.getAltText())}](${destination}${caption ? ` ${escapeTitle(caption)}` : ''})`;
}

function $fileMarkdown(file: FileNode): string {
  return `[${labelMarkdown(file.getName())}](${escapeDestination(joinFileSize(file.getSrc(), file.getSize()))})`;
}

/**
 * Finishes rendered inline Markdown: strips the blanks at the start and end of each line (the
 * parser drops them, and four leading spaces would make code), drops lines left blank (they would
 * end the paragraph) and turns paragraph marks into blank lines.
 */
function finishLines(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/^ +/, '')
        .replace(/(?<![\t ])[\t ]+$/, '')
        // A leading tab or other white space (no-break space…) would be dropped by parsers.
        .replace(/^\s/u, (char) => `&#${char.codePointAt(0)};`)
        .replace(/(?<=[^ \t])[^\S \t]$/u, (char) => `&#${char.codePointAt(0)};`),
    )
    .filter((line) => line !== '')
    .map((line) => (line === PARAGRAPH_MARK ? '' : line))
    .join('\n');
}

/** The Markdown of inline content (children of a paragraph, heading, quote, list item or cell). */
function $inlineMarkdown(nodes: LexicalNode[], mode: InlineMode): string {
  const items = normalizeBreaks($collectItems(nodes, mode, ~0, []), mode);
  return finishLines(renderTokens(toTokens(items, mode), mode, ''));
}

// ---------------------------------------------------------------------------------------------
// Blocks

interface BlockOptions {
  /** Use the alternative list markers (`*`, `)`), so that this list does not merge with the one before. */
  alternateMarkers: boolean;
}

function $headingMarkdown(heading: HeadingNode): string {
  const level = Number(heading.getTag().slice(1));
  const children = heading.getChildren();
  const multiline = children.some(
    (child) => $isLineBreakNode(child) || ($isTextNode(child) && child.getTextContent().includes('\n')),
  );
  if (level <= 2 && multiline) {
    const content = $inlineMarkdown(children, 'block');
    if (content !== '') return `${content}\n${level === 1 ? '===' : '---'}`;
  }
  let content = $inlineMarkdown(children, 'line');
  // A closing sequence of `#` would be dropped by the parser.
  content = content.replace(/(^|[ \t])(#+[ \t]*)$/, '$1\\$2');
  const hashes = '#'.repeat(level);
  return content === '' ? hashes : `${hashes} ${content}`;
}

function $codeMarkdown(code: CodeNode): string {
  const text = code.getTextContent();
  const language = (code.getLanguage() ?? '').trim().split(/\s+/)[0] ?? '';
  const char = language.includes('`') ? '~' : '`';
  const longest = Math.max(0, ...(text.match(char === '`' ? /`+/g : /~+/g) ?? []).map((run) => run.length));
  const fence = char.repeat(Math.max(3, longest + 1));
  return text === '' ? `${fence}${language}\n${fence}` : `${fence}${language}\n${text}\n${fence}`;
}

function prefixLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, index) => (line === '' ? (index === 0 ? first.trimEnd() : rest.trimEnd()) : (index === 0 ? first : rest) + line))
    .join('\n');
}

function $quoteMarkdown(quote: ElementNode): string {
  const content = $inlineMarkdown(quote.getChildren(), 'container');
  return content === '' ? '>' : prefixLines(content, '> ', '> ');
}

function isNestedListItem(item: LexicalNode): item is ListItemNode {
  if (!$isListItemNode(item)) return false;
  const children = item.getChildren();
  return children.length === 1 && $isListNode(children[0]);
}

function $listMarkdown(list: ListNode, options: BlockOptions): string {
  const type = list.getListType();
  let number = Math.min(Math.max(0, Math.trunc(list.getStart())), 999_999_999);
  const entries: Array<{ marker: string; width: number; body: string; nested: string[] }> = [];
  const newEntry = (item: ListItemNode | null) => {
    let marker: string;
    let width: number;
    if (type === 'number') {
      marker = `${number}${options.alternateMarkers ? ')' : '.'}`;
      width = marker.length + 1;
      number = Math.min(number + 1, 999_999_999);
    } else {
      marker = options.alternateMarkers ? '*' : '-';
      width = 2;
      if (type === 'check') marker += item?.getChecked() ? ' [x]' : ' [ ]';
    }
    const entry = { marker, width, body: '', nested: [] as string[] };
    entries.push(entry);
    return entry;
  };
  for (const child of list.getChildren()) {
    if (isNestedListItem(child)) {
      const nested = child.getFirstChildOrThrow<ListNode>();
      const entry = entries.at(-1) ?? newEntry(null);
      entry.nested.push($listMarkdown(nested, { alternateMarkers: false }));
      continue;
    }
    const entry = newEntry($isListItemNode(child) ? child : null);
    entry.body = $isElementNode(child) ? $inlineMarkdown(child.getChildren(), 'container') : $inlineMarkdown([child], 'container');
  }
  return entries
    .map((entry) => {
      const indent = ' '.repeat(entry.width);
      const parts = [entry.body === '' ? entry.marker : prefixLines(entry.body, `${entry.marker} `, indent)];
      for (const nested of entry.nested) parts.push(prefixLines(nested, indent, indent));
      return parts.join('\n');
    })
    .join('\n');
}

function $tableMarkdown(table: TableNode): string {
  const rows = table.getChildren().filter($isTableRowNode);
  const cells = rows.map((row) =>
    row
      .getChildren()
      .filter($isTableCellNode)
      .map((cell) => $inlineMarkdown(cell.getChildren(), 'cell')),
  );
  const columns = Math.max(0, ...cells.map((row) => row.length));
  if (columns === 0) return '';
  const firstRowCells = rows[0]?.getChildren().filter($isTableCellNode) ?? [];
  const delimiter = Array.from({ length: columns }, (_, column) => {
    const block = firstRowCells[column]?.getFirstChild();
    const align = $isElementNode(block) ? block.getFormatType() : '';
    if (align === 'center') return ':---:';
    if (align === 'right' || align === 'end') return '---:';
    if (align === 'left' || align === 'start') return ':---';
    return '---';
  });
  const line = (row: string[]) =>
    `| ${Array.from({ length: columns }, (_, column) => row[column] ?? '').join(' | ')} |`.replace(/ {2}\|/g, ' |');
  return [line(cells[0] ?? []), line(delimiter), ...cells.slice(1).map(line)].join('\n');
}

/** The Markdown of one block node ('' for blocks Markdown cannot hold, e.g. an empty paragraph). */
function $blockMarkdown(node: LexicalNode, options: BlockOptions = { alternateMarkers: false }): string {
  if ($isHeadingNode(node)) return $headingMarkdown(node);
  if ($isQuoteNode(node)) return $quoteMarkdown(node);
  if ($isListNode(node)) return $listMarkdown(node, options);
  if ($isCodeNode(node)) return $codeMarkdown(node);
  if ($isTableNode(node)) return $tableMarkdown(node);
  if ($isHorizontalRuleNode(node)) return '---';
  if ($isElementNode(node)) {
    const children = node.getChildren();
    if (children.some((child) => ($isElementNode(child) || $isDecoratorNode(child)) && !child.isInline())) {
      return $blocksMarkdown(children);
    }
    return $inlineMarkdown(children, 'block');
  }
  return $inlineMarkdown([node], 'block');
}

function $blocksMarkdown(nodes: LexicalNode[]): string {
  const parts: string[] = [];
  let previousList: { type: string; alternate: boolean } | null = null;
  let inlineRun: LexicalNode[] = [];
  const flushInline = () => {
    if (inlineRun.length === 0) return;
    const markdown = $inlineMarkdown(inlineRun, 'block');
    inlineRun = [];
    if (markdown !== '') {
      parts.push(markdown);
      previousList = null;
    }
  };
  for (const node of nodes) {
    const isBlock = ($isElementNode(node) || $isDecoratorNode(node)) && !node.isInline();
    if (!isBlock) {
      inlineRun.push(node);
      continue;
    }
    flushInline();
    let alternateMarkers = false;
    if ($isListNode(node)) {
      const last = previousList as { type: string; alternate: boolean } | null;
      alternateMarkers = last !== null && last.type === node.getListType() && !last.alternate;
    }
    const markdown = $blockMarkdown(node, { alternateMarkers });
    if (markdown === '') continue;
    parts.push(markdown);
    previousList = $isListNode(node) ? { type: node.getListType(), alternate: alternateMarkers } : null;
  }
  flushInline();
  return parts.join('\n\n');
}

/**
 * CommonMark/GFM for the given nodes (top-level blocks; runs of inline nodes are treated as a
 * paragraph). Blocks are separated by one blank line; the result ends with a single "\n", or is
 * "" when there is nothing to write. Must run inside `editor.read()` or `editor.update()`.
 */
export function $nodesToMarkdown(nodes: LexicalNode[]): string {
  const markdown = $blocksMarkdown(nodes);
  return markdown === '' ? '' : `${markdown}\n`;
}

/** The whole document as Markdown. Must run inside `editor.read()` or `editor.update()`. */
export function $rootToMarkdown(): string {
  return $nodesToMarkdown($getRoot().getChildren());
}

/** The Markdown of each top-level block of the root, in order ('' for an empty paragraph). */
export function $blockMarkdowns(): string[] {
  return $getRoot()
    .getChildren()
    .map((node) => $blockMarkdown(node));
}
