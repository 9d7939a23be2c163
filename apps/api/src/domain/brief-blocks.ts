/**
 * The top-level blocks of a stored revision, for briefs, in two forms:
 *
 * - `markdownBlocks`: the revision's stored Markdown split into its top-level blocks: the same
 *   strings `blocksOfContent` (revision-blocks.ts) gives, so the same block diff as the web app's
 *   history panel, without building a Lexical editor state (about 0.5 ms a revision, against
 *   microseconds for the split). Every changed document of a brief is ranked with these; each
 *   revision's split is cached by (document, revision), since revisions never change.
 * - `parseRevisionBlocks`: walked from the revision's Lexical JSON, each block with its plain text
 *   (where key sentences come from, verbatim as in the revision's `text`) and its heading; only for
 *   the few items a brief keeps.
 */

export interface RevisionBlocks {
  /** A Markdown-like form of each top-level block (formatting and link targets count as changes). */
  blocks: string[];
  /** Plain text of each block (list items and table rows one per line). */
  texts: string[];
  /** The heading text of each block that is a heading, else null. */
  headings: Array<string | null>;
}

interface JsonNode {
  type?: unknown;
  text?: unknown;
  format?: unknown;
  tag?: unknown;
  url?: unknown;
  listType?: unknown;
  checked?: unknown;
  language?: unknown;
  children?: unknown;
}

const BOLD = 1;
const ITALIC = 2;
const STRIKETHROUGH = 4;
const CODE = 16;

function childrenOf(node: JsonNode): JsonNode[] {
  return Array.isArray(node.children) ? (node.children as JsonNode[]) : [];
}

/** Inline content as [markdown-like, plain text]. */
function inline(nodes: JsonNode[]): [string, string] {
  let md = '';
  let text = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'linebreak':
        md += '\n';
        text += '\n';
        break;
      case 'tab':
        md += '\t';
        text += '\t';
        break;
      case 'link':
      case 'autolink':
      case 'doc-link': {
        const [innerMd, innerText] = inline(childrenOf(node));
        md += `[${innerMd}](${typeof node.url === 'string' ? node.url : ''})`;
        text += innerText;
        break;
      }
      default: {
        if (typeof node.text === 'string') {
          const format = typeof node.format === 'number' ? node.format : 0;
          let wrapped = node.text;
          if (format & CODE) wrapped = `\`${wrapped}\``;
          if (format & BOLD) wrapped = `**${wrapped}**`;
          if (format & ITALIC) wrapped = `*${wrapped}*`;
          if (format & STRIKETHROUGH) wrapped = `~~${wrapped}~~`;
          md += wrapped;
          text += node.text;
        } else if (node.children) {
          const [innerMd, innerText] = inline(childrenOf(node));
          md += innerMd;
          text += innerText;
        }
      }
    }
  }
  return [md, text];
}

/** A list as lines of [markdown-like, text], nested lists indented. */
function listLines(list: JsonNode, depth: number, out: Array<[string, string]>) {
  const type = list.listType;
  let n = 0;
  for (const item of childrenOf(list)) {
    const kids = childrenOf(item);
    const nested = kids.filter((k) => k.type === 'list');
    const own = kids.filter((k) => k.type !== 'list');
    if (own.length || !nested.length) {
      n++;
      const marker = type === 'number' ? `${n}.` : type === 'check' ? (item.checked ? '- [x]' : '- [ ]') : '-';
      const [md, text] = inline(own);
      out.push([`${'  '.repeat(depth)}${marker} ${md}`, text]);
    }
    for (const sub of nested) listLines(sub, depth + 1, out);
  }
}

function block(node: JsonNode): { md: string; text: string; heading: string | null } {
  switch (node.type) {
    case 'heading': {
      const level = typeof node.tag === 'string' ? Number(node.tag.slice(1)) || 1 : 1;
      const [md, text] = inline(childrenOf(node));
      return { md: `${'#'.repeat(level)} ${md}`, text, heading: text.trim() };
    }
    case 'quote': {
      const [md, text] = inline(childrenOf(node));
      return { md: `> ${md.replace(/\n/g, '\n> ')}`, text, heading: null };
    }
    case 'list': {
      const lines: Array<[string, string]> = [];
      listLines(node, 0, lines);
      return { md: lines.map((l) => l[0]).join('\n'), text: lines.map((l) => l[1]).join('\n'), heading: null };
    }
    case 'code': {
      const [, text] = inline(childrenOf(node));
      return { md: `\`\`\`${typeof node.language === 'string' ? node.language : ''}\n${text}\n\`\`\``, text, heading: null };
    }
    case 'horizontalrule':
      return { md: '---', text: '', heading: null };
    case 'table': {
      const rows = childrenOf(node).map((row) =>
        childrenOf(row).map((cell) => childrenOf(cell).map((p) => inline(childrenOf(p)))),
      );
      const md = rows.map((cells) => `| ${cells.map((ps) => ps.map((p) => p[0]).join(' ')).join(' | ')} |`).join('\n');
      const text = rows.map((cells) => cells.map((ps) => ps.map((p) => p[1]).join(' ')).join('\t')).join('\n');
      return { md, text, heading: null };
    }
    default: {
      const [md, text] = inline(childrenOf(node));
      return { md, text, heading: null };
    }
  }
}

/** The blocks of a serialized Lexical state (a revision's `content`). */
export function parseRevisionBlocks(content: string): RevisionBlocks {
  let root: JsonNode | undefined;
  try {
    root = (JSON.parse(content) as { root?: JsonNode }).root;
  } catch {
    root = undefined;
  }
  const result: RevisionBlocks = { blocks: [], texts: [], headings: [] };
  for (const node of root ? childrenOf(root) : []) {
    const b = block(node);
    result.blocks.push(b.md);
    result.texts.push(b.text);
    result.headings.push(b.heading);
  }
  return result;
}

export const EMPTY_BLOCKS: RevisionBlocks = { blocks: [], texts: [], headings: [] };

// ---------------------------------------------------------------------------------------------
// Markdown blocks, cached

export interface MarkdownBlocks {
  blocks: string[];
  /** Characters held, for the cache's bound. */
  size: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * The top-level blocks of Markdown written by Handoff's exporter: blocks are separated by blank
 * lines, and only a fenced code block can hold a blank line of its own (the exporter writes no
 * indented code, loose lists or raw HTML; a paragraph's blank line is written as `&#10;`).
 */
export function splitMarkdownBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: { char: string; size: number } | null = null;
  for (const line of markdown.split('\n')) {
    if (fence) {
      current.push(line);
      const close = CLOSING_FENCE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.size) fence = null;
      continue;
    }
    if (line.trim() === '') {
      if (current.length) blocks.push(current.join('\n'));
      current = [];
      continue;
    }
    if (!current.length) {
      const open = FENCE.exec(line);
      if (open) fence = { char: open[1]![0]!, size: open[1]!.length };
    }
    current.push(line);
  }
  if (current.length) blocks.push(current.join('\n'));
  return blocks;
}

/** About 64 MB of strings: the blocks of some 8,000 revisions of 4,000 characters. */
const MAX_CACHED_CHARS = 32_000_000;
const cache = new Map<string, MarkdownBlocks>();
let cachedChars = 0;

const keyOf = (docId: string, revision: number) => `${docId}\u0000${revision}`;

/** The cached blocks of a revision, if any (and marks them recently used). */
export function cachedMarkdownBlocks(docId: string, revision: number): MarkdownBlocks | undefined {
  const key = keyOf(docId, revision);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/** Splits a revision's Markdown and remembers the result (least recently used out first). */
export function markdownBlocks(docId: string, revision: number, markdown: string): MarkdownBlocks {
  const hit = cachedMarkdownBlocks(docId, revision);
  if (hit) return hit;
  const entry: MarkdownBlocks = { blocks: splitMarkdownBlocks(markdown), size: markdown.length };
  cache.set(keyOf(docId, revision), entry);
  cachedChars += entry.size;
  for (const [oldest, value] of cache) {
    if (cachedChars <= MAX_CACHED_CHARS) break;
    cache.delete(oldest);
    cachedChars -= value.size;
  }
  return entry;
}

export const NO_BLOCKS: MarkdownBlocks = { blocks: [], size: 0 };

/** Empties the cache (benchmarks measure cold builds with it). */
export function clearBriefBlockCache() {
  cache.clear();
  cachedChars = 0;
}

// ---------------------------------------------------------------------------------------------
// Sentences

/**
 * Where one sentence ends and the next begins: after `.`, `!`, `?` or `…` (and closing quotes or
 * brackets) followed by white space and something that can start a sentence; or right after a
 * CJK full stop. A regular expression rather than `Intl.Segmenter`, which costs about ten times
 * as much and breaks inside tokens ("GET /sync?cursor=1").
 */
const SENTENCE_END = /(?<=[.!?…]["'”’)\]]{0,8})\s+(?=["'“‘([]*[\p{Lu}\p{Lt}\p{N}@#])|(?<=[。！？])/u;

/** The sentences of a block's plain text (each line of a list or table on its own), trimmed. */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    for (const part of line.split(SENTENCE_END)) {
      const sentence = part.trim();
      if (sentence) out.push(sentence);
    }
  }
  return out;
}

/** How informative a sentence looks: its words of three letters or more, digits counting double. */
export function sentenceWeight(sentence: string): number {
  let weight = 0;
  for (const word of sentence.split(/\s+/)) {
    if (/\p{N}/u.test(word)) weight += 2;
    else if (word.replace(/[^\p{L}]/gu, '').length >= 3) weight += 1;
  }
  return weight;
}
