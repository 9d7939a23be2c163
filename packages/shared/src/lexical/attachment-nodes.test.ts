// @vitest-environment happy-dom
import { $createParagraphNode, $getRoot, type DOMConversionMap, type LexicalEditor, type SerializedEditorState } from 'lexical';
import { describe, expect, it } from 'vitest';
import { $collectAttachments } from '../markdown/collect.ts';
import { editorStateToMarkdown, editorStateToPlainText, markdownToEditorState } from '../markdown/editor-state.ts';
import {
  attachmentIdFromUrl,
  formatFileSize,
  isSafeImageSrc,
  looksLikeFileName,
  splitFileSize,
  splitImageWidth,
} from './attachment-url.ts';
import { $createFileNode, $isFileNode, FileNode } from './FileNode.ts';
import { $createImageNode, $isImageNode, ImageNode } from './ImageNode.ts';
import { createHandoffHeadlessEditor, handoffNodes } from './nodes.ts';

function roundTrip(markdown: string): string {
  return editorStateToMarkdown(markdownToEditorState(markdown));
}

function withParagraph(make: () => ImageNode | FileNode): LexicalEditor {
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $getRoot().clear().append($createParagraphNode().append(make())), { discrete: true });
  return editor;
}

function firstInline(json: SerializedEditorState): Record<string, unknown> {
  const paragraph = json.root.children[0] as unknown as { children: Array<Record<string, unknown>> };
  return paragraph.children[0]!;
}

describe('ImageNode and FileNode in the node set', () => {
  it('are registered as image and file', () => {
    const types = handoffNodes.map((klass) => klass.getType());
    expect(types).toEqual(expect.arrayContaining(['image', 'file']));
  });

  it('ImageNode JSON round trip keeps src, alt text, width and caption (version 1)', () => {
    const editor = withParagraph(() => $createImageNode({ src: '/api/attachments/a1', altText: 'Chart', width: 320, caption: 'Q3' }));
    const json = editor.getEditorState().toJSON();
    expect(firstInline(json)).toEqual({
      type: 'image',
      version: 1,
      src: '/api/attachments/a1',
      altText: 'Chart',
      width: 320,
      caption: 'Q3',
    });
    const copy = createHandoffHeadlessEditor();
    copy.setEditorState(copy.parseEditorState(json));
    copy.getEditorState().read(() => {
      const node = $getRoot().getFirstDescendant();
      expect(node).toBeInstanceOf(ImageNode);
      if (!$isImageNode(node)) return;
      expect([node.getSrc(), node.getAltText(), node.getWidth(), node.getCaption()]).toEqual(['/api/attachments/a1', 'Chart', 320, 'Q3']);
    });
    expect(copy.getEditorState().toJSON()).toEqual(json);
  });

  it('FileNode JSON round trip keeps src, name and size; size is left out when unknown', () => {
    const editor = withParagraph(() => $createFileNode({ src: '/api/attachments/f1', name: 'report.pdf', size: 2_516_582 }));
    const json = editor.getEditorState().toJSON();
    expect(firstInline(json)).toEqual({ type: 'file', version: 1, src: '/api/attachments/f1', name: 'report.pdf', size: 2_516_582 });
    const copy = createHandoffHeadlessEditor();
    copy.setEditorState(copy.parseEditorState(json));
    expect(copy.getEditorState().toJSON()).toEqual(json);
    const unknown = withParagraph(() => $createFileNode({ src: '/api/attachments/f2', name: 'a.txt' }));
    expect(firstInline(unknown.getEditorState().toJSON())).not.toHaveProperty('size');
  });

  it('clamps width to 1..4096 and caps alt text and caption', () => {
    const editor = withParagraph(() => $createImageNode({ src: '/x.png', altText: 'a'.repeat(5000), width: 99_999, caption: 'c'.repeat(5000) }));
    editor.getEditorState().read(() => {
      const node = $getRoot().getFirstDescendant();
      if (!$isImageNode(node)) throw new Error('no image');
      expect(node.getWidth()).toBe(4096);
      expect(node.getAltText()).toHaveLength(1000);
      expect(node.getCaption()).toHaveLength(1000);
    });
    const tiny = withParagraph(() => $createImageNode({ src: '/x.png', width: -5 }));
    tiny.getEditorState().read(() => {
      const node = $getRoot().getFirstDescendant();
      expect($isImageNode(node) && node.getWidth()).toBe(1);
    });
    const bad = createHandoffHeadlessEditor();
    const json = markdownToEditorState('x');
    (json.root.children[0] as unknown as { children: unknown[] }).children = [
      { type: 'image', version: 1, src: '/y.png', altText: 'y', width: 1e9 },
    ];
    bad.setEditorState(bad.parseEditorState(json));
    expect(firstInline(bad.getEditorState().toJSON())).toMatchObject({ width: 4096 });
  });

  it('FileNode label shows a human size', () => {
    const editor = withParagraph(() => $createFileNode({ src: '/api/attachments/f1', name: 'report.pdf', size: 2_516_582 }));
    editor.getEditorState().read(() => {
      const node = $getRoot().getFirstDescendant();
      expect($isFileNode(node) && node.getLabel()).toBe('report.pdf · 2.4 MB');
    });
    expect([formatFileSize(0), formatFileSize(512), formatFileSize(1536), formatFileSize(10 * 1024 * 1024), formatFileSize(1024 ** 3 * 1.1)]).toEqual([
      '0 B',
      '512 B',
      '1.5 KB',
      '10 MB',
      '1.1 GB',
    ]);
  });
});

describe('DOM export and import', () => {
  /** The outer HTML of what the first inline node exports (Lexical's HTML export calls exportDOM). */
  function html(editor: LexicalEditor): string {
    return editor.getEditorState().read(() => {
      const node = $getRoot().getFirstDescendant();
      if (!$isImageNode(node) && !$isFileNode(node)) throw new Error('no image or file');
      const { element } = node.exportDOM();
      return (element as unknown as { outerHTML: string }).outerHTML;
    });
  }

  it('an image exports as <img>, with a caption as <figure><img><figcaption>', () => {
    const plain = withParagraph(() => $createImageNode({ src: '/api/attachments/a1', altText: 'Chart', width: 320 }));
    expect(html(plain)).toBe('<img src="/api/attachments/a1" alt="Chart" width="320">');
    const captioned = withParagraph(() => $createImageNode({ src: 'https://x.example/c.png', altText: 'C', caption: 'A <b>cap</b>' }));
    expect(html(captioned)).toBe('<figure><img src="https://x.example/c.png" alt="C"><figcaption>A &lt;b&gt;cap&lt;/b&gt;</figcaption></figure>');
  });

  it('an image with an unsafe source exports only its alt text', () => {
    const editor = withParagraph(() => $createImageNode({ src: 'javascript:alert(1)', altText: 'x' }));
    expect(html(editor)).toBe('<span>x</span>');
  });

  it('a file exports as a link with an icon and its size', () => {
    const editor = withParagraph(() => $createFileNode({ src: '/api/attachments/f1', name: 'report.pdf', size: 2_516_582 }));
    expect(html(editor)).toBe(
      '<a class="file" href="/api/attachments/f1" download="report.pdf" rel="noopener noreferrer">' +
        '<span class="file-icon" aria-hidden="true">📎</span>report.pdf · 2.4 MB</a>',
    );
    const unsafe = withParagraph(() => $createFileNode({ src: 'javascript:alert(1)', name: 'x.pdf' }));
    expect(html(unsafe)).not.toContain('href');
  });

  it('the editor DOM is an inline span with the image and caption', () => {
    const editor = withParagraph(() => $createImageNode({ src: '/a.png', altText: 'A', caption: 'Cap' }));
    const dom = editor.getEditorState().read(() => {
      const node = $getRoot().getFirstDescendant();
      if (!$isImageNode(node)) throw new Error('no image');
      return (node.createDOM() as unknown as { outerHTML: string }).outerHTML;
    });
    expect(dom).toBe('<span class="image"><img src="/a.png" alt="A" loading="lazy"><span class="image-caption">Cap</span></span>');
  });

  it('<img> and <figure> import back into ImageNodes; unsafe <img> sources are dropped', () => {
    const map = ImageNode.importDOM() as DOMConversionMap;
    // (The shared tsconfig has no DOM lib; happy-dom provides the parser.)
    const { DOMParser } = globalThis as unknown as {
      DOMParser: new () => { parseFromString(html: string, type: string): { getElementById(id: string): unknown } };
    };
    const doc = new DOMParser().parseFromString(
      '<img id="a" src="/a.png" alt="A" width="200"><figure id="b"><img src="https://x.example/b.png" alt="B"><figcaption> Bee </figcaption></figure><img id="c" src="javascript:alert(1)" alt="bad">',
      'text/html',
    );
    const convert = (id: string, tag: 'img' | 'figure') => {
      const element = doc.getElementById(id)!;
      const conversion = map[tag]!(element as never)!.conversion;
      const editor = createHandoffHeadlessEditor();
      let result: unknown = 'not run';
      editor.update(
        () => {
          const node = conversion(element as never)?.node;
          result = $isImageNode(node as never)
            ? [(node as ImageNode).getSrc(), (node as ImageNode).getAltText(), (node as ImageNode).getWidth(), (node as ImageNode).getCaption()]
            : null;
        },
        { discrete: true },
      );
      return result;
    };
    expect(convert('a', 'img')).toEqual(['/a.png', 'A', 200, '']);
    expect(convert('b', 'figure')).toEqual(['https://x.example/b.png', 'B', null, 'Bee']);
    expect(convert('c', 'img')).toBeNull();
  });
});

describe('Markdown round trips', () => {
  const cases = [
    '![Chart](/api/attachments/a1)\n',
    '![Chart](/api/attachments/a1#w=320 "Sales in Q3")\n',
    '![](https://x.example/c.png)\n',
    'Before ![a \\[b\\] \\*c\\*](/i.png "say \\"hi\\"") after.\n',
    'See [report.pdf](/api/attachments/abc#size=2458624) and [notes.md](https://h.example/api/attachments/n1).\n',
    '**bold ![x](/x.png) still bold**\n',
    '| a | b |\n| --- | --- |\n| ![x](/x.png "c") | [r.pdf](/api/attachments/r#size=1) |\n',
    '- item ![x](/x.png)\n- [f.txt](/api/attachments/f)\n',
    '> ![q](/q.png)\n',
    '[the report](/api/attachments/abc)\n',
    '[c.pdf](/api/attachments/abc "t")\n',
    '![a](/a.png#w=0)\n',
  ];
  for (const markdown of cases) {
    it(`export(import(x)) == x for ${JSON.stringify(markdown)}`, () => {
      expect(roundTrip(markdown)).toBe(markdown);
    });
  }

  it('reference-style images become inline images', () => {
    expect(roundTrip('![x][r]\n\n[r]: /x.png "cap"\n')).toBe('![x](/x.png "cap")\n');
  });

  it('an image or file whose src is unsafe (from JSON) is written as its text', () => {
    const editor = withParagraph(() => $createImageNode({ src: 'javascript:alert(1)', altText: 'alt *x*' }));
    expect(editorStateToMarkdown(editor.getEditorState().toJSON())).toBe('alt \\*x\\*\n');
    const file = withParagraph(() => $createFileNode({ src: 'data:text/html,x', name: 'a.html' }));
    expect(editorStateToMarkdown(file.getEditorState().toJSON())).toBe('a.html\n');
  });

  it('the largest width round-trips; a larger one stays part of the URL', () => {
    expect(roundTrip('![a](/a.png#w=4096)\n')).toBe('![a](/a.png#w=4096)\n');
    expect(roundTrip('![a](/a.png#w=4097)\n')).toBe('![a](/a.png#w=4097)\n');
  });
});

describe('plain text', () => {
  it('gives the alt text and the file name, never the URL', () => {
    const text = editorStateToPlainText(
      markdownToEditorState('A ![diagram of the flow](/api/attachments/a1 "cap") and [report.pdf](/api/attachments/f1#size=10).'),
    );
    expect(text).toBe('A diagram of the flow and report.pdf.');
    expect(text).not.toContain('/api/attachments');
  });
});

describe('$collectAttachments', () => {
  it('lists the attachment ids of images and files once, in order, but not of plain links or other images', () => {
    const json = markdownToEditorState(
      '![a](/api/attachments/i2#w=10) [b.pdf](https://h.example/api/attachments/f1) ![c](/api/attachments/i2) ' +
        '[see](/api/attachments/link_only) ![d](https://cdn.example/d.png)',
    );
    const editor = createHandoffHeadlessEditor();
    expect(editor.parseEditorState(json).read($collectAttachments)).toEqual(['i2', 'f1']);
  });
});

describe('attachment URL helpers', () => {
  it('isSafeImageSrc allows only http(s) and /-relative sources', () => {
    for (const ok of ['/api/attachments/a', '/x.png', 'https://x.example/a.png', 'HTTP://x.example/a']) expect(isSafeImageSrc(ok)).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      'data:image/png;base64,AAA',
      'java\tscript:x',
      ' /x.png',
      '//evil.example/x.png',
      'x.png',
      'file:///etc/passwd',
      'https://',
      '/\\evil.example',
      '',
    ]) {
      expect(isSafeImageSrc(bad), bad).toBe(false);
    }
  });

  it('attachmentIdFromUrl reads /api/attachments/<id>, relative or absolute', () => {
    expect(attachmentIdFromUrl('/api/attachments/abc_1-2')).toBe('abc_1-2');
    expect(attachmentIdFromUrl('https://h.example:8080/api/attachments/abc')).toBe('abc');
    expect(attachmentIdFromUrl('/api/attachments/')).toBeNull();
    expect(attachmentIdFromUrl('/api/attachments/a/b')).toBeNull();
    expect(attachmentIdFromUrl('/api/attachments/a?x=1')).toBeNull();
    expect(attachmentIdFromUrl('https://user@h.example/api/attachments/a')).toBeNull();
    expect(attachmentIdFromUrl('ftp://h.example/api/attachments/a')).toBeNull();
  });

  it('looksLikeFileName wants a name with an extension', () => {
    expect(['report.pdf', 'a.b.tar', 'Grüße.md'].map(looksLikeFileName)).toEqual([true, true, true]);
    expect(['report', '.env', 'a/b.pdf', 'x.', 'the report.pdf ', 'a.toolongextension'].map(looksLikeFileName)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('width and size fragments are read only in canonical form', () => {
    expect(splitImageWidth('/a.png#w=320')).toEqual({ src: '/a.png', width: 320 });
    expect(splitImageWidth('/a.png#w=0320')).toEqual({ src: '/a.png#w=0320', width: null });
    expect(splitImageWidth('/a.png#x#w=3')).toEqual({ src: '/a.png#x#w=3', width: null });
    expect(splitFileSize('/api/attachments/a#size=0')).toEqual({ src: '/api/attachments/a', size: 0 });
    expect(splitFileSize('/api/attachments/a#size=1e3')).toEqual({ src: '/api/attachments/a#size=1e3', size: null });
  });
});
