import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import type { ReactNode } from 'react';
import { LinkBox } from './LinkBox.tsx';
import { BlockButtons, BlockSelects, TextFormatButtons } from './ToolbarGroups.tsx';
import { useLinkBox } from './use-link-box.ts';
import { useToolbarState } from './use-toolbar-state.ts';

/** The formatting bar above the editor (only for people who may edit); `children` go at its end (e.g. "Comment"). */
export function ToolbarPlugin({ children }: { children?: ReactNode }) {
  const [editor] = useLexicalComposerContext();
  const state = useToolbarState(editor);
  const { linkBox, setLinkBox, openLinkBox, linkInput } = useLinkBox(editor);

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="editor-toolbar">
      <BlockSelects editor={editor} state={state} />
      <span className="toolbar-sep" aria-hidden="true" />
      <TextFormatButtons editor={editor} state={state} onLink={openLinkBox} />
      <span className="toolbar-sep" aria-hidden="true" />
      <BlockButtons editor={editor} state={state} />
      {children && (
        <>
          <span className="toolbar-sep" aria-hidden="true" />
          {children}
        </>
      )}

      {linkBox && <LinkBox editor={editor} linkBox={linkBox} setLinkBox={setLinkBox} linkUrl={state.linkUrl} inputRef={linkInput} />}
    </div>
  );
}
