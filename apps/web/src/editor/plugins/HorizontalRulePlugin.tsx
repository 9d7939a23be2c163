import {
  $createHorizontalRuleNode,
  $isHorizontalRuleNode,
  HorizontalRuleNode,
  INSERT_HORIZONTAL_RULE_COMMAND,
} from '@lexical/extension';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $insertNodeToNearestRoot, mergeRegister } from '@lexical/utils';
import {
  $createNodeSelection,
  $getNearestNodeFromDOMNode,
  $getSelection,
  $isNodeSelection,
  $isRangeSelection,
  $setSelection,
  CLICK_COMMAND,
  COMMAND_PRIORITY_EDITOR,
  COMMAND_PRIORITY_LOW,
  type NodeKey,
} from 'lexical';
import { useEffect } from 'react';

/**
 * Dividers: INSERT_HORIZONTAL_RULE_COMMAND inserts the shared node set's HorizontalRuleNode
 * (@lexical/extension's, which @lexical/react's plugin does not create), and a click selects one
 * so Backspace removes it.
 */
export function HorizontalRulePlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const rules = new Set<NodeKey>();
    return mergeRegister(
      editor.registerCommand(
        INSERT_HORIZONTAL_RULE_COMMAND,
        () => {
          const selection = $getSelection();
          if (!$isRangeSelection(selection)) return false;
          $insertNodeToNearestRoot($createHorizontalRuleNode());
          return true;
        },
        COMMAND_PRIORITY_EDITOR,
      ),
      editor.registerCommand(
        CLICK_COMMAND,
        (event: MouseEvent) => {
          if (!editor.isEditable() || !(event.target instanceof Node)) return false;
          const node = $getNearestNodeFromDOMNode(event.target);
          if (!$isHorizontalRuleNode(node)) return false;
          const selection = $createNodeSelection();
          selection.add(node.getKey());
          $setSelection(selection);
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
      // Show which divider is selected.
      editor.registerMutationListener(
        HorizontalRuleNode,
        (mutations) => {
          for (const [key, mutation] of mutations) {
            if (mutation === 'destroyed') rules.delete(key);
            else rules.add(key);
          }
        },
        { skipInitialization: false },
      ),
      editor.registerUpdateListener(({ editorState }) => {
        if (rules.size === 0) return;
        const selected = editorState.read(() => {
          const selection = $getSelection();
          return new Set($isNodeSelection(selection) ? selection.getNodes().map((n) => n.getKey()) : []);
        });
        for (const key of rules) editor.getElementByKey(key)?.classList.toggle('editor-hr-selected', selected.has(key));
      }),
    );
  }, [editor]);
  return null;
}
