import { $isLinkNode } from '@lexical/link';
import { $findMatchingParent } from '@lexical/utils';
import { $getSelection, $isRangeSelection, COMMAND_PRIORITY_LOW, type LexicalEditor } from 'lexical';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OPEN_LINK_EDITOR_COMMAND } from '../block-commands.ts';

/** The link address being edited in the toolbar, and the error of the last attempt to apply it. */
export type LinkBoxState = { value: string; error: string | null };

/**
 * The toolbar's link box: opened by the Link button or OPEN_LINK_EDITOR_COMMAND with the address of
 * the link under the caret (if any), and focused when it opens.
 */
export function useLinkBox(editor: LexicalEditor) {
  const [linkBox, setLinkBox] = useState<LinkBoxState | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);

  const openLinkBox = useCallback(() => {
    const current = editor.getEditorState().read(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return null;
      const link = $findMatchingParent(selection.anchor.getNode(), (n) => $isLinkNode(n));
      return $isLinkNode(link) ? link.getURL() : null;
    });
    setLinkBox({ value: current ?? '', error: null });
  }, [editor]);

  useEffect(
    () =>
      editor.registerCommand(
        OPEN_LINK_EDITOR_COMMAND,
        () => {
          openLinkBox();
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
    [editor, openLinkBox],
  );

  const linkBoxOpen = linkBox !== null;
  useEffect(() => {
    if (linkBoxOpen) linkInput.current?.focus();
  }, [linkBoxOpen]);

  return { linkBox, setLinkBox, openLinkBox, linkInput };
}
