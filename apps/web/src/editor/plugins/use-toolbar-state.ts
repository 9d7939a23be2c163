import { $isLinkNode } from '@lexical/link';
import { $findMatchingParent, mergeRegister } from '@lexical/utils';
import { $getSelection, $isRangeSelection, COMMAND_PRIORITY_LOW, SELECTION_CHANGE_COMMAND, type LexicalEditor } from 'lexical';
import { useCallback, useEffect, useState } from 'react';
import { $selectedBlockType, type BlockType } from '../block-commands.ts';

export interface ToolbarState {
  blockType: BlockType;
  blockKey: string | null;
  codeLanguage: string | null;
  formats: Record<'bold' | 'italic' | 'strikethrough' | 'code', boolean>;
  linkUrl: string | null;
}

const INITIAL: ToolbarState = {
  blockType: 'paragraph',
  blockKey: null,
  codeLanguage: null,
  formats: { bold: false, italic: false, strikethrough: false, code: false },
  linkUrl: null,
};

/** What the toolbar shows for the selection: its block type, code language, text formats and link. */
export function useToolbarState(editor: LexicalEditor): ToolbarState {
  const [state, setState] = useState<ToolbarState>(INITIAL);

  const refresh = useCallback(() => {
    const next = editor.getEditorState().read((): ToolbarState | null => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return null;
      const block = $selectedBlockType();
      const link = $findMatchingParent(selection.anchor.getNode(), (n) => $isLinkNode(n));
      return {
        blockType: block?.type ?? 'paragraph',
        blockKey: block?.blockKey ?? null,
        codeLanguage: block?.codeLanguage ?? null,
        formats: {
          bold: selection.hasFormat('bold'),
          italic: selection.hasFormat('italic'),
          strikethrough: selection.hasFormat('strikethrough'),
          code: selection.hasFormat('code'),
        },
        linkUrl: $isLinkNode(link) ? link.getURL() : null,
      };
    });
    if (next) setState(next);
  }, [editor]);

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(() => refresh()),
        editor.registerCommand(
          SELECTION_CHANGE_COMMAND,
          () => {
            refresh();
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, refresh],
  );

  return state;
}
