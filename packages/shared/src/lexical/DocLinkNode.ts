import { LinkNode } from '@lexical/link';
import {
  $applyNodeReplacement,
  type LexicalNode,
  type NodeKey,
  nodeSchema,
  type Spread,
  stringValue,
  withField,
} from 'lexical';
import type { SerializedLinkNode } from '@lexical/link';

/** JSON form of a {@link DocLinkNode}: a LinkNode (url `/docs/<docId>`) plus `docId`. */
export type SerializedDocLinkNode = Spread<{ docId: string }, SerializedLinkNode>;

/** The URL a link to the Handoff document `docId` points at. */
export function docUrl(docId: string): string {
  return `/docs/${docId}`;
}

const DOC_URL = /^\/docs\/([A-Za-z0-9_-]+)\/?$/;

/** The document id a `/docs/<id>` URL points at, or null for any other URL. */
export function docIdFromUrl(url: string): string | null {
  const match = DOC_URL.exec(url);
  return match?.[1] ?? null;
}

const docLinkNodeSchema = nodeSchema<DocLinkNode>()({
  docId: withField(stringValue(), { field: '__docId' }),
});

/**
 * A link to another Handoff document. It is a LinkNode whose URL is always `/docs/<docId>`, so
 * anything that understands links (the link plugin, HTML export) keeps working; `__docId` is set
 * in the constructor so that `@lexical/yjs` syncs it.
 */
export class DocLinkNode extends LinkNode {
  /** @internal */
  __docId: string;

  override $config() {
    return this.config('doc-link', { extends: LinkNode, json: docLinkNodeSchema });
  }

  constructor(docId: string = '', key?: NodeKey) {
    super(docUrl(docId), {}, key);
    this.__docId = docId;
  }

  getDocId(): string {
    return this.getLatest().__docId;
  }

  setDocId(docId: string): this {
    const self = this.getWritable();
    self.__docId = docId;
    self.__url = docUrl(docId);
    return self;
  }

  override setURL(url: string): this {
    // Keep the two in step: a doc link edited to a URL that is no /docs/<id> has no docId.
    const self = super.setURL(url);
    self.__docId = docIdFromUrl(url) ?? '';
    return self;
  }
}

export function $createDocLinkNode(docId: string): DocLinkNode {
  return $applyNodeReplacement(new DocLinkNode(docId));
}

export function $isDocLinkNode(node: LexicalNode | null | undefined): node is DocLinkNode {
  return node instanceof DocLinkNode;
}
