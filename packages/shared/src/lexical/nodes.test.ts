import { $createLinkNode, $isLinkNode, LinkNode } from '@lexical/link';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $isParagraphNode,
  type LexicalEditor,
  type LexicalNode,
  type SerializedEditorState,
} from 'lexical';
import { describe, expect, it } from 'vitest';
import { $createDocLinkNode, $isDocLinkNode, DocLinkNode, docIdFromUrl } from './DocLinkNode.ts';
import { $createMentionNode, $isMentionNode, MentionNode } from './MentionNode.ts';
import { createHandoffHeadlessEditor, handoffNodes } from './nodes.ts';

function paragraphChildren(editor: LexicalEditor): LexicalNode[] {
  return editor.getEditorState().read(() => {
    const first = $getRoot().getFirstChild();
    return $isElementNode(first) ? first.getChildren() : [];
  });
}

function build(editor: LexicalEditor, ...make: Array<() => LexicalNode>): void {
  editor.update(
    () => {
      $getRoot()
        .clear()
        .append($createParagraphNode().append(...make.map((fn) => fn())));
    },
    { discrete: true },
  );
}

function reload(json: SerializedEditorState): LexicalEditor {
  const editor = createHandoffHeadlessEditor();
  editor.setEditorState(editor.parseEditorState(json));
  return editor;
}

describe('handoffNodes', () => {
  it('registers every node type once, including the custom ones', () => {
    const types = handoffNodes.map((klass) => klass.getType());
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(
      expect.arrayContaining([
        'heading',
        'quote',
        'list',
        'listitem',
        'code',
        'code-highlight',
        'link',
        'autolink',
        'table',
        'tablerow',
        'tablecell',
        'horizontalrule',
        'mention',
        'doc-link',
      ]),
    );
  });

  it('createHandoffHeadlessEditor throws errors from updates', () => {
    const editor = createHandoffHeadlessEditor();
    expect(() =>
      editor.update(
        () => {
          throw new Error('boom');
        },
        { discrete: true },
      ),
    ).toThrow('boom');
  });
});

describe('MentionNode', () => {
  it('is an atomic token whose text is @handle', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createTextNode('hi '), () => $createMentionNode('ada.l'));
    editor.getEditorState().read(() => {
      const mention = paragraphChildren(editor)[1];
      expect($isMentionNode(mention)).toBe(true);
      if (!$isMentionNode(mention)) return;
      expect(mention.getTextContent()).toBe('@ada.l');
      expect(mention.getHandle()).toBe('ada.l');
      expect(mention.isToken()).toBe(true);
      expect(mention.isTextEntity()).toBe(true);
    });
  });

  it('does not merge with neighbouring text', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createTextNode('a '), () => $createMentionNode('bo'), () => $createTextNode(' c'));
    expect(paragraphChildren(editor).map((node) => node.getType())).toEqual(['text', 'mention', 'text']);
  });

  it('exports and imports JSON with its handle', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createMentionNode('grace'));
    const json = editor.getEditorState().toJSON();
    const paragraph = json.root.children[0] as unknown as { children: Array<Record<string, unknown>> };
    expect(paragraph.children[0]).toMatchObject({ type: 'mention', handle: 'grace', text: '@grace', mode: 'token' });

    const copy = reload(json);
    copy.getEditorState().read(() => {
      const mention = paragraphChildren(copy)[0];
      expect(mention).toBeInstanceOf(MentionNode);
      expect($isMentionNode(mention) && mention.getHandle()).toBe('grace');
    });
  });

  it('keeps its handle through writes (clones)', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createMentionNode('linus'));
    editor.update(
      () => {
        const mention = $getRoot().getFirstChildOrThrow<LexicalNode & { getChildren(): LexicalNode[] }>().getChildren()[0];
        if ($isMentionNode(mention)) mention.setFormat('bold');
      },
      { discrete: true },
    );
    editor.getEditorState().read(() => {
      const mention = paragraphChildren(editor)[0];
      expect($isMentionNode(mention) && [mention.getHandle(), mention.hasFormat('bold')]).toEqual(['linus', true]);
    });
  });
});

describe('DocLinkNode', () => {
  it('is a LinkNode to /docs/<id>', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createDocLinkNode('doc_42').append($createTextNode('Roadmap')));
    editor.getEditorState().read(() => {
      const link = paragraphChildren(editor)[0];
      expect($isDocLinkNode(link)).toBe(true);
      expect($isLinkNode(link)).toBe(true);
      expect(link).toBeInstanceOf(LinkNode);
      if (!$isDocLinkNode(link)) return;
      expect(link.getDocId()).toBe('doc_42');
      expect(link.getURL()).toBe('/docs/doc_42');
      expect(link.getTextContent()).toBe('Roadmap');
    });
  });

  it('exports and imports JSON with its docId', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createDocLinkNode('abc').append($createTextNode('x')));
    const json = editor.getEditorState().toJSON();
    const paragraph = json.root.children[0] as unknown as { children: Array<Record<string, unknown>> };
    expect(paragraph.children[0]).toMatchObject({ type: 'doc-link', docId: 'abc', url: '/docs/abc' });

    const copy = reload(json);
    copy.getEditorState().read(() => {
      const link = paragraphChildren(copy)[0];
      expect(link).toBeInstanceOf(DocLinkNode);
      expect($isDocLinkNode(link) && [link.getDocId(), link.getURL()]).toEqual(['abc', '/docs/abc']);
    });
  });

  it('keeps docId and URL in step', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createDocLinkNode('one').append($createTextNode('x')));
    editor.update(
      () => {
        const paragraph = $getRoot().getFirstChild();
        const link = $isParagraphNode(paragraph) ? paragraph.getFirstChild() : null;
        if ($isDocLinkNode(link)) link.setDocId('two');
      },
      { discrete: true },
    );
    editor.getEditorState().read(() => {
      const link = paragraphChildren(editor)[0];
      expect($isDocLinkNode(link) && [link.getDocId(), link.getURL()]).toEqual(['two', '/docs/two']);
    });
    editor.update(
      () => {
        const paragraph = $getRoot().getFirstChild();
        const link = $isParagraphNode(paragraph) ? paragraph.getFirstChild() : null;
        if ($isDocLinkNode(link)) link.setURL('/docs/three');
      },
      { discrete: true },
    );
    editor.getEditorState().read(() => {
      const link = paragraphChildren(editor)[0];
      expect($isDocLinkNode(link) && [link.getDocId(), link.getURL()]).toEqual(['three', '/docs/three']);
    });
  });

  it('is not confused with an ordinary link', () => {
    const editor = createHandoffHeadlessEditor();
    build(editor, () => $createLinkNode('/docs/abc').append($createTextNode('x')));
    editor.getEditorState().read(() => {
      expect($isDocLinkNode(paragraphChildren(editor)[0])).toBe(false);
    });
  });

  it('docIdFromUrl reads only /docs/<id>', () => {
    expect(docIdFromUrl('/docs/abc-1_2')).toBe('abc-1_2');
    expect(docIdFromUrl('/docs/abc/')).toBe('abc');
    expect(docIdFromUrl('/docs/')).toBeNull();
    expect(docIdFromUrl('/docs/a/b')).toBeNull();
    expect(docIdFromUrl('https://x.com/docs/a')).toBeNull();
    expect(docIdFromUrl('/docs/a?x=1')).toBeNull();
  });
});
