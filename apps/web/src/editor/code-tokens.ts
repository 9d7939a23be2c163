// Prism, loaded with the languages a team wiki meets most, and a tokenizer that turns code into the
// flat run of pieces a Lexical CodeNode holds: highlighted text, tabs and line breaks.

import Prism from 'prismjs';
import 'prismjs/components/prism-typescript';
import 'prismjs/components/prism-jsx';
import 'prismjs/components/prism-tsx';
import 'prismjs/components/prism-json';
import 'prismjs/components/prism-bash';
import 'prismjs/components/prism-python';
import 'prismjs/components/prism-go';
import 'prismjs/components/prism-rust';
import 'prismjs/components/prism-java';
import 'prismjs/components/prism-c';
import 'prismjs/components/prism-cpp';
import 'prismjs/components/prism-sql';
import 'prismjs/components/prism-yaml';
import 'prismjs/components/prism-markdown';
import 'prismjs/components/prism-diff';

// Prism highlights every `code.language-*` on the page by itself unless told not to; the editor
// owns its DOM, so nothing but this module may tokenize.
Prism.manual = true;

/** The languages the code-block picker offers, with the label it shows. `plain` is no highlighting. */
export const CODE_LANGUAGES: ReadonlyArray<{ id: string; label: string }> = [
  { id: 'plain', label: 'Plain text' },
  { id: 'bash', label: 'Shell' },
  { id: 'c', label: 'C' },
  { id: 'cpp', label: 'C++' },
  { id: 'css', label: 'CSS' },
  { id: 'diff', label: 'Diff' },
  { id: 'go', label: 'Go' },
  { id: 'markup', label: 'HTML / XML' },
  { id: 'java', label: 'Java' },
  { id: 'javascript', label: 'JavaScript' },
  { id: 'json', label: 'JSON' },
  { id: 'jsx', label: 'JSX' },
  { id: 'markdown', label: 'Markdown' },
  { id: 'python', label: 'Python' },
  { id: 'rust', label: 'Rust' },
  { id: 'sql', label: 'SQL' },
  { id: 'tsx', label: 'TSX' },
  { id: 'typescript', label: 'TypeScript' },
  { id: 'yaml', label: 'YAML' },
];

const ALIASES: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  html: 'markup',
  xml: 'markup',
  svg: 'markup',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  py: 'python',
  golang: 'go',
  rs: 'rust',
  'c++': 'cpp',
  yml: 'yaml',
  md: 'markdown',
  patch: 'diff',
  text: 'plain',
  txt: 'plain',
  plaintext: 'plain',
};

/** The Prism grammar id for a code block's language ("ts" → "typescript"), or "plain". */
export function normalizeLanguage(language: string | null | undefined): string {
  const id = (language ?? '').trim().toLowerCase();
  if (id === '') return 'plain';
  const resolved = ALIASES[id] ?? id;
  return resolved !== 'plain' && Prism.languages[resolved] ? resolved : 'plain';
}

export type CodePiece =
  | { kind: 'text'; text: string; type: string | null }
  | { kind: 'tab' }
  | { kind: 'linebreak' };

/**
 * The pieces of `code` in `language`: each maximal run of text with one token type, with tabs and
 * line breaks as pieces of their own. Plain text (or an unknown language) is one untyped run per
 * line segment. Concatenating the pieces gives back `code` exactly.
 */
export function tokenizeCode(code: string, language: string | null | undefined): CodePiece[] {
  const id = normalizeLanguage(language);
  const grammar = id === 'plain' ? undefined : Prism.languages[id];
  const pieces: CodePiece[] = [];
  if (grammar) {
    flatten(Prism.tokenize(code, grammar), null, pieces);
  } else {
    pushText(code, null, pieces);
  }
  return pieces;
}

function flatten(stream: Prism.TokenStream, inherited: string | null, out: CodePiece[]): void {
  if (typeof stream === 'string') {
    pushText(stream, inherited, out);
    return;
  }
  if (Array.isArray(stream)) {
    for (const item of stream) flatten(item, inherited, out);
    return;
  }
  // A Token: its own type wins over the enclosing one.
  flatten(stream.content, stream.type, out);
}

function pushText(text: string, type: string | null, out: CodePiece[]): void {
  for (const part of text.split(/(\r?\n|\t)/)) {
    if (part === '') continue;
    if (part === '\n' || part === '\r\n') out.push({ kind: 'linebreak' });
    else if (part === '\t') out.push({ kind: 'tab' });
    else {
      // Adjacent runs of one type (e.g. two strings of a nested token) become one piece.
      const last = out[out.length - 1];
      if (last?.kind === 'text' && last.type === type) last.text += part;
      else out.push({ kind: 'text', text: part, type });
    }
  }
}
