import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import { $getSelection, $isRangeSelection, COMMAND_PRIORITY_LOW, KEY_ENTER_COMMAND } from 'lexical';
import { useEffect } from 'react';
import { $exitCodeBlockOnEnter, registerCodeHighlighting } from '../code-highlight.ts';

/**
 * Code blocks: Prism syntax highlighting (see code-highlight.ts for how it stays
 * collaboration-safe), and Enter on two empty last lines leaves the block.
 */
export function CodeHighlightPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      mergeRegister(
        registerCodeHighlighting(editor),
        editor.registerCommand(
          KEY_ENTER_COMMAND,
          (event) => {
            const selection = $getSelection();
            if (!$isRangeSelection(selection) || !$exitCodeBlockOnEnter(selection)) return false;
            event?.preventDefault();
            return true;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor],
  );
  return null;
}
