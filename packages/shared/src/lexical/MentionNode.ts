import {
  $applyNodeReplacement,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  nodeSchema,
  type SerializedTextNode,
  type Spread,
  stringValue,
  TextNode,
  withField,
} from 'lexical';

/** JSON form of a {@link MentionNode}: a TextNode plus the mentioned `handle`. */
export type SerializedMentionNode = Spread<{ handle: string }, SerializedTextNode>;

const mentionNodeSchema = nodeSchema<MentionNode>()({
  handle: withField(stringValue(), { field: '__handle' }),
});

/**
 * A `@handle` mention of a workspace member. The text is always `@handle`; the node is a token
 * (atomic: it is deleted and selected as a whole) and never merges with neighbouring text.
 * `__handle` is set in the constructor so that `@lexical/yjs` syncs it like any other property.
 */
export class MentionNode extends TextNode {
  /** @internal */
  __handle: string;

  override $config() {
    return this.config('mention', { extends: TextNode, json: mentionNodeSchema });
  }

  constructor(handle: string = '', key?: NodeKey) {
    super(`@${handle}`, key);
    this.__handle = handle;
  }

  getHandle(): string {
    return this.getLatest().__handle;
  }

  // (The shared tsconfig has no DOM lib, so the DOM type is named through TextNode.)
  override createDOM(config: EditorConfig): ReturnType<TextNode['createDOM']> {
    const dom = super.createDOM(config);
    dom.classList.add('mention');
    dom.setAttribute('data-mention', this.__handle);
    return dom;
  }

  override isTextEntity(): true {
    return true;
  }

  override canInsertTextBefore(): boolean {
    return false;
  }

  override canInsertTextAfter(): boolean {
    return false;
  }
}

export function $createMentionNode(handle: string): MentionNode {
  const node = new MentionNode(handle);
  node.setMode('token').toggleDirectionless();
  return $applyNodeReplacement(node);
}

export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
