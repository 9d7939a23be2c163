import { FORMAT_TEXT_COMMAND, type LexicalEditor, type TextFormatType } from 'lexical';
import type { MouseEvent, ReactNode } from 'react';
import { BLOCK_LABELS, insertDivider, insertTable, setBlockType, setCodeLanguage, type BlockType } from '../block-commands.ts';
import { CODE_LANGUAGES, normalizeLanguage } from '../code-tokens.ts';
import type { ToolbarState } from './use-toolbar-state.ts';

const BLOCK_ORDER: BlockType[] = ['paragraph', 'h1', 'h2', 'h3', 'bullet', 'number', 'check', 'quote', 'code'];

/** The block type select and, in a code block, its language. */
export function BlockSelects({ editor, state }: { editor: LexicalEditor; state: ToolbarState }) {
  return (
    <>
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
    </>
  );
}

/** Bold, italic, strikethrough, inline code and link. */
export function TextFormatButtons({ editor, state, onLink }: { editor: LexicalEditor; state: ToolbarState; onLink: () => void }) {
  const format = (type: TextFormatType) => editor.dispatchCommand(FORMAT_TEXT_COMMAND, type);
  return (
    <>
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
      <ToolButton label="Link" testId="toolbar-link" active={state.linkUrl !== null} onClick={onLink}>
        <LinkIcon />
      </ToolButton>
    </>
  );
}

/** Lists, quote, code block, table and divider. */
export function BlockButtons({ editor, state }: { editor: LexicalEditor; state: ToolbarState }) {
  return (
    <>
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
    </>
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
