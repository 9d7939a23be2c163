import { $createLinkNode, $isLinkNode, TOGGLE_LINK_COMMAND } from '@lexical/link';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $findMatchingParent, mergeRegister } from '@lexical/utils';
import {
  $createTextNode,
  $getSelection,
  $isRangeSelection,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  SELECTION_CHANGE_COMMAND,
  type TextFormatType,
} from 'lexical';
import { useCallback, useEffect, useRef, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import {
  $selectedBlockType,
  BLOCK_LABELS,
  OPEN_LINK_EDITOR_COMMAND,
  insertDivider,
  insertTable,
  setBlockType,
  setCodeLanguage,
  type BlockType,
} from '../block-commands.ts';
import { CODE_LANGUAGES, normalizeLanguage } from '../code-tokens.ts';
import { normalizeUrl } from '../safe-url.ts';

/** Attributes of links to other sites (also set on the DOM by SafeLinksPlugin). */
export const EXTERNAL_LINK_ATTRIBUTES = { rel: 'noopener noreferrer', target: '_blank' } as const;

interface ToolbarState {
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

const BLOCK_ORDER: BlockType[] = ['paragraph', 'h1', 'h2', 'h3', 'bullet', 'number', 'check', 'quote', 'code'];

/** The formatting bar above the editor (only for people who may edit). */
export function ToolbarPlugin() {
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(INITIAL);
  const [linkBox, setLinkBox] = useState<{ value: string; error: string | null } | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);

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
        editor.registerCommand(
          OPEN_LINK_EDITOR_COMMAND,
          () => {
            openLinkBox();
            return true;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, refresh, openLinkBox],
  );

  const linkBoxOpen = linkBox !== null;
  useEffect(() => {
    if (linkBoxOpen) linkInput.current?.focus();
  }, [linkBoxOpen]);

  const format = (type: TextFormatType) => editor.dispatchCommand(FORMAT_TEXT_COMMAND, type);

  function applyLink(event: FormEvent) {
    event.preventDefault();
    if (!linkBox) return;
    const url = normalizeUrl(linkBox.value);
    if (!url) {
      setLinkBox({ ...linkBox, error: 'Use a web address (https://…), an email address or a /docs/ path.' });
      return;
    }
    const collapsed = editor.getEditorState().read(() => {
      const selection = $getSelection();
      return $isRangeSelection(selection) && selection.isCollapsed();
    });
    if (collapsed && !state.linkUrl) {
      // Nothing selected: insert the address itself as a link.
      editor.update(() => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) return;
        const link = $createLinkNode(url, url.startsWith('/') ? {} : EXTERNAL_LINK_ATTRIBUTES);
        link.append($createTextNode(url));
        selection.insertNodes([link]);
      });
    } else {
      editor.dispatchCommand(TOGGLE_LINK_COMMAND, url.startsWith('/') ? url : { url, ...EXTERNAL_LINK_ATTRIBUTES });
    }
    setLinkBox(null);
    editor.focus();
  }

  function removeLink() {
    editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
    setLinkBox(null);
    editor.focus();
  }

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="editor-toolbar">
      <select
        className="toolbar-select"
        aria-label="Block type"
        data-testid="toolbar-block-type"
        value={state.blockType}
        onChange={(e) => {
          setBlockType(editor, e.target.value as BlockType);
          editor.focus();
        }}
      >
        {BLOCK_ORDER.map((type) => (
          <option key={type} value={type}>
            {BLOCK_LABELS[type]}
          </option>
        ))}
      </select>
      {state.blockType === 'code' && state.blockKey && (
        <select
          className="toolbar-select"
          aria-label="Code language"
          data-testid="toolbar-code-language"
          value={normalizeLanguage(state.codeLanguage)}
          onChange={(e) => {
            if (state.blockKey) setCodeLanguage(editor, state.blockKey, e.target.value);
            editor.focus();
          }}
        >
          {CODE_LANGUAGES.map((lang) => (
            <option key={lang.id} value={lang.id}>
              {lang.label}
            </option>
          ))}
        </select>
      )}
      <span className="toolbar-sep" aria-hidden="true" />
      <ToolButton label="Bold" testId="toolbar-bold" active={state.formats.bold} onClick={() => format('bold')}>
        <b>B</b>
      </ToolButton>
      <ToolButton label="Italic" testId="toolbar-italic" active={state.formats.italic} onClick={() => format('italic')}>
        <i>I</i>
      </ToolButton>
      <ToolButton
        label="Strikethrough"
        testId="toolbar-strike"
        active={state.formats.strikethrough}
        onClick={() => format('strikethrough')}
      >
        <s>S</s>
      </ToolButton>
      <ToolButton label="Inline code" testId="toolbar-code" active={state.formats.code} onClick={() => format('code')}>
        {'<>'}
      </ToolButton>
      <ToolButton label="Link" testId="toolbar-link" active={state.linkUrl !== null} onClick={openLinkBox}>
        <LinkIcon />
      </ToolButton>
      <span className="toolbar-sep" aria-hidden="true" />
      <ToolButton label="Bulleted list" testId="toolbar-bullet" active={state.blockType === 'bullet'} onClick={() => setBlockType(editor, 'bullet')}>
        •≡
      </ToolButton>
      <ToolButton label="Numbered list" testId="toolbar-number" active={state.blockType === 'number'} onClick={() => setBlockType(editor, 'number')}>
        1≡
      </ToolButton>
      <ToolButton label="Check list" testId="toolbar-check" active={state.blockType === 'check'} onClick={() => setBlockType(editor, 'check')}>
        ☑
      </ToolButton>
      <ToolButton label="Quote" testId="toolbar-quote" active={state.blockType === 'quote'} onClick={() => setBlockType(editor, 'quote')}>
        ❝
      </ToolButton>
      <ToolButton label="Code block" testId="toolbar-code-block" active={state.blockType === 'code'} onClick={() => setBlockType(editor, 'code')}>
        {'{ }'}
      </ToolButton>
      <ToolButton label="Insert table" testId="toolbar-table" onClick={() => insertTable(editor)}>
        ▦
      </ToolButton>
      <ToolButton label="Divider" testId="toolbar-hr" onClick={() => insertDivider(editor)}>
        ―
      </ToolButton>

      {linkBox && (
        <form className="link-box" onSubmit={applyLink} data-testid="link-box">
          <input
            ref={linkInput}
            type="text"
            inputMode="url"
            placeholder="https://… or /docs/…"
            aria-label="Link address"
            value={linkBox.value}
            onChange={(e) => setLinkBox({ value: e.target.value, error: null })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setLinkBox(null);
                editor.focus();
              }
            }}
          />
          <button type="submit">Apply</button>
          {state.linkUrl !== null && (
            <button type="button" onClick={removeLink}>
              Remove
            </button>
          )}
          <button type="button" className="link-button" onClick={() => setLinkBox(null)}>
            Cancel
          </button>
          {linkBox.error && (
            <p className="error link-box-error" role="alert">
              {linkBox.error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

/** A chain link, drawn (emoji fonts are not everywhere). */
function LinkIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
      <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3.2-3.2a4.5 4.5 0 0 0-6.4-6.4L12 5.6" />
      <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3.2 3.2a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2" />
    </svg>
  );
}

function ToolButton({
  label,
  testId,
  active,
  onClick,
  children,
}: {
  label: string;
  testId: string;
  active?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="toolbar-button"
      title={label}
      aria-label={label}
      aria-pressed={active === undefined ? undefined : active}
      data-testid={testId}
      // Keep the caret (and the selection) in the editor.
      onMouseDown={(event: MouseEvent) => event.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
