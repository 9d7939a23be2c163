import {
  $applyNodeReplacement,
  DecoratorNode,
  type DOMExportOutput,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type Spread,
} from 'lexical';
import { capLabel, cleanFileSize, formatFileSize, isSafeImageSrc, MAX_FILE_NAME_LENGTH } from './attachment-url.ts';
import { createElement, type DomElement } from './dom.ts';

/** JSON form of a {@link FileNode} (version 1). `size` is left out when unknown. */
export type SerializedFileNode = Spread<{ src: string; name: string; size?: number }, SerializedLexicalNode>;

export interface FilePayload {
  src: string;
  name: string;
  size?: number | null;
}

/**
 * An attached file, inline: `src` (an attachment URL), `name` and an optional `size` in bytes.
 * Rendered as a link with an icon and a human size ("report.pdf · 2.4 MB"). A DecoratorNode whose
 * `decorate()` is null: it draws its own DOM, so no React is needed anywhere. Properties are set in
 * the constructor so that `@lexical/yjs` syncs them. Its text content is the file name.
 */
export class FileNode extends DecoratorNode<null> {
  /** @internal */
  __src: string;
  /** @internal */
  __name: string;
  /** @internal */
  __size: number | null;

  static override getType(): string {
    return 'file';
  }

  static override clone(node: FileNode): FileNode {
    return new FileNode(node.__src, node.__name, node.__size, node.__key);
  }

  constructor(src: string = '', name: string = '', size: number | null = null, key?: NodeKey) {
    super(key);
    this.__src = src;
    this.__name = capLabel(name, MAX_FILE_NAME_LENGTH);
    this.__size = cleanFileSize(size);
  }

  static override importJSON(json: SerializedFileNode): FileNode {
    return $createFileNode({
      src: typeof json.src === 'string' ? json.src : '',
      name: typeof json.name === 'string' ? json.name : '',
      size: typeof json.size === 'number' ? json.size : null,
    });
  }

  override exportJSON(): SerializedFileNode {
    const json: SerializedFileNode = {
      ...super.exportJSON(),
      type: 'file',
      version: 1,
      src: this.getSrc(),
      name: this.getName(),
    };
    const size = this.getSize();
    if (size !== null) json.size = size;
    return json;
  }

  getSrc(): string {
    return this.getLatest().__src;
  }

  getName(): string {
    return this.getLatest().__name;
  }

  getSize(): number | null {
    return this.getLatest().__size;
  }

  setName(name: string): this {
    const self = this.getWritable();
    self.__name = capLabel(name, MAX_FILE_NAME_LENGTH);
    return self;
  }

  override isInline(): boolean {
    return true;
  }

  override getTextContent(): string {
    return this.getLatest().__name;
  }

  /** The label beside the icon: "report.pdf · 2.4 MB", or the name alone when the size is unknown. */
  getLabel(): string {
    const self = this.getLatest();
    return self.__size === null ? self.__name : `${self.__name} · ${formatFileSize(self.__size)}`;
  }

  private linkElement(): DomElement {
    // The same URL policy as images: http(s) or a /-relative path, never javascript: or data:.
    const link = createElement(isSafeImageSrc(this.__src) ? 'a' : 'span', 'file');
    if (isSafeImageSrc(this.__src)) {
      link.setAttribute('href', this.__src);
      link.setAttribute('download', this.__name);
      link.setAttribute('rel', 'noopener noreferrer');
    }
    const icon = createElement('span', 'file-icon');
    icon.setAttribute('aria-hidden', 'true');
    icon.append('📎');
    link.append(icon, this.getLabel());
    return link;
  }

  override createDOM(): ReturnType<DecoratorNode<null>['createDOM']> {
    return this.linkElement() as unknown as ReturnType<DecoratorNode<null>['createDOM']>;
  }

  override updateDOM(): boolean {
    return true;
  }

  override exportDOM(): DOMExportOutput {
    return { element: this.linkElement() as unknown as DOMExportOutput['element'] };
  }

  override decorate(): null {
    return null;
  }
}

export function $createFileNode({ src, name, size = null }: FilePayload): FileNode {
  return $applyNodeReplacement(new FileNode(src, name, size));
}

export function $isFileNode(node: LexicalNode | null | undefined): node is FileNode {
  return node instanceof FileNode;
}
