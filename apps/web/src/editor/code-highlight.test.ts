import { $createCodeHighlightNode, $createCodeNode, $isCodeHighlightNode, $isCodeNode, CodeHighlightNode, CodeNode } from '@lexical/code';
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createRangeSelection,
  $createTextNode,
  $getRoot,
  $getSelection,
  $isParagraphNode,
  $isRangeSelection,
  $setSelection,
  COLLABORATION_TAG,
  createEditor,
  type LexicalEditor,
  type LexicalNode,
  type ParagraphNode,
} from 'lexical';
import { describe, expect, test } from 'vitest';
import { $exitCodeBlockOnEnter, $highlightCodeNode, registerCodeHighlighting } from './code-highlight.ts';
import { normalizeLanguage, tokenizeCode } from './code-tokens.ts';

function newEditor(): LexicalEditor {
  const editor = createEditor({
    namespace: 'test',
    nodes: [CodeNode, CodeHighlightNode],
    onError: (error) => {
      throw error;
    },
  });
  registerCodeHighlighting(editor);
  return editor;
}

/** Writes `lines` as plain text into one new code block, as a local edit (highlighted on commit). */
function writeCode(editor: LexicalEditor, language: string | undefined, lines: string[], tag?: string): void {
  editor.update(
    () => {
      const code = $createCodeNode(language);
      lines.forEach((line, i) => {
        if (i > 0) code.append($createLineBreakNode());
        if (line) code.append($createTextNode(line));
      });
      $getRoot().clear().append(code);
    },
    { discrete: true, tag },
  );
}

const code = (editor: LexicalEditor) => editor.getEditorState().read(() => $getRoot().getFirstChildOrThrow<CodeNode>());

function pieces(editor: LexicalEditor): Array<[string, string | null]> {
  return editor.getEditorState().read(() =>
    $getRoot()
      .getFirstChildOrThrow<CodeNode>()
      .getChildren()
      .map((n: LexicalNode): [string, string | null] => [
        n.getTextContent(),
        $isCodeHighlightNode(n) ? (n.getHighlightType() ?? null) : n.getType(),
      ]),
  );
}

describe('tokenizeCode', () => {
  test('gives back the code exactly, with tabs and line breaks as their own pieces', () => {
    const source = 'function f(a) {\n\treturn "x" + 1; // done\n}';
    const result = tokenizeCode(source, 'js');
    const text = result.map((p) => (p.kind === 'text' ? p.text : p.kind === 'tab' ? '\t' : '\n')).join('');
    expect(text).toBe(source);
    expect(result).toContainEqual({ kind: 'text', text: 'function', type: 'keyword' });
    expect(result).toContainEqual({ kind: 'text', text: '"x"', type: 'string' });
    expect(result).toContainEqual({ kind: 'tab' });
    expect(result.filter((p) => p.kind === 'linebreak')).toHaveLength(2);
  });

  test('plain text and unknown languages are untyped runs', () => {
    expect(tokenizeCode('a b\nc', 'klingon')).toEqual([
      { kind: 'text', text: 'a b', type: null },
      { kind: 'linebreak' },
      { kind: 'text', text: 'c', type: null },
    ]);
    expect(normalizeLanguage('TS')).toBe('typescript');
    expect(normalizeLanguage(undefined)).toBe('plain');
  });
});

describe('code highlighting', () => {
  test('a local edit turns the text of a code block into highlighted nodes, text unchanged', () => {
    const editor = newEditor();
    writeCode(editor, 'ts', ['const answer = 42;', 'return answer']);
    expect(pieces(editor)).toEqual([
      ['const', 'keyword'],
      [' answer ', null],
      ['=', 'operator'],
      [' ', null],
      ['42', 'number'],
      [';', 'punctuation'],
      ['\n', 'linebreak'],
      ['return', 'keyword'],
      [' answer', null],
    ]);
    expect(editor.getEditorState().read(() => code(editor).getTextContent())).toBe('const answer = 42;\nreturn answer');
  });

  test('it converges: a second pass over its own result changes nothing', () => {
    const editor = newEditor();
    writeCode(editor, 'python', ['def f(x):', '    return x * 2  # twice']);
    let changed = true;
    editor.update(() => {
      changed = $highlightCodeNode($getRoot().getFirstChildOrThrow<CodeNode>());
    }, { discrete: true });
    expect(changed).toBe(false);
  });

  test('changes that arrive from collaboration are left as they are', () => {
    const editor = newEditor();
    writeCode(editor, 'ts', ['const remote = 1;'], COLLABORATION_TAG);
    expect(pieces(editor)).toEqual([['const remote = 1;', 'text']]);
  });

  test('typing inside a token updates that node in place: every node keeps its key', () => {
    const editor = newEditor();
    writeCode(editor, 'ts', ['const answer = 42;']);
    const keysBefore = editor.getEditorState().read(() => code(editor).getChildren().map((n) => n.getKey()));
    editor.update(() => {
      const name = code(editor).getChildren().find((n) => n.getTextContent() === ' answer ');
      expect($isCodeHighlightNode(name)).toBe(true);
      (name as CodeHighlightNode).setTextContent(' answers ');
    }, { discrete: true });
    const keysAfter = editor.getEditorState().read(() => code(editor).getChildren().map((n) => n.getKey()));
    expect(keysAfter).toEqual(keysBefore);
    expect(pieces(editor)[1]).toEqual([' answers ', null]);
  });

  test('a token that changes its type keeps its node too', () => {
    const editor = newEditor();
    writeCode(editor, 'python', ['(Tru)']);
    expect(pieces(editor)).toEqual([
      ['(', 'punctuation'],
      ['Tru', null],
      [')', 'punctuation'],
    ]);
    const keysBefore = editor.getEditorState().read(() => code(editor).getChildren().map((n) => n.getKey()));
    editor.update(() => {
      code(editor).getChildAtIndex<CodeHighlightNode>(1)!.setTextContent('True');
    }, { discrete: true });
    expect(pieces(editor)[1]).toEqual(['True', 'boolean']);
    expect(editor.getEditorState().read(() => code(editor).getChildren().map((n) => n.getKey()))).toEqual(keysBefore);
  });

  test('when the layout changes only the changed middle is replaced', () => {
    const editor = newEditor();
    writeCode(editor, 'ts', ['let a = 1;', 'let b = 2;']);
    const [firstKey, lastKey] = editor.getEditorState().read(() => [
      code(editor).getFirstChildOrThrow().getKey(),
      code(editor).getLastChildOrThrow().getKey(),
    ]);
    editor.update(() => {
      // "a" becomes "a + b": one run turns into several.
      const node = code(editor).getChildren().find((n) => n.getTextContent() === ' a ');
      (node as CodeHighlightNode).setTextContent(' a + b ');
    }, { discrete: true });
    expect(editor.getEditorState().read(() => code(editor).getTextContent())).toBe('let a + b = 1;\nlet b = 2;');
    expect(pieces(editor)).toContainEqual(['+', 'operator']);
    editor.getEditorState().read(() => {
      expect(code(editor).getFirstChildOrThrow().getKey()).toBe(firstKey);
      expect(code(editor).getLastChildOrThrow().getKey()).toBe(lastKey);
    });
  });

  test('the caret stays at the same place in the text', () => {
    const editor = newEditor();
    writeCode(editor, undefined, ['let x = 1']);
    editor.update(() => {
      // Plain text so far: one run. Put the caret after "let x", then switch to JavaScript.
      const run = code(editor).getFirstChildOrThrow();
      const selection = $createRangeSelection();
      selection.anchor.set(run.getKey(), 5, 'text');
      selection.focus.set(run.getKey(), 5, 'text');
      $setSelection(selection);
    }, { discrete: true });
    editor.update(() => code(editor).setLanguage('javascript'), { discrete: true });
    const caret = editor.getEditorState().read(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return null;
      const node = selection.anchor.getNode();
      const before = node.getPreviousSiblings().reduce((sum, n) => sum + n.getTextContentSize(), 0);
      return before + selection.anchor.offset;
    });
    expect(pieces(editor)[0]).toEqual(['let', 'keyword']);
    expect(caret).toBe(5);
  });

  test('a highlighted run outside a code block becomes plain text', () => {
    const editor = newEditor();
    editor.update(() => {
      $getRoot().clear().append($createParagraphNode().append($createCodeHighlightNode('stray', 'keyword')));
    }, { discrete: true });
    editor.getEditorState().read(() => {
      const [child] = $getRoot().getFirstChildOrThrow<ParagraphNode>().getChildren();
      expect(child?.getType()).toBe('text');
      expect(child?.getTextContent()).toBe('stray');
    });
  });
});

describe('leaving a code block', () => {
  test('Enter on the second empty last line removes the two empty lines and adds a paragraph', () => {
    const editor = newEditor();
    writeCode(editor, undefined, ['x', '', '']);
    let left = false;
    editor.update(() => {
      const block = code(editor);
      block.select(block.getChildrenSize(), block.getChildrenSize());
      const selection = $getSelection();
      left = $isRangeSelection(selection) && $exitCodeBlockOnEnter(selection);
    }, { discrete: true });
    expect(left).toBe(true);
    editor.getEditorState().read(() => {
      const [block, paragraph] = $getRoot().getChildren();
      expect($isCodeNode(block) && block.getTextContent()).toBe('x');
      expect($isParagraphNode(paragraph)).toBe(true);
    });
  });

  test('anywhere else Enter stays in the block', () => {
    const editor = newEditor();
    writeCode(editor, undefined, ['x', '']);
    let left = true;
    editor.update(() => {
      const block = code(editor);
      block.select(block.getChildrenSize(), block.getChildrenSize());
      const selection = $getSelection();
      left = $isRangeSelection(selection) && $exitCodeBlockOnEnter(selection);
    }, { discrete: true });
    expect(left).toBe(false);
  });
});
