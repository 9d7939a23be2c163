import { $createLinkNode, TOGGLE_LINK_COMMAND } from '@lexical/link';
import { $createTextNode, $getSelection, $isRangeSelection, type LexicalEditor } from 'lexical';
import type { FormEvent, RefObject } from 'react';
import { normalizeUrl } from '../safe-url.ts';
import type { LinkBoxState } from './use-link-box.ts';

/** Attributes of links to other sites (also set on the DOM by SafeLinksPlugin). */
export const EXTERNAL_LINK_ATTRIBUTES = { rel: 'noopener noreferrer', target: '_blank' } as const;

/** The toolbar's form for a link's address: apply it to the selection (or insert it), remove the link, cancel. */
export function LinkBox({
  editor,
  linkBox,
  setLinkBox,
  linkUrl,
  inputRef,
}: {
  editor: LexicalEditor;
  linkBox: LinkBoxState;
  setLinkBox: (linkBox: LinkBoxState | null) => void;
  /** The address of the link under the caret, if any. */
  linkUrl: string | null;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  function applyLink(event: FormEvent) {
    event.preventDefault();
    const url = normalizeUrl(linkBox.value);
    if (!url) {
      setLinkBox({ ...linkBox, error: 'Use a web address (https://…), an email address or a /docs/ path.' });
      return;
    }
    const collapsed = editor.getEditorState().read(() => {
      const selection = $getSelection();
      return $isRangeSelection(selection) && selection.isCollapsed();
    });
    if (collapsed && !linkUrl) {
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
    <form className="link-box" onSubmit={applyLink} data-testid="link-box">
      <input
        ref={inputRef}
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
      {linkUrl !== null && (
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
  );
}
