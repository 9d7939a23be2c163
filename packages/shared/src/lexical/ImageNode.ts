import {
  $applyNodeReplacement,
  DecoratorNode,
  type DOMConversionMap,
  type DOMConversionOutput,
  type DOMExportOutput,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type Spread,
} from 'lexical';
import { capLabel, clampImageWidth, isSafeImageSrc } from './attachment-url.ts';
import { createElement, type DomElement } from './dom.ts';

/** JSON form of an {@link ImageNode} (version 1). `width` and `caption` are left out when unset. */
export type SerializedImageNode = Spread<
  { src: string; altText: string; width?: number; caption?: string },
  SerializedLexicalNode
>;

export interface ImagePayload {
  src: string;
  altText?: string;
  width?: number | null;
  caption?: string;
}

/**
 * An image, inline like a Markdown image: `src`, `altText`, an optional `width` (CSS pixels,
 * 1..4096) and an optional plain-text `caption`. A DecoratorNode whose `decorate()` is null: it
 * draws its own DOM in `createDOM`, so the headless server editor, the web editor and `@lexical/yjs`
 * need nothing but this class. All properties are set in the constructor so that Yjs syncs them.
 * A `src` that is no safe image source (see `isSafeImageSrc`) is kept but never rendered.
 * Its text content is the alt text (search, briefs and plain text never see the URL).
 */
export class ImageNode extends DecoratorNode<null> {
  /** @internal */
  __src: string;
  /** @internal */
  __altText: string;
  /** @internal */
  __width: number | null;
  /** @internal */
  __caption: string;

  static override getType(): string {
    return 'image';
  }

  static override clone(node: ImageNode): ImageNode {
    return new ImageNode(node.__src, node.__altText, node.__width, node.__caption, node.__key);
  }

  constructor(src: string = '', altText: string = '', width: number | null = null, caption: string = '', key?: NodeKey) {
    super(key);
    this.__src = src;
    this.__altText = capLabel(altText);
    this.__width = clampImageWidth(width);
    this.__caption = capLabel(caption);
  }

  static override importJSON(json: SerializedImageNode): ImageNode {
    return $createImageNode({
      src: typeof json.src === 'string' ? json.src : '',
      altText: typeof json.altText === 'string' ? json.altText : '',
      width: typeof json.width === 'number' ? json.width : null,
      caption: typeof json.caption === 'string' ? json.caption : '',
    });
  }

  override exportJSON(): SerializedImageNode {
    const json: SerializedImageNode = {
      ...super.exportJSON(),
      type: 'image',
      version: 1,
      src: this.getSrc(),
      altText: this.getAltText(),
    };
    const width = this.getWidth();
    if (width !== null) json.width = width;
    const caption = this.getCaption();
    if (caption !== '') json.caption = caption;
    return json;
  }

  getSrc(): string {
    return this.getLatest().__src;
  }

  getAltText(): string {
    return this.getLatest().__altText;
  }

  getWidth(): number | null {
    return this.getLatest().__width;
  }

  getCaption(): string {
    return this.getLatest().__caption;
  }

  setAltText(altText: string): this {
    const self = this.getWritable();
    self.__altText = capLabel(altText);
    return self;
  }

  setWidth(width: number | null): this {
    const self = this.getWritable();
    self.__width = clampImageWidth(width);
    return self;
  }

  setCaption(caption: string): this {
    const self = this.getWritable();
    self.__caption = capLabel(caption);
    return self;
  }

  override isInline(): boolean {
    return true;
  }

  override getTextContent(): string {
    return this.getLatest().__altText;
  }

  private imgElement(): DomElement {
    const img = createElement('img');
    img.setAttribute('src', this.__src);
    img.setAttribute('alt', this.__altText);
    if (this.__width !== null) img.setAttribute('width', String(this.__width));
    return img;
  }

  /** In the editor: an inline `<span class="image">` holding the `<img>` and the caption. */
  override createDOM(): ReturnType<DecoratorNode<null>['createDOM']> {
    const span = createElement('span', 'image');
    if (isSafeImageSrc(this.__src)) {
      const img = this.imgElement();
      img.setAttribute('loading', 'lazy');
      span.append(img);
      if (this.__caption) span.append(createElement('span', 'image-caption'));
      span.querySelector('.image-caption')?.append(this.__caption);
    } else {
      span.append(this.__altText);
    }
    return span as unknown as ReturnType<DecoratorNode<null>['createDOM']>;
  }

  override updateDOM(): boolean {
    // Any change draws the node again (it has no children to keep).
    return true;
  }

  /** `<img>`, or `<figure><img><figcaption>` with a caption; an unsafe src exports the alt text. */
  override exportDOM(): DOMExportOutput {
    let element: DomElement;
    if (!isSafeImageSrc(this.__src)) {
      element = createElement('span');
      element.append(this.__altText);
    } else if (this.__caption) {
      element = createElement('figure');
      const figcaption = createElement('figcaption');
      figcaption.append(this.__caption);
      element.append(this.imgElement(), figcaption);
    } else {
      element = this.imgElement();
    }
    return { element: element as unknown as DOMExportOutput['element'] };
  }

  static override importDOM(): DOMConversionMap | null {
    return {
      img: () => ({ conversion: convertImg, priority: 0 }),
      figure: (element: unknown) =>
        (element as DomElement).querySelector('img') ? { conversion: convertFigure, priority: 1 } : null,
    };
  }

  override decorate(): null {
    return null;
  }
}

function imageFrom(img: DomElement, caption: string): DOMConversionOutput {
  const src = img.getAttribute('src') ?? '';
  if (!isSafeImageSrc(src)) return { node: null };
  const width = Number(img.getAttribute('width'));
  return {
    node: $createImageNode({
      src,
      altText: img.getAttribute('alt') ?? '',
      width: Number.isFinite(width) && width > 0 ? width : null,
      caption,
    }),
  };
}

function convertImg(element: unknown): DOMConversionOutput {
  return imageFrom(element as DomElement, '');
}

function convertFigure(element: unknown): DOMConversionOutput {
  const figure = element as DomElement;
  const img = figure.querySelector('img');
  if (!img) return { node: null };
  const caption = figure.querySelector('figcaption')?.textContent?.trim() ?? '';
  return { ...imageFrom(img, caption), forChild: () => null };
}

export function $createImageNode({ src, altText = '', width = null, caption = '' }: ImagePayload): ImageNode {
  return $applyNodeReplacement(new ImageNode(src, altText, width, caption));
}

export function $isImageNode(node: LexicalNode | null | undefined): node is ImageNode {
  return node instanceof ImageNode;
}
